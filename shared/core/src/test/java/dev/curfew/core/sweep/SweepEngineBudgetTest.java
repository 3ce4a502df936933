package dev.curfew.core.sweep;

import static dev.curfew.core.plan.InstanceBuilder.instance;
import static org.assertj.core.api.Assertions.assertThat;

import dev.curfew.core.model.Ec2Instance;
import dev.curfew.core.model.InstanceMetrics;
import dev.curfew.core.model.S3Bucket;
import dev.curfew.core.plan.Mark;
import dev.curfew.core.policy.Policy;
import dev.curfew.core.policy.PolicyLoader;
import dev.curfew.core.report.ReportText;
import dev.curfew.core.report.SweepReport;
import dev.curfew.core.testing.Ticker;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * The order of a sweep's actions (the main job before buckets), the time budget of emptying buckets, and the second
 * try at the end of the run, against {@link BudgetCloud}: a fixed sweep clock, and a deadline on a ticker that moves
 * only as the fake cloud "works", so that every run is the same.
 */
class SweepEngineBudgetTest {
    static final String ACCOUNT = "111122223333";
    static final Instant NOW = Instant.parse("2026-03-10T18:00:00Z");
    static final InstanceMetrics IDLE = new InstanceMetrics(1.0, 10.0, 10.0);
    static final Duration ROUND = Duration.ofMinutes(1);

    static Policy policy(String mode) {
        return SweepPolicies.policy("111122223333", mode, """
                regions: [eu-west-1, us-east-1]
                rules:
                  ec2-idle: {action: terminate}
                  s3-not-empty: {grace: 24h}
                """);
    }

    final Ec2Instance eu1 = instance("i-eu-1").region("eu-west-1").launched(NOW.minus(Duration.ofHours(5))).build();
    final Ec2Instance eu2 = instance("i-eu-2").region("eu-west-1").launched(NOW.minus(Duration.ofHours(5))).build();
    final Ec2Instance us1 = instance("i-us-1").region("us-east-1").launched(NOW.minus(Duration.ofHours(5))).build();
    final List<Ec2Instance> fleet = List.of(eu1, eu2, us1);
    final Map<String, InstanceMetrics> metrics = Map.of("i-eu-1", IDLE, "i-eu-2", IDLE, "i-us-1", IDLE);
    final Ticker ticker = new Ticker(Instant.parse("2030-01-01T00:00:00Z"));
    final List<String> progress = new CopyOnWriteArrayList<>();

    /** A student bucket, not empty, whose mark to empty it is due. */
    static S3Bucket due(String name, String region) {
        return new S3Bucket(name, region, NOW.minus(Duration.ofDays(3)), false, true, null, Map.of("curfew:owner",
                "alice", Mark.TAG, "empty@" + NOW.minus(Duration.ofHours(1))));
    }

    /** A student bucket seen for the first time: it is marked (a tag write, part of the main job). */
    static S3Bucket fresh(String name, String region) {
        return new S3Bucket(name, region, NOW.minus(Duration.ofDays(3)), false, false, null, Map.of("curfew:owner",
                "bob"));
    }

    BudgetCloud cloud(List<S3Bucket> buckets, Map<String, Integer> rounds) {
        return new BudgetCloud(ACCOUNT, List.of("eu-west-1", "us-east-1"), fleet, metrics, buckets, rounds, ticker,
                ROUND);
    }

    SweepReport run(BudgetCloud cloud, Policy p, Duration budget, int parallelism) {
        SweepEngine engine = new SweepEngine(cloud, Clock.fixed(NOW, ZoneOffset.UTC), parallelism, progress::add);
        return (budget == null ? engine : engine.withDeadline(Deadline.after(budget, ticker))).run(p);
    }

    static SweepReport.Row row(SweepReport r, String id) {
        return r.rows().stream().filter(x -> x.id().equals(id)).findFirst().orElseThrow();
    }

    static int lastSeq(BudgetCloud c, List<String> ids) {
        return ids.stream().flatMap(id -> c.callsOf(id).stream()).mapToInt(BudgetCloud.Call::seq).max().orElseThrow();
    }

    static int firstSeq(BudgetCloud c, List<String> ids) {
        return ids.stream().flatMap(id -> c.callsOf(id).stream()).mapToInt(BudgetCloud.Call::seq).min().orElseThrow();
    }

