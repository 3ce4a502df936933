package dev.curfew.function.sweeper;

import static org.assertj.core.api.Assertions.assertThat;

import dev.curfew.core.accounts.AccountFigures;
import dev.curfew.core.accounts.AccountRun;
import dev.curfew.core.accounts.AccountTarget;
import dev.curfew.core.page.ClassPage;
import dev.curfew.core.plan.Plan;
import dev.curfew.core.report.SweepReport;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The runs as the summary step sees them after the budget stops: a stopped instance moves from what runs to what the
 * pass did (dry-run: enforce would stop it), a failed stop is counted as failed, a stop not made is said; an account
 * without stops is as it was.
 */
class BudgetStopsTest {
    static final AccountTarget HOME = new AccountTarget("123456789012", null, AccountTarget.Source.HOME);
    static final AccountTarget ALICE = new AccountTarget("111111111111", "alice", AccountTarget.Source.ROSTER);
    static final Instant NOW = Instant.parse("2026-11-30T18:00:40Z");

    static SweepReport.Row row(String id, String decision, String outcome) {
        return new SweepReport.Row("ec2-instance", id, "lab", "eu-west-1", "alice", "running", "t3.micro", List.of(),
                decision, "stop".equals(decision) ? "over budget" : "busy", outcome, "failed".equals(outcome)
                ? "UnauthorizedOperation" : null, 0.0104);
    }

    static ClassPage.Entry running(String id) {
        return new ClassPage.Entry("lab", "EC2 instance " + id + ", t3.micro, eu-west-1", null, false);
    }

    static AccountRun run(AccountTarget t, String mode, String... ids) {
        SweepReport r = new SweepReport("C", t.account(), mode, NOW, 1, List.of("eu-west-1"), Map.of(), null,
                new Plan.Breaker(false, 0, 10), java.util.Arrays.stream(ids).map(id -> row(id, "skip", "none"))
                .toList(), Map.of());
        return AccountRun.swept(t, r).withFigures(new AccountFigures(List.of(), null, List.of(new ClassPage.Student(
                "alice", null, java.util.Arrays.stream(ids).map(BudgetStopsTest::running).toList(), List.of(),
                List.of(), 0, null, null))));
    }

    static BudgetStops.Result made(AccountTarget t, SweepReport.Row... rows) {
        return new BudgetStops.Result(t, List.of("alice"), AccountRun.Status.SWEPT, null, List.of(rows), Map.of());
    }

    @Test
    void aStoppedInstanceShowsAsStoppedAndAFailedStopAsFailed() {
        List<AccountRun> after = BudgetStops.applied(List.of(run(HOME, "enforce", "i-1", "i-2", "i-3"),
                run(ALICE, "enforce", "i-9")), List.of(made(HOME, row("i-1", "stop", "done"),
                row("i-2", "stop", "failed"))));

        ClassPage.Student home = after.get(0).figures().students().get(0);
        assertThat(home.running()).extracting(ClassPage.Entry::what).containsExactly(running("i-2").what(),
                running("i-3").what());
        assertThat(home.acted()).extracting(ClassPage.Entry::note, ClassPage.Entry::failed).containsExactly(
                org.assertj.core.groups.Tuple.tuple(BudgetStops.STOPPED, false),
                org.assertj.core.groups.Tuple.tuple("could not be " + BudgetStops.STOPPED + ": UnauthorizedOperation",
                        true));
        assertThat(home.failed()).isEqualTo(1);
        // the report: the stop rows replace the account's rows of the same instances
        assertThat(after.get(0).report().rows()).extracting(SweepReport.Row::id, SweepReport.Row::outcome)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("i-1", "done"),
                        org.assertj.core.groups.Tuple.tuple("i-2", "failed"),
                        org.assertj.core.groups.Tuple.tuple("i-3", "none"));
        // an account without stops is as it was
        assertThat(after.get(1)).isEqualTo(run(ALICE, "enforce", "i-9"));
    }

    @Test
    void aStopKeepsTheAccountsFiguresOfTheWeeksOverForTheSummarysSums() {
        AccountFigures.Week week = new AccountFigures.Week("2026-11-23", Map.of("alice",
                new dev.curfew.core.spend.ClosedWeeks.Figures(4.5, 3.0)), null);
        AccountRun before = run(ALICE, "enforce", "i-9");
        before = before.withFigures(before.figures().withWeeks(List.of(week)));
        AccountRun after = BudgetStops.applied(List.of(before), List.of(made(ALICE, row("i-9", "stop", "done"))))
                .get(0);
        assertThat(after.figures().students().get(0).running()).isEmpty();
        assertThat(after.figures().weeks()).as("the summary sums and closes the weeks from these").containsExactly(week);
    }

    @Test
    void inADryRunTheInstanceStillRunsAndThePageSaysEnforceWouldStopIt() {
        List<AccountRun> after = BudgetStops.applied(List.of(run(ALICE, "dry-run", "i-9")),
                List.of(made(ALICE, row("i-9", "stop", "would"))));

        ClassPage.Student s = after.get(0).figures().students().get(0);
        assertThat(s.running()).singleElement().satisfies(e -> assertThat(e.note())
                .isEqualTo("enforce would stop it: over budget"));
        assertThat(s.acted()).singleElement().satisfies(e -> assertThat(e.note())
                .isEqualTo("would be " + BudgetStops.STOPPED));
    }

    @Test
    void aStopNotMadeIsSaidAndChangesNoRun() {
        AccountsWork.Stop stop = new AccountsWork.Stop(ALICE, Map.of("alice", StateMachineDefinitionTest.SPENT));
        BudgetStops.Result notMade = BudgetStops.Result.notMade(stop, "unreachable: AccessDenied");
        BudgetStops.Result regionLeft = new BudgetStops.Result(HOME, List.of("alice"), AccountRun.Status.SWEPT, null,
                List.of(), Map.of("us-east-1", "AccessDenied"));

        assertThat(BudgetStops.notMade(List.of(notMade, regionLeft, made(HOME)))).containsExactly(
                "account 111111111111 ([alice] over budget): failed: unreachable: AccessDenied",
                "account 123456789012 ([alice] over budget): us-east-1 could not be read: AccessDenied");
        assertThat(made(HOME).line()).isEqualTo("account 123456789012 ([alice] over budget): nothing running to stop");
        AccountRun before = run(ALICE, "enforce", "i-9");
        assertThat(BudgetStops.applied(List.of(before), List.of(notMade))).containsExactly(before);
    }

    /** A stop made for the owners Curfew recorded over budget says which owners it skipped, and why. */
    @Test
    void aStopThatSkippedOwnersNotRecordedOverBudgetSaysSo() {
        String why = AwsAccountsWork.notRecorded(List.of("mallory"), "2026-11-30");
        BudgetStops.Result skipped = new BudgetStops.Result(HOME, List.of("alice", "mallory"),
                AccountRun.Status.SWEPT, why, List.of(), Map.of());

        assertThat(why).isEqualTo("[mallory] not recorded over budget this week (2026-11-30): nothing of theirs was "
                + "stopped");
        assertThat(BudgetStops.notMade(List.of(skipped))).containsExactly("account 123456789012 ([alice, mallory] "
                + "over budget): " + why);
        assertThat(skipped.line()).endsWith("nothing running to stop; " + why);
    }
}
