package dev.curfew.core.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.curfew.core.model.EbsVolume;
import dev.curfew.core.model.ElasticIp;
import dev.curfew.core.model.Inventory;
import dev.curfew.core.model.Resource;
import dev.curfew.core.model.ResourceKind;
import dev.curfew.core.model.S3Bucket;
import dev.curfew.core.model.SpotRequest;
import dev.curfew.core.model.SpotRequestType;
import dev.curfew.core.policy.Policy;
import dev.curfew.core.policy.PolicyLoader;
import java.time.Instant;
import java.util.ArrayList;
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

/**
 * Properties of the plan for volumes, buckets, Elastic IPs and spot requests, over random leftovers and random
 * policies: exemptions always win, special buckets are never touched, nothing destructive happens without a due
 * mark (when the rule has a grace period), and a volume is never deleted without a snapshot when the policy says
 * snapshot.
 */
class LeftoverPropertiesTest {
    static final Instant NOW = Instant.parse("2026-11-25T19:00:00Z");

    record World(Policy policy, Inventory inventory, String volumeAction, String bucketAction) {
    }

    @Provide
    Arbitrary<World> worlds() {
        Arbitrary<String> volumeAction = Arbitraries.of("notify", "snapshot-then-delete", "delete");
        Arbitrary<String> bucketAction = Arbitraries.of("notify", "empty");
        Arbitrary<Integer> graceHours = Arbitraries.of(0, 1, 24, 48);
        Arbitrary<Boolean> deleteBucket = Arbitraries.of(true, false);
        Arbitrary<Integer> limit = Arbitraries.frequencyOf(Tuple.of(1, Arbitraries.integers().between(0, 3)),
                Tuple.of(3, Arbitraries.just(1000)));
        Arbitrary<Policy> policies = Combinators.combine(volumeAction, bucketAction, graceHours, graceHours,
                deleteBucket, limit).as((va, ba, vg, bg, del, lim) -> PolicyLoader.load("""
                accounts: ["123456789012"]
                exemptions: {allow-list: [allowed, {match: until-yesterday, until: 2026-11-24}], stacks: [curfew]}
                limits: {max-destructive-actions: %d}
                rules:
                  ebs-unattached: {older-than: %dh, action: %s}
                  s3-not-empty: {grace: %dh, action: %s, delete-bucket: %s, name-prefixes: [lab-]}
                  eip-unassociated: {grace: %dh}
                """.formatted(lim, Math.max(vg, 1), va, Math.max(bg, 1), ba, del, vg), "property"));
        Arbitrary<List<EbsVolume>> volumes = volume().list().ofMaxSize(6);
        Arbitrary<List<S3Bucket>> buckets = bucket().list().ofMaxSize(6);
        Arbitrary<List<ElasticIp>> eips = eip().list().ofMaxSize(4);
        Arbitrary<List<SpotRequest>> spots = spot().list().ofMaxSize(4);
        return Combinators.combine(policies, volumes, buckets, eips, spots).as((p, v, b, a, s) -> new World(p,
                new Inventory(List.of(), Map.of(), dedupe(v), dedupe(a), dedupe(s), dedupe(b)),
                p.leftovers().rule(ResourceKind.EBS_VOLUME).action().wireName(), p.leftovers().rule(ResourceKind.S3_BUCKET).action().wireName()));
    }

    private static <R extends Resource> List<R> dedupe(List<R> in) {
        Map<String, R> m = new LinkedHashMap<>();
        in.forEach(r -> m.putIfAbsent(r.id(), r));
        return new ArrayList<>(m.values());
    }

