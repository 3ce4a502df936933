package dev.curfew.core.budget;

import static org.assertj.core.api.Assertions.assertThat;

import dev.curfew.core.model.Ec2Instance;
import dev.curfew.core.model.InstanceState;
import dev.curfew.core.model.Inventory;
import dev.curfew.core.plan.Action;
import dev.curfew.core.plan.Decision;
import dev.curfew.core.plan.InstanceBuilder;
import dev.curfew.core.plan.Planner;
import dev.curfew.core.policy.Policy;
import dev.curfew.core.spend.Spend;
import dev.curfew.core.testing.Coverage;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

/**
 * Properties of budget stops over random classes: students with a weekly limit and a spend, and instances of theirs
 * in every state, some kept, allow-listed, stop-protected or one-time spot. Only the budget acts (every instance rule
 * is off), so every stop is the budget's.
 */
class BudgetPropertiesTest {
    static final Instant NOW = BudgetCheckTest.NOW;
    static final Instant WEEK = BudgetCheckTest.WEEK;
    static final List<String> NAMES = List.of("alice", "Bob", "carol", "dave");

    /** One instance and what would hold it back from a stop. */
    record Machine(String owner, InstanceState state, boolean kept, boolean allowed, boolean stopProtected,
                   boolean oneTimeSpot) {
        boolean exempt() {
            return kept || allowed || stopProtected || oneTimeSpot;
        }

        /** The instance, its id given ({@code k}: its place, for a one-time spot's request id). */
        Ec2Instance instance(String id, int k) {
            InstanceBuilder b = InstanceBuilder.instance(id).tag("curfew:owner", owner)
                    .launched(NOW.minusSeconds(3600)).protection(false, stopProtected);
            if (state == InstanceState.STOPPED) {
                b.stopped(NOW.minusSeconds(60));
            } else {
                b.state(state);
            }
            if (kept) {
                b.tag("curfew:keep", "2026-12-04");
            }
            if (oneTimeSpot) {
                b.oneTimeSpot("sir-" + k);
            }
            return b.build();
        }
    }

    /** A class: limits (cents) and spends (cents) per student, the machines, and a second set of limits. */
    record Class(Map<String, Integer> limits, Map<String, Integer> spends, List<Machine> machines,
                 Map<String, Integer> changed) {
        List<Spend> spendList() {
            List<Spend> out = new ArrayList<>();
            spends.forEach((s, c) -> out.add(new Spend(s, WEEK, c / 100.0, c / 100.0, 0, 0, Spend.Source.ESTIMATE)));
            return out;
        }

        List<Ec2Instance> instances() {
            List<Ec2Instance> out = new ArrayList<>();
            for (int k = 0; k < machines.size(); k++) {
                Machine m = machines.get(k);
                String id = m.allowed() ? "i-allowed" + k : String.format(Locale.ROOT, "i-%08x", k);
                out.add(m.instance(id, k));
            }
            return out;
        }

        Policy policy(Map<String, Integer> weekly) {
            String allow = String.join(", ", java.util.stream.IntStream.range(0, machines.size())
                    .mapToObj(k -> "i-allowed" + k).toList());
            return dev.curfew.core.policy.PolicyLoader.load("""
                    course: t
                    mode: enforce
                    accounts: ["123456789012"]
                    limits: {max-destructive-actions: 10000}
                    exemptions: {allow-list: [%s]}
                    rules:
                      ec2-idle: {enabled: false}
                      ec2-forgotten: {enabled: false}
                      ec2-stopped: {enabled: false}
                    """.formatted(allow), "p").withBudgets(new BudgetRules(null, null, amounts(weekly)));
        }

        boolean over(String owner, Map<String, Integer> weekly) {
            Integer limit = weekly.get(owner);
            Integer spent = spends.get(owner);
            return limit != null && spent != null && spent >= limit;
        }
    }

    static Map<String, Amount> amounts(Map<String, Integer> cents) {
        Map<String, Amount> m = new LinkedHashMap<>();
        cents.forEach((s, c) -> m.put(s, Amount.dollars(c / 100.0)));
        return m;
    }

