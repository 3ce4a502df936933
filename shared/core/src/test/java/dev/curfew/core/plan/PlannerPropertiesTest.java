package dev.curfew.core.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.curfew.core.model.Ec2Instance;
import dev.curfew.core.model.InstanceState;
import dev.curfew.core.model.Inventory;
import dev.curfew.core.plan.Worlds.World;
import dev.curfew.core.testing.Coverage;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

/**
 * Properties of the planner over random policies and inventories (see {@link Worlds}). Each property is checked
 * on the decisions before the circuit breaker ({@link Planner#decideAll}) and on the final plan, so the breaker
 * cannot hide a violation. Coverage checks make sure the interesting cases are actually generated.
 */
public class PlannerPropertiesTest {

    @Provide
    Arbitrary<World> worlds() {
        return Worlds.worlds();
    }

    private static List<List<Decision>> bothStages(World w) {
        return List.of(Planner.decideAll(w.inventory(), w.policy(), w.now()),
                Planner.plan(w.inventory(), w.policy(), w.now()).decisions());
    }

    private static Ec2Instance instance(Decision d) {
        return (Ec2Instance) d.resource();
    }

    /** A mark that only records the keep cap (curfew:keep-cap): a tag write, never an action on the resource. */
    public static boolean keepCapRecord(Decision d) {
        return d.action() == Action.MARK && d.setTags().keySet().equals(java.util.Set.of("curfew:keep-cap"))
                && d.removeTags().isEmpty();
    }

    // (a) exemptions always win; protection is never overridden

    @Property
    void exemptAndProtectedInstancesNeverGetADestructiveDecision(@ForAll("worlds") World w) {
        for (List<Decision> decisions : bothStages(w)) {
            for (Decision d : decisions) {
                Ec2Instance i = instance(d);
                if (w.exempt(i)) {
                    // the only write on an exempt instance: recording the keep cap the first time it is seen
                    assertThat(d.action() == Action.SKIP || keepCapRecord(d)).as("exempt %s: %s %s", i.id(),
                            d.action(), d.reason()).isTrue();
                    assertThat(d.reason()).as(i.id()).matches("(exempt: |kept until |no rule matched|not idle yet|"
                            + "no data|busy|stopped|the tag ).*");
                }
                if (w.malformedKeep(i)) {
                    assertThat(d.destructive()).as("malformed keep tag on %s: %s", i.id(), d.reason()).isFalse();
                }
                if (i.protection().terminationOn()) {
                    assertThat(d.action()).as("termination-protected %s", i.id()).isNotEqualTo(Action.TERMINATE);
                }
                if (i.protection().stopOn()) {
                    assertThat(d.action()).as("stop-protected %s", i.id()).isNotEqualTo(Action.STOP);
                }
            }
        }
        for (Decision d : Planner.decideAll(w.inventory(), w.policy(), w.now())) {
            boolean wanted = d.findings().stream().anyMatch(f -> f.action().destructive());
            Statistics.label("exempt, a rule wanted it destroyed").collect(w.exempt(instance(d)) && wanted);
            Statistics.label("protected, held").collect(d.reason().startsWith("protected:"));
            Statistics.label("malformed keep, downgraded to notify").collect(wanted && w.malformedKeep(instance(d))
                    && !w.exempt(instance(d)));
        }
        Statistics.label("exempt, a rule wanted it destroyed").coverage(c -> c.check(true).count(n -> n > 20));
        Statistics.label("protected, held").coverage(c -> c.check(true).count(n -> n > 20));
        Statistics.label("malformed keep, downgraded to notify").coverage(c -> c.check(true).count(n -> n > 20));
    }

    // (b) the circuit breaker

    @Property
    void theBreakerNeverLetsMoreThanTheLimitThrough(@ForAll("worlds") World w) {
        List<Decision> before = Planner.decideAll(w.inventory(), w.policy(), w.now());
        Plan plan = Planner.plan(w.inventory(), w.policy(), w.now());
        int planned = (int) before.stream().filter(Decision::destructive).count();
        int limit = w.policy().maxDestructiveActions();

        assertThat(plan.breaker().planned()).isEqualTo(planned);
        assertThat(plan.breaker().limit()).isEqualTo(limit);
        assertThat(plan.breaker().tripped()).isEqualTo(planned > limit);
        assertThat(plan.destructive()).hasSizeLessThanOrEqualTo(limit);
        if (plan.breaker().tripped()) {
            assertThat(plan.destructive()).isEmpty();
            assertThat(plan.decisions()).allSatisfy(d -> assertThat(d.cancelFirst()).isNull());
            for (int k = 0; k < before.size(); k++) {
                Decision was = before.get(k);
                Decision is = plan.decisions().get(k);
                assertThat(is.resource()).isEqualTo(was.resource());
                if (was.destructive()) {
                    assertThat(is.action()).isEqualTo(Action.SKIP);
                    assertThat(is.reason()).startsWith("circuit breaker: ");
                } else {
                    assertThat(is).isEqualTo(was);
                }
            }
        } else {
            assertThat(plan.decisions()).isEqualTo(before);
        }
        Statistics.label("breaker").collect(plan.breaker().tripped() ? "tripped"
                : planned == limit ? "exactly at the limit" : "held");
        Coverage.moreThan("breaker", Map.of("tripped", 50, "exactly at the limit", 10, "held", 50));
    }