    /** Tags a resource may carry: owner, keep in date, keep past, malformed keep, allow-listed name, stack, marks. */
    private Arbitrary<Map<String, String>> tags() {
        Arbitrary<String> keep = Arbitraries.of("none", "2026-11-30", "2026-11-20", "yes", "2099-01-01");
        Arbitrary<String> name = Arbitraries.of("none", "allowed", "until-yesterday", "lab-box");
        Arbitrary<String> stack = Arbitraries.of("none", "curfew", "other");
        Arbitrary<String> mark = Arbitraries.of("none", "snapshot-then-delete@2026-11-25T18:00:00Z",
                "snapshot-then-delete@2026-11-26T18:00:00Z", "delete@2026-11-24T00:00:00Z",
                "empty@2026-11-25T00:00:00Z", "release@2026-11-25T00:00:00Z", "garbage");
        Arbitrary<Boolean> owner = Arbitraries.of(true, false);
        return Combinators.combine(keep, name, stack, mark, owner).as((k, n, s, m, o) -> {
            Map<String, String> t = new LinkedHashMap<>();
            if (!k.equals("none")) t.put("curfew:keep", k);
            if (!n.equals("none")) t.put("Name", n);
            if (!s.equals("none")) t.put("aws:cloudformation:stack-name", s);
            if (!m.equals("none")) t.put(Mark.TAG, m);
            if (o) t.put("curfew:owner", "student");
            return t;
        });
    }

    private Arbitrary<EbsVolume> volume() {
        return Combinators.combine(Arbitraries.integers().between(1, 50), Arbitraries.of(true, false), tags(),
                        Arbitraries.of("gp2", "gp3", "io1", "mystery"))
                .as((n, attached, t, type) -> new EbsVolume("vol-" + n, "eu-west-1", "eu-west-1a", type, 8,
                        attached ? "in-use" : "available", attached ? "i-1" : null, NOW, null, t));
    }

    private Arbitrary<S3Bucket> bucket() {
        return Combinators.combine(Arbitraries.of("lab-a", "lab-b", "data-c", "logs-d", "lab-e"),
                        Arbitraries.of(Boolean.TRUE, Boolean.FALSE, null), Arbitraries.of(true, false), tags(),
                        Arbitraries.of("none", "the SAM deployment bucket", "the access-log target of x"))
                .as((name, empty, versioned, t, special) -> new S3Bucket(name, "eu-west-1", NOW, empty, versioned,
                        special.equals("none") ? null : special, t));
    }

    private Arbitrary<ElasticIp> eip() {
        return Combinators.combine(Arbitraries.integers().between(1, 20), Arbitraries.of(true, false), tags())
                .as((n, assoc, t) -> new ElasticIp("eipalloc-" + n, "eu-west-1", "203.0.113." + n,
                        assoc ? "eipassoc-" + n : null, assoc ? "i-" + n : null, t));
    }

    private Arbitrary<SpotRequest> spot() {
        return Combinators.combine(Arbitraries.integers().between(1, 20), Arbitraries.of(SpotRequestType.values()),
                        Arbitraries.of("open", "active", "cancelled", "closed"), Arbitraries.of(true, false), tags())
                .as((n, type, state, hasInstance, t) -> new SpotRequest("sir-" + n, "eu-west-1", type, state,
                        hasInstance ? "i-gone" + n : null, "t3.micro", NOW, t));
    }

    private static boolean exempt(Resource r) {
        Map<String, String> t = r.tags();
        return "allowed".equals(r.name()) || "curfew".equals(t.get("aws:cloudformation:stack-name"))
                || "2026-11-30".equals(t.get("curfew:keep")) || "2099-01-01".equals(t.get("curfew:keep"));
    }

    @Property(tries = 500)
    void exemptOrSpecialResourcesAreNeverChanged(@ForAll("worlds") World w) {
        Plan plan = Planner.plan(w.inventory(), w.policy(), NOW);
        for (Decision d : plan.decisions()) {
            Resource r = d.resource();
            if (exempt(r)) {
                // the only change allowed is removing Curfew's own earlier mark
                // (and recording the keep cap the first time a far-reaching keep tag is seen)
                assertThat(d.destructive() || d.action() == Action.MARK && !PlannerPropertiesTest.keepCapRecord(d))
                        .as("%s %s: %s", r.id(), d.action(), d.reason()).isFalse();
            }
            if ("yes".equals(r.tags().get("curfew:keep"))) {
                assertThat(d.destructive()).as("malformed keep on %s: %s", r.id(), d.reason()).isFalse();
            }
            if (r instanceof S3Bucket b && b.special() != null) {
                assertThat(d.action()).isEqualTo(Action.SKIP);
                assertThat(d.reason()).startsWith("never touched");
            }
        }
    }

