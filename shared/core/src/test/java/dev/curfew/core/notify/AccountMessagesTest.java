package dev.curfew.core.notify;

import static dev.curfew.core.notify.Fixtures.CURFEW;
import static dev.curfew.core.notify.Fixtures.policy;
import static dev.curfew.core.notify.Fixtures.row;
import static dev.curfew.core.notify.RenderingTest.texts;
import static org.assertj.core.api.Assertions.assertThat;

import dev.curfew.core.accounts.AccountRun;
import dev.curfew.core.accounts.AccountTarget;
import dev.curfew.core.plan.Plan;
import dev.curfew.core.policy.Policy;
import dev.curfew.core.report.SweepReport;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The messages of a sweep of many accounts, rendered without any network: the instructor's summary for one account,
 * for three (one unreachable) and for a hundred (bounded, problems first), and the student's "Curfew can no longer
 * reach your account".
 */
class AccountMessagesTest {
    static final Instant NOW = CURFEW.plusSeconds(60);
    static final String REFUSED = "AccessDenied: User: arn:aws:sts::123456789012:assumed-role/curfew-SweeperRole-1A2B/"
            + "curfew-sweeper is not authorized to perform: sts:AssumeRole on resource: "
            + "arn:aws:iam::222222222222:role/curfew-access";
    static final String EVIL = "Bob <b>Builder</b> & Co <!channel>";
    final Policy enforce = policy("enforce");
    final Policy dryRun = policy("dry-run");

    static Roster roster() {
        return RosterParser.parse("""
                owner,name,email,slack,account
                alice,Alice Liddell,alice@example.edu,U01ALICE,111111111111
                bob,"%s",bob@example.edu,,222222222222
                """.formatted(EVIL), "roster.csv");
    }

    static SweepReport report(String account, String mode, List<SweepReport.Row> rows) {
        return report(account, mode, rows, Map.of(), new Plan.Breaker(false, rows.size(), 100));
    }

    static SweepReport report(String account, String mode, List<SweepReport.Row> rows, Map<String, String> regionErrors,
                              Plan.Breaker breaker) {
        return new SweepReport("Cloud Computing 101", account, mode, NOW, 1234, List.of("eu-west-1"), regionErrors,
                "passed", breaker, rows, Map.of());
    }

    static SweepReport.Row terminated(String id, String owner, String mode) {
        return row("ec2-instance", id, null, "eu-west-1", owner, "terminate", "enforce".equals(mode) ? "done"
                : "would", "terminated", 0.0104, "still running since before curfew");
    }

    static AccountRun home(String mode) {
        return AccountRun.swept(new AccountTarget("123456789012", null, AccountTarget.Source.HOME),
                report("123456789012", mode, List.of(terminated("i-0class", "carol", mode))));
    }

    /** Alice's account swept with a failed action and a personal instance out of scope; Bob's role refused. */
    static List<AccountRun> three(String mode) {
        AccountRun alice = AccountRun.swept(new AccountTarget("111111111111", "alice", AccountTarget.Source.ROSTER),
                report("111111111111", mode, List.of(
                        terminated("i-0alice", "alice", mode),
                        row("ebs-volume", "vol-0alice", null, "eu-west-1", "alice", "snapshot-then-delete", "failed",
                                "IncorrectState: the volume is busy", 0.0088, "unattached"),
                        new SweepReport.Row("ec2-instance", "i-0personal", null, "eu-west-1", "alice", "running",
                                "t3.micro", List.of(), "skip", "out of scope: created 2026-01-02T10:00:00Z, before "
                                + "enrolment (2026-09-01T00:00:00Z); left alone", "none", null, 0.0104))));
        AccountRun bob = AccountRun.notSwept(new AccountTarget("222222222222", "bob", AccountTarget.Source.ROSTER),
                AccountRun.Status.UNREACHABLE, REFUSED);
        return List.of(alice, bob, home(mode));
    }

    Digest summary(Policy p, List<AccountRun> runs, List<Delivery> deliveries) {
        return AccountDigests.summary(p, "curfew", NOW, runs, roster(), Digests.instructor(p), deliveries);
    }

    static String slackText(Message m) {
        StringBuilder b = new StringBuilder();
        m.slack().forEach(x -> b.append(String.join("\n", texts(x))).append('\n'));
        return b.toString();
    }

