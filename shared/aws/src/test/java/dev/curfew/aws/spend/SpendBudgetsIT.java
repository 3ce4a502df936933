package dev.curfew.aws.spend;

import static org.assertj.core.api.Assertions.assertThat;

import dev.curfew.aws.AwsClients;
import dev.curfew.aws.budget.BudgetRecords;
import dev.curfew.aws.testing.FaultProxy;
import dev.curfew.aws.testing.MotoTest;
import dev.curfew.core.budget.Amount;
import dev.curfew.core.budget.CourseWeek;
import dev.curfew.core.model.Ec2Instance;
import dev.curfew.core.model.InstanceState;
import dev.curfew.core.plan.Action;
import dev.curfew.core.plan.Decision;
import dev.curfew.core.policy.Policy;
import dev.curfew.core.policy.PolicyLoader;
import dev.curfew.core.spend.ClassSpend;
import dev.curfew.core.spend.SpendText;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The students' spend lines against their budgets, against the moto server: this week's top-ups are read from SSM with
 * one listing however often a pass asks, and a listing that fails leaves the figures without budgets, saying why.
 */
class SpendBudgetsIT extends MotoTest {
    static final Instant NOW = Instant.parse("2026-11-25T17:00:00Z"); // a Wednesday
    final Policy policy = PolicyLoader.load("""
            time-zone: Europe/Amsterdam
            accounts: ["123456789012"]
            budgets:
              weekly: 10.00
              course: 50.00
              students:
                bob: 20h
            """, "test");
    final String week = CourseWeek.key(policy.timeZone(), NOW);

    /** What a sweep decided, made by hand: alice's and bob's instances, up since Monday 09:00 UTC (56 hours). */
    final List<Decision> decisions = List.of(decision("i-a", "alice"), decision("i-b", "bob"));

    static Decision decision(String id, String owner) {
        Instant launched = Instant.parse("2026-11-23T09:00:00Z");
        Ec2Instance i = new Ec2Instance(id, EU, "t3.micro", InstanceState.RUNNING, false, null, null, launched,
                launched, null, Map.of("curfew:owner", owner), null);
        return new Decision(i, owner, List.of(), Action.SKIP, "nothing to do", null);
    }

    @Test
    void theLineSaysTheBudgetWithThisWeeksTopUpReadOncePerPass() {
        new BudgetRecords(clients.ssm(EU), "curfew").addTopUp(week, "Alice", Amount.dollars(5));
        clients.counter().reset();
        Spending spending = new Spending(null, Clock.fixed(NOW, ZoneOffset.UTC))
                .withBudgets(new BudgetRecords(clients.ssm(EU), "curfew"));

        ClassSpend c = spending.of(policy, decisions);
        // the messages, then the page, of one pass: one listing of the top-ups
        spending.of(policy, decisions);
        spending.estimate(policy, decisions);
        assertThat(clients.counter().snapshot()).containsOnly(Map.entry("ssm:GetParametersByPath", 1L));

        assertThat(c.note()).isNull();
        assertThat(SpendText.withBudget(c.of("alice"), c.standing("alice"), policy.timeZone()))
                .matches("Your spending this week \\(since Mon 23 Nov\\): \\$0\\.\\d\\d of your \\$15\\.00; "
                        + "\\$0\\.\\d\\d of your \\$55\\.00 for the course \\(Curfew's estimate from list prices\\)\\.");
        // bob's own weekly budget is in instance hours: 56 of them since Monday
        assertThat(SpendText.withBudget(c.of("bob"), c.standing("bob"), policy.timeZone()))
                .contains(", 56.0 h of your 20 h; ").contains(" of your $50.00 for the course");
        assertThat(c.standing("bob").over()).isTrue();
    }

    @Test
    void aFailedReadLeavesTheLineWithoutTheBudgetAndSaysWhy() {
        try (FaultProxy proxy = FaultProxy.start(moto.endpoint(), 1.0, 7).kinds(FaultProxy.Fault.SERVER_ERROR);
             AwsClients failing = new AwsClients(moto.settingsThrough(proxy, EU, 1))) {
            Spending spending = new Spending(null, Clock.fixed(NOW, ZoneOffset.UTC))
                    .withBudgets(new BudgetRecords(failing.ssm(EU), "curfew"));
            ClassSpend c = spending.of(policy, decisions);
            spending.of(policy, decisions);
            // the failure is remembered: the pass does not ask again
            assertThat(failing.counter().get("ssm:GetParametersByPath")).isEqualTo(1);
            assertThat(c.standing("alice")).isNull();
            assertThat(SpendText.withBudget(c.of("alice"), c.standing("alice"), policy.timeZone()))
                    .doesNotContain("of your").contains(" in total (");
            assertThat(c.note()).startsWith("budgets: this week's top-ups could not be read (")
                    .endsWith("so the figures are shown without budgets");
        }
    }

    @Test
    void withoutBudgetsInThePolicyNothingIsRead() {
        Spending spending = new Spending(null, Clock.fixed(NOW, ZoneOffset.UTC))
                .withBudgets(new BudgetRecords(clients.ssm(EU), "curfew"));
        clients.counter().reset();
        ClassSpend c = spending.of(policy.withBudgets(dev.curfew.core.budget.BudgetRules.none()), decisions);
        assertThat(clients.counter().snapshot()).isEmpty();
        assertThat(c.budgets()).isEmpty();
    }
}
