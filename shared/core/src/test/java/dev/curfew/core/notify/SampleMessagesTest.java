package dev.curfew.core.notify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.curfew.core.plan.Plan;
import dev.curfew.core.policy.Policy;
import dev.curfew.core.report.SweepReport;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Renders a realistic warning, after-action digest and daily summary, the messages of a sweep of many accounts and
 * the sentinel's messages to files (HTML, text, Slack JSON), for people to look at: docs/messages/render.sh turns the HTML into PNGs with headless Chromium. Output goes to
 * {@code target/sample-messages} unless {@code -Dcurfew.samples-dir=...} says otherwise; every sample committed in
 * docs/messages must equal what the templates render now.
 */
class SampleMessagesTest {
    final Policy policy = Fixtures.policy("enforce");
    final Roster roster = RosterParser.parse("""
            owner,name,email,slack
            alice,Alice Liddell,alice@example.edu,U01ALICE
            bob,Bob Marley,bob@example.edu,U02BOB
            carol,Carol Danvers,carol@example.edu,
            """, "ssm:/curfew/roster");

    static Item item(SweepReport.Row r, Map<String, String> tags, Map<String, String> set) {
        return new Item(r, tags, set);
    }

    static SweepReport.Row row(String kind, String id, String name, String region, String owner, String type,
                               String decision, String outcome, String detail, Double cost, String finding) {
        return new SweepReport.Row(kind, id, name, region, owner, kind.equals("ec2-instance") ? "running" : null, type,
                finding == null ? List.of() : List.of(finding), decision, finding, outcome, detail, cost);
    }

    /**
     * What the class has spent: alice and dave.s by Curfew's estimate, bob billed by Cost Explorer; $10.00 a week
     * each, carol 40 instance hours.
     */
    static dev.curfew.core.spend.ClassSpend spend() {
        java.time.Instant monday = java.time.Instant.parse("2026-11-22T23:00:00Z");
        var est = dev.curfew.core.spend.Spend.Source.ESTIMATE;
        return new dev.curfew.core.spend.ClassSpend(monday, Fixtures.CURFEW, Map.of(
                "alice", new dev.curfew.core.spend.Spend("alice", monday, 3.10, 12.40, 66, 210, est),
                "bob", new dev.curfew.core.spend.Spend("bob", monday, 4.87, 9.02, 42, 80,
                        dev.curfew.core.spend.Spend.Source.COST_EXPLORER),
                "carol", new dev.curfew.core.spend.Spend("carol", monday, 5.81, 5.81, 55, 55, est),
                "dave.s", new dev.curfew.core.spend.Spend("dave.s", monday, 0.75, 0.75, 66, 66, est)),
                new dev.curfew.core.spend.Spend(dev.curfew.core.spend.SpendEstimator.NOBODY, monday, 0.66, 2.40, 0,
                        0, est), List.of(), null, Map.of()).withBudgets(new dev.curfew.core.budget.BudgetRules(
                dev.curfew.core.budget.Amount.dollars(10), null, Map.of("carol", dev.curfew.core.budget.Amount.hours(40))),
                Map.of());
    }

