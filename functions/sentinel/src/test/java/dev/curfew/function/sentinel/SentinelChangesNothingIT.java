package dev.curfew.function.sentinel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.curfew.aws.testing.AccountState;
import dev.curfew.aws.testing.BusyAccount;
import dev.curfew.aws.testing.FakeSlack;
import dev.curfew.aws.testing.MotoTest;
import dev.curfew.aws.testing.MotoTest.OneAccount;
import dev.curfew.core.sentinel.BadEventException;
import io.micronaut.json.JsonMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The sentinel changes nothing when it must not, shown on the emulator's whole state (moto's data.json and the
 * buckets' tags) before and after, in a busy account (every resource kind, marks due): every sample event of
 * events/ delivered twice in dry-run, and forged events delivered in enforce. Last, the same events in enforce do
 * change the state: the comparison sees what the sentinel writes.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@OneAccount
class SentinelChangesNothingIT extends MotoTest {
    static final String POLICY = Path.of("src/test/resources/sentinel-dry-run-policy.yaml").toAbsolutePath()
            .toString();
    static FakeSlack slack;
    static BusyAccount account;

    /** One busy account for the class: each test compares the state before and after its own deliveries. */
    @BeforeAll
    static void seed() {
        slack = new FakeSlack();
        Instant due = Instant.now().minus(Duration.ofHours(1));
        account = BusyAccount.seed(clients, EU, due, Instant.now());
        clients.secrets().createSecret(b -> b.name("curfew/slack-webhook").secretString(slack.webhookUrl()));
    }

    @AfterAll
    static void close() {
        slack.close();
    }

    @BeforeEach
    void quiet() {
        slack.clear();
    }

    SentinelHandler handler(String mode) {
        return Sentinels.handler(moto, Map.of("curfew.policy", POLICY, "curfew.mode", mode,
                "curfew.slack-api-url", slack.apiBase()));
    }

    Map<String, Object> state(JsonMapper json) {
        return AccountState.read(moto, clients, utf8 -> json.readValue(utf8, Map.class));
    }

