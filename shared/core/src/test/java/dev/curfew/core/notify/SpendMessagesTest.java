package dev.curfew.core.notify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.curfew.core.plan.Plan;
import dev.curfew.core.policy.Policy;
import dev.curfew.core.report.SweepReport;
import dev.curfew.core.spend.ClassSpend;
import dev.curfew.core.spend.Spend;
import dev.curfew.core.spend.SpendEstimator;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What students and the instructor are told about spend. */
class SpendMessagesTest {
    static final Instant MONDAY = Instant.parse("2026-11-22T23:00:00Z");
    final Policy policy = Fixtures.policy("enforce");
    final Roster roster = Fixtures.roster();
    final List<Item> items = List.of(
            Fixtures.item(Fixtures.row("ec2-instance", "i-1", null, "eu-west-1", "alice", "terminate", "would", null,
                    0.0104, "still running")),
            Fixtures.item(Fixtures.row("ec2-instance", "i-2", null, "eu-west-1", "bob", "terminate", "would", null,
                    0.0104, "still running")),
            Fixtures.item(Fixtures.row("ec2-instance", "i-3", null, "eu-west-1", null, "terminate", "would", null,
                    0.0104, "still running")));
    final ClassSpend spend = new ClassSpend(MONDAY, Fixtures.CURFEW, Map.of(
            "Alice", new Spend("Alice", MONDAY, 3.1, 12.4, 66, 200, Spend.Source.ESTIMATE)),
            new Spend(SpendEstimator.NOBODY, MONDAY, 9, 9, 66, 66, Spend.Source.ESTIMATE), List.of(), null, Map.of());

    static Digest to(List<Digest> ds, String owner) {
        return ds.stream().filter(d -> java.util.Objects.equals(d.to().owner(), owner)).findFirst().orElseThrow();
    }

    @Test
    void aStudentIsToldTheirSpendAndNobodyElses() {
        List<Digest> ds = Digests.warnings(policy, Fixtures.CURFEW, items, roster, false, spend);
        assertThat(to(ds, "alice").intro()).endsWith("Your spending this week (since Mon 23 Nov): $3.10; $12.40 in "
                + "total (Curfew's estimate from list prices).");
        // bob has no spend on record: no sentence; the instructor's digest of unowned resources has none either
        assertThat(to(ds, "bob").intro()).doesNotContain("spending");
        assertThat(to(ds, null).intro()).doesNotContain("spending", "$9.00");
        List<Digest> after = Digests.afterAction(policy, Fixtures.CURFEW, items, roster, true,
                spend.withBudgets(new dev.curfew.core.budget.BudgetRules(null, null,
                        Map.of("alice", dev.curfew.core.budget.Amount.dollars(10))), Map.of()));
        assertThat(to(after, "alice").intro()).contains("$3.10 of your $10.00");
        // without spend, the messages are as before
        assertThat(to(Digests.warnings(policy, Fixtures.CURFEW, items, roster, false), "alice").intro())
                .doesNotContain("spending");
    }

    @Test
    void theSpendLineSaysTheBudgetWithThisWeeksTopUpInDollarsOrHoursAndTheCourses() {
        dev.curfew.core.budget.BudgetRules rules = new dev.curfew.core.budget.BudgetRules(
                dev.curfew.core.budget.Amount.dollars(10), dev.curfew.core.budget.Amount.dollars(50), Map.of());
        // a top-up of $2.50 this week raises the week's limit and, this week, the course's
        List<Digest> ds = Digests.warnings(policy, Fixtures.CURFEW, items, roster, false, spend.withBudgets(rules,
                Map.of("alice", new dev.curfew.core.budget.TopUp(2.5, 0))));
        assertThat(to(ds, "alice").intro()).endsWith("Your spending this week (since Mon 23 Nov): $3.10 of your "
                + "$12.50; $12.40 of your $52.50 for the course (Curfew's estimate from list prices).");
        // an hours budget: the week's instance hours against it
        dev.curfew.core.budget.BudgetRules hours = new dev.curfew.core.budget.BudgetRules(null, null,
                Map.of("alice", dev.curfew.core.budget.Amount.hours(80)));
        ds = Digests.warnings(policy, Fixtures.CURFEW, items, roster, false, spend.withBudgets(hours, Map.of()));
        assertThat(to(ds, "alice").intro()).endsWith("Your spending this week (since Mon 23 Nov): $3.10, 66.0 h of "
                + "your 80 h; $12.40 in total (Curfew's estimate from list prices).");
        // the summary's table: the figures against the limits
        SweepReport report = Fixtures.report("enforce", items.stream().map(Item::row).toList(), Map.of(),
                new Plan.Breaker(false, 3, 100));
        Digest s = Digests.summary(policy, report, items, roster, Digests.instructor(policy), List.of(),
                spend.withBudgets(rules, Map.of()));
        assertThat(s.summary().spend()).extracting(Digest.SpendRow::week, Digest.SpendRow::total)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("$3.10 of $10.00", "$12.40 of $50.00"),
                        org.assertj.core.groups.Tuple.tuple("$9.00", "$9.00")); // nobody's: no budget
        // no budget for a student (none in the policy): the line as without budgets
        ds = Digests.warnings(policy, Fixtures.CURFEW, items, roster, false,
                spend.withBudgets(dev.curfew.core.budget.BudgetRules.none(), Map.of()));
        assertThat(to(ds, "alice").intro()).endsWith("): $3.10; $12.40 in total (Curfew's estimate from list "
                + "prices).");
    }

    @Test
    void theSummaryHasEveryStudentsSpendAndSaysWhereItIsFrom() {
        SweepReport report = Fixtures.report("enforce", items.stream().map(Item::row).toList(), Map.of(),
                new Plan.Breaker(false, 3, 100));
        ClassSpend billed = spend.withBilled(Map.of("carol", new dev.curfew.core.spend.Billed(1.5, 4)))
                .withNote("Cost Explorer could not be read (AccessDeniedException): Curfew's estimate is shown.");
        Digest s = Digests.summary(policy, report, items, roster, Digests.instructor(policy), List.of(), billed);
        assertThat(s.summary().spend()).extracting(Digest.SpendRow::owner, Digest.SpendRow::week,
                Digest.SpendRow::source, Digest.SpendRow::known).containsExactly(
                org.assertj.core.groups.Tuple.tuple("Alice", "$3.10", "estimate", true),
                org.assertj.core.groups.Tuple.tuple("carol", "$1.50", "billed", false),
                org.assertj.core.groups.Tuple.tuple(SpendEstimator.NOBODY, "$9.00", "estimate", false));
        assertThat(s.summary().spendNote()).contains("since Mon 23 Nov 00:00 Europe/Amsterdam", "Cost Explorer",
                "AccessDeniedException");
        Message r = Renderer.render(s);
        assertThat(r.text()).contains("Alice Liddell, Alice: $3.10 / $12.40 / 66.0 h, estimate");
        assertThat(r.html()).contains("$12.40").contains("AccessDeniedException");
        assertThat(r.slack().toString()).contains("$12.40 in total");
        assertThat(Digests.summary(policy, report, items, roster, Digests.instructor(policy), List.of()).summary()
                .hasSpend()).isFalse();
    }
}
