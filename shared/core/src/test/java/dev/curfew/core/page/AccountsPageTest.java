package dev.curfew.core.page;

import static org.assertj.core.api.Assertions.assertThat;

import dev.curfew.core.accounts.AccountFigures;
import dev.curfew.core.accounts.AccountRun;
import dev.curfew.core.accounts.AccountTarget;
import dev.curfew.core.budget.Amount;
import dev.curfew.core.budget.BudgetRules;
import dev.curfew.core.budget.CourseWeek;
import dev.curfew.core.notify.AccountDigests;
import dev.curfew.core.notify.Digest;
import dev.curfew.core.notify.Digests;
import dev.curfew.core.notify.Message;
import dev.curfew.core.notify.Renderer;
import dev.curfew.core.notify.Roster;
import dev.curfew.core.notify.RosterParser;
import dev.curfew.core.plan.Plan;
import dev.curfew.core.policy.Policy;
import dev.curfew.core.policy.PolicyLoader;
import dev.curfew.core.report.SweepReport;
import dev.curfew.core.spend.ClassSpend;
import dev.curfew.core.spend.Spend;
import dev.curfew.core.spend.SpendEstimator;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The spend table and the class page after a sweep of many accounts, from what each account's run carried: a
 * student's figures from two accounts are added up, the budget comes from the policy, a roster student with nothing
 * anywhere still has a row, an account not swept is one of the page's failures, and the summary shows the table and
 * the page's link in every rendering.
 */
class AccountsPageTest {
    static final Instant NOW = Instant.parse("2026-11-25T18:01:00Z");
    static final Instant WEEK = CourseWeek.start(java.time.ZoneOffset.UTC, NOW);
    final Policy policy = PolicyLoader.load("""
            course: Cloud 101
            time-zone: UTC
            accounts: ["123456789012"]
            regions: [eu-west-1]
            notifications: {instructor: {name: Dr Who}}
            """, "test").withBudgets(new BudgetRules(Amount.dollars(10), null, Map.of("bob", Amount.hours(20))));
    final Roster roster = RosterParser.parse("""
            owner,name,email,slack,account
            alice,Alice Liddell,alice@example.edu,,111111111111
            bob,Bob,bob@example.edu,,222222222222
            carol,Carol,carol@example.edu,,
            """, "roster.csv");

    static SweepReport report(String account) {
        return new SweepReport("Cloud 101", account, "enforce", NOW, 10, List.of("eu-west-1"), Map.of(), "passed",
                new Plan.Breaker(false, 0, 100), List.of(), Map.of());
    }

    static ClassPage.Student row(String owner, String what) {
        return new ClassPage.Student(owner, null, List.of(new ClassPage.Entry("lab", what, null, false)), List.of(),
                List.of(), 0, null, null);
    }

    static Spend spend(String who, double week, Spend.Source source) {
        return new Spend(who, WEEK, week, week * 2, 1, 2, source);
    }

    List<AccountRun> runs() {
        AccountRun home = AccountRun.swept(new AccountTarget("123456789012", null, AccountTarget.Source.HOME),
                report("123456789012")).withFigures(new AccountFigures(List.of(spend("alice", 1.0,
                Spend.Source.ESTIMATE), spend(SpendEstimator.NOBODY, 0.5, Spend.Source.ESTIMATE)), null,
                List.of(row("alice", "EC2 instance i-0class"), row(null, "EC2 instance i-0nobody"))));
        AccountRun alice = AccountRun.swept(new AccountTarget("111111111111", "alice", AccountTarget.Source.ROSTER),
                report("111111111111")).withFigures(new AccountFigures(List.of(spend("alice", 12.0,
                Spend.Source.COST_EXPLORER)), "Cost Explorer lags a day.", List.of(row("alice",
                "EC2 instance i-0own, account 111111111111"))));
        AccountRun bob = AccountRun.notSwept(new AccountTarget("222222222222", "bob", AccountTarget.Source.ROSTER),
                AccountRun.Status.UNREACHABLE, "AccessDenied: not authorized");
        return List.of(home, alice, bob);
    }

