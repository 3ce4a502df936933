package dev.curfew.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.curfew.core.accounts.AccountRun;
import dev.curfew.core.accounts.AccountTarget;
import dev.curfew.core.plan.Plan;
import dev.curfew.core.report.Json;
import dev.curfew.core.report.SweepReport;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What {@code --accounts all} prints and exits with, without AWS. */
class AccountRunsTest {
    static final AccountTarget HOME = new AccountTarget("123456789012", null, AccountTarget.Source.HOME);
    static final AccountTarget ALICE = new AccountTarget("111111111111", "alice", AccountTarget.Source.ROSTER);
    static final AccountTarget BOB = new AccountTarget("222222222222", "bob", AccountTarget.Source.ROSTER);

    static SweepReport report(String account, String outcome) {
        return new SweepReport("c", account, "dry-run", Instant.parse("2026-11-30T18:00:00Z"), 5,
                List.of("eu-west-1"), Map.of(), "passed", new Plan.Breaker(false, 0, 100),
                List.of(new SweepReport.Row("ec2-instance", "i-1", "lab", "eu-west-1", "alice", "running",
                        "t3.micro", List.of(), "terminate", "forgotten", outcome, null, 0.01)),
                Map.of("ec2.DescribeInstances", 2L));
    }

    @Test
    void everyAccountSweptCleanlyExitsZero() {
        List<AccountRun> runs = List.of(AccountRun.swept(HOME, report("123456789012", "would")),
                AccountRun.swept(ALICE, report("111111111111", "done")));
        assertThat(AccountRuns.exitCode(runs)).isZero();
        assertThat(AccountRuns.total(runs)).isEqualTo("2 accounts: 2 swept");
    }

    @Test
    void anUnreachableAccountOrAFailedActionExitsOneAndIsCounted() {
        AccountRun bob = AccountRun.notSwept(BOB, AccountRun.Status.UNREACHABLE,
                "Curfew can no longer reach account 222222222222: the curfew-access role is not deployed");
        List<AccountRun> runs = List.of(AccountRun.swept(HOME, report("123456789012", "done")),
                AccountRun.swept(ALICE, report("111111111111", "failed")), bob);
        assertThat(AccountRuns.exitCode(runs)).isEqualTo(1);
        assertThat(AccountRuns.exitCode(List.of(runs.get(0), bob))).isEqualTo(1);
        assertThat(AccountRuns.exitCode(List.of(runs.get(0), runs.get(1)))).isEqualTo(1);
        assertThat(AccountRuns.total(runs)).isEqualTo("3 accounts: 2 swept, 1 unreachable; 1 swept with failures "
                + "(see their reports)");

        String text = AccountRuns.text(runs);
        assertThat(text.lines().filter(l -> l.startsWith("== "))).containsExactly(
                "== account 123456789012, class account: swept",
                "== account 111111111111 (alice), student's own account: swept",
                "== account 222222222222 (bob), student's own account: unreachable");
        assertThat(text).contains("   Curfew can no longer reach account 222222222222: the curfew-access role is "
                + "not deployed").endsWith("3 accounts: 2 swept, 1 unreachable; 1 swept with failures (see their "
                + "reports)");
        assertThat(text.indexOf("i-1")).as("the report follows its header").isGreaterThan(text.indexOf("== account "
                + "123456789012"));
    }

    @Test
    void jsonListsEveryAccountWithItsReportOrError() {
        String json = Json.write(AccountRuns.json(List.of(AccountRun.swept(HOME, report("123456789012", "would")),
                AccountRun.notSwept(BOB, AccountRun.Status.REFUSED_BY_GUARD, "account guard: no"))));
        assertThat(json).contains("\"accounts\"").contains("\"account\": \"123456789012\"")
                .contains("\"source\": \"home\"").contains("\"status\": \"swept\"").contains("\"owner\": null")
                .contains("\"status\": \"refused_by_guard\"").contains("\"error\": \"account guard: no\"")
                .contains("\"source\": \"roster\"").contains("\"owner\": \"bob\"").contains("\"report\": null")
                .contains("\"resources\"");
    }

