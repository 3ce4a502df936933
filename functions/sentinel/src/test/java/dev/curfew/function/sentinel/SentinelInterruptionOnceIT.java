package dev.curfew.function.sentinel;

import static org.assertj.core.api.Assertions.assertThat;

import dev.curfew.aws.AwsClients;
import dev.curfew.aws.testing.FakeSlack;
import dev.curfew.aws.testing.MotoServer;
import io.micronaut.json.JsonMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.ec2.model.Tag;

/**
 * The spot interruption warning goes once per instance: EventBridge delivers the same event twice, both deliveries
 * handled at once by two sentinels (two Lambda instances), then once more later; the owner gets one message on Slack
 * and one email.
 */
class SentinelInterruptionOnceIT {
    static final String EU = "eu-west-1";
    static final String SUBJECT = "is being reclaimed";
    static MotoServer moto;
    static AwsClients clients;
    static FakeSlack slack;
    @TempDir
    static Path dir;

    @BeforeAll
    static void start() {
        moto = MotoServer.get();
        clients = new AwsClients(moto.settings(EU));
        slack = new FakeSlack();
    }

    @AfterAll
    static void stop() {
        clients.close();
        slack.close();
    }

    @BeforeEach
    void account() {
        moto.reset();
        slack.clear();
        clients.ssm(EU).putParameter(b -> b.name("/curfew/roster").type("String").value(
                "owner,name,email,slack\nalice,Alice A,alice@example.edu,U0ALICE\n"));
        clients.secrets().createSecret(b -> b.name("curfew/slack-webhook").secretString(slack.webhookUrl()));
        clients.ses().createEmailIdentity(b -> b.emailIdentity("curfew@example.edu"));
    }

    static SentinelHandler sentinel() throws Exception {
        Path policy = dir.resolve("policy.yaml");
        Files.writeString(policy, """
                course: Cloud Computing 101
                time-zone: Europe/Amsterdam
                curfew: "18:00"
                accounts: ["123456789012"]
                mode: enforce
                sentinel:
                  welcome: false
                notifications:
                  roster: ssm:/curfew/roster
                  slack:
                    webhook-secret: curfew/slack-webhook
                  email:
                    sender: curfew@example.edu
                  instructor:
                    name: Dr Who
                    email: teacher@example.edu
                    slack: U0TEACHER
                """, StandardCharsets.UTF_8);
        return Sentinels.handler(moto, Map.of("curfew.policy", policy.toString(),
                "curfew.slack-api-url", slack.apiBase()));
    }

    /** The interruption emails SES sent (moto's state, several MB: read with the handler's own JSON mapper). */
    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> emails(JsonMapper json) throws Exception {
        Map<String, Object> ses = (Map<String, Object>) json.readValue(moto.data().getBytes(StandardCharsets.UTF_8),
                Map.class).get("ses");
        List<Map<String, Object>> all = ses == null || ses.get("Message") == null ? List.of()
                : (List<Map<String, Object>>) ses.get("Message");
        return all.stream().filter(m -> String.valueOf(m.get("subject")).contains(SUBJECT)).toList();
    }

    static List<FakeSlack.Request> slackMessages() {
        return slack.requests("/hook").stream().filter(r -> r.body().contains("reclaiming")).toList();
    }

    static Map<String, Object> event(SentinelHandler h, String instance) throws Exception {
        JsonMapper json = h.getApplicationContext().getBean(JsonMapper.class);
        return Events.parse(json, Events.rewritten("sentinel-spot-interruption.json", Events.INSTANCE, instance));
    }

    @Test
    void oneEventDeliveredTwiceAndHandledAtOnceTellsTheOwnerOnce() throws Exception {
        String id = clients.ec2(EU).runInstances(b -> b.imageId("ami-12c6146b").instanceType("t3.micro").minCount(1)
                .maxCount(1).tagSpecifications(t -> t.resourceType("instance")
                        .tags(Tag.builder().key("curfew:owner").value("alice").build()))).instances().get(0)
                .instanceId();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try (SentinelHandler one = sentinel(); SentinelHandler other = sentinel()) {
            Map<String, Object> first = event(one, id);
            Map<String, Object> again = event(other, id);
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Map<String, Object>>> both = new ArrayList<>();
            both.add(pool.submit(() -> {
                go.await();
                return one.handleRequest(first, null);
            }));
            both.add(pool.submit(() -> {
                go.await();
                return other.handleRequest(again, null);
            }));
            go.countDown();
            List<Object> outcomes = new ArrayList<>();
            for (Future<Map<String, Object>> f : both) {
                outcomes.add(f.get(60, TimeUnit.SECONDS).get("outcome"));
            }

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
        } finally {
            pool.shutdownNow();
        }
    }
}