    @Test
    void oneAccountReadsAsTheDaysSummary() {
        Message m = Renderer.render(summary(enforce, List.of(home("enforce")), List.of()));

        assertThat(m.subject()).isEqualTo("[Cloud Computing 101] Curfew summary for Wed 25 Nov 2026, 1 account: "
                + "1 found, 1 done, 0 errors, about $7.59/month saved");
        assertThat(m.text()).contains("over the class account (enforce): 1 of 1 swept.")
                .contains("Nothing went wrong: every account was swept, every action done.")
                .contains("123456789012 class account: 1 found, 1 done, 0 failed, about $7.59/month saved, 0 out of "
                        + "scope")
                .doesNotContain("WHAT DID NOT HAPPEN").doesNotContain("\n\n\n");
        assertThat(m.html()).contains("1 account").contains("Nothing went wrong");
        assertThat(m.slack()).singleElement();
        assertThat(slackText(m)).contains("<@U0TEACHER>").contains("`123456789012` class account")
                .doesNotContain("What did not happen");
    }

    @Test
    void threeAccountsOneUnreachableListsWhatDidNotHappenFirst() {
        List<Delivery> told = List.of(new Delivery("bob", AccountDigests.UNREACHABLE, "email", "bob@example.edu", 1,
                Delivery.Status.SENT, "SES message 1"));
        Digest d = summary(enforce, three("enforce"), told);
        Message m = Renderer.render(d);

        assertThat(m.subject()).isEqualTo("[Cloud Computing 101] Curfew summary for Wed 25 Nov 2026, 3 accounts: "
                + "1 not swept, 3 found, 2 done, 1 error, about $15.18/month saved");
        assertThat(d.accounts().outOfScope()).isEqualTo("1");
        String text = m.text();
        assertThat(text).contains("over the class account and 2 students' own accounts (enforce): 2 of 3 swept; 1 "
                        + "not, and nothing in it was cleaned up.")
                .contains("Accounts Curfew could not reach (1):\n  - 222222222222 " + EVIL + " (bob): unreachable: " + REFUSED
                        + "; nothing there was cleaned up; " + EVIL + " was told")
                .contains("Actions that failed (1):\n  - 111111111111 Alice Liddell (alice): EBS volume vol-0alice in "
                        + "eu-west-1: could not be snapshotted, then deleted: IncorrectState: the volume is busy")
                .contains("111111111111 Alice Liddell (alice): 2 found, 1 done, 1 failed, about $7.59/month saved, "
                        + "1 out of scope")
                .contains("123456789012 class account: 1 found, 1 done, 0 failed");
        // problems come before the accounts, in every rendering
        assertThat(text.indexOf("222222222222")).isLessThan(text.indexOf("Accounts swept"));
        assertThat(m.html().indexOf("What did not happen")).isLessThan(m.html().indexOf("Account swept"));
        String slack = slackText(m);
        assertThat(slack.indexOf("222222222222")).isLessThan(slack.indexOf("*Accounts swept*"));
        // names from the roster are escaped for each channel
        assertThat(m.html()).contains("Bob &lt;b&gt;Builder&lt;/b&gt; &amp; Co").doesNotContain("<b>Builder");
        assertThat(slack).contains("Bob &lt;b&gt;Builder&lt;/b&gt; &amp; Co &lt;!channel&gt;")
                .doesNotContain("<!channel>");
    }