    @Property(tries = 500)
    void nothingDestructiveWithoutADueMarkOfTheSameAction(@ForAll("worlds") World w) {
        Plan plan = Planner.plan(w.inventory(), w.policy(), NOW);
        for (Decision d : plan.decisions()) {
            if (!d.destructive() || d.resource() instanceof SpotRequest) {
                continue;
            }
            boolean graceZero = d.resource() instanceof ElasticIp
                    && w.policy().leftovers().addresses().grace().isZero();
            if (graceZero) {
                continue;
            }
            Mark m = Mark.parse(d.resource().tags().get(Mark.TAG));
            assertThat(m).as("%s acted on without a mark", d.resource().id()).isNotNull();
            assertThat(m.action()).isEqualTo(d.action());
            assertThat(m.due()).isBeforeOrEqualTo(NOW);
        }
    }

    @Property(tries = 500)
    void aVolumeIsNeverDeletedWithoutItsSnapshotWhenThePolicySaysSnapshot(@ForAll("worlds") World w) {
        Plan plan = Planner.plan(w.inventory(), w.policy(), NOW);
        for (Decision d : plan.decisions()) {
            if (d.resource() instanceof EbsVolume && !w.volumeAction().equals("delete")) {
                assertThat(d.action()).isNotEqualTo(Action.DELETE);
            }
            if (d.resource() instanceof EbsVolume v && v.attached()) {
                assertThat(d.destructive()).isFalse();
            }
        }
    }

    @Property(tries = 500)
    void marksAreWrittenWithTheirDueTimeAndUnmarksOnlyRemoveWhatIsThere(@ForAll("worlds") World w) {
        Plan plan = Planner.plan(w.inventory(), w.policy(), NOW);
        for (Decision d : plan.decisions()) {
            if (d.action() == Action.MARK && !PlannerPropertiesTest.keepCapRecord(d)) {
                Mark m = Mark.parse(d.setTags().get(Mark.TAG));
                assertThat(m).isNotNull();
                assertThat(m.due()).isAfter(NOW);
                assertThat(d.findings()).isNotEmpty();
            }
            if (d.action() == Action.UNMARK) {
                assertThat(d.removeTags()).isNotEmpty().allSatisfy(k -> assertThat(d.resource().tags()).containsKey(k));
            }
        }
    }

    @Property(tries = 500)
    void everyDestructiveDecisionCarriesTheRecordOfItsOwnActionAndNothingElseDoes(@ForAll("worlds") World w) {
        Plan plan = Planner.plan(w.inventory(), w.policy(), NOW);
        for (Decision d : plan.decisions()) {
            String record = d.setTags().get(ActionTag.TAG);
            if (d.destructive()) {
                // IAM allows the act only on a resource carrying <action>@..., written just before it
                assertThat(record).as("%s %s", d.action(), d.resource().id())
                        .isEqualTo(d.action().wireName() + "@" + NOW.truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
            } else {
                assertThat(record).as("%s %s", d.action(), d.resource().id()).isNull();
            }
        }
    }

    @Property(tries = 300)
    void theBreakerBoundsLeftoversToo(@ForAll("worlds") World w) {
        Plan plan = Planner.plan(w.inventory(), w.policy(), NOW);
        assertThat(plan.destructive().size()).isLessThanOrEqualTo(w.policy().maxDestructiveActions());
        assertThat(plan.decisions()).hasSize((int) (w.inventory().volumes().stream()
                .filter(v -> !v.attached() || v.tags().containsKey(Mark.TAG)).count()
                + w.inventory().buckets().size() + w.inventory().addresses().size()
                + w.inventory().spotRequests().size()));
    }
}
