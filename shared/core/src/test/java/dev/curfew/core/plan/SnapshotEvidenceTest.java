package dev.curfew.core.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.curfew.core.model.EbsVolume;
import dev.curfew.core.model.Inventory;
import dev.curfew.core.policy.Policy;
import dev.curfew.core.policy.PolicyLoader;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * Which snapshot justifies deleting a volume: only a completed one of that volume, this account's, started at or
 * after its current mark; and when that mark was set, read so that one stale or hand-written tag cannot make it
 * earlier.
 */
class SnapshotEvidenceTest {
    static final String VOLUME = "vol-1";
    static final String ACCOUNT = "123456789012";
    static final Instant NOW = Instant.parse("2026-11-25T19:00:00Z");

    record Case(Instant markSetAt, SnapshotEvidence.Facts facts) {
    }

    /** Snapshots around a mark: of this or another volume, this or another account, any state, before or after. */
    @Provide
    Arbitrary<Case> cases() {
        Arbitrary<String> volume = Arbitraries.frequencyOf(Tuple.of(4, Arbitraries.just(VOLUME)),
                Tuple.of(1, Arbitraries.of("vol-2", "VOL-1", "vol-1 ", "")), Tuple.of(1, Arbitraries.just(null)));
        Arbitrary<String> owner = Arbitraries.frequencyOf(Tuple.of(4, Arbitraries.just(ACCOUNT)),
                Tuple.of(1, Arbitraries.of("210987654321", "amazon", "")), Tuple.of(1, Arbitraries.just(null)));
        Arbitrary<String> state = Arbitraries.frequencyOf(Tuple.of(4, Arbitraries.just("completed")),
                Tuple.of(2, Arbitraries.of("pending", "error", "recoverable", "recovering", "Completed")),
                Tuple.of(1, Arbitraries.just(null)));
        // the start relative to the mark: well before, a millisecond before, exactly at, after; or unknown
        Arbitrary<Long> startOffsetMillis = Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.longs().between(-90L * 86_400_000, 90L * 86_400_000)),
                Tuple.of(1, Arbitraries.of(-1L, 0L, 1L)));
        Arbitrary<Boolean> startKnown = Arbitraries.frequencyOf(Tuple.of(9, Arbitraries.just(true)),
                Tuple.of(1, Arbitraries.just(false)));
        Arbitrary<Instant> mark = Arbitraries.longs().between(-30L * 86_400, 0).map(NOW::plusSeconds);
        return Combinators.combine(volume, owner, state, startOffsetMillis, startKnown, mark)
                .as((v, o, s, off, known, m) -> new Case(m, new SnapshotEvidence.Facts("snap-1", v, o, s,
                        known ? m.plusMillis(off) : null)));
    }

    private static boolean ofThisVolumeAccountAndAfterTheMark(Case c) {
        SnapshotEvidence.Facts f = c.facts();
        return VOLUME.equals(f.volumeId()) && ACCOUNT.equals(f.ownerId()) && f.startTime() != null
                && !f.startTime().isBefore(c.markSetAt());
    }

    @Property(tries = 3000)
    void onlyACompletedSnapshotOfThisVolumeAndAccountStartedAfterTheMarkIsAccepted(@ForAll("cases") Case c) {
        SnapshotEvidence.Verdict v = SnapshotEvidence.judge(VOLUME, ACCOUNT, c.markSetAt(), c.facts());
        boolean rule = ofThisVolumeAccountAndAfterTheMark(c) && "completed".equals(c.facts().state());
        // never deleted on another volume's, another account's, an unfinished or an older snapshot ...
        if (v.accepted()) {
            assertThat(c.facts().volumeId()).isEqualTo(VOLUME);
            assertThat(c.facts().ownerId()).isEqualTo(ACCOUNT);
            assertThat(c.facts().state()).isEqualTo("completed");
            assertThat(c.facts().startTime()).isAfterOrEqualTo(c.markSetAt());
        }
        // ... and everything that satisfies the rule is accepted
        assertThat(v.accepted()).as("%s -> %s", c, v).isEqualTo(rule);
    }

    @Property(tries = 3000)
    void onlyASnapshotThatWillBeEvidenceOnceCompletedIsWaitedFor(@ForAll("cases") Case c) {
        SnapshotEvidence.Verdict v = SnapshotEvidence.judge(VOLUME, ACCOUNT, c.markSetAt(), c.facts());
        assertThat(v.kind() == SnapshotEvidence.Kind.IN_PROGRESS).as("%s -> %s", c, v)
                .isEqualTo(ofThisVolumeAccountAndAfterTheMark(c) && "pending".equals(c.facts().state()));
    }

    @Test
    void theReasonSaysWhyASnapshotIsNoEvidence() {
        Instant mark = NOW.minus(Duration.ofHours(25));
        assertThat(SnapshotEvidence.judge(VOLUME, ACCOUNT, mark, new SnapshotEvidence.Facts("snap-x", "vol-2",
                ACCOUNT, "completed", NOW)).reason()).isEqualTo("snapshot snap-x is not of this volume (it is of "
                + "vol-2)");
        assertThat(SnapshotEvidence.judge(VOLUME, ACCOUNT, mark, new SnapshotEvidence.Facts("snap-x", VOLUME,
                ACCOUNT, "completed", mark.minusSeconds(1))).reason()).isEqualTo("snapshot snap-x started before "
                + "the mark (started 2026-11-24T17:59:59Z, marked 2026-11-24T18:00:00Z)");
        assertThat(SnapshotEvidence.judge(VOLUME, ACCOUNT, mark, new SnapshotEvidence.Facts("snap-x", VOLUME,
                "210987654321", "completed", NOW)).reason()).isEqualTo("snapshot snap-x is not this account's (it "
                + "is owned by 210987654321)");
        assertThat(SnapshotEvidence.judge(VOLUME, ACCOUNT, mark, SnapshotEvidence.Facts.notFound("snap-x")))
                .isEqualTo(new SnapshotEvidence.Verdict(SnapshotEvidence.Kind.REJECTED,
                        "snapshot snap-x was not found"));
        assertThat(SnapshotEvidence.judge(VOLUME, ACCOUNT, mark, new SnapshotEvidence.Facts("snap-x", VOLUME,
                ACCOUNT, "error", NOW)).kind()).isEqualTo(SnapshotEvidence.Kind.REJECTED);
    }

    // ---- when the mark was set ----

    @Property(tries = 2000)
    void aGenuineMarkIsReadAsTheSweepThatWroteIt(@ForAll @IntRange(min = 0, max = 60 * 24 * 30) int minutesAgo,
                                                 @ForAll @IntRange(min = 1, max = 60 * 24 * 14) int olderThanMinutes) {
        Instant t = NOW.minus(Duration.ofMinutes(minutesAgo));
        Duration g = Duration.ofMinutes(olderThanMinutes);
        assertThat(SnapshotEvidence.markSetAt(t.plus(g), g, t, NOW)).isEqualTo(t);
    }

    /** One of the two tags is genuine (written by the sweep that marked at T), the other is anything at all. */
    @Property(tries = 3000)
    void oneStaleOrForgedTagNeverMakesTheMarkEarlier(@ForAll @IntRange(min = 0, max = 60 * 24 * 30) int minutesAgo,
                                                     @ForAll @IntRange(min = 1, max = 60 * 24 * 14) int markedWith,
                                                     @ForAll @IntRange(min = 1, max = 60 * 24 * 14) int olderThanNow,
                                                     @ForAll @IntRange(min = -60 * 24 * 400, max = 60 * 24 * 400)
                                                     int forgedMinutes,
                                                     @ForAll boolean forgeTheDue, @ForAll boolean dropTheOther) {
        Instant t = NOW.minus(Duration.ofMinutes(minutesAgo));
        Instant forged = NOW.plus(Duration.ofMinutes(forgedMinutes));
        Duration g = Duration.ofMinutes(olderThanNow); // the policy's older-than may have changed since the mark
        Instant due = forgeTheDue ? forged : t.plus(Duration.ofMinutes(markedWith));
        Instant since = forgeTheDue ? t : (dropTheOther ? null : forged);
        if (!forgeTheDue && olderThanNow > markedWith) {
            // only unattached-since can say T once older-than has been raised since the mark: leave it genuine
            since = t;
        }
        Instant setAt = SnapshotEvidence.markSetAt(due, g, since, NOW);
        assertThat(setAt).isAfterOrEqualTo(t).isBeforeOrEqualTo(NOW);
        // so a snapshot that counts as evidence was started after the real mark
        SnapshotEvidence.Facts old = new SnapshotEvidence.Facts("snap-old", VOLUME, ACCOUNT, "completed",
                t.minusMillis(1));
        assertThat(SnapshotEvidence.judge(VOLUME, ACCOUNT, setAt, old).accepted()).isFalse();
    }

    @Test
    void aTagDatedInTheFutureStillLetsThisSweepsOwnSnapshotCount() {
        Instant setAt = SnapshotEvidence.markSetAt(NOW.minus(Duration.ofHours(1)), Duration.ofHours(24),
                Instant.parse("2099-01-01T00:00:00Z"), NOW);
        assertThat(setAt).isEqualTo(NOW);
        assertThat(SnapshotEvidence.judge(VOLUME, ACCOUNT, setAt, new SnapshotEvidence.Facts("snap-new", VOLUME,
                ACCOUNT, "completed", NOW.plusSeconds(2))).accepted()).isTrue();
        assertThat(SnapshotEvidence.markSetAt(null, Duration.ZERO, null, NOW)).isEqualTo(NOW);
    }

    // ---- the planner's side: the unmark drops the pointer, a due act carries its mark time ----

    static final Policy POLICY = PolicyLoader.load("""
            accounts: ["123456789012"]
            rules:
              ebs-unattached: {older-than: 24h}
            """, "test");

    private static Decision plan(EbsVolume v, Policy p) {
        List<Decision> all = Planner.plan(new Inventory(List.of(), Map.of(), List.of(v), List.of(), List.of(),
                List.of()), p, NOW).decisions();
        assertThat(all).hasSize(1);
        return all.get(0);
    }

    private static EbsVolume volume(String attachedTo, Map<String, String> tags) {
        return new EbsVolume(VOLUME, "eu-west-1", "eu-west-1a", "gp3", 8, attachedTo == null ? "available" : "in-use",
                attachedTo, NOW.minus(Duration.ofDays(3)), null, tags);
    }

    private static Map<String, String> marked(Instant t, Duration g, String pointer) {
        Map<String, String> tags = new LinkedHashMap<>();
        tags.put(Mark.TAG, new Mark(Action.SNAPSHOT_THEN_DELETE, t.plus(g)).value());
        tags.put(VolumeRules.UNATTACHED_SINCE, t.toString());
        if (pointer != null) {
            tags.put(SnapshotEvidence.POINTER_TAG, pointer);
        }
        return tags;
    }

    @Test
    void attachedAgainRemovesTheMarkAndTheSnapshotPointer() {
        Decision d = plan(volume("i-1", marked(NOW.minus(Duration.ofHours(30)), Duration.ofHours(24), "snap-old")),
                POLICY);
        assertThat(d.action()).isEqualTo(Action.UNMARK);
        assertThat(d.removeTags()).containsExactlyInAnyOrder(Mark.TAG, VolumeRules.UNATTACHED_SINCE,
                SnapshotEvidence.POINTER_TAG);
    }

    @Test
    void aDueSnapshotThenDeleteCarriesTheTimeItsMarkWasSet() {
        Instant t = NOW.minus(Duration.ofHours(30));
        Decision d = plan(volume(null, marked(t, Duration.ofHours(24), "snap-1")), POLICY);
        assertThat(d.action()).isEqualTo(Action.SNAPSHOT_THEN_DELETE);
        assertThat(d.findings().get(0).evidence()).containsEntry(SnapshotEvidence.MARK_SET_AT, t.toString());

        // older-than raised to 48h since: due - older-than says t - 24h, unattached-since still says t
        Policy raised = PolicyLoader.load("""
                accounts: ["123456789012"]
                rules:
                  ebs-unattached: {older-than: 48h}
                """, "test");
        Decision d2 = plan(volume(null, marked(t, Duration.ofHours(24), null)), raised);
        assertThat(d2.action()).isEqualTo(Action.SNAPSHOT_THEN_DELETE);
        assertThat(d2.findings().get(0).evidence()).containsEntry(SnapshotEvidence.MARK_SET_AT, t.toString());
        // a hand-written, earlier unattached-since: the due time still says when the mark was set
        Instant t2 = NOW.minus(Duration.ofHours(50));
        Map<String, String> stale = marked(t2, Duration.ofHours(48), null);
        stale.put(VolumeRules.UNATTACHED_SINCE, "2020-01-01T00:00:00Z");
        assertThat(plan(volume(null, stale), raised).findings().get(0).evidence())
                .containsEntry(SnapshotEvidence.MARK_SET_AT, t2.toString());
    }

    @Property(tries = 1000)
    void everySnapshotThenDeleteCarriesAMarkTimeNoTagCanPullBelowTheOther(
            @ForAll @IntRange(min = -72, max = 72) int dueHoursFromNow,
            @ForAll @IntRange(min = -24 * 400, max = 72) int sinceHoursFromNow, @ForAll boolean withSince,
            @ForAll @IntRange(min = 1, max = 96) int olderThanHours) {
        Policy p = PolicyLoader.load("""
                accounts: ["123456789012"]
                rules:
                  ebs-unattached: {older-than: %dh}
                """.formatted(olderThanHours), "test");
        Instant due = NOW.plus(Duration.ofHours(dueHoursFromNow));
        Instant since = NOW.plus(Duration.ofHours(sinceHoursFromNow));
        Map<String, String> tags = new LinkedHashMap<>();
        tags.put(Mark.TAG, new Mark(Action.SNAPSHOT_THEN_DELETE, due).value());
        if (withSince) {
            tags.put(VolumeRules.UNATTACHED_SINCE, since.toString());
        }
        Decision d = plan(volume(null, tags), p);
        if (due.isAfter(NOW)) {
            assertThat(d.destructive()).isFalse();
            return;
        }
        assertThat(d.action()).isEqualTo(Action.SNAPSHOT_THEN_DELETE);
        Instant setAt = Instant.parse(d.findings().get(0).evidence().get(SnapshotEvidence.MARK_SET_AT));
        assertThat(setAt).isBeforeOrEqualTo(NOW);
        Instant byDue = due.minus(Duration.ofHours(olderThanHours));
        assertThat(setAt).isAfterOrEqualTo(byDue.isAfter(NOW) ? NOW : byDue);
        if (withSince) {
            assertThat(setAt).isAfterOrEqualTo(since.isAfter(NOW) ? NOW : since);
        }
    }

    @Test
    void aMarkOrAnUnmarkCarriesNoMarkTime() {
        assertThat(plan(volume(null, Map.of()), POLICY).findings().get(0).evidence())
                .doesNotContainKey(SnapshotEvidence.MARK_SET_AT);
    }
}