    @Test
    void renderSamples() throws Exception {
        Path dir = samplesDir();

        List<Item> warning = List.of(
                item(row("ec2-instance", "i-0a1b2c3d4e5f60718", "spark-lab <week 3>", "eu-west-1", "alice",
                        "t3.medium", "terminate", "would", null, 0.0456,
                        "still running since before curfew (Tue 24 Nov 18:00 Europe/Amsterdam)"),
                        Map.of("curfew:owner", "alice"), Map.of()),
                item(row("ebs-volume", "vol-0f9e8d7c6b5a43210", null, "eu-west-1", "alice", null,
                        "snapshot-then-delete", "would", null, 0.0088,
                        "unattached 100 GiB gp3 volume since 2026-11-24T16:02:11Z, $6.40/month"),
                        Map.of("curfew:owner", "alice"), Map.of()),
                item(row("s3-bucket", "alice-lab-results", null, null, "alice", null, "empty", "would", null, null,
                        "bucket not empty (versioned: every version counts)"),
                        Map.of("curfew:owner", "alice", "course", "cc101"), Map.of()),
                item(row("security-group", "sg-0123456789abcdef0", "launch-wizard-1", "eu-west-1", "alice", null,
                        "notify", "none", null, null, "opens SSH (22) to 0.0.0.0/0 to the whole internet"),
                        Map.of("curfew:owner", "alice"), Map.of()));
        Digest w = Digests.warnings(policy, Fixtures.CURFEW, warning, roster, false, spend()).get(0);
        write(dir, "warning", Renderer.render(w));

        String restore = "aws ec2 create-volume --region eu-west-1 --availability-zone eu-west-1b --snapshot-id "
                + "snap-0aa11bb22cc33dd44 --volume-type gp3 --tag-specifications "
                + "'ResourceType=volume,Tags=[{Key=curfew:owner,Value=alice}]'";
        List<Item> after = List.of(
                item(row("ec2-instance", "i-0a1b2c3d4e5f60718", "spark-lab <week 3>", "eu-west-1", "alice",
                        "t3.medium", "terminate", "done", "terminated", 0.0456, "still running since before curfew"),
                        Map.of(), Map.of()),
                item(row("ebs-volume", "vol-0f9e8d7c6b5a43210", null, "eu-west-1", "alice", null,
                        "snapshot-then-delete", "done", "snapshot snap-0aa11bb22cc33dd44 made, volume deleted; "
                                + "restore with: " + restore, 0.0088, "unattached 100 GiB gp3 volume"),
                        Map.of(), Map.of()),
                item(row("elastic-ip", "eipalloc-0abc1234", null, "us-east-1", "alice", null, "mark", "done",
                        "marked", 0.005, "Elastic IP 54.12.34.56 not associated with anything, $3.65/month"),
                        Map.of(), Map.of("curfew:pending", "release@2026-11-26T17:00:00Z")),
                item(row("ec2-instance", "i-0ffee1234567890ab", null, "us-east-1", "alice", "t3.micro",
                        "terminate", "failed", "protected: OperationNotPermitted: The instance may not be terminated. "
                                + "Modify its 'disableApiTermination' instance attribute and try again.", 0.0104,
                        "older than the 12h lifetime"), Map.of(), Map.of()));
        Digest a = Digests.afterAction(policy, Fixtures.CURFEW.plusSeconds(60), after, roster, false, spend())
                .get(0);
        write(dir, "after-action", Renderer.render(a));

        List<SweepReport.Row> rows = List.of(
                after.get(0).row(), after.get(1).row(), after.get(2).row(), after.get(3).row(),
                row("ec2-instance", "i-0b0b0b0b0b0b0b0b0", null, "eu-west-1", "bob", "m5.large", "stop", "done",
                        "stopped", 0.107, "idle: CPU 0.8% < 5% and network 1.2 MB < 5 MB over 2h"),
                row("s3-bucket", "bob-datasets", null, null, "bob", null, "empty", "done", "emptied: 1,204 object "
                        + "versions and delete markers deleted, 0 unfinished uploads aborted", null, "bucket not empty"),
                row("ec2-instance", "i-0c0c0c0c0c0c0c0c0", null, "ap-southeast-2", "carol", "t3.large",
                        "terminate", "done", "terminated", 0.1056, "still running since before curfew"),
                row("ec2-instance", "i-0d0d0d0d0d0d0d0d0", null, "eu-west-1", "dave.s", "t3.micro", "terminate",
                        "done", "terminated", 0.0114, "still running since before curfew"),
                row("ebs-volume", "vol-0e0e0e0e0e0e0e0e0", null, "eu-west-1", null, null, "snapshot-then-delete",
                        "done", "snapshot snap-1 made, volume deleted; restore with: aws ec2 create-volume ...", 0.004,
                        "unattached 50 GiB gp2 volume"));
        SweepReport report = new SweepReport("Cloud Computing 101", "123456789012", "enforce",
                Fixtures.CURFEW.plusSeconds(60), 8421, List.of("eu-west-1", "us-east-1", "ap-southeast-2"),
                Map.of("me-south-1", "AuthFailure: AWS was not able to validate the provided access credentials"),
                "passed", new Plan.Breaker(false, 8, 100), rows, Map.of());
        Roster withProblem = new Roster(roster.source(), roster.byOwner(),
                List.of("roster ssm:/curfew/roster line 5: email \"dave@\" is not an email address"));
        Digest s = Digests.summary(policy, report, rows.stream().map(r -> item(r, Map.of(), Map.of())).toList(),
                withProblem, Digests.instructor(policy), List.of(new Delivery("carol", "after-action", "email",
                        "carol@example.edu", 1, Delivery.Status.FAILED, "SES refused (MessageRejected: Email address "
                        + "is not verified. The following identities failed the check in region EU-WEST-1: "
                        + "carol@example.edu); the account is in the SES sandbox, where every recipient must be "
                        + "verified too: verify the recipient, or request production access")), spend())
                .withPage(new Digest.Page("https://curfew-classpagebucket-1a2b3c4d5e6f.s3.eu-west-1.amazonaws.com/"
                        + "class-page/index.html?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Date=20261125T170100Z"
                        + "&X-Amz-SignedHeaders=host&X-Amz-Expires=604800&X-Amz-Credential=ASIAEXAMPLE%2F20261125%2F"
                        + "eu-west-1%2Fs3%2Faws4_request&X-Amz-Signature=0123abcd", "Wed 2 Dec 18:01 Europe/Amsterdam",
                        null));
        write(dir, "summary", Renderer.render(s));

        assertThat(dir.resolve("warning.html")).exists();
        assertThat(dir.resolve("summary.html")).exists();
        assertCommittedSamplesCurrent(dir, "warning", "after-action", "summary");
    }

