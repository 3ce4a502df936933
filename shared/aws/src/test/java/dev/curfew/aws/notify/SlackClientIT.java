package dev.curfew.aws.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.curfew.aws.testing.FakeSlack;
import dev.curfew.core.launch.JsonBody;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The Slack client against a real local HTTP server: payloads, 429 with Retry-After, refusals, the bot API. */
class SlackClientIT {
    final FakeSlack slack = new FakeSlack();
    final List<Long> waits = new ArrayList<>();
    final SlackClient client = new SlackClient(slack.apiBase(), waits::add);
    final Map<String, Object> payload = Map.of("text", "hello &amp; bye", "blocks",
            List.of(Map.of("type", "section", "text", Map.of("type", "mrkdwn", "text", "*hi* &lt;b&gt;"))));

    @AfterEach
    void stop() {
        slack.close();
    }

    @Test
    void aWebhookPostIsTheBlockKitPayloadAsJson() throws Exception {
        client.webhook(slack.webhookUrl(), payload);

        FakeSlack.Request r = slack.requests("/hook").get(0);
        assertThat(r.method()).isEqualTo("POST");
        assertThat(r.header("Content-Type")).startsWith("application/json");
        assertThat(r.header("Authorization")).isNull();
        assertThat(JsonBody.parse(r.body())).isEqualTo(payload);
    }

    @Test
    void http429IsRetriedAfterTheSecondsSlackAsksFor() throws Exception {
        slack.answerNext("/hook", 429, Map.of("Retry-After", "2"), "rate_limited");
        slack.answerNext("/hook", 429, Map.of("Retry-After", "1"), "rate_limited");

        client.webhook(slack.webhookUrl(), payload);

        assertThat(waits).containsExactly(2L, 1L);
        assertThat(slack.requests("/hook")).hasSize(3).extracting(FakeSlack.Request::body).containsOnly(
                slack.requests("/hook").get(0).body());
    }

    @Test
    void retriesAreBoundedAndTheErrorNeverShowsTheUrl() {
        slack.answerAlways("/hook", 429, "rate_limited");

        assertThatThrownBy(() -> client.webhook(slack.webhookUrl(), payload))
                .isInstanceOf(SlackClient.SlackException.class)
                .hasMessage("the webhook is rate-limited (HTTP 429) after " + SlackClient.MAX_ATTEMPTS + " attempts")
                .message().doesNotContain("127.0.0.1").doesNotContain("/hook");
        assertThat(slack.requests("/hook")).hasSize(SlackClient.MAX_ATTEMPTS);
        assertThat(waits).hasSize(SlackClient.MAX_ATTEMPTS - 1);
    }

    @Test
    void aRetryAfterLongerThanTheLimitFailsAtOnce() {
        slack.answerNext("/hook", 429, Map.of("Retry-After", "3600"), "rate_limited");

        assertThatThrownBy(() -> client.webhook(slack.webhookUrl(), payload))
                .hasMessageContaining("rate-limited (HTTP 429) for 3600 s");
        assertThat(waits).isEmpty();
    }

    @Test
    void aRefusedWebhookSaysWhatSlackSaid() {
        slack.answerNext("/hook", 404, Map.of(), "no_service");
        assertThatThrownBy(() -> client.webhook(slack.webhookUrl(), payload))
                .hasMessage("the webhook answered HTTP 404: no_service");
        slack.answerNext("/hook", 400, Map.of(), "invalid_blocks");
        assertThatThrownBy(() -> client.webhook(slack.webhookUrl(), payload))
                .hasMessage("the webhook answered HTTP 400: invalid_blocks");
    }

    @Test
    void anUnreachableWebhookIsAFailureWithoutTheUrl() {
        String url = slack.webhookUrl();
        slack.close();
        assertThatThrownBy(() -> client.webhook(url, payload))
                .isInstanceOf(SlackClient.SlackException.class)
                .message().startsWith("the webhook could not be reached").doesNotContain("127.0.0.1");
    }

    @Test
    void theBotLooksPeopleUpByEmailAndMessagesThemDirectly() throws Exception {
        slack.members.put("alice@example.edu", "U01ALICE");

        String id = client.lookupByEmail(FakeSlack.TOKEN, "alice@example.edu");
        client.postMessage(FakeSlack.TOKEN, id, payload);

        assertThat(id).isEqualTo("U01ALICE");
        FakeSlack.Request lookup = slack.requests("/api/users.lookupByEmail").get(0);
        assertThat(lookup.header("Authorization")).isEqualTo("Bearer " + FakeSlack.TOKEN);
        assertThat(lookup.body()).isEqualTo("email=alice%40example.edu");
        FakeSlack.Request post = slack.requests("/api/chat.postMessage").get(0);
        @SuppressWarnings("unchecked")
        Map<String, Object> sent = (Map<String, Object>) JsonBody.parse(post.body());
        assertThat(sent).containsEntry("channel", "U01ALICE").containsEntry("text", "hello &amp; bye")
                .containsKey("blocks");
    }

    @Test
    void theBotApiSaysWhyItRefused() {
        assertThatThrownBy(() -> client.lookupByEmail(FakeSlack.TOKEN, "nobody@example.edu"))
                .hasMessage("users.lookupByEmail refused: users_not_found");
        assertThatThrownBy(() -> client.postMessage("xoxb-wrong", "U1", payload))
                .hasMessage("chat.postMessage refused: not_authed");
        slack.answerNext("/api/chat.postMessage", 429, Map.of("Retry-After", "1"), "");
        assertThatThrownBy(() -> client.postMessage("xoxb-wrong", "U1", payload)).hasMessageContaining("not_authed");
        assertThat(waits).containsExactly(1L);
    }

    @Test
    void aUrlOrTokenWithALineBreakFailsWithoutQuotingIt() {
        assertThatThrownBy(() -> client.webhook(slack.webhookUrl() + "?k=SECRETPART\nX: 1", payload))
                .isInstanceOf(SlackClient.SlackException.class).message().contains("not a valid URL")
                .doesNotContain("SECRETPART");
        assertThatThrownBy(() -> client.postMessage("xoxb-SECRETPART\r\nX-Injected: 1", "U1", payload))
                .isInstanceOf(SlackClient.SlackException.class).message().contains("chat.postMessage")
                .doesNotContain("SECRETPART");
        assertThat(slack.requests()).isEmpty();
    }
}
