package dev.curfew.function.sentinel;

import static org.assertj.core.api.Assertions.assertThat;

import dev.curfew.aws.testing.FakeSlack;
import io.micronaut.json.JsonMapper;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ec2.model.Tag;

/**
 * The spot interruption warning goes once per instance: EventBridge delivers the same event twice, both deliveries
 * handled at once by two sentinels (two Lambda instances), then once more later; the owner gets one message on Slack
 * and one email.
 */
class SentinelInterruptionOnceIT extends MessagingFixture {
    static final String SUBJECT = "is being reclaimed";

    static SentinelHandler sentinel() throws Exception {
        return sentinel("policy.yaml", """
                sentinel:
                  welcome: false
                """);
    }

    /** The interruption emails SES sent. */
    static List<Map<String, Object>> emails(JsonMapper json) throws Exception {
        return emails(json, SUBJECT);
    }

    static List<FakeSlack.Request> slackMessages() {
        return slack.requests("/hook").stream().filter(r -> r.body().contains("reclaiming")).toList();
    }

    static Map<String, Object> event(SentinelHandler h, String instance) throws Exception {
        return event(h, "sentinel-spot-interruption.json", instance);
    }

    @Test
    void oneEventDeliveredTwiceAndHandledAtOnceTellsTheOwnerOnce() throws Exception {
        String id = clients.ec2(EU).runInstances(b -> b.imageId("ami-12c6146b").instanceType("t3.micro").minCount(1)
                .maxCount(1).tagSpecifications(t -> t.resourceType("instance")
                        .tags(Tag.builder().key("curfew:owner").value("alice").build()))).instances().get(0)
                .instanceId();
        try (SentinelHandler one = sentinel(); SentinelHandler other = sentinel()) {
            List<Object> outcomes = atOnce(one, event(one, id), other, event(other, id)).stream()
                    .map(o -> o.get("outcome")).toList();

            String record = "/curfew/curfew/interruption-told/eu-west-1/" + id;
            assertThat(slackMessages()).singleElement()
                    .satisfies(r -> assertThat(r.body()).contains("<@U0ALICE>").contains(id));
            JsonMapper json = one.getApplicationContext().getBean(JsonMapper.class);
            assertThat(emails(json)).singleElement()
                    .satisfies(e -> assertThat(String.valueOf(e.get("subject"))).contains(id));
            assertThat(outcomes).containsExactlyInAnyOrder("told alice", "already told (recorded in " + record + ")");
            assertThat(clients.ssm(EU).getParameter(b -> b.name(record)).parameter().value())
                    .isEqualTo("2026-11-25T14:00:00Z event a1b2c3d4-0010-4e5f-8a9b-000000000010");

            // EventBridge delivers it once more, later: nothing new is sent
            assertThat(one.handleRequest(event(one, id), null))
                    .containsEntry("outcome", "already told (recorded in " + record + ")");
            assertThat(slackMessages()).hasSize(1);
            assertThat(emails(json)).hasSize(1);
        }
    }
}