    /**
     * The messages of a sweep of many accounts: the instructor's summary of a class account and three students' own
     * accounts (one unreachable, one whose sweep failed), the same for a school of 100 accounts, and the unreachable
     * student's message.
     */
    @Test
    void renderAccountSamples() throws Exception {
        Path dir = samplesDir();
        Roster students = RosterParser.parse("""
                owner,name,email,slack,account
                alice,Alice Liddell,alice@example.edu,U01ALICE,111111111111
                bob,Bob Marley,bob@example.edu,U02BOB,222222222222
                carol,Carol Danvers,carol@example.edu,,333333333333
                """, "ssm:/curfew/roster");
        java.time.Instant now = Fixtures.CURFEW.plusSeconds(60);
        List<SweepReport.Row> classRows = List.of(
                row("ec2-instance", "i-0c1a55c1a55c1a55c", "demo <week 3>", "eu-west-1", "dave.s", "t3.medium",
                        "terminate", "done", "terminated", 0.0456, "still running since before curfew"),
                row("s3-bucket", "cc101-shared-scratch", null, null, "dave.s", null, "empty", "done",
                        "emptied: 312 object versions and delete markers deleted", null, "bucket not empty"));
        List<SweepReport.Row> aliceRows = List.of(
                row("ec2-instance", "i-0a1b2c3d4e5f60718", "spark-lab", "eu-west-1", "alice", "t3.large",
                        "terminate", "done", "terminated", 0.0912, "still running since before curfew"),
                row("ebs-volume", "vol-0f9e8d7c6b5a43210", null, "eu-west-1", "alice", null, "snapshot-then-delete",
                        "failed", "IncorrectState: vol-0f9e8d7c6b5a43210 is in use by i-0ffee1234567890ab", 0.0088,
                        "unattached 100 GiB gp3 volume"),
                new SweepReport.Row("ec2-instance", "i-0personal000000001", "home-nas", "eu-west-1", "alice",
                        "running", "t3.micro", List.of(), "skip", "out of scope: created 2026-03-02T10:00:00Z, before "
                        + "enrolment (2026-09-01T08:00:00Z); left alone", "none", null, 0.0104));
        List<dev.curfew.core.accounts.AccountRun> runs = List.of(
                dev.curfew.core.accounts.AccountRun.swept(new dev.curfew.core.accounts.AccountTarget("123456789012",
                        null, dev.curfew.core.accounts.AccountTarget.Source.HOME), accountReport("123456789012", now,
                        classRows)),
                dev.curfew.core.accounts.AccountRun.swept(new dev.curfew.core.accounts.AccountTarget("111111111111",
                        "alice", dev.curfew.core.accounts.AccountTarget.Source.ROSTER), accountReport("111111111111",
                        now, aliceRows)),
                dev.curfew.core.accounts.AccountRun.notSwept(new dev.curfew.core.accounts.AccountTarget(
                        "222222222222", "bob", dev.curfew.core.accounts.AccountTarget.Source.ROSTER),
                        dev.curfew.core.accounts.AccountRun.Status.UNREACHABLE, "AccessDenied: User: arn:aws:sts::"
                        + "123456789012:assumed-role/curfew-SweeperFunctionRole-1A2B3C/curfew-sweeper is not "
                        + "authorized to perform: sts:AssumeRole on resource: arn:aws:iam::222222222222:role/"
                        + "curfew-access"),
                dev.curfew.core.accounts.AccountRun.notSwept(new dev.curfew.core.accounts.AccountTarget(
                        "333333333333", "carol", dev.curfew.core.accounts.AccountTarget.Source.ROSTER),
                        dev.curfew.core.accounts.AccountRun.Status.FAILED, "every region failed: eu-west-1: "
                        + "RequestLimitExceeded: Request limit exceeded."));
        List<Delivery> told = List.of(new Delivery("bob", AccountDigests.UNREACHABLE, "slack-dm", "U02BOB", 1,
                Delivery.Status.SENT, "1 message"), new Delivery("bob", AccountDigests.UNREACHABLE, "email",
                "bob@example.edu", 1, Delivery.Status.SENT, "SES message 1"));
        write(dir, "accounts-summary", Renderer.render(AccountDigests.summary(policy, "curfew", now, runs, students,
                Digests.instructor(policy), told)));
        write(dir, "accounts-summary-100", school(now));
        write(dir, "unreachable", Renderer.renderDirect(AccountDigests.unreachable(policy, now, runs.get(2),
                students.find("bob"), "eu-west-1", false)));
        assertThat(dir.resolve("accounts-summary.html")).exists();
        assertCommittedSamplesCurrent(dir, "accounts-summary", "accounts-summary-100", "unreachable");
    }