    @Test
    void aHundredAccountsStayShortAndListEveryKindOfProblemFirst() {
        Message hundred = Renderer.render(summary(enforce, school(100), List.of()));
        Message thousand = Renderer.render(summary(enforce, school(1000), List.of()));

        for (Message m : List.of(hundred, thousand)) {
            assertThat(m.text().length()).as("text").isLessThan(25_000);
            assertThat(m.html().length()).as("html").isLessThan(60_000);
            assertThat(m.slack()).as("one Slack message").singleElement().satisfies(msg -> {
                assertThat((List<?>) msg.get("blocks")).hasSizeLessThanOrEqualTo(SlackLayout.MAX_BLOCKS);
                assertThat(texts(msg)).allSatisfy(t -> assertThat(t.length())
                        .isLessThanOrEqualTo(SlackLayout.MAX_SECTION));
            });
            String text = m.text();
            int fine = text.indexOf("accounts swept with nothing wrong");
            assertThat(fine).isPositive();
            for (String problem : List.of("Accounts Curfew could not reach", "Circuit breaker tripped (1)", "Actions that failed",
                    "Region errors", "unreachable: AccessDenied", "failed: every region failed")) {
                assertThat(text.indexOf(problem)).as(problem).isPositive().isLessThan(fine);
            }
        }
        // a thousand accounts cost the message hardly more than a hundred: the lists are capped
        assertThat(thousand.text().length()).isLessThan(hundred.text().length() + 2_000);
        String text = hundred.text();
        // 100 accounts: the class account (breaker tripped), 30 unreachable, 5 failed, 11 with failed actions (3 each)
        assertThat(text).contains("100 accounts: 35 not swept")
                .contains("Accounts Curfew could not reach (30):").contains("... and 15 more in the sweep's report.")
                .contains("Accounts whose sweep failed (5):")
                .contains("Actions that failed (33):").contains("... and 18 more in the sweep's report.")
                .contains("Region errors (11):")
                .contains("53 accounts swept with nothing wrong: 53 found, 53 done, 0 failed")
                .doesNotContain("more accounts with a problem");
        // 1,000 accounts: 30 swept with a problem, 15 of them listed
        assertThat(thousand.text()).contains("... and 15 more accounts with a problem, in the sweep's report.");
        assertThat(text.lines().filter(l -> l.startsWith("  - ")).toList())
                .allSatisfy(l -> assertThat(l.length()).isLessThanOrEqualTo(AccountDigests.MAX_ITEM + 4));
    }

    /** A school: the class account, then students' own accounts: unreachable, failed, with failed actions, fine. */
    static List<AccountRun> school(int n) {
        List<AccountRun> runs = new ArrayList<>();
        runs.add(AccountRun.swept(new AccountTarget("100000000000", null, AccountTarget.Source.HOME),
                report("100000000000", "enforce", List.of(terminated("i-0class", "x", "enforce")), Map.of(),
                        new Plan.Breaker(true, 140, 100))));
        for (int i = 1; i < n; i++) {
            String account = "%012d".formatted(200000000000L + i);
            String owner = "s%04d".formatted(i);
            AccountTarget t = new AccountTarget(account, owner, AccountTarget.Source.ROSTER);
            if (i <= 30) {
                runs.add(AccountRun.notSwept(t, AccountRun.Status.UNREACHABLE, REFUSED.replace("222222222222",
                        account) + " " + "x".repeat(400)));
            } else if (i <= 35) {
                runs.add(AccountRun.notSwept(t, AccountRun.Status.FAILED, "every region failed: eu-west-1: "
                        + "RequestExpired"));
            } else if (i <= 45 || i % 50 == 0) {
                List<SweepReport.Row> rows = new ArrayList<>();
                for (int k = 0; k < 3; k++) {
                    rows.add(row("ec2-instance", "i-%s-%d".formatted(owner, k), null, "eu-west-1", owner,
                            "terminate", "failed", "UnauthorizedOperation: " + "y".repeat(200), 0.0104, "running"));
                }
                runs.add(AccountRun.swept(t, report(account, "enforce", rows, Map.of("us-east-1", "AuthFailure"),
                        new Plan.Breaker(false, 3, 100))));
            } else {
                runs.add(AccountRun.swept(t, report(account, "enforce", List.of(terminated("i-" + owner, owner,
                        "enforce")))));
            }
        }
        return runs;
    }

