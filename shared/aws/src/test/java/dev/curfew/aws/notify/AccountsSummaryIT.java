package dev.curfew.aws.notify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.curfew.aws.testing.FakeSlack;
import dev.curfew.aws.testing.MotoTest;
import dev.curfew.core.accounts.AccountRun;
import dev.curfew.core.accounts.AccountTarget;
import dev.curfew.core.notify.AccountDigests;
import dev.curfew.core.notify.Delivery;
import dev.curfew.core.notify.NotificationReport;
import dev.curfew.core.plan.Plan;
import dev.curfew.core.policy.Policy;
import dev.curfew.core.policy.PolicyLoader;
import dev.curfew.core.report.SweepReport;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ssm.model.ParameterMetadata;

/**
 * The messages of a sweep of many accounts on the emulator (SSM roster and ledgers, Secrets Manager, SES) and a
 * local HTTP server standing in for Slack: the instructor's one summary across the accounts, the unreachable
 * student's message once per curfew, a failed account listed with its error, and dry-run writing nothing.
 */
class AccountsSummaryIT extends MotoTest {
    static final String LEDGER = "/curfew/it/last-summary";
    /** A minute after the curfew of Wed 25 Nov 2026 18:00 in Amsterdam. */
    static final Instant NOW = Instant.parse("2026-11-25T17:01:00Z");
    static final String REFUSED = "AccessDenied: User: arn:aws:sts::123456789012:assumed-role/curfew-SweeperRole/"
            + "curfew-sweeper is not authorized to perform: sts:AssumeRole on resource: "
            + "arn:aws:iam::222222222222:role/curfew-access";
    static final String BROKEN = "every region failed: eu-west-1: RequestExpired: Request has expired";

    final FakeSlack slack = new FakeSlack();

    @BeforeEach
    void seed() {
        clients.ssm(EU).putParameter(b -> b.name("/curfew/roster").type("String").value("""
                owner,name,email,slack,account
                alice,Alice Liddell,alice@example.edu,,111111111111
                bob,Bob,bob@example.edu,,222222222222
                carol,Carol,carol@example.edu,,333333333333
                """));
        clients.secrets().createSecret(b -> b.name("curfew/slack-webhook").secretString(slack.webhookUrl()));
        clients.ses().createEmailIdentity(b -> b.emailIdentity("curfew@example.edu"));
    }

    @AfterEach
    void close() {
        slack.close();
    }

    static Policy policy(String mode) {
        return PolicyLoader.load("""
                course: Cloud Computing 101
                time-zone: Europe/Amsterdam
                curfew: "18:00"
                accounts: ["123456789012", "111111111111", "222222222222", "333333333333"]
                mode: %s
                notifications:
                  roster: ssm:/curfew/roster
                  slack: {webhook-secret: curfew/slack-webhook}
                  email: {sender: curfew@example.edu}
                  instructor: {name: Dr Who, email: teacher@example.edu}
                """.formatted(mode), "it");
    }

    static SweepReport report(String account, String mode, Instant now, SweepReport.Row... rows) {
        return new SweepReport("Cloud Computing 101", account, mode, now, 900, List.of(EU), Map.of(), "passed",
                new Plan.Breaker(false, rows.length, 100), List.of(rows), Map.of());
    }

    static SweepReport.Row terminated(String id, String owner, String outcome) {
        return new SweepReport.Row("ec2-instance", id, null, EU, owner, "running", "t3.micro",
                List.of("still running since before curfew"), "terminate", "still running since before curfew",
                outcome, "terminated", 0.0104);
    }

    /** The class account and alice swept, bob's role refused, carol's sweep failed. */
    static List<AccountRun> runs(String mode, Instant now) {
        String outcome = "enforce".equals(mode) ? "done" : "would";
        return List.of(
                AccountRun.swept(new AccountTarget("123456789012", null, AccountTarget.Source.HOME),
                        report("123456789012", mode, now, terminated("i-0class", "dave", outcome))),
                AccountRun.swept(new AccountTarget("111111111111", "alice", AccountTarget.Source.ROSTER),
                        report("111111111111", mode, now, terminated("i-0alice", "alice", outcome))),
                AccountRun.notSwept(new AccountTarget("222222222222", "bob", AccountTarget.Source.ROSTER),
                        AccountRun.Status.UNREACHABLE, REFUSED),
                AccountRun.notSwept(new AccountTarget("333333333333", "carol", AccountTarget.Source.ROSTER),
                        AccountRun.Status.FAILED, BROKEN));
    }

    Notifier notifier() {
        return new Notifier(clients, null, slack.apiBase(), null, LEDGER);
    }

    static String to(Map<String, Object> email) {
        return String.valueOf(((List<?>) ((Map<?, ?>) email.get("destinations")).get("ToAddresses")).get(0));
    }

    List<Map<String, Object>> emailsTo(String address) {
        return SesAndRosterIT.sent(moto).stream().filter(m -> address.equals(to(m))).toList();
    }

