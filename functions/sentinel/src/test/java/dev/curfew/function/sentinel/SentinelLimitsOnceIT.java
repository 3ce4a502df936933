package dev.curfew.function.sentinel;

import static org.assertj.core.api.Assertions.assertThat;

import dev.curfew.aws.testing.FakeSlack;
import io.micronaut.json.JsonMapper;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.services.ec2.model.Tag;

/**
 * The launch-limits message goes once per instance, whatever the sentinel does to it: the CloudTrail RunInstances event
 * and the EC2 "running" event of one launch arrive together and are handled at once by two sentinels (two Lambda
 * instances), then delivered again; the owner gets one message on Slack and one email.
 */
class SentinelLimitsOnceIT extends MessagingFixture {
    static final String SUBJECT = "is outside the course's launch limits";

    /**
     * Left running (notify), each of the three instances is both of a type not allowed and over the cap of one: two
     * kinds of breach in one message. Stopped or terminated, an instance no longer counts, so the two handlers could
     * see different breaches (each kind would still be told once, in two messages): the cap is out of reach.
     */
    static int capFor(String action) {
        return action.equals("notify") ? 1 : 10;
    }

    static SentinelHandler sentinel(String action) throws Exception {
        return sentinel(action, capFor(action));
    }

    static SentinelHandler sentinel(String action, int cap) throws Exception {
        return sentinel("policy-" + action + "-" + cap + ".yaml", """
                launcher:
                  allowed-types: [t3.micro]
                  max-running-per-student: %d
                sentinel:
                  action: %s
                  welcome: false
                """.formatted(cap, action));
    }

    /** The launch-limits emails SES sent. */
    static List<Map<String, Object>> emails(JsonMapper json) throws Exception {
        return emails(json, SUBJECT);
    }

    static List<FakeSlack.Request> slackMessages() {
        return slack.requests("/hook").stream().filter(r -> r.body().contains("outside the course")).toList();
    }

    static String launch() {
        // as the launcher launches it: tagged with its owner at creation; of a type the course does not allow
        return clients.ec2(EU).runInstances(b -> b.imageId("ami-12c6146b").instanceType("t3.large").minCount(1)
                .maxCount(1).tagSpecifications(t -> t.resourceType("instance")
                        .tags(Tag.builder().key("curfew:owner").value("alice").build()))).instances().get(0)
                .instanceId();
    }

    @ParameterizedTest
    @ValueSource(strings = {"notify", "stop", "terminate"})
    void theTwoEventsOfOneLaunchHandledAtOnceTellTheOwnerOnce(String action) throws Exception {
        List<String> instances = List.of(launch(), launch(), launch());
        try (SentinelHandler one = sentinel(action); SentinelHandler other = sentinel(action)) {
            for (String id : instances) {
                atOnce(one, event(one, "sentinel-runinstances.json", id),
                        other, event(other, "sentinel-state-running.json", id));
            }

            assertThat(slackMessages()).as("one Slack message per instance").hasSize(instances.size())
                    .allSatisfy(r -> assertThat(r.body()).contains("<@U0ALICE>"));
            JsonMapper json = one.getApplicationContext().getBean(JsonMapper.class);
            List<Map<String, Object>> emails = emails(json);
            for (String id : instances) {
                assertThat(slackMessages()).filteredOn(r -> r.body().contains(id)).singleElement()
                        .satisfies(r -> assertThat(r.body()).contains("instance type t3.large is not allowed"));
                assertThat(emails).filteredOn(e -> String.valueOf(e.get("subject")).contains(id)).hasSize(1);
                assertThat(clients.ssm(EU).getParameter(b -> b.name("/curfew/curfew/limits-told/eu-west-1/" + id
                        + "/type")).parameter().value()).startsWith("2026-11-25T10:00:30Z event ");
            }
            if (action.equals("notify")) {
                assertThat(slackMessages()).allSatisfy(r -> assertThat(r.body()).contains("the course allows 1"));
            }

            // EventBridge delivers again: nothing new is sent
            for (String id : instances) {
                one.handleRequest(event(one, "sentinel-state-running.json", id), null);
                other.handleRequest(event(other, "sentinel-runinstances.json", id), null);
            }
            assertThat(slackMessages()).hasSize(instances.size());
            assertThat(emails(json)).hasSize(instances.size());
        }
        String expected = switch (action) {
            case "stop" -> "stopped";
            case "terminate" -> "terminated";
            default -> "running";
        };
        for (String id : instances) {
            assertThat(clients.ec2(EU).describeInstances(b -> b.instanceIds(id)).reservations().get(0).instances()
                    .get(0).state().nameAsString()).isEqualTo(expected);
        }
    }

    @Test
    void aKindOfBreachToldBeforeIsNotToldAgainANewKindIs() throws Exception {
        String first = launch();
        try (SentinelHandler loose = sentinel("notify", 10); SentinelHandler tight = sentinel("notify", 1)) {
            loose.handleRequest(event(loose, "sentinel-state-running.json", first), null);
            launch();

            Map<String, Object> out = tight.handleRequest(event(tight, "sentinel-state-running.json", first), null);
            tight.handleRequest(event(tight, "sentinel-runinstances.json", first), null);

            assertThat(out.toString()).contains("recorded=[/curfew/curfew/limits-told/eu-west-1/" + first + "/cap]");
            assertThat(slackMessages()).extracting(FakeSlack.Request::body).hasSize(2).satisfiesExactly(
                    b -> assertThat(b).contains("instance type t3.large is not allowed")
                            .doesNotContain("running instances"),
                    b -> assertThat(b).contains("alice has 2 running instances in eu-west-1 (the course allows 1)")
                            .doesNotContain("instance type"));
        }
    }
}