    /**
     * The sentinel's messages: the welcome of a student whose roster row names an account of their own, an
     * instance outside the launch limits (stopped), and a spot interruption of an owner the roster does not know
     * (to the instructor).
     */
    @Test
    void renderSentinelSamples() throws Exception {
        Path dir = samplesDir();
        Policy p = dev.curfew.core.testing.Policies.course("""
                mode: enforce
                launcher: {allowed-types: [t3.micro, t3.small], max-running-per-student: 2}
                sentinel: {action: stop}
                notifications:
                  instructor: {name: Dr Who, email: teacher@example.edu, slack: U0TEACHER}
                """);
        Roster students = RosterParser.parse("""
                owner,name,email,slack,account
                alice,Alice Liddell,alice@example.edu,U01ALICE,111111111111
                """, "ssm:/curfew/roster");
        java.time.Instant at = java.time.Instant.parse("2026-11-25T09:12:40Z");
        var call = new dev.curfew.core.sentinel.SentinelEvent.ApiCall("7bf73129-1428-4cd3-a780-95db273d1602",
                "123456789012", "eu-west-1", at, "aws.ec2", "RunInstances", null,
                dev.curfew.core.identity.AwsIdentity.of("arn:aws:iam::123456789012:user/alice"), null,
                List.of(new dev.curfew.core.sentinel.Created("ec2", "i-0a1b2c3d4e5f60718")));
        var alice = dev.curfew.core.sentinel.SentinelNotices.recipient(p, "alice", students);
        write(dir, "welcome", Renderer.renderDirect(dev.curfew.core.sentinel.SentinelNotices.welcome(p, alice, call,
                new dev.curfew.core.accounts.AccountTarget("123456789012", null,
                        dev.curfew.core.accounts.AccountTarget.Source.HOME), List.of("i-0a1b2c3d4e5f60718"))));
        var v = dev.curfew.core.sentinel.LaunchCheck.check(p, "i-0a1b2c3d4e5f60718", "eu-west-1", "p3.2xlarge",
                false, Map.of("curfew:owner", "alice"), "alice", 3, at);
        write(dir, "launch-limits", Renderer.renderDirect(dev.curfew.core.sentinel.SentinelNotices.limits(p, alice,
                "i-0a1b2c3d4e5f60718", "eu-west-1", "p3.2xlarge", v, v.breaches(), at)));
        var spot = new dev.curfew.core.sentinel.SentinelEvent.SpotInterruption("a1b2c3d4-0011-4e5f-8a9b-0000000000aa",
                "123456789012", "eu-west-1", java.time.Instant.parse("2026-11-25T14:00:00Z"), "i-0ffee1234567890ab",
                "terminate");
        write(dir, "spot-interruption", Renderer.render(dev.curfew.core.sentinel.SentinelNotices.interruption(p,
                dev.curfew.core.sentinel.SentinelNotices.recipient(p, "dave.s", students), spot, "t3.small")));
        // their HTML is not committed (docs/messages/.gitignore): it is the others' layout again; the PNGs show it
        assertCommittedSamplesCurrent(dir, List.of(".txt", ".slack.json"), "welcome", "launch-limits",
                "spot-interruption");
    }

    /** Where the samples are written: {@code -Dcurfew.samples-dir}, else {@code target/sample-messages}. */
    static Path samplesDir() throws java.io.IOException {
        return Files.createDirectories(Path.of(System.getProperty("curfew.samples-dir", "target/sample-messages")));
    }

    /** The samples in docs/messages are what the templates render now (docs/messages/render.sh renews them). */
    static void assertCommittedSamplesCurrent(Path rendered, String... names) {
        assertCommittedSamplesCurrent(rendered, List.of(".txt", ".html", ".slack.json"), names);
    }