    @Test
    void aFewAccountsAreListedOneByOneAndAFailedAccountWithItsError() {
        List<AccountRun> runs = new ArrayList<>(three("enforce"));
        runs.add(AccountRun.notSwept(new AccountTarget("333333333333", "zoe", AccountTarget.Source.ROSTER),
                AccountRun.Status.FAILED, "every region failed: eu-west-1: RequestExpired"));
        runs.add(AccountRun.notSwept(new AccountTarget("555555555555", "dave", AccountTarget.Source.ROSTER),
                AccountRun.Status.UNREACHABLE, "AccessDenied: not authorized"));
        runs.add(AccountRun.notSwept(new AccountTarget("444444444444", null, AccountTarget.Source.ORGANIZATION),
                AccountRun.Status.REFUSED_BY_GUARD, "the credentials are of account 555555555555"));
        String text = Renderer.render(summary(enforce, runs, List.of())).text();

        assertThat(text).contains("Accounts Curfew could not reach (2):\n"
                + "  - 222222222222 " + EVIL + " (bob): unreachable: " + REFUSED + "; nothing there was cleaned up\n"
                + "  - 555555555555 dave (not in the roster): unreachable: AccessDenied: not authorized; nothing there "
                + "was cleaned up; the student was not told: the roster has no dave\n")
                .contains("Accounts refused by the account guard (1):\n"
                        + "  - 444444444444 Organization account: refused by the account guard: the credentials are "
                        + "of account 555555555555; nothing there was cleaned up\n")
                .contains("Accounts whose sweep failed (1):\n"
                        + "  - 333333333333 zoe (not in the roster): failed: every region failed: eu-west-1: "
                        + "RequestExpired; nothing there was cleaned up\n")
                .contains("2 of 6 swept; 4 not");
        // the accounts not swept are listed once, with their error, before the swept ones
        assertThat(text.indexOf("Accounts whose sweep failed")).isLessThan(text.indexOf("Accounts swept"));
        assertThat(text.split("333333333333", -1)).hasSize(2);
    }

    @Test
    void dryRunSaysWhatWouldBeDone() {
        Message m = Renderer.render(summary(dryRun, three("dry-run"), List.of(new Delivery("bob",
                AccountDigests.UNREACHABLE, "email", "bob@example.edu", 1, Delivery.Status.WOULD_SEND, "dry-run"))));

        assertThat(m.subject()).startsWith("[Cloud Computing 101] [dry run] Curfew summary").contains("2 would be done")
                .endsWith("to save");
        assertThat(m.text()).contains("DRY RUN: nothing was changed.").contains("Dry run: nothing was changed, and "
                + "students were not messaged.").contains("would be told (dry run)");
    }

    @Test
    void theStudentIsToldWhatItMeansAndWhatToDo() {
        AccountRun bob = three("enforce").get(1);
        Message m = Renderer.render(AccountDigests.unreachable(enforce, NOW, bob, roster().find("bob"), "eu-west-1",
                false));

        assertThat(m.subject()).isEqualTo("[Cloud Computing 101] Curfew can no longer reach your AWS account "
                + "222222222222");
        assertThat(m.text()).contains("Hello " + EVIL + ",")
                .contains("Curfew's sweep of Wed 25 Nov 18:01 Europe/Amsterdam could not reach your AWS account "
                        + "222222222222, so it did not look at it: nothing in it was stopped, deleted or emptied.")
                .contains("you may be charged for it")
                .contains("What AWS said: " + REFUSED)
                .contains("aws cloudformation describe-stacks --region eu-west-1 --stack-name curfew-student")
                .contains("its role curfew-access")
                .contains("they print it with ./curfew enroll --student bob")
                .contains("clean up yourself")
                .doesNotContain("DRY RUN").doesNotContain("\n\n\n");
        assertThat(m.html()).contains("Curfew can no longer reach your account").contains("Bob &lt;b&gt;Builder")
                .contains("./curfew enroll --student bob");
        String slack = slackText(m);
        assertThat(m.slack()).singleElement();
        assertThat(slack).contains("`./curfew enroll --student bob`").contains("```aws cloudformation describe-stacks")
                .contains("sts:AssumeRole");
        assertThat(Renderer.renderDirect(AccountDigests.unreachable(enforce, NOW, bob, roster().find("alice"),
                "eu-west-1", false)).slack().toString()).doesNotContain("<@U01ALICE>");
        assertThat(slackText(Renderer.render(AccountDigests.unreachable(enforce, NOW, bob, roster().find("alice"),
                "eu-west-1", false)))).contains("<@U01ALICE>");
    }

    @Test
    void inDryRunTheStudentIsToldItNeedsFixingBeforeCurfewActs() {
        AccountRun bob = three("dry-run").get(1);
        Message m = Renderer.render(AccountDigests.unreachable(dryRun, NOW, bob, roster().find("bob"), "eu-west-1",
                true));
        assertThat(m.subject()).startsWith("[Cloud Computing 101] [dry run] Curfew can no longer reach");
        assertThat(m.text()).contains("Curfew is still in its dry run (it changes nothing anywhere yet), but this "
                + "needs fixing before it starts.");
    }
}
