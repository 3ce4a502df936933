package dev.curfew.core.budget;

import static org.assertj.core.api.Assertions.assertThat;

import dev.curfew.core.budget.BudgetPropertiesTest.Machine;
import dev.curfew.core.model.Ec2Instance;
import dev.curfew.core.model.InstanceState;
import dev.curfew.core.model.Inventory;
import dev.curfew.core.plan.Action;
import dev.curfew.core.plan.Decision;
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
 * Properties of a student's budget across the accounts of a pass ({@link ClassBudget}): a class spread over two or
 * three accounts (a student spends a part in each), instances of theirs in each, some exempt. The summed decision
 * records who is over; each account's step then stops what is theirs there. Only the budget acts (every instance
 * rule is off), so every stop is the budget's.
 */
class ClassBudgetPropertiesTest {
    static final Instant NOW = BudgetCheckTest.NOW;
    static final Instant WEEK = BudgetCheckTest.WEEK;
    static final List<String> NAMES = List.of("alice", "Bob", "carol");

    /**
     * One account: each student's spend there and the instances in it. Amounts are in quarter dollars, so that their
     * sums are exact and "at 100 %" means what it says.
     */
    record Account(Map<String, Integer> spends, List<Machine> machines) {
        List<Spend> spendList() {
            List<Spend> out = new ArrayList<>();
            spends.forEach((s, c) -> out.add(new Spend(s, WEEK, c / 4.0, c / 4.0, 0, 0, Spend.Source.ESTIMATE)));
            return out;
        }

        List<Ec2Instance> instances(int account) {
            List<Ec2Instance> out = new ArrayList<>();
            for (int k = 0; k < machines.size(); k++) {
                out.add(machines.get(k).instance(String.format(Locale.ROOT, "i-%02d%06x", account, k), k));
            }
            return out;
        }
    }

    record Class(Map<String, Integer> limits, List<Account> accounts) {
        Policy policy() {
            Map<String, Amount> m = new LinkedHashMap<>();
            limits.forEach((s, c) -> m.put(s, Amount.dollars(c / 4.0)));
            return BudgetCheckTest.policy("{weekly: none}").withBudgets(new BudgetRules(null, null, m));
        }

        /** Over by the sum of every account's figure. */
        boolean over(String owner) {
            String o = canonical(owner);
            Integer limit = limits.get(o);
            int spent = accounts.stream().mapToInt(a -> a.spends().getOrDefault(o, 0)).sum();
            return limit != null && accounts.stream().anyMatch(a -> a.spends().containsKey(o)) && spent >= limit;
        }

        /** Over by one account's figure alone. */
        boolean overInOne(String owner) {
            String o = canonical(owner);
            Integer limit = limits.get(o);
            return limit != null && accounts.stream().anyMatch(a -> a.spends().getOrDefault(o, -1) >= limit);
        }
    }

    static String canonical(String owner) {
        return NAMES.stream().filter(n -> n.equalsIgnoreCase(owner)).findFirst().orElse(owner);
    }

    @Provide
    Arbitrary<Class> classes() {
        Arbitrary<Map<String, Integer>> limits = Arbitraries.maps(Arbitraries.of(NAMES),
                Arbitraries.integers().between(4, 80)).ofMinSize(2).ofMaxSize(3);
        Arbitrary<Map<String, Integer>> spends = Arbitraries.maps(Arbitraries.of(NAMES),
                Arbitraries.integers().between(0, 40)).ofMinSize(1).ofMaxSize(3);
        Arbitrary<Machine> machine = Combinators.combine(
                Arbitraries.of("alice", "ALICE", "bob", "carol", "zed"),
                Arbitraries.of(InstanceState.RUNNING, InstanceState.RUNNING, InstanceState.PENDING,
                        InstanceState.STOPPED), Arbitraries.integers().between(0, 7),
                Arbitraries.integers().between(0, 7)).as((o, s, k, p) -> new Machine(o, s, k == 0, false, p == 0,
                        false));
        Arbitrary<Account> account = Combinators.combine(spends, machine.list().ofMaxSize(6)).as(Account::new);
        return Combinators.combine(limits, account.list().ofMinSize(2).ofMaxSize(3)).as(Class::new);
    }