    static void assertCommittedSamplesCurrent(Path rendered, List<String> extensions, String... names) {
        Path docs = Path.of("../../docs/messages");
        for (String name : names) {
            for (String ext : extensions) {
                assertThat(docs.resolve(name + ext)).as("docs/messages/" + name + ext + " is out of date: run "
                        + "docs/messages/render.sh").hasSameTextualContentAs(rendered.resolve(name + ext));
            }
        }
    }

    /**
     * A school's night: the class account and 99 students' own accounts; 3 students' roles refused (they were told),
     * one account whose sweep timed out, 2 with a failed action, the rest swept without a problem.
     */
    Message school(java.time.Instant now) {
        StringBuilder csv = new StringBuilder("owner,name,email,slack,account\n");
        List<dev.curfew.core.accounts.AccountRun> runs = new java.util.ArrayList<>();
        List<Delivery> told = new java.util.ArrayList<>();
        runs.add(dev.curfew.core.accounts.AccountRun.swept(new dev.curfew.core.accounts.AccountTarget(
                "123456789012", null, dev.curfew.core.accounts.AccountTarget.Source.HOME), accountReport(
                "123456789012", now, List.of(row("ec2-instance", "i-0c1a55c1a55c1a55c", "demo", "eu-west-1", "dave.s",
                "t3.medium", "terminate", "done", "terminated", 0.0456, "still running since before curfew")))));
        String[] names = {"Ada", "Ben", "Chloe", "Dan", "Eve", "Finn", "Gus", "Hana", "Ivo", "Jill"};
        for (int i = 1; i < 100; i++) {
            String owner = "student%02d".formatted(i);
            String account = "%012d".formatted(210000000000L + i * 1_000_003L);
            csv.append(owner).append(',').append(names[i % 10]).append(' ').append((char) ('A' + i % 26))
                    .append(".,").append(owner).append("@example.edu,,").append(account).append('\n');
            var t = new dev.curfew.core.accounts.AccountTarget(account, owner,
                    dev.curfew.core.accounts.AccountTarget.Source.ROSTER);
            if (i % 33 == 7) {
                runs.add(dev.curfew.core.accounts.AccountRun.notSwept(t,
                        dev.curfew.core.accounts.AccountRun.Status.UNREACHABLE, "AccessDenied: User: arn:aws:sts::"
                        + "123456789012:assumed-role/curfew-SweeperFunctionRole-1A2B3C/curfew-sweeper is not "
                        + "authorized to perform: sts:AssumeRole on resource: arn:aws:iam::" + account
                        + ":role/curfew-access"));
                told.add(new Delivery(owner, AccountDigests.UNREACHABLE, "email", owner + "@example.edu", 1,
                        Delivery.Status.SENT, "SES message " + i));
            } else if (i == 58) {
                runs.add(dev.curfew.core.accounts.AccountRun.notSwept(t,
                        dev.curfew.core.accounts.AccountRun.Status.FAILED, "the account's sweep did not finish in "
                        + "its 600 s (Lambda timeout); it is swept again at the next curfew"));
            } else {
                String outcome = i % 41 == 3 ? "failed" : "done";
                runs.add(dev.curfew.core.accounts.AccountRun.swept(t, accountReport(account, now, List.of(
                        row("ec2-instance", "i-%017x".formatted(i * 7919L), null, "eu-west-1", owner, "t3.micro",
                                "terminate", outcome, "failed".equals(outcome) ? ("OperationNotPermitted: The instance "
                                + "'i-%017x' may not be terminated. Modify its 'disableApiTermination' instance "
                                + "attribute and try again.").formatted(i * 7919L) : "terminated", 0.0104,
                                "still running since before curfew")))));
            }
        }
        Roster school = RosterParser.parse(csv.toString(), "ssm:/curfew/roster");
        return Renderer.render(AccountDigests.summary(policy, "curfew", now, runs, school, Digests.instructor(policy),
                told));
    }

    static SweepReport accountReport(String account, java.time.Instant now, List<SweepReport.Row> rows) {
        return new SweepReport("Cloud Computing 101", account, "enforce", now, 5120, List.of("eu-west-1",
                "us-east-1"), Map.of(), "passed", new Plan.Breaker(false, 3, 100), rows, Map.of());
    }

    static void write(Path dir, String name, Message m) throws Exception {
        Files.writeString(dir.resolve(name + ".html"), m.html(), StandardCharsets.UTF_8);
        Files.writeString(dir.resolve(name + ".txt"), m.text(), StandardCharsets.UTF_8);
        Files.writeString(dir.resolve(name + ".slack.json"), dev.curfew.core.report.Json.write(m.slack()),
                StandardCharsets.UTF_8);
    }
}