    @Test
    void everyOtherActionInEveryRegionComesBeforeAnyBucketIsEmptied() {
        BudgetCloud cloud = cloud(List.of(due("lab-eu", "eu-west-1"), due("lab-us", "us-east-1"),
                fresh("lab-new", "eu-west-1")), Map.of("lab-eu", 2, "lab-us", 1));

        SweepReport r = run(cloud, policy("enforce"), Duration.ofHours(1), 4);

        List<String> main = List.of("i-eu-1", "i-eu-2", "i-us-1", "lab-new");
        List<String> emptied = List.of("lab-eu", "lab-us");
        assertThat(lastSeq(cloud, main)).isLessThan(firstSeq(cloud, emptied));
        // each bucket in a call of its own, with the deadline; the main job without it
        emptied.forEach(b -> assertThat(cloud.callsOf(b)).singleElement().satisfies(c -> {
            assertThat(c.ids()).containsExactly(b);
            assertThat(c.withDeadline()).isTrue();
        }));
        main.forEach(id -> assertThat(cloud.callsOf(id)).singleElement()
                .satisfies(c -> assertThat(c.withDeadline()).isFalse()));
        assertThat(row(r, "lab-new").decision()).isEqualTo("mark");
        assertThat(r.rows()).allSatisfy(x -> assertThat(x.outcome()).isIn("done", "none"));
        assertThat(row(r, "lab-eu").outcome()).isEqualTo("done");
    }

    @Test
    void whenTheBudgetRunsOutABucketIsLeftPartlyEmptiedAndTheNextOneIsNotStarted() {
        // one at a time, in name order: lab-a needs 5 rounds of a minute, the budget is 3 minutes
        BudgetCloud cloud = cloud(List.of(due("lab-a", "eu-west-1"), due("lab-b", "eu-west-1")),
                Map.of("lab-a", 5, "lab-b", 3));

        SweepReport r = run(cloud, policy("enforce"), Duration.ofMinutes(3), 1);

        assertThat(fleet).allSatisfy(i -> assertThat(row(r, i.id()).outcome()).isEqualTo("done"));
        assertThat(row(r, "lab-a").outcome()).isEqualTo("partial");
        assertThat(row(r, "lab-a").detail()).isEqualTo("3 rounds deleted; the rest continues on the next run");
        assertThat(row(r, "lab-b").outcome()).isEqualTo("deferred");
        assertThat(row(r, "lab-b").detail()).isEqualTo("not started: time budget used up; it is done on the next run");
        assertThat(cloud.callsOf("lab-b")).isEmpty();
        assertThat(cloud.roundsLeft).containsEntry("lab-a", 2).containsEntry("lab-b", 3);
        assertThat(r.anyFailed()).isFalse();
        assertThat(r.outcomeCounts()).containsEntry("partial", 1L).containsEntry("deferred", 1L)
                .doesNotContainKey("failed");
        assertThat(ReportText.render(r)).contains("empty - PARTLY DONE").contains("empty - NOT STARTED")
                .contains("| not started: time budget used up");
        assertThat(progress).contains("time budget used up: 1 bucket partly emptied, 1 not started; the next run "
                + "continues");

        // the next run, with a new budget, carries on where this one stopped
        SweepReport next = run(cloud, policy("enforce"), Duration.ofMinutes(3), 1);
        assertThat(row(next, "lab-a").outcome()).isEqualTo("done");
        assertThat(row(next, "lab-b").outcome()).isEqualTo("partial");
        assertThat(cloud.roundsLeft).containsEntry("lab-a", 0).containsEntry("lab-b", 2);
    }

    @Test
    void aBudgetUsedUpBeforeTheRunStillStopsEveryInstanceAndReportsEveryBucketNotStarted() {
        BudgetCloud cloud = cloud(List.of(due("lab-a", "eu-west-1"), due("lab-b", "us-east-1"),
                fresh("lab-new", "us-east-1")), Map.of("lab-a", 1, "lab-b", 1));

        SweepReport r = run(cloud, policy("enforce"), Duration.ZERO, 2);

        assertThat(fleet).allSatisfy(i -> assertThat(row(r, i.id()).outcome()).isEqualTo("done"));
        assertThat(row(r, "lab-new").outcome()).isEqualTo("done");
        assertThat(row(r, "lab-a").outcome()).isEqualTo("deferred");
        assertThat(row(r, "lab-b").outcome()).isEqualTo("deferred");
        assertThat(cloud.callsOf("lab-a")).isEmpty();
        assertThat(cloud.callsOf("lab-b")).isEmpty();
        assertThat(r.anyFailed()).isFalse();
    }

