package dev.curfew.core.budget;

import static dev.curfew.core.plan.InstanceBuilder.instance;
import static org.assertj.core.api.Assertions.assertThat;

import dev.curfew.core.model.Ec2Instance;
import dev.curfew.core.model.InstanceState;
import dev.curfew.core.model.Inventory;
import dev.curfew.core.plan.Action;
import dev.curfew.core.plan.Decision;
import dev.curfew.core.plan.Plan;
import dev.curfew.core.plan.Planner;
import dev.curfew.core.policy.Policy;
import dev.curfew.core.policy.PolicyLoader;
import dev.curfew.core.spend.Spend;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The budget's decisions: who is told at 50/80 %, who is over at 100 %, and what of theirs is stopped. */
class BudgetCheckTest {
    static final Instant NOW = Instant.parse("2026-12-02T12:00:00Z"); // a Wednesday
    static final Instant WEEK = Instant.parse("2026-11-30T00:00:00Z");

    /** Only the budget acts here: every instance rule is off. */
    static Policy policy(String budgets) {
        return PolicyLoader.load("""
                course: t
                mode: enforce
                accounts: ["123456789012"]
                limits: {max-destructive-actions: 10000}
                exemptions: {allow-list: [i-allowed]}
                rules:
                  ec2-idle: {enabled: false}
                  ec2-forgotten: {enabled: false}
                  ec2-stopped: {enabled: false}
                budgets: %s
                """.formatted(budgets), "p");
    }

    static Spend dollars(String student, double week, double total) {
        return new Spend(student, WEEK, week, total, 0, 0, Spend.Source.ESTIMATE);
    }

    static Ec2Instance running(String id, String owner) {
        return instance(id).tag("curfew:owner", owner).launched(NOW.minusSeconds(7200)).build();
    }

    static BudgetCheck.Result check(Policy p, List<Spend> spends, Map<String, TopUp> topUps, Set<String> told,
                                    List<Ec2Instance> instances) {
        return BudgetCheck.check(p.budgets(), WEEK, spends, topUps, told, instances, p.ownerTag());
    }

    static Map<String, Action> plan(Policy p, BudgetCheck.Result r, List<Ec2Instance> instances) {
        Plan plan = Planner.plan(new Inventory(instances, Map.of()), p, NOW, r.stops());
        return plan.decisions().stream().collect(Collectors.toMap(d -> d.resource().id(), Decision::action));
    }

    @Test
    void theWeekIsMondayToMondayInTheCoursesTimeZone() {
        ZoneId ny = ZoneId.of("America/New_York");
        assertThat(CourseWeek.key(ZoneId.of("UTC"), NOW)).isEqualTo("2026-11-30");
        // Monday 03:00 UTC is still Sunday in New York
        assertThat(CourseWeek.key(ny, Instant.parse("2026-11-30T03:00:00Z"))).isEqualTo("2026-11-23");
        assertThat(CourseWeek.start(ny, NOW)).isEqualTo(Instant.parse("2026-11-30T05:00:00Z"));
        assertThat(CourseWeek.end(ny, NOW)).isEqualTo(Instant.parse("2026-12-07T05:00:00Z"));
    }

    @Test
    void atFiftyAndEightyPercentTheStudentIsToldOnceEach() {
        Policy p = policy("{weekly: 10.00}");
        BudgetCheck.Result below = check(p, List.of(dollars("alice", 4.99, 4.99)), Map.of(), Set.of(), List.of());
        assertThat(below.notices()).isEmpty();

        BudgetCheck.Result half = check(p, List.of(dollars("alice", 5.00, 5.00)), Map.of(), Set.of(), List.of());
        assertThat(half.notices()).singleElement().satisfies(n -> {
            assertThat(n.threshold()).isEqualTo(50);
            assertThat(n.record()).containsExactly(50);
            assertThat(n.standing().text()).isEqualTo("this week: $5.00 of your $10.00 (Curfew's estimate)");
        });
        BudgetCheck.Result again = check(p, List.of(dollars("alice", 6.00, 6.00)), Map.of(), Set.of("alice/50"),
                List.of());
        assertThat(again.notices()).as("50 %% was told already this week").isEmpty();

        BudgetCheck.Result jump = check(p, List.of(dollars("Alice", 8.50, 8.50)), Map.of(), Set.of(), List.of());
        assertThat(jump.notices()).singleElement().satisfies(n -> {
            assertThat(n.threshold()).as("only the highest reached is told").isEqualTo(80);
            assertThat(n.record()).containsExactly(50, 80);
        });
        assertThat(jump.over()).isEmpty();
        assertThat(jump.stops()).isEmpty();
    }