    @Test
    void aStudentsSpendFromTwoAccountsIsAddedUpWithTheirDollarBudget() {
        ClassSpend s = AccountsPage.spend(policy, runs(), NOW).withBudgets(policy.budgets(), Map.of());

        // estimate + billed: the dollars count as the estimate
        assertThat(s.of("alice")).isEqualTo(new Spend("alice", WEEK, 13.0, 26.0, 2, 4, Spend.Source.ESTIMATE));
        assertThat(s.budget("alice").week()).isEqualTo(dev.curfew.core.budget.Amount.dollars(10.0));
        assertThat(s.unowned().weekDollars()).isEqualTo(0.5);
        assertThat(s.note()).isEqualTo("Cost Explorer lags a day.");
        assertThat(s.of("bob")).isNull();
    }

    @Test
    void thisWeeksTopUpRaisesTheLimitTheSpendIsWeighedAgainst() {
        ClassSpend s = AccountsPage.spend(policy, runs(), NOW).withBudgets(policy.budgets(),
                Map.of("Alice", new dev.curfew.core.budget.TopUp(5.0, 0)));

        assertThat(s.budget("alice").week()).isEqualTo(dev.curfew.core.budget.Amount.dollars(15.0));
        assertThat(s.standing("alice").over()).isFalse();
        assertThat(s.budget("bob")).isNull();
    }

    @Test
    void thePageHasEveryStudentTheirRowsFromEveryAccountAndTheAccountsNotSwept() {
        ClassPage page = AccountsPage.of(policy, NOW, runs(), List.of("the Organization unit ou-x was not listed"),
                roster, AccountsPage.spend(policy, runs(), NOW).withBudgets(policy.budgets(), Map.of()), List.of(),
                "none");

        assertThat(page.account()).isEqualTo("3 accounts");
        assertThat(page.students()).extracting(ClassPage.Student::owner).containsExactly("alice", "bob", "carol",
                null);
        ClassPage.Student alice = page.students().get(0);
        assertThat(alice.name()).isEqualTo("Alice Liddell");
        assertThat(alice.running()).extracting(ClassPage.Entry::what).containsExactly("EC2 instance i-0class",
                "EC2 instance i-0own, account 111111111111");
        assertThat(alice.spend().weekDollars()).isEqualTo(13.0);
        assertThat(alice.budget().weekLimit()).isEqualTo(dev.curfew.core.budget.Amount.dollars(10.0));
        assertThat(alice.budget().over()).isTrue();
        assertThat(page.students().get(1).running()).isEmpty();
        assertThat(page.failures()).containsExactly("the Organization unit ou-x was not listed",
                "Account 222222222222 (bob's own account): unreachable: AccessDenied: not authorized; nothing there "
                        + "was cleaned up.");
        assertThat(ClassPageHtml.render(page)).contains("Alice Liddell").contains("i-0own, account 111111111111")
                .contains("222222222222").contains("$13.00");
    }

    @Test
    void theSummaryAcrossAccountsShowsTheSpendAndThePageLinkInEveryRendering() {
        ClassSpend spend = AccountsPage.spend(policy, runs(), NOW).withBudgets(policy.budgets(), Map.of());
        Digest d = AccountDigests.summary(policy, "curfew", NOW, runs(), List.of(), roster,
                Digests.instructor(policy), List.of(), spend, new Digest.Page("https://pages.example/p.html?X=1",
                        "Thu 26 Nov 06:01 UTC", null));
        Message m = Renderer.render(d);

        assertThat(m.text()).contains("Alice Liddell, alice: $13.00 of $10.00 / $26.00 / 2.0 h, estimate")
                .contains("https://pages.example/p.html?X=1").contains("Thu 26 Nov 06:01 UTC")
                .contains("Cost Explorer lags a day.");
        assertThat(m.html()).contains("Open the class page").contains("$13.00 of $10.00");
        assertThat(m.slack().toString()).contains("Open the class page").contains("$13.00 of $10.00");
        // without figures (the warning, the idle check) neither shows
        Message plain = Renderer.render(AccountDigests.summary(policy, "curfew", NOW, runs(), roster,
                Digests.instructor(policy), List.of()));
        assertThat(plain.text()).doesNotContain("Spent").doesNotContain("class page");
    }
}