    /** Every sentinel sample, its ids rewritten to the busy account's: once as is, once about other resources. */
    List<String> everyEvent() throws IOException {
        List<String> files;
        try (Stream<Path> s = Files.list(Events.dir())) {
            files = s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("sentinel-")).sorted().toList();
        }
        assertThat(files).contains("sentinel-runinstances.json", "sentinel-state-running.json",
                "sentinel-spot-interruption.json", "sentinel-attachvolume.json", "sentinel-createbucket.json",
                "sentinel-runjobflow.json");
        Map<String, String> ids = account.ids;
        UnaryOperator<String> common = t -> t.replace(Events.ALLOCATION, ids.get("address-free"))
                .replace(Events.SPOT_REQUEST, ids.get("spot-request")).replace(Events.SNAPSHOT, ids.get("snapshot"))
                .replace(Events.IMAGE, ids.get("image")).replace(Events.CLUSTER, ids.get("cluster"))
                .replace(Events.GROUP, ids.get("security-group"));
        List<String> out = new ArrayList<>();
        for (String f : files) {
            String text = common.apply(Events.text(f));
            // an untagged instance (tags to add), the volume due for deletion (marks to remove), a tagged bucket
            out.add(text.replace(Events.INSTANCE, ids.get("untagged")).replace(Events.VOLUME, ids.get("volume-marked"))
                    .replace(Events.BUCKET, ids.get("bucket-new")));
            // an instance outside the launch limits (terminate, told), the spot instance, a marked bucket
            out.add(text.replace(Events.INSTANCE, f.contains("interruption") ? ids.get("spot-instance")
                    : ids.get("big")).replace(Events.VOLUME, ids.get("volume-attached"))
                    .replace(Events.BUCKET, ids.get("bucket-marked")));
        }
        return out;
    }

    @Test
    @Order(1)
    void inDryRunEverySampleEventDeliveredTwiceChangesNothing() throws Exception {
        List<Map<String, Object>> results = new ArrayList<>();
        List<String> events = everyEvent();
        try (SentinelHandler h = handler("dry-run")) {
            JsonMapper json = h.getApplicationContext().getBean(JsonMapper.class);
            LogMessenger log = h.getApplicationContext().getBean(LogMessenger.class);
            Map<String, Object> before = state(json);

            for (int delivery = 0; delivery < 2; delivery++) {
                for (String e : events) {
                    results.add(h.handleRequest(Events.parse(json, e), null));
                }
            }

            assertThat(AccountState.differences(before, state(json))).isEmpty();
            assertThat(slack.requests()).as("nothing is delivered in dry-run, even with students-in-dry-run")
                    .isEmpty();
            assertThat(log.sent()).as("the messages it would send are logged, marked dry-run").isNotEmpty()
                    .allSatisfy(m -> assertThat(m.dryRun()).isTrue())
                    .extracting(SentinelMessage::kind).containsOnly("launch-limits", "spot-interruption");
        }
        // it did look, and says what it would have done
        String all = results.toString();
        assertThat(results).allSatisfy(r -> assertThat(r).containsEntry("mode", "dry-run")
                .doesNotContainKeys("tagged", "untagged"));
        assertThat(all).contains("wouldTag={" + account.ids.get("untagged") + "={curfew:owner=alice")
                .contains("wouldUntag={" + account.ids.get("volume-marked") + "=[curfew:pending, "
                        + "curfew:unattached-since, curfew:snapshot-id]}")
                .contains("dry-run: would terminate").contains("wouldRecord=[/curfew/curfew/limits-told/eu-west-1/")
                .contains("wouldRecord=[/curfew/curfew/interruption-told/eu-west-1/"
                        + account.ids.get("spot-instance") + "]")
                .contains("/curfew/curfew/welcomed/alice")
                .contains("not delivered: in dry-run the sentinel writes its messages to the log only");
    }

    @Test
    @Order(3)
    void theSameEventsInEnforceDoChangeTheState() throws Exception {
        List<String> events = everyEvent();
        try (SentinelHandler h = handler("enforce")) {
            JsonMapper json = h.getApplicationContext().getBean(JsonMapper.class);
            Map<String, Object> before = state(json);
            for (String e : events) {
                h.handleRequest(Events.parse(json, e), null);
            }
            String changed = String.join("\n", AccountState.differences(before, state(json)));
            assertThat(changed).as("the snapshot sees what the sentinel writes")
                    .contains(account.ids.get("untagged")).contains(account.ids.get("volume-marked"))
                    .contains("curfew:created-by");
        }
    }

    @Test
    @Order(2)
    void forgedEventsAreRefusedInEnforceNamingTheFieldAndChangeNothing() throws Exception {
        String good = Events.rewritten("sentinel-runinstances.json", Events.INSTANCE, account.ids.get("untagged"));
        String attach = Events.rewritten("sentinel-attachvolume.json", Events.VOLUME,
                account.ids.get("volume-marked"));
        Map<String, String> forged = new LinkedHashMap<>();
        forged.put("account", good.replace("\"account\": \"123456789012\"", "\"account\": \"21098765432\""));
        // an account nobody enrolled: refused without failing the invocation (README, "Sentinel")
        String stranger = good.replace("\"account\": \"123456789012\"", "\"account\": \"210987654321\"");
        forged.put("source", good.replace("\"source\": \"aws.ec2\"", "\"source\": \"curfew.forged\""));
        forged.put("version", attach.replace("\"version\": \"0\"", "\"version\": \"1\""));
        forged.put("id", attach.replace("\"id\": \"a1b2c3d4-0011-4e5f-8a9b-000000000011\"", "\"id\": \"replay-1\""));
        forged.put("resources", attach.replace("\"resources\": []", "\"resources\": {}"));
        forged.put("detail-type", attach.replace("AWS API Call via CloudTrail", "AWS API Call via Curfew"));
        try (SentinelHandler h = handler("enforce")) {
            JsonMapper json = h.getApplicationContext().getBean(JsonMapper.class);
            LogMessenger log = h.getApplicationContext().getBean(LogMessenger.class);
            Map<String, Object> before = state(json);

            for (var f : forged.entrySet()) {
                assertThat(f.getValue()).as(f.getKey()).isNotEqualTo(good).isNotEqualTo(attach);
                assertThatThrownBy(() -> h.handleRequest(Events.parse(json, f.getValue()), null)).as(f.getKey())
                        .isInstanceOf(BadEventException.class).hasMessageStartingWith(f.getKey() + ":");
            }
            assertThat(h.handleRequest(Events.parse(json, stranger), null)).containsEntry("refused", "210987654321");

            assertThat(AccountState.differences(before, state(json))).isEmpty();
            assertThat(log.sent()).isEmpty();
            assertThat(slack.requests()).isEmpty();
        }
    }
}