    @Test
    void whatFailedForAPassingReasonIsTriedOnceMoreAfterEverythingElseAndARefusalNever() {
        BudgetCloud cloud = cloud(List.of(due("lab-a", "eu-west-1"), due("lab-b", "us-east-1")),
                Map.of("lab-a", 1, "lab-b", 1))
                .answer("i-eu-1", true, Outcome.Status.FAILED)                         // throttled, then done
                .answer("i-eu-2", false, Outcome.Status.FAILED)                        // protected: never again
                .answer("i-us-1", true, Outcome.Status.FAILED, Outcome.Status.FAILED)  // throttled twice
                .answer("lab-a", true, Outcome.Status.FAILED);                         // throttled, then emptied

        SweepReport r = run(cloud, policy("enforce"), Duration.ofHours(1), 2);

        assertThat(cloud.callsOf("i-eu-1")).hasSize(2);
        assertThat(cloud.callsOf("i-eu-2")).hasSize(1);
        assertThat(cloud.callsOf("i-us-1")).hasSize(2);
        assertThat(cloud.callsOf("lab-a")).hasSize(2);
        assertThat(cloud.callsOf("lab-b")).hasSize(1);
        // the second tries come after every first try, buckets included
        int firstTriesEnd = List.of("i-eu-1", "i-eu-2", "i-us-1", "lab-a", "lab-b").stream()
                .mapToInt(id -> cloud.callsOf(id).get(0).seq()).max().orElseThrow();
        assertThat(List.of("i-eu-1", "i-us-1", "lab-a")).allSatisfy(id ->
                assertThat(cloud.callsOf(id).get(1).seq()).isGreaterThan(firstTriesEnd));

        assertThat(row(r, "i-eu-1").outcome()).isEqualTo("done");
        assertThat(row(r, "i-eu-1").detail()).isEqualTo("terminate (on a second try at the end of the run; the "
                + "first failed: Throttling: Rate exceeded)");
        assertThat(row(r, "i-eu-2").outcome()).isEqualTo("failed");
        assertThat(row(r, "i-eu-2").detail()).isEqualTo("protected: OperationNotPermitted");
        assertThat(row(r, "i-us-1").outcome()).isEqualTo("failed");
        assertThat(row(r, "i-us-1").detail()).isEqualTo("still not done after a second try at the end of the run: "
                + "Throttling: Rate exceeded (first try: Throttling: Rate exceeded)");
        assertThat(row(r, "lab-a").outcome()).isEqualTo("done");
        assertThat(row(r, "lab-b").outcome()).isEqualTo("done");
        assertThat(r.anyFailed()).isTrue();
    }

    @Test
    void aFailedBucketIsNotTriedAgainOnceTheBudgetIsUsedUp() {
        // lab-a fails at once; lab-b then uses the whole budget
        BudgetCloud cloud = cloud(List.of(due("lab-a", "eu-west-1"), due("lab-b", "eu-west-1")),
                Map.of("lab-a", 1, "lab-b", 5))
                .answer("lab-a", true, Outcome.Status.FAILED)
                .answer("i-eu-1", true, Outcome.Status.FAILED);

        SweepReport r = run(cloud, policy("enforce"), Duration.ofMinutes(2), 1);

        assertThat(cloud.callsOf("lab-a")).hasSize(1);
        assertThat(row(r, "lab-a").outcome()).isEqualTo("failed");
        assertThat(row(r, "lab-a").detail()).isEqualTo("Throttling: Rate exceeded; not tried again: the time budget "
                + "was used up; it is done on the next run");
        assertThat(row(r, "lab-b").outcome()).isEqualTo("partial");
        // the main job is tried again whatever the time
        assertThat(cloud.callsOf("i-eu-1")).hasSize(2);
        assertThat(row(r, "i-eu-1").outcome()).isEqualTo("done");
    }

    @Test
    void dryRunAndATrippedBreakerApplyNothingWhateverTheBudget() {
        BudgetCloud cloud = cloud(List.of(due("lab-a", "eu-west-1")), Map.of("lab-a", 1))
                .answer("i-eu-1", true, Outcome.Status.FAILED);
        SweepReport dry = run(cloud, policy("dry-run"), Duration.ZERO, 2);
        assertThat(cloud.calls).isEmpty();
        assertThat(row(dry, "lab-a").outcome()).isEqualTo("would");

        Policy tight = PolicyLoader.load("""
                accounts: ["111122223333"]
                mode: enforce
                regions: [eu-west-1, us-east-1]
                limits: {max-destructive-actions: 2}
                rules:
                  ec2-idle: {action: terminate}
                  s3-not-empty: {grace: 24h}
                """, "budget-test");
        SweepReport tripped = run(cloud, tight, Duration.ofHours(1), 2);
        assertThat(tripped.breaker().tripped()).isTrue();
        assertThat(cloud.calls).isEmpty();
    }
}
