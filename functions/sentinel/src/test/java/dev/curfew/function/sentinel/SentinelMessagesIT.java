package dev.curfew.function.sentinel;

import static org.assertj.core.api.Assertions.assertThat;

import dev.curfew.aws.testing.FakeSlack;
import io.micronaut.json.JsonMapper;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ec2.model.Tag;

/**
 * The sentinel's messages delivered as the policy's notifications say: the owner found in the roster, Slack through
 * the webhook (a local fake), email through SES (the emulator); an owner the roster does not know, to the instructor.
 */
class SentinelMessagesIT extends MessagingFixture {
    static SentinelHandler handler;
    static JsonMapper json;

    @BeforeAll
    static void start() {
        handler = Sentinels.handler(moto, Map.of("curfew.policy",
                Path.of("src/test/resources/sentinel-messages-policy.yaml").toAbsolutePath().toString(),
                "curfew.slack-api-url", slack.apiBase()));
        json = handler.getApplicationContext().getBean(JsonMapper.class);
    }

    @AfterAll
    static void stop() {
        handler.close();
    }

    static List<Map<String, Object>> emails() throws Exception {
        return emails(json, "");
    }

    static String to(Map<String, Object> email) {
        return String.valueOf(((List<?>) ((Map<?, ?>) email.get("destinations")).get("ToAddresses")).get(0));
    }

    static Map<String, Object> handle(String file, String... fromTo) throws Exception {
        return handler.handleRequest(Events.parse(json, Events.rewritten(file, fromTo)), null);
    }

    static String runInstance(Tag... tags) {
        return clients.ec2(EU).runInstances(b -> {
            b.imageId("ami-12c6146b").instanceType("t3.micro").minCount(1).maxCount(1);
            if (tags.length > 0) {
                b.tagSpecifications(t -> t.resourceType("instance").tags(tags));
            }
        }).instances().get(0).instanceId();
    }

    @Test
    void theWelcomeReachesTheOwnerOnSlackAndByEmailOnce() throws Exception {
        String id = runInstance();

        Map<String, Object> out = handle("sentinel-runinstances.json", Events.INSTANCE, id);
        handle("sentinel-runinstances.json", Events.INSTANCE, id);

        assertThat(out.get("messages").toString()).contains("logged").contains("slack-webhook: sent")
                .contains("email to alice@example.edu: sent");
        assertThat(slack.requests("/hook")).singleElement().satisfies(r -> assertThat(r.body())
                .contains("<@U0ALICE>").contains("Welcome to Cloud Computing 101"));
        assertThat(emails()).singleElement().satisfies(e -> {
            assertThat(to(e)).isEqualTo("alice@example.edu");
            assertThat(String.valueOf(e.get("subject"))).contains("Curfew cleans up at 18:00");
        });
    }

    @Test
    void aSpotInterruptionOfAnOwnerTheRosterDoesNotKnowGoesToTheInstructor() throws Exception {
        String id = runInstance(Tag.builder().key("curfew:owner").value("zed").build());

        Map<String, Object> out = handle("sentinel-spot-interruption.json", Events.INSTANCE, id);

        assertThat(out.get("messages").toString()).contains("zed is not in the roster: to the instructor");
        assertThat(emails()).extracting(SentinelMessagesIT::to).containsExactly("teacher@example.edu");
        assertThat(slack.requests("/hook")).singleElement().satisfies(r -> assertThat(r.body())
                .contains("<@U0TEACHER>").contains("being reclaimed"));
    }

    @Test
    void aRefusedEmailIsReportedAndTheEventStillSucceeds() throws Exception {
        clients.ses().deleteEmailIdentity(b -> b.emailIdentity("curfew@example.edu"));
        String id = runInstance(Tag.builder().key("curfew:owner").value("alice").build());

        Map<String, Object> out = handle("sentinel-spot-interruption.json", Events.INSTANCE, id);

        assertThat(out.get("outcome")).isEqualTo("told alice");
        assertThat(out.get("messages").toString()).contains("email to alice@example.edu: failed")
                .contains("slack-webhook: sent");
    }

    @Test
    void aWebhookSecretWithALineBreakIsNamedNeverShownAndTheEmailStillGoesOut() throws Exception {
        clients.secrets().putSecretValue(b -> b.secretId("curfew/slack-webhook")
                .secretString(slack.webhookUrl() + "?k=SECRETPART\r\nX-Injected: 1"));
        String id = runInstance(Tag.builder().key("curfew:owner").value("alice").build());

        Map<String, Object> out = handle("sentinel-spot-interruption.json", Events.INSTANCE, id);

        assertThat(out.get("outcome")).isEqualTo("told alice");
        assertThat(out.get("messages").toString()).contains("slack-webhook: failed")
                .contains("curfew/slack-webhook").contains("email to alice@example.edu: sent")
                .doesNotContain("SECRETPART");
        assertThat(out.toString()).doesNotContain("SECRETPART");
        assertThat(slack.requests()).isEmpty();
        assertThat(emails()).extracting(SentinelMessagesIT::to).containsExactly("alice@example.edu");
    }
}
