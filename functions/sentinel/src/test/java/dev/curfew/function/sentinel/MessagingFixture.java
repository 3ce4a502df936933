package dev.curfew.function.sentinel;

import dev.curfew.aws.testing.FakeSlack;
import dev.curfew.aws.testing.MotoTest;
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
import org.junit.jupiter.api.io.TempDir;

/**
 * What the sentinel's message tests share: the moto server, a fake Slack, and before each test an account with the
 * roster (alice), the Slack webhook secret and the SES sender; policies that send to them; the emails SES sent; two
 * events handled at once by two sentinels (two Lambda instances).
 */
abstract class MessagingFixture extends MotoTest {
    static FakeSlack slack;
    @TempDir
    static Path dir;

    @BeforeAll
    static void startMessaging() {
        slack = new FakeSlack();
    }

    @AfterAll
    static void stopMessaging() {
        slack.close();
    }

    @BeforeEach
    void messagingAccount() {
        slack.clear();
        clients.ssm(EU).putParameter(b -> b.name("/curfew/roster").type("String").value(
                "owner,name,email,slack\nalice,Alice A,alice@example.edu,U0ALICE\n"));
        clients.secrets().createSecret(b -> b.name("curfew/slack-webhook").secretString(slack.webhookUrl()));
        clients.ses().createEmailIdentity(b -> b.emailIdentity("curfew@example.edu"));
    }

    /**
     * A sentinel in enforce mode whose messages go to the roster, the fake Slack and SES.
     *
     * @param file the policy file's name (in the class's temporary folder)
     * @param sections the policy's own sections (YAML at the top level, each line ending in a newline), such as
     *                 {@code sentinel:} with {@code welcome: false}
     */
    static SentinelHandler sentinel(String file, String sections) throws Exception {
        Path policy = dir.resolve(file);
        Files.writeString(policy, """
                course: Cloud Computing 101
                time-zone: Europe/Amsterdam
                curfew: "18:00"
                accounts: ["123456789012"]
                mode: enforce
                """ + sections + """
                notifications:
                  roster: ssm:/curfew/roster
                  instructor:
                    name: Dr Who
                    email: teacher@example.edu
                    slack: U0TEACHER
                  slack:
                    webhook-secret: curfew/slack-webhook
                  email:
                    sender: curfew@example.edu
                """, StandardCharsets.UTF_8);
        return Sentinels.handler(moto, Map.of("curfew.policy", policy.toString(),
                "curfew.slack-api-url", slack.apiBase()));
    }

    /** The emails SES sent whose subject contains {@code subject} (moto's state, several MB: read with {@code json}). */
    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> emails(JsonMapper json, String subject) throws Exception {
        Map<String, Object> ses = (Map<String, Object>) json.readValue(moto.data().getBytes(StandardCharsets.UTF_8),
                Map.class).get("ses");
        List<Map<String, Object>> all = ses == null || ses.get("Message") == null ? List.of()
                : (List<Map<String, Object>>) ses.get("Message");
        return all.stream().filter(m -> String.valueOf(m.get("subject")).contains(subject)).toList();
    }

    /** The event of a sample file with the instance id rewritten, parsed as the handler's Lambda runtime would. */
    static Map<String, Object> event(SentinelHandler h, String file, String instance) throws Exception {
        JsonMapper json = h.getApplicationContext().getBean(JsonMapper.class);
        return Events.parse(json, Events.rewritten(file, Events.INSTANCE, instance));
    }

    /** Two events handled at the same moment, each by its own sentinel; their answers in that order. */
    static List<Map<String, Object>> atOnce(SentinelHandler one, Map<String, Object> first, SentinelHandler other,
                                            Map<String, Object> second) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Map<String, Object>>> both = new ArrayList<>();
            both.add(pool.submit(() -> {
                go.await();
                return one.handleRequest(first, null);
            }));
            both.add(pool.submit(() -> {
                go.await();
                return other.handleRequest(second, null);
            }));
            go.countDown();
            List<Map<String, Object>> out = new ArrayList<>();
            for (Future<Map<String, Object>> f : both) {
                out.add(f.get(60, TimeUnit.SECONDS));
            }
            return out;
        } finally {
            pool.shutdownNow();
        }
    }
}
