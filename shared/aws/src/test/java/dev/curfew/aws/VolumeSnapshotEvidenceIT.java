package dev.curfew.aws;

import static dev.curfew.aws.testing.Seed.tags;
import static dev.curfew.aws.testing.Sweeps.row;
import static org.assertj.core.api.Assertions.assertThat;

import dev.curfew.aws.testing.MotoTest;
import dev.curfew.aws.testing.Sweeps;
import dev.curfew.core.policy.PolicyLoader;
import dev.curfew.core.report.SweepReport;
import dev.curfew.core.sweep.SweepEngine;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ec2.model.Snapshot;
import software.amazon.awssdk.services.ec2.model.Tag;

/**
 * A volume is deleted only after a completed snapshot of that volume, started after its current mark: the
 * {@code curfew:snapshot-id} tag only points at a candidate. Against the moto server.
 *
 * <p>Moto sets a snapshot's StartTime from the real clock and completes it at once, while the sweeps here get a
 * fixed clock. So a marking sweep runs at (or just before) the real now, and only the due sweep is moved ahead; and
 * the state a snapshot still in progress leaves behind (the pointer tag) is written by the test.
 */
@org.junit.jupiter.api.Tag("kind:ebs-volume")
class VolumeSnapshotEvidenceIT extends MotoTest {
    static final String POINTER = "curfew:snapshot-id";
    static final Duration PAST_DUE = Duration.ofHours(25);

    static final String RULES = "  ebs-unattached: {older-than: 24h}\n";

    private SweepReport sweep(Instant now, String mode) {
        return Sweeps.at(moto, now, Sweeps.policy(mode, RULES));
    }

    /** A marking time moto's real clock has already passed (its snapshots are dated by the real clock). */
    private static Instant markingTime() {
        return Instant.now().minus(Duration.ofMinutes(1)).truncatedTo(ChronoUnit.SECONDS);
    }

    /**
     * A marking time just after a snapshot started (moto gives StartTime in whole seconds: the next second), once the
     * real clock has reached it, so that a snapshot moto starts from now on is dated at or after the mark.
     */
    private static Instant markAfter(Snapshot s) throws InterruptedException {
        Instant t = s.startTime().truncatedTo(ChronoUnit.SECONDS).plusSeconds(1);
        while (Instant.now().isBefore(t)) {
            Thread.sleep(50);
        }
        return t;
    }

    private String volume(Map<String, String> tags) {
        return seed.volume(EU, 8, tags);
    }

    private void pointAt(String volume, String snapshot) {
        ec2().createTags(b -> b.resources(volume).tags(Tag.builder().key(POINTER).value(snapshot).build()));
    }

    private Snapshot snapshotOf(String volume) {
        String id = ec2().createSnapshot(b -> b.volumeId(volume)).snapshotId();
        return ec2().describeSnapshots(b -> b.snapshotIds(id)).snapshots().get(0);
    }

    private List<Snapshot> snapshotsOf(String volume) {
        return ec2().describeSnapshots(b -> b.ownerIds("self")).snapshots().stream()
                .filter(s -> volume.equals(s.volumeId())).toList();
    }

    @Test
    void reattachedWhileItsSnapshotWasPendingTheNextMarkGetsASnapshotOfItsOwnBeforeTheVolumeGoes() throws Exception {
        String vol = volume(tags("curfew:owner", "alice"));
        String instance = seed.instance(EU, tags("curfew:owner", "alice"));
        Instant t0 = markingTime();

        assertThat(row(sweep(t0, "enforce"), vol).decision()).isEqualTo("mark");
        assertThat(seed.volumeTags(EU, vol)).containsEntry("curfew:pending", "snapshot-then-delete@" + t0.plus(
                Duration.ofHours(24))).containsEntry("curfew:unattached-since", t0.toString());
        // the due sweep started a snapshot that is still pending: it left the pointer on the volume
        Snapshot first = snapshotOf(vol);
        pointAt(vol, first.snapshotId());

        // the student attaches it again (and writes to it); a sweep sees it attached
        ec2().attachVolume(b -> b.volumeId(vol).instanceId(instance).device("/dev/sdf"));
        SweepReport attached = sweep(t0.plus(PAST_DUE), "enforce");
        assertThat(row(attached, vol).decision()).isEqualTo("unmark");
        assertThat(seed.volumeTags(EU, vol)).doesNotContainKeys("curfew:pending", "curfew:unattached-since", POINTER);

        // detached again: a new mark (after the first snapshot started), and when it is due, a new snapshot
        ec2().detachVolume(b -> b.volumeId(vol).instanceId(instance)); // moto needs the instance
        Instant t2 = markAfter(first);
        assertThat(row(sweep(t2, "enforce"), vol).decision()).isEqualTo("mark");
        SweepReport due = sweep(t2.plus(PAST_DUE), "enforce");

        assertThat(seed.volumeExists(EU, vol)).isFalse();
        List<Snapshot> all = snapshotsOf(vol);
        assertThat(all).hasSize(2);
        Snapshot second = all.stream().filter(s -> !s.snapshotId().equals(first.snapshotId())).findFirst()
                .orElseThrow();
        assertThat(second.startTime()).isAfterOrEqualTo(t2);
        SweepReport.Row r = row(due, vol);
        assertThat(r.decision() + "|" + r.outcome()).isEqualTo("snapshot-then-delete|done");
        assertThat(r.detail()).startsWith("snapshot " + second.snapshotId() + " made, volume deleted");
    }