    @Test
    void atAHundredPercentTheirRunningInstancesAreStoppedNeverTerminated() {
        Policy p = policy("{weekly: 10.00}");
        List<Ec2Instance> fleet = List.of(running("i-a1", "alice"), running("i-b1", "bob"),
                instance("i-a2").tag("curfew:owner", "ALICE").state(InstanceState.PENDING).build(),
                instance("i-a3").tag("curfew:owner", "alice").stopped(NOW.minusSeconds(60)).build());
        BudgetCheck.Result r = check(p, List.of(dollars("alice", 10.00, 12), dollars("bob", 9.99, 9.99)), Map.of(),
                Set.of("alice/50", "alice/80", "bob/50", "bob/80"), fleet);
        assertThat(r.over()).as("bob at 99.9 %% is not over").containsExactly("alice");
        assertThat(r.notices()).singleElement().satisfies(n -> assertThat(n.threshold()).isEqualTo(100));
        assertThat(r.stops().keySet()).containsExactlyInAnyOrder("i-a1", "i-a2");
        assertThat(r.stops().get("i-a1").summary()).isEqualTo("over budget: this week: $10.00 of your $10.00 "
                + "(Curfew's estimate)");
        Map<String, Action> actions = plan(p, r, fleet);
        assertThat(actions).containsEntry("i-a1", Action.STOP).containsEntry("i-a2", Action.STOP)
                .containsEntry("i-b1", Action.SKIP).containsEntry("i-a3", Action.SKIP);
        assertThat(actions.values()).doesNotContain(Action.TERMINATE);
    }

    @Test
    void aKeepTagInDateHoldsTheStopButTheStudentStaysOverBudget() {
        Policy p = policy("{weekly: 10.00}");
        List<Ec2Instance> fleet = List.of(
                instance("i-kept").tag("curfew:owner", "alice").tag("curfew:keep", "2026-12-03").build(),
                instance("i-old-keep").tag("curfew:owner", "alice").tag("curfew:keep", "2026-12-01").build(),
                instance("i-allowed").tag("curfew:owner", "alice").build(),
                instance("i-protected").tag("curfew:owner", "alice").protection(false, true).build(),
                instance("i-spot").tag("curfew:owner", "alice").oneTimeSpot("sir-1").build());
        BudgetCheck.Result r = check(p, List.of(dollars("alice", 25, 25)), Map.of(), Set.of(), fleet);
        assertThat(r.over()).containsExactly("alice");
        Plan plan = Planner.plan(new Inventory(fleet, Map.of()), p, NOW, r.stops());
        Map<String, Decision> by = plan.decisions().stream()
                .collect(Collectors.toMap(d -> d.resource().id(), d -> d));
        assertThat(by.get("i-kept").action()).isEqualTo(Action.SKIP);
        assertThat(by.get("i-kept").reason()).startsWith("kept until the end of 2026-12-03");
        assertThat(by.get("i-old-keep").action()).as("a keep tag out of date holds nothing").isEqualTo(Action.STOP);
        assertThat(by.get("i-allowed").action()).isEqualTo(Action.SKIP);
        assertThat(by.get("i-protected").action()).isEqualTo(Action.SKIP);
        assertThat(by.get("i-protected").reason()).startsWith("protected: stop protection");
        assertThat(by.get("i-spot").action()).as("a one-time spot instance cannot be stopped, and is never "
                + "terminated for its budget").isEqualTo(Action.SKIP);
        assertThat(by.get("i-old-keep").findings()).extracting(f -> f.rule()).containsExactly("budget");
        assertThat(by.get("i-old-keep").setTags()).containsKey("curfew:action");
    }