    @Test
    void theInstructorGetsOneSummaryAndTheUnreachableStudentIsToldOncePerCurfew() {
        Policy p = policy("enforce");
        // the one-account summary of this curfew went out already: the summary of many accounts is another message
        clients.ssm(EU).putParameter(b -> b.name(LEDGER).type("String").value("2026-11-25T17:00:00Z"));

        NotificationReport first = notifier().accountsSummary(p, "curfew", runs("enforce", NOW));

        assertThat(first.deliveries()).filteredOn(d -> d.status() == Delivery.Status.SENT)
                .extracting(d -> d.to() + " " + d.message() + " " + d.channel())
                .containsExactlyInAnyOrder("bob unreachable slack-webhook", "bob unreachable email",
                        "instructor accounts-summary slack-webhook", "instructor accounts-summary email");
        assertThat(first.problems()).isEmpty();
        // bob: by email and in the channel, what it means and what to do
        assertThat(emailsTo("bob@example.edu")).singleElement().satisfies(m -> {
            assertThat(m.get("subject")).asString().isEqualTo("[Cloud Computing 101] Curfew can no longer reach "
                    + "your AWS account 222222222222");
            assertThat(m.get("body")).asString().contains("may be charged").contains("./curfew enroll --student bob")
                    .contains("curfew-student").contains("sts:AssumeRole");
        });
        // nobody else hears about bob's account; alice and carol get nothing from this step
        assertThat(emailsTo("alice@example.edu")).isEmpty();
        assertThat(emailsTo("carol@example.edu")).isEmpty();
        // the instructor: one summary naming the unreachable account and the failed one with its error
        assertThat(emailsTo("teacher@example.edu")).singleElement().satisfies(m -> {
            assertThat(m.get("subject")).asString().startsWith("[Cloud Computing 101] Curfew summary for Wed 25 Nov "
                    + "2026, 4 accounts: 2 not swept");
            assertThat(m.get("body")).asString().contains("222222222222 Bob (bob): unreachable: AccessDenied")
                    .contains("Bob was told").contains("333333333333 Carol (carol): failed: " + BROKEN)
                    .contains("111111111111").contains("class account");
        });
        List<FakeSlack.Request> hooks = slack.requests("/hook");
        assertThat(hooks).hasSize(2);
        assertThat(hooks).filteredOn(r -> r.body().contains("Curfew summary for")).singleElement()
                .satisfies(r -> assertThat(r.body()).contains("222222222222").contains("333333333333")
                        .contains("RequestExpired"));

        // EventBridge delivers the event again, or the summary step is retried: nothing is sent twice
        NotificationReport again = notifier().accountsSummary(p, "curfew", runs("enforce", NOW.plusSeconds(30)));

        assertThat(again.deliveries()).extracting(Delivery::status).containsOnly(Delivery.Status.SKIPPED);
        assertThat(again.deliveries()).extracting(Delivery::detail).anySatisfy(d -> assertThat(d)
                .startsWith("the message that Curfew cannot reach account 222222222222 for the curfew of Wed 25 Nov "
                        + "18:00 Europe/Amsterdam was sent already"));
        assertThat(again.deliveries()).extracting(Delivery::detail).anySatisfy(d -> assertThat(d)
                .startsWith("the summary of the curfew sweep for the curfew of Wed 25 Nov 18:00 Europe/Amsterdam was "
                        + "sent already"));
        assertThat(slack.requests("/hook")).hasSize(2);
        assertThat(emailsTo("bob@example.edu")).hasSize(1);
        assertThat(emailsTo("teacher@example.edu")).hasSize(1);
        // the one-account summary's ledger is untouched; the claims are gone
        assertThat(clients.ssm(EU).getParameter(b -> b.name(LEDGER)).parameter().value())
                .isEqualTo("2026-11-25T17:00:00Z");
        assertThat(parameters()).contains(LEDGER + "-accounts/curfew", LEDGER + "-unreachable/bob")
                .noneMatch(n -> n.endsWith("-sending"));

        // the next day's curfew: bob, still unreachable, is told again
        NotificationReport nextDay = notifier().accountsSummary(p, "curfew", runs("enforce",
                NOW.plus(Duration.ofDays(1))));
        assertThat(nextDay.deliveries()).filteredOn(d -> d.status() == Delivery.Status.SENT)
                .extracting(d -> d.to() + " " + d.channel()).contains("bob email", "instructor email");
        assertThat(emailsTo("bob@example.edu")).hasSize(2);
    }

    @Test
    void whileAnotherRunIsTellingTheStudentThisRunDoesNotAndTheSummarySaysSo() {
        Policy p = policy("enforce");
        // another run holds the claim on bob's message for this curfew (it is sending it now)
        clients.ssm(EU).putParameter(b -> b.name(LEDGER + "-unreachable/bob-sending").type("String")
                .value("2026-11-25T17:00:00Z other-run"));

        NotificationReport told = notifier().accountsSummary(p, "curfew", runs("enforce", NOW));

        assertThat(told.deliveries()).filteredOn(d -> "bob".equals(d.to())).singleElement().satisfies(d -> {
            assertThat(d.status()).isEqualTo(Delivery.Status.SKIPPED);
            assertThat(d.detail()).startsWith("another run is sending the message that Curfew cannot reach account "
                    + "222222222222");
        });
        assertThat(emailsTo("bob@example.edu")).isEmpty();
        assertThat(emailsTo("teacher@example.edu")).singleElement().satisfies(m -> assertThat(m.get("body"))
                .asString().contains("another run is telling Bob"));
    }

    @Test
    void dryRunTellsOnlyTheInstructorAndWritesNothing() {
        Policy p = policy("dry-run");

        NotificationReport told = notifier().accountsSummary(p, "curfew", runs("dry-run", NOW));

        assertThat(told.deliveries()).filteredOn(d -> AccountDigests.UNREACHABLE.equals(d.message()))
                .extracting(Delivery::status).containsOnly(Delivery.Status.WOULD_SEND);
        assertThat(emailsTo("bob@example.edu")).isEmpty();
        assertThat(emailsTo("teacher@example.edu")).singleElement().satisfies(m -> assertThat(m.get("subject"))
                .asString().startsWith("[Cloud Computing 101] [dry run] Curfew summary"));
        assertThat(parameters()).containsExactly("/curfew/roster");
    }

    List<String> parameters() {
        return clients.ssm(EU).describeParametersPaginator(b -> b.maxResults(50)).stream()
                .flatMap(r -> r.parameters().stream())
                .map(ParameterMetadata::name).sorted().toList();
    }
}
