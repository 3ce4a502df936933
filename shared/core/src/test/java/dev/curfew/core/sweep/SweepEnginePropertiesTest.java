package dev.curfew.core.sweep;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.curfew.core.model.Ec2Instance;
import dev.curfew.core.plan.Action;
import dev.curfew.core.plan.Decision;
import dev.curfew.core.plan.Plan;
import dev.curfew.core.plan.Planner;
import dev.curfew.core.plan.Worlds;
import dev.curfew.core.plan.Worlds.World;
import dev.curfew.core.policy.Mode;
import dev.curfew.core.policy.Policy;
import dev.curfew.core.report.SweepReport;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.statistics.Statistics;

/**
 * Properties of one sweep, run by {@link SweepEngine} against {@link RecordingCloud} with a fixed clock: dry-run
 * changes nothing, enforce acts only on what the plan allows, the account guard, and failing regions.
 */
class SweepEnginePropertiesTest {

    private static final String FOREIGN_ACCOUNT = "999988887777";

    @Provide
    Arbitrary<World> worlds() {
        return Worlds.worlds();
    }

    @Provide
    Arbitrary<Set<String>> someRegionsFailing() {
        return Arbitraries.subsetOf(Worlds.REGIONS).ofMinSize(1).ofMaxSize(Worlds.REGIONS.size() - 1);
    }

    private static RecordingCloud cloud(World w, String account, Set<String> failing) {
        return new RecordingCloud(account, Worlds.REGIONS, w.instances(), w.metrics(), failing);
    }

    private static SweepReport sweep(RecordingCloud cloud, World w, Policy p, int parallelism) {
        return new SweepEngine(cloud, Clock.fixed(w.now(), ZoneOffset.UTC), parallelism, null).run(p);
    }

    private static Map<String, Ec2Instance> byId(World w) {
        return w.instances().stream().collect(Collectors.toMap(Ec2Instance::id, Function.identity()));
    }

    private static void protectionWasAskedOnlyForCandidatesOfTheirRegion(RecordingCloud cloud, World w) {
        Map<String, Ec2Instance> byId = byId(w);
        Set<String> regions = new HashSet<>();
        for (RecordingCloud.ProtectionCall c : cloud.protectionCalls) {
            assertThat(regions.add(c.region())).as("one protection call per region").isTrue();
            c.candidates().forEach((id, action) -> {
                assertThat(byId.get(id).region()).isEqualTo(c.region());
                assertThat(action).isIn(Action.STOP, Action.TERMINATE);
            });
        }
    }

    // (e) dry-run changes nothing

    @Property(tries = 500)
    void dryRunChangesNothing(@ForAll("worlds") World w, @ForAll boolean accountListed,
                              @ForAll @IntRange(min = 1, max = 4) int parallelism) {
        Policy p = w.policy().withMode(Mode.DRY_RUN);
        RecordingCloud cloud = cloud(w, accountListed ? Worlds.ACCOUNT : FOREIGN_ACCOUNT, Set.of());

        SweepReport report = sweep(cloud, w, p, parallelism);

        assertThat(cloud.applyCalls).as("dry-run never calls apply()").isEmpty();
        assertThat(report.mode()).isEqualTo("dry-run");
        assertThat(report.regionErrors()).isEmpty();
        assertThat(report.guard()).startsWith(accountListed ? "passed: " : "account " + FOREIGN_ACCOUNT
                + " is not listed");

        // the report shows the same plan the planner makes from the whole truth (protection included); a skip
        // may give another reason (the engine reads protection only for what it would stop or terminate)
        Plan expected = Planner.plan(w.inventory(), p, w.now());
        assertThat(report.rows()).hasSameSizeAs(expected.decisions());
        for (int k = 0; k < expected.decisions().size(); k++) {
            Decision want = expected.decisions().get(k);
            SweepReport.Row row = report.rows().get(k);
            assertThat(row.id()).isEqualTo(want.resource().id());
            assertThat(row.decision()).as("%s: %s", row.id(), row.reason()).isEqualTo(want.action().wireName());
            if (want.action() != Action.SKIP) {
                assertThat(row.reason()).isEqualTo(want.reason());
            }
        }
        assertThat(report.breaker()).isEqualTo(expected.breaker());
        for (SweepReport.Row row : report.rows()) {
            Action a = Action.fromWire(row.decision());
            boolean changes = a.destructive() || a == Action.MARK || a == Action.UNMARK;
            assertThat(row.outcome()).as(row.id()).isEqualTo(changes ? "would" : "none");
        }
        protectionWasAskedOnlyForCandidatesOfTheirRegion(cloud, w);
        Statistics.label("dry-run with something destructive planned")
                .collect(!expected.destructive().isEmpty());
        Statistics.label("dry-run with something destructive planned").coverage(c -> c.check(true).count(n -> n >= 30));
    }