    // (c) spot instances

    @Property
    void oneTimeSpotInstancesAreNeverStoppedAndPersistentOnesAreCancelledFirst(@ForAll("worlds") World w) {
        for (List<Decision> decisions : bothStages(w)) {
            for (Decision d : decisions) {
                Ec2Instance i = instance(d);
                if (i.oneTimeSpot()) {
                    assertThat(d.action()).as("one-time spot %s", i.id()).isNotEqualTo(Action.STOP);
                }
                if (d.action() == Action.TERMINATE && i.persistentSpot()) {
                    assertThat(d.cancelFirst()).as(i.id()).isEqualTo(i.spotRequestId());
                } else {
                    assertThat(d.cancelFirst()).as(i.id()).isNull();
                }
            }
        }
        Statistics.label("one-time spot asked to stop").collect(Planner.decideAll(w.inventory(), w.policy(), w.now())
                .stream().anyMatch(d -> instance(d).oneTimeSpot() && d.reason().startsWith("one-time spot")));
        Statistics.label("one-time spot asked to stop").coverage(c -> c.check(true).count(n -> n > 20));
    }

    // (d) one decision per instance that is still there, each with a reason

    @Property
    void everyInstanceStillThereHasExactlyOneDecisionWithAReason(@ForAll("worlds") World w) {
        List<String> expected = w.instances().stream().filter(i -> !i.state().isGone()).map(Ec2Instance::id)
                .sorted().toList();
        for (List<Decision> decisions : bothStages(w)) {
            assertThat(decisions.stream().map(d -> d.resource().id()).sorted().toList()).isEqualTo(expected);
            for (Decision d : decisions) {
                assertThat(d.reason()).as(d.resource().id()).isNotBlank();
                if (d.findings().isEmpty()) {
                    assertThat(d.action()).as(d.resource().id()).isEqualTo(Action.SKIP);
                }
            }
        }
    }

    @Property
    void thePlannerNeverDoesMoreThanARuleAskedFor(@ForAll("worlds") World w) {
        for (Decision d : Planner.decideAll(w.inventory(), w.policy(), w.now())) {
            if (keepCapRecord(d)) {
                continue; // bookkeeping of a keep tag, not an action a rule asked for
            }
            int asked = d.findings().stream().mapToInt(f -> f.action().strength()).max().orElse(0);
            assertThat(d.action().strength()).as("%s: %s", d.resource().id(), d.reason()).isLessThanOrEqualTo(asked);
            if (d.action() != Action.SKIP && d.action() != Action.NOTIFY) {
                assertThat(d.findings()).extracting(Finding::action).contains(d.action());
            }
            Ec2Instance i = instance(d);
            if (d.action() == Action.STOP) {
                assertThat(i.state()).isIn(InstanceState.RUNNING, InstanceState.PENDING);
            }
            if (!w.inventory().metricsOf(i.id()).hasData()) {
                assertThat(d.findings()).as("no data is not idle").noneMatch(f -> f.rule().equals("ec2-idle"));
            }
        }
    }

    @Property
    void decisionsDoNotDependOnInventoryOrderOrOnOtherInstances(@ForAll("worlds") World w,
                                                                @ForAll long shuffleSeed) {
        List<Ec2Instance> shuffled = new ArrayList<>(w.instances());
        Collections.shuffle(shuffled, new Random(shuffleSeed));
        Plan plan = Planner.plan(w.inventory(), w.policy(), w.now());
        assertThat(Planner.plan(new Inventory(shuffled, w.metrics()), w.policy(), w.now())).isEqualTo(plan);

        Map<String, Decision> all = Planner.decideAll(w.inventory(), w.policy(), w.now()).stream()
                .collect(Collectors.toMap(d -> d.resource().id(), Function.identity()));
        for (Ec2Instance i : w.instances()) {
            List<Decision> alone = Planner.decideAll(new Inventory(List.of(i), w.metrics()), w.policy(), w.now());
            if (i.state().isGone()) {
                assertThat(alone).isEmpty();
            } else {
                assertThat(alone).containsExactly(all.get(i.id()));
            }
        }
    }
}