    @Test
    void aPointerToASnapshotStartedBeforeTheMarkIsRejectedAndANewSnapshotTaken() throws Exception {
        String vol = volume(tags("curfew:owner", "bob"));
        // an older snapshot of the same volume: one from before an earlier re-attach, or the student's own
        Snapshot old = snapshotOf(vol);
        Instant t = markAfter(old);
        assertThat(row(sweep(t, "enforce"), vol).decision()).isEqualTo("mark");
        pointAt(vol, old.snapshotId()); // left over, or written by hand after the mark

        SweepReport dry = sweep(t.plus(PAST_DUE), "dry-run");
        assertThat(row(dry, vol).outcome()).isEqualTo("would");
        assertThat(seed.volumeExists(EU, vol)).isTrue();
        assertThat(snapshotsOf(vol)).hasSize(1);

        SweepReport due = sweep(t.plus(PAST_DUE), "enforce");

        List<Snapshot> all = snapshotsOf(vol);
        assertThat(all).as("a new snapshot of the volume, started after the mark").hasSize(2);
        Snapshot fresh = all.stream().filter(s -> !s.snapshotId().equals(old.snapshotId())).findFirst()
                .orElseThrow();
        assertThat(fresh.startTime()).isAfterOrEqualTo(t);
        assertThat(row(due, vol).detail()).startsWith("snapshot " + old.snapshotId() + " started before the mark")
                .contains(": a new snapshot is taken; snapshot " + fresh.snapshotId() + " made, volume deleted");
        assertThat(seed.volumeExists(EU, vol)).isFalse();
    }

    @Test
    void aForgedPointerToAnotherVolumesSnapshotDoesNotGetTheVolumeDeletedWithoutItsOwnSnapshot() {
        String other = volume(tags("curfew:owner", "carol"));
        Snapshot othersSnapshot = snapshotOf(other);
        String carols = seed.instance(EU, tags("curfew:owner", "carol"));
        ec2().attachVolume(b -> b.volumeId(other).instanceId(carols).device("/dev/sdf")); // in use: not Curfew's
        String vol = volume(tags("curfew:owner", "dave"));
        Instant t0 = markingTime();
        sweep(t0, "enforce");
        pointAt(vol, othersSnapshot.snapshotId()); // completed, but of another volume

        SweepReport due = sweep(t0.plus(PAST_DUE), "enforce");

        List<Snapshot> own = snapshotsOf(vol);
        assertThat(own).as("Curfew's own snapshot of the volume").hasSize(1);
        Map<String, String> ownTags = own.get(0).tags().stream().collect(Collectors.toMap(Tag::key, Tag::value));
        assertThat(ownTags).containsEntry("curfew:volume-id", vol).containsEntry("curfew:owner", "dave");
        assertThat(row(due, vol).detail()).isEqualTo("snapshot " + othersSnapshot.snapshotId() + " is not of this "
                + "volume (it is of " + other + "): a new snapshot is taken; snapshot " + own.get(0).snapshotId()
                + " made, volume deleted; restore with: aws ec2 create-volume --region eu-west-1 "
                + "--availability-zone eu-west-1a --volume-type gp3 --snapshot-id " + own.get(0).snapshotId());
        assertThat(seed.volumeExists(EU, vol)).isFalse();
        // the other volume and its snapshot are untouched
        assertThat(seed.volumeExists(EU, other)).isTrue();
        assertThat(snapshotsOf(other)).extracting(Snapshot::snapshotId).containsExactly(othersSnapshot.snapshotId());
    }

    @Test
    void aPointerToThisVolumesSnapshotStartedAfterTheMarkIsUsedWithoutANewOne() {
        String vol = volume(tags("curfew:owner", "erin"));
        Instant t0 = markingTime();
        sweep(t0, "enforce");
        // the snapshot a due sweep started, completed by the next one
        Snapshot pending = snapshotOf(vol);
        pointAt(vol, pending.snapshotId());

        SweepReport due = sweep(t0.plus(PAST_DUE), "enforce");

        assertThat(seed.volumeExists(EU, vol)).isFalse();
        assertThat(snapshotsOf(vol)).extracting(Snapshot::snapshotId).containsExactly(pending.snapshotId());
        assertThat(row(due, vol).detail()).startsWith("snapshot " + pending.snapshotId() + " (of this volume, "
                + "started ").contains("after the mark) has completed: volume deleted; restore with: ");
        assertThat(due.calls()).doesNotContainKey("ec2:CreateSnapshot");
    }

    /** The restore snapshot carries the owner under the policy's owner tag, so the policy's own rules find it. */
    @Test
    void restoreSnapshotIsOwnedUnderThePolicysOwnerTag() {
        String vol = volume(tags("team", "alice"));
        String policy = Sweeps.policy("enforce", RULES).replace("rules:", "owner-tag: team\nrules:")
                .replace("{older-than: 24h}", "{older-than: 0h}");
        try (AwsClients c = new AwsClients(moto.settings(EU))) {
            Clock clock = Clock.fixed(markingTime(), ZoneOffset.UTC);
            new SweepEngine(new AwsCloud(c, clock), clock, 2, null).run(PolicyLoader.load(policy, "test"));
        }
        List<Snapshot> snaps = ec2().describeSnapshots(b -> b.ownerIds("self")).snapshots().stream()
                .filter(x -> vol.equals(x.volumeId())).toList();
        assertThat(snaps).hasSize(1);
        Map<String, String> t = snaps.get(0).tags().stream().collect(Collectors.toMap(Tag::key, Tag::value));
        assertThat(t).containsEntry("team", "alice").containsEntry("curfew:volume-id", vol)
                .doesNotContainKey("curfew:owner");
    }
}