    // (e) enforce acts on exactly the destructive decisions of the plan, never on exempt or protected instances

    @Property(tries = 500)
    void enforceAppliesOnlyDestructiveDecisionsOfNonExemptInstances(
            @ForAll("worlds") World w, @ForAll @IntRange(min = 1, max = 4) int parallelism) {
        Policy p = w.policy().withMode(Mode.ENFORCE);
        RecordingCloud cloud = cloud(w, Worlds.ACCOUNT, Set.of());

        SweepReport report = sweep(cloud, w, p, parallelism);

        Plan expected = Planner.plan(w.inventory(), p, w.now());
        // besides the destructive decisions, apply() gets only the keep-cap records (tag writes)
        List<Decision> applied = cloud.applied().stream()
                .filter(d -> !dev.curfew.core.plan.PlannerPropertiesTest.keepCapRecord(d)).toList();
        Map<String, Ec2Instance> byId = byId(w);
        assertThat(cloud.applied()).allSatisfy(d -> assertThat(d.destructive()
                || dev.curfew.core.plan.PlannerPropertiesTest.keepCapRecord(d)).isTrue());
        assertThat(applied).extracting(d -> d.resource().id()).doesNotHaveDuplicates()
                .containsExactlyInAnyOrderElementsOf(Planner.plan(w.inventory(), p, w.now()).destructive().stream()
                        .map(d -> d.resource().id()).toList());
        for (Decision d : applied) {
            Ec2Instance truth = byId.get(d.resource().id());
            assertThat(d.destructive()).isTrue();
            assertThat(w.exempt(truth)).as("exempt %s was acted on", truth.id()).isFalse();
            assertThat(w.malformedKeep(truth)).as("%s has a malformed keep tag", truth.id()).isFalse();
            if (d.action() == Action.TERMINATE) {
                assertThat(truth.protection().terminationOn()).as("%s is termination-protected", truth.id()).isFalse();
            }
            if (d.action() == Action.STOP) {
                assertThat(truth.protection().stopOn()).as("%s is stop-protected", truth.id()).isFalse();
                assertThat(truth.oneTimeSpot()).as("%s is a one-time spot instance", truth.id()).isFalse();
            }
            assertThat(d.cancelFirst()).isEqualTo(d.action() == Action.TERMINATE && truth.persistentSpot()
                    ? truth.spotRequestId() : null);
        }
        for (RecordingCloud.ApplyCall call : cloud.applyCalls) {
            assertThat(call.decisions()).isNotEmpty()
                    .allSatisfy(d -> assertThat(d.resource().region()).isEqualTo(call.region()));
        }
        assertThat(cloud.applyCalls).extracting(RecordingCloud.ApplyCall::region).doesNotHaveDuplicates();
        if (expected.breaker().tripped()) {
            assertThat(cloud.applyCalls).as("a tripped breaker acts on nothing").isEmpty();
        }
        assertThat(applied).hasSizeLessThanOrEqualTo(p.maxDestructiveActions());
        Set<String> appliedIds = cloud.applied().stream().map(d -> d.resource().id()).collect(Collectors.toSet());
        for (SweepReport.Row row : report.rows()) {
            assertThat(row.outcome()).as(row.id()).isEqualTo(appliedIds.contains(row.id()) ? "done" : "none");
        }
        Statistics.label("enforce acted").collect(!applied.isEmpty());
        Statistics.label("enforce acted").coverage(c -> c.check(true).count(n -> n >= 30));
    }