    @Provide
    Arbitrary<Class> classes() {
        Arbitrary<Integer> cents = Arbitraries.integers().between(1, 3000);
        Arbitrary<Map<String, Integer>> limits = Arbitraries.maps(Arbitraries.of(NAMES), cents).ofMaxSize(4);
        Arbitrary<Map<String, Integer>> spends = Arbitraries.maps(Arbitraries.of(NAMES),
                Arbitraries.integers().between(0, 4000)).ofMaxSize(4);
        Arbitrary<Machine> machine = Combinators.combine(
                Arbitraries.of("alice", "ALICE", "bob", "carol", "dave", "zed"),
                Arbitraries.of(InstanceState.RUNNING, InstanceState.RUNNING, InstanceState.PENDING,
                        InstanceState.STOPPED),
                Arbitraries.integers().between(0, 9), Arbitraries.integers().between(0, 9),
                Arbitraries.integers().between(0, 9), Arbitraries.integers().between(0, 9))
                .as((o, s, k, a, p, t) -> new Machine(o, s, k == 0, a == 0, p == 0, t == 0));
        return Combinators.combine(limits, spends, machine.list().ofMaxSize(12), limits).as(Class::new);
    }

    static Map<String, Action> sweep(Class c, Map<String, Integer> weekly, Set<String> told) {
        Policy p = c.policy(weekly);
        BudgetCheck.Result r = BudgetCheck.check(p.budgets(), WEEK, c.spendList(), Map.of(), told, c.instances(),
                p.ownerTag());
        Map<String, Action> out = new LinkedHashMap<>();
        for (Decision d : Planner.plan(new Inventory(c.instances(), Map.of()), p, NOW, r.stops()).decisions()) {
            out.put(d.resource().id(), d.action());
        }
        return out;
    }

    static String canonical(String owner) {
        return NAMES.stream().filter(n -> n.equalsIgnoreCase(owner)).findFirst().orElse(owner);
    }

    @Property
    void nobodyIsStoppedBelowTheirBudgetAndEveryoneOverItIsUnlessExempt(@ForAll("classes") Class c) {
        Map<String, Action> actions = sweep(c, c.limits(), Set.of());
        List<Ec2Instance> instances = c.instances();
        for (int k = 0; k < instances.size(); k++) {
            Machine m = c.machines().get(k);
            Action a = actions.get(instances.get(k).id());
            boolean over = c.over(canonical(m.owner()), c.limits());
            boolean live = m.state() != InstanceState.STOPPED;
            assertThat(a).as("never terminated for a budget").isNotEqualTo(Action.TERMINATE);
            if (!over) {
                assertThat(a).as("%s of %s is below budget", instances.get(k).id(), m.owner())
                        .isNotEqualTo(Action.STOP);
            } else if (live && !m.exempt()) {
                assertThat(a).as("%s of %s is over budget", instances.get(k).id(), m.owner()).isEqualTo(Action.STOP);
            } else {
                assertThat(a).as("%s: exempt or not running", instances.get(k).id()).isNotEqualTo(Action.STOP);
            }
            Statistics.label("case").collect(!over ? "below" : !live ? "over, stopped already"
                    : m.exempt() ? "over, exempt" : "over, stopped");
        }
        Coverage.moreThan("case", Map.of("over, stopped", 50, "over, exempt", 20, "below", 50));
    }

    @Property
    void aBudgetChangeTakesEffectOnTheNextSweep(@ForAll("classes") Class c) {
        // the first sweep under the old limits tells whom it tells; the second runs under the changed limits
        Policy before = c.policy(c.limits());
        BudgetCheck.Result first = BudgetCheck.check(before.budgets(), WEEK, c.spendList(), Map.of(), Set.of(),
                c.instances(), before.ownerTag());
        Set<String> told = new HashSet<>();
        first.notices().forEach(n -> n.record().forEach(t -> told.add(BudgetCheck.toldKey(n.student(), t))));

        Map<String, Action> next = sweep(c, c.changed(), told);
        assertThat(next).as("the next sweep decides as if the changed budget had always been there")
                .isEqualTo(sweep(c, c.changed(), Set.of()));
        List<Ec2Instance> instances = c.instances();
        for (int k = 0; k < instances.size(); k++) {
            Machine m = c.machines().get(k);
            boolean overNow = c.over(canonical(m.owner()), c.changed());
            boolean stopNow = overNow && m.state() != InstanceState.STOPPED && !m.exempt();
            assertThat(next.get(instances.get(k).id()) == Action.STOP).as(instances.get(k).id()).isEqualTo(stopNow);
            boolean overBefore = c.over(canonical(m.owner()), c.limits());
            Statistics.label("change").collect(overBefore == overNow ? "same" : overNow ? "lowered: now over"
                    : "raised: no longer over");
        }
        Coverage.moreThan("change", Map.of("lowered: now over", 10, "raised: no longer over", 10));
    }
}