    @Test
    void aTopUpRaisesThisWeeksLimitAndTheCoursesOfTheSameUnit() {
        Policy p = policy("{weekly: 10.00, course: 30.00}");
        Spend s = dollars("alice", 12, 31);
        assertThat(check(p, List.of(s), Map.of(), Set.of(), List.of()).over()).containsExactly("alice");
        BudgetCheck.Result topped = check(p, List.of(s), Map.of("ALICE", new TopUp(5, 0)), Set.of(), List.of());
        assertThat(topped.over()).isEmpty();
        assertThat(topped.standings().get("alice").text()).isEqualTo("this week: $12.00 of your $15.00; the course "
                + "so far: $31.00 of your $35.00 (Curfew's estimate)");
        assertThat(check(p, List.of(s), Map.of("alice", new TopUp(0, 5)), Set.of(), List.of()).over())
                .as("hours do not raise a limit in dollars").containsExactly("alice");
    }

    @Test
    void hoursCountAgainstAnHourBudgetAndTheCourseLimitAlone() {
        Policy p = policy("{course: 50h}");
        Spend hours = new Spend("bob", WEEK, 100, 100, 10, 50, Spend.Source.COST_EXPLORER);
        BudgetCheck.Result r = check(p, List.of(hours), Map.of(), Set.of(), List.of(running("i-b", "bob")));
        assertThat(r.over()).containsExactly("bob");
        assertThat(r.standings().get("bob").text()).isEqualTo("the course so far: 50.0 h of your 50 h (billed, "
                + "from Cost Explorer)");
        assertThat(r.stops()).containsOnlyKeys("i-b");
    }

    @Test
    void twoSpendsOfOneStudentAddUpAndAStudentsOwnBudgetWins() {
        Policy p = policy("{weekly: 10.00, students: {alice: 30.00}}");
        BudgetCheck.Result r = check(p, List.of(dollars("alice", 12, 12), dollars("ALICE", 13, 13),
                dollars("bob", 11, 11)), Map.of(), Set.of(), List.of());
        assertThat(r.standings().get("alice").weekSpent()).isEqualTo(25);
        assertThat(r.over()).containsExactly("bob");
    }

    @Test
    void noBudgetsDecidesNothing() {
        Policy p = PolicyLoader.load("course: t", "p");
        BudgetCheck.Result r = BudgetCheck.check(p.budgets(), WEEK, List.of(dollars("alice", 1000, 1000)), Map.of(),
                Set.of(), List.of(running("i-a", "alice")), p.ownerTag());
        assertThat(r.standings()).isEmpty();
        assertThat(r.stops()).isEmpty();
    }

    @Test
    void theOverBudgetRecordReadsBackAndTheLauncherWeighsItAgainstTheBudgetAsItIsNow() {
        Spend s = new Spend("alice", WEEK, 10.5, 20.25, 3, 7.5, Spend.Source.COST_EXPLORER);
        assertThat(OverBudget.parse("alice", OverBudget.wire(s))).isEqualTo(s);
        assertThat(OverBudget.parse("alice", "weekDollars=lots")).isNull();
        BudgetRules ten = policy("{weekly: 10.00}").budgets();
        Standing st = OverBudget.refuses(ten, s, TopUp.NONE);
        assertThat(st).isNotNull();
        assertThat(OverBudget.figures(st, WEEK.plusSeconds(7 * 86400))).containsEntry("weekSpent", 10.5)
                .containsEntry("weekLimit", 10.0).containsEntry("weekUnit", "USD")
                .containsEntry("weekEnds", "2026-12-07T00:00:00Z");
        assertThat(OverBudget.refuses(ten, s, new TopUp(1, 0))).as("topped up").isNull();
        assertThat(OverBudget.refuses(policy("{weekly: 20.00}").budgets(), s, TopUp.NONE)).as("raised").isNull();
        assertThat(OverBudget.refuses(ten, null, TopUp.NONE)).as("no record").isNull();
        assertThat(TopUp.parse(new TopUp(5, 2.5).wire())).isEqualTo(new TopUp(5, 2.5));
        assertThat(new TopUp(5, 2.5).show()).isEqualTo("+$5.00 and +2.5 h");
    }
}