    /**
     * The summed decision, its over-budget records (as enforce writes them), then each account's step: every
     * instance's action by id.
     */
    static Map<String, Action> pass(Class c, Map<String, Spend> records) {
        Policy p = c.policy();
        BudgetCheck.Result summed = ClassBudget.summed(p.budgets(), WEEK, c.accounts().stream()
                .map(Account::spendList).toList(), Map.of(), Set.of());
        summed.over().forEach(o -> records.put(o, summed.spends().get(o)));
        Map<String, Action> out = new LinkedHashMap<>();
        for (int a = 0; a < c.accounts().size(); a++) {
            Account acc = c.accounts().get(a);
            List<Ec2Instance> instances = acc.instances(a);
            BudgetCheck.Result here = ClassBudget.inAccount(p.budgets(), WEEK, acc.spendList(), Map.of(), records,
                    instances, p.ownerTag());
            assertThat(here.notices()).as("an account's step tells nobody").isEmpty();
            for (Decision d : Planner.plan(new Inventory(instances, Map.of()), p, NOW, here.stops()).decisions()) {
                out.put(d.resource().id(), d.action());
            }
        }
        return out;
    }

    @Property
    void nobodyBelowTheirSummedBudgetIsStoppedAndEveryoneOverItIsInEveryAccountUnlessExempt(
            @ForAll("classes") Class c) {
        Map<String, Action> actions = pass(c, new LinkedHashMap<>());
        for (int a = 0; a < c.accounts().size(); a++) {
            List<Ec2Instance> instances = c.accounts().get(a).instances(a);
            for (int k = 0; k < instances.size(); k++) {
                Machine m = c.accounts().get(a).machines().get(k);
                Action action = actions.get(instances.get(k).id());
                boolean over = c.over(m.owner());
                boolean live = m.state() != InstanceState.STOPPED;
                assertThat(action).as("never terminated for a budget").isNotEqualTo(Action.TERMINATE);
                assertThat(action == Action.STOP).as("%s of %s: over %s, running %s, exempt %s",
                        instances.get(k).id(), m.owner(), over, live, m.exempt())
                        .isEqualTo(over && live && !m.exempt());
                Statistics.label("case").collect(!over ? "below" : !live ? "over, not running"
                        : m.exempt() ? "over, exempt" : c.overInOne(m.owner()) ? "over in one account"
                        : "over only by the sum");
            }
        }
        Coverage.moreThan("case", Map.of("over only by the sum", 30, "over in one account", 30, "below", 50,
                "over, exempt", 10));
    }

    @Property(tries = 300)
    void theSummedFigureIsToldOncePerThresholdNotOncePerAccount(@ForAll("classes") Class c) {
        Policy p = c.policy();
        List<List<Spend>> spends = c.accounts().stream().map(Account::spendList).toList();
        BudgetCheck.Result first = ClassBudget.summed(p.budgets(), WEEK, spends, Map.of(), Set.of());
        Set<String> students = new HashSet<>();
        Set<String> told = new HashSet<>();
        for (BudgetCheck.Notice n : first.notices()) {
            assertThat(students.add(BudgetCheck.key(n.student()))).as("one notice per student").isTrue();
            assertThat(n.threshold()).isEqualTo(first.standings().get(BudgetCheck.key(n.student())).reached());
            n.record().forEach(t -> told.add(BudgetCheck.toldKey(n.student(), t)));
        }
        for (String name : NAMES) {
            boolean any = c.accounts().stream().anyMatch(a -> a.spends().containsKey(name));
            assertThat(first.over().contains(BudgetCheck.key(name))).as(name).isEqualTo(any && c.over(name));
        }
        assertThat(ClassBudget.summed(p.budgets(), WEEK, spends, Map.of(), told).notices())
                .as("told already: not again at the next pass").isEmpty();
    }

    @Property(tries = 300)
    void aRaisedBudgetLetsARecordedStudentRunAgain(@ForAll("classes") Class c) {
        Map<String, Spend> records = new LinkedHashMap<>();
        pass(c, records);
        Policy p = c.policy();
        Map<String, TopUp> raised = new LinkedHashMap<>();
        records.keySet().forEach(o -> raised.put(o, TopUp.NONE.plus(Amount.dollars(100))));
        for (int a = 0; a < c.accounts().size(); a++) {
            Account acc = c.accounts().get(a);
            BudgetCheck.Result here = ClassBudget.inAccount(p.budgets(), WEEK, acc.spendList(), raised, records,
                    acc.instances(a), p.ownerTag());
            assertThat(here.stops()).as("topped up by more than anyone spent").isEmpty();
        }
    }
}