    // (f) the account guard

    @Property(tries = 200)
    void enforceInAnAccountNotInThePolicyChangesNothing(
            @ForAll("worlds") World w,
            @ForAll("foreignAccounts") String account) {
        Policy p = w.policy().withMode(Mode.ENFORCE);
        RecordingCloud cloud = cloud(w, account, Set.of());

        assertThatThrownBy(() -> sweep(cloud, w, p, 2))
                .isInstanceOf(AccountGuardException.class)
                .hasMessageContaining(account)
                .hasMessageContaining("nothing was changed");
        assertThat(cloud.applyCalls).isEmpty();
        assertThat(cloud.inventoryCalls).as("the guard comes before anything else").isEmpty();
        assertThat(cloud.protectionCalls).isEmpty();
    }

    @Provide
    Arbitrary<String> foreignAccounts() {
        return Arbitraries.strings().numeric().ofLength(12).filter(a -> !a.equals(Worlds.ACCOUNT))
                .edgeCases(c -> c.add("000000000000"));
    }

    // (g) one region failing is reported, the others are swept; every region failing fails the sweep

    @Property(tries = 300)
    void aFailingRegionIsReportedAndTheOthersAreSwept(@ForAll("worlds") World w,
                                                      @ForAll("someRegionsFailing") Set<String> failing,
                                                      @ForAll @IntRange(min = 1, max = 4) int parallelism) {
        RecordingCloud cloud = cloud(w, Worlds.ACCOUNT, failing);

        SweepReport report = sweep(cloud, w, w.policy(), parallelism);

        assertThat(report.regions()).containsExactlyElementsOf(Worlds.REGIONS);
        assertThat(report.regionErrors().keySet()).isEqualTo(failing);
        assertThat(report.regionErrors().values()).allSatisfy(e -> assertThat(e).contains("UnauthorizedOperation"));
        assertThat(report.anyFailed()).isTrue();
        assertThat(report.rows()).extracting(SweepReport.Row::id).containsExactlyInAnyOrderElementsOf(
                w.instances().stream().filter(i -> !i.state().isGone() && !failing.contains(i.region()))
                        .map(Ec2Instance::id).toList());
        // a failing region is read once more at the end of the run, and no more
        List<String> expectedCalls = new java.util.ArrayList<>(Worlds.REGIONS);
        expectedCalls.addAll(failing);
        assertThat(cloud.inventoryCalls).containsExactlyInAnyOrderElementsOf(expectedCalls);
        assertThat(cloud.applyCalls).allSatisfy(c -> assertThat(failing).doesNotContain(c.region()));
        if (w.policy().mode() == Mode.DRY_RUN) {
            assertThat(cloud.applyCalls).isEmpty();
        }
    }

    @Property(tries = 100)
    void everyRegionFailingFailsTheSweep(@ForAll("worlds") World w) {
        RecordingCloud cloud = cloud(w, Worlds.ACCOUNT, Set.copyOf(Worlds.REGIONS));

        assertThatThrownBy(() -> sweep(cloud, w, w.policy(), 3))
                .isInstanceOf(SweepException.class)
                .isNotInstanceOf(AccountGuardException.class)
                .hasMessageStartingWith("every region failed; first: ")
                .hasMessageContaining("UnauthorizedOperation");
        assertThat(cloud.applyCalls).isEmpty();
        assertThat(cloud.protectionCalls).isEmpty();
    }
}
