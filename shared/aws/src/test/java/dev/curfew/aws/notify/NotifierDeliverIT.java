package dev.curfew.aws.notify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.curfew.aws.AwsClients;
import dev.curfew.aws.testing.FakeSlack;
import dev.curfew.aws.testing.MotoServer;
import dev.curfew.core.notify.Delivery;
import dev.curfew.core.notify.Digest;
import dev.curfew.core.notify.Roster;
import dev.curfew.core.notify.RosterParser;
import dev.curfew.core.policy.Mode;
import dev.curfew.core.policy.Policy;
import dev.curfew.core.policy.PolicyLoader;
import dev.curfew.core.sentinel.SentinelEvent;
import dev.curfew.core.sentinel.SentinelNotices;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * One message to one person ({@link Notifier#deliver}, the sentinel's way) on the emulator (Secrets Manager, SES)
 * and a local HTTP server standing in for Slack: a direct message with the bot token and an email; a webhook secret
 * that cannot be used named as the channel that failed, the email still sent; dry-run messaging no student.
 */
class NotifierDeliverIT {
    static final String EU = "eu-west-1";
    static final Roster ROSTER = RosterParser.parse("""
            owner,name,email,slack
            alice,Alice Liddell,alice@example.edu,
            """, "ssm:/curfew/roster");

    final MotoServer moto = MotoServer.get();
    final FakeSlack slack = new FakeSlack();
    final List<String> logged = new ArrayList<>();
    AwsClients clients;

    @BeforeEach
    void seed() {
        moto.reset();
        clients = new AwsClients(moto.settings(EU));
        clients.secrets().createSecret(b -> b.name("curfew/slack-webhook").secretString(slack.webhookUrl()));
        clients.secrets().createSecret(b -> b.name("curfew/slack-bot").secretString(FakeSlack.TOKEN));
        clients.ses().createEmailIdentity(b -> b.emailIdentity("curfew@example.edu"));
        slack.members.put("alice@example.edu", "U01ALICE");
    }

    @AfterEach
    void close() {
        clients.close();
        slack.close();
    }

    /** @param slack the policy's {@code notifications.slack} section, in YAML's flow style */
    static Policy policy(String slack) {
        return PolicyLoader.load("{course: Cloud Computing 101, time-zone: Europe/Amsterdam, curfew: \"18:00\", "
                + "accounts: [\"123456789012\"], mode: enforce, notifications: {slack: {" + slack + "}, "
                + "email: {sender: curfew@example.edu}, instructor: {name: Dr Who, email: teacher@example.edu}}}", "it");
    }

    static Digest interruption(Policy p) {
        return SentinelNotices.interruption(p, SentinelNotices.recipient(p, "alice", ROSTER),
                new SentinelEvent.SpotInterruption("e-1", "123456789012", EU, Instant.parse("2026-11-25T14:00:00Z"),
                        "i-0spot", "terminate"), "t3.micro");
    }

    Notifier notifier() {
        return new Notifier(clients, null, slack.apiBase(), logged::add);
    }

    @Test
    void aStudentsMessageGoesAsADirectMessageAndAnEmailEachReported() {
        Policy p = policy("webhook-secret: curfew/slack-webhook, bot-token-secret: curfew/slack-bot");

        List<Delivery> out = notifier().deliver(p, interruption(p));

        assertThat(out).extracting(Delivery::channel, Delivery::address, Delivery::status, Delivery::items)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("slack-dm", "U01ALICE", Delivery.Status.SENT, 1),
                        org.assertj.core.groups.Tuple.tuple("email", "alice@example.edu", Delivery.Status.SENT, 1));
        assertThat(out).allSatisfy(d -> assertThat(d.message()).isEqualTo("spot-interruption"));
        assertThat(slack.requests("/hook")).as("the direct message went: no webhook").isEmpty();
        assertThat(slack.requests("/api/chat.postMessage")).singleElement().satisfies(r -> assertThat(r.body())
                .contains("U01ALICE").contains("AWS is reclaiming your spot instance").doesNotContain("<@"));
        assertThat(SesAndRosterIT.sent(moto)).singleElement().satisfies(m -> {
            assertThat(m).containsEntry("subject", "Your spot instance i-0spot is being reclaimed");
            assertThat(String.valueOf(m.get("body"))).contains("<!DOCTYPE html>").contains("Save your work now");
        });
        assertThat(logged).hasSize(2);
    }

    @Test
    void aWebhookSecretThatCannotBeUsedFailsAsTheWebhookNamingTheSecretAndTheEmailStillGoes() {
        clients.secrets().putSecretValue(b -> b.secretId("curfew/slack-webhook")
                .secretString(slack.webhookUrl() + "?k=SECRETPART\r\nX-Injected: 1"));
        Policy p = policy("webhook-secret: curfew/slack-webhook");

        List<Delivery> out = notifier().deliver(p, interruption(p));

        assertThat(out).filteredOn(d -> d.channel().startsWith("slack")).singleElement().satisfies(d -> {
            assertThat(d.channel()).isEqualTo("slack-webhook");
            assertThat(d.status()).isEqualTo(Delivery.Status.FAILED);
            assertThat(d.detail()).contains("the secret curfew/slack-webhook").doesNotContain("SECRETPART");
        });
        assertThat(out).filteredOn(d -> d.channel().equals("email")).singleElement()
                .satisfies(d -> assertThat(d.status()).isEqualTo(Delivery.Status.SENT));
        assertThat(slack.requests()).isEmpty();
        assertThat(String.join("\n", logged)).contains("curfew/slack-webhook").doesNotContain("SECRETPART");
    }

    @Test
    void inDryRunAStudentIsNotMessagedUnlessThePolicySaysSo() {
        Policy p = policy("webhook-secret: curfew/slack-webhook").withMode(Mode.DRY_RUN);

        List<Delivery> out = notifier().deliver(p, interruption(p));

        assertThat(out).extracting(Delivery::status).containsOnly(Delivery.Status.WOULD_SEND);
        assertThat(slack.requests()).isEmpty();
        assertThat(SesAndRosterIT.sent(moto)).isEmpty();
    }
}