    /** Every combination of up to three accounts, each of any status, a swept one with or without a failure. */
    @Test
    void exitZeroExactlyWhenEveryAccountIsSweptWithoutFailure() {
        List<AccountRun> kinds = new java.util.ArrayList<>();
        kinds.add(AccountRun.swept(HOME, report(HOME.account(), "done")));
        kinds.add(AccountRun.swept(HOME, report(HOME.account(), "failed")));
        for (AccountRun.Status s : AccountRun.Status.values()) {
            if (s != AccountRun.Status.SWEPT) {
                kinds.add(AccountRun.notSwept(HOME, s, "why"));
            }
        }
        int k = kinds.size();
        for (int n = 1; n <= 3; n++) {
            for (int code = 0; code < Math.pow(k, n); code++) {
                List<AccountRun> runs = new java.util.ArrayList<>();
                for (int i = 0, c = code; i < n; i++, c /= k) {
                    runs.add(kinds.get(c % k));
                }
                boolean clean = runs.stream().allMatch(r -> r == kinds.get(0));
                assertThat(AccountRuns.exitCode(runs)).as(runs.toString()).isEqualTo(clean ? 0 : 1);
                assertThat(AccountRuns.total(runs)).startsWith(n + " account");
            }
        }
    }

    @Test
    void badAccountThreadsAreNamedWithExitTwoBeforeAnyCall() {
        java.io.StringWriter out = new java.io.StringWriter();
        java.io.StringWriter err = new java.io.StringWriter();
        // an endpoint nothing listens on: reaching AWS would fail differently (exit 1)
        int code = Main.run(new java.io.PrintWriter(out), new java.io.PrintWriter(err), "plan", "--accounts", "all",
                "--account-threads", "0", "--endpoint-url", "http://127.0.0.1:9");
        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("curfew: --account-threads 0 is not between 1 and 64");
        assertThat(out.toString()).isEmpty();
    }

    /**
     * The spend table adds a student's figures from every account (alice: $2.00 in the class account, $9.00 in her
     * own), weighs the sum against her budget, and the JSON carries the same figures.
     */
    @Test
    void theSpendTableAddsEachStudentsAccountsUpAndWeighsTheSumAgainstTheBudget() throws Exception {
        dev.curfew.core.policy.Policy p = dev.curfew.core.policy.PolicyLoader.load("""
                accounts: ["123456789012"]
                time-zone: UTC
                budgets: {weekly: 10.00}
                """, "test");
        Instant now = Instant.parse("2026-12-02T18:00:00Z");
        Instant week = Instant.parse("2026-11-30T00:00:00Z");
        java.util.function.BiFunction<String, Double, dev.curfew.core.spend.Spend> spend = (who, usd) ->
                new dev.curfew.core.spend.Spend(who, week, usd, usd, 1, 1, dev.curfew.core.spend.Spend.Source.ESTIMATE);
        List<AccountRun> runs = List.of(
                AccountRun.swept(HOME, report("123456789012", "would")).withFigures(new dev.curfew.core.accounts
                        .AccountFigures(List.of(spend.apply("alice", 2.0), spend.apply("erin", 3.0)), null, List.of())),
                AccountRun.swept(ALICE, report("111111111111", "would")).withFigures(new dev.curfew.core.accounts
                        .AccountFigures(List.of(spend.apply("alice", 9.0)), null, List.of())));
        dev.curfew.core.spend.ClassSpend c = dev.curfew.core.page.AccountsPage.spend(p, runs, now)
                .withBudgets(p.budgets(), Map.of());
        dev.curfew.core.notify.Roster roster = new dev.curfew.core.notify.Roster("roster", Map.of("alice",
                new dev.curfew.core.notify.Contact("alice", "Alice", "alice@example.edu", null, "111111111111")),
                List.of());

        assertThat(AccountRuns.spendText(p, c, roster)).startsWith("== spend (").contains(
                "   Alice, alice: $11.00 of $10.00 / $11.00 / 2.0 h, estimate, OVER BUDGET\n",
                "   not in the roster, erin: $3.00 of $10.00 / $3.00 / 1.0 h, estimate\n",
                "Curfew's estimate from list prices");
        com.fasterxml.jackson.databind.JsonNode json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(
                Json.write(AccountRuns.json(runs, List.of(), p, c, roster))).get("spend");
        assertThat(json).hasSize(2);
        assertThat(json.get(0).get("name").asText()).isEqualTo("Alice");
        assertThat(json.get(0).get("weekDollars").asDouble()).isEqualTo(11.0);
        assertThat(json.get(0).get("weekLimit").asText()).isEqualTo("10.00");
        assertThat(json.get(0).get("percent").asInt()).isEqualTo(110);
        assertThat(json.get(0).get("overBudget").asBoolean()).isTrue();
        assertThat(json.get(1).get("name").isNull()).isTrue();
        assertThat(json.get(1).get("overBudget").asBoolean()).isFalse();
    }
}
