package dev.curfew.function.sweeper;

import static org.assertj.core.api.Assertions.assertThat;

import dev.curfew.aws.testing.AccountState;
import dev.curfew.aws.testing.BusyAccount;
import dev.curfew.aws.testing.FakeSlack;
import dev.curfew.aws.testing.MotoTest;
import io.micronaut.json.JsonMapper;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The sweeper in dry-run changes nothing, shown on the emulator's whole state (moto's data.json and the buckets'
 * tags) before and after its three passes over a busy account: every resource kind, marks due, every rule on with
 * its most destructive action. The same curfew pass in enforce then does change the state.
 */
class SweeperDryRunChangesNothingIT extends MotoTest {
    static final String POLICY = Path.of("src/test/resources/sweeper-dry-run-policy.yaml").toAbsolutePath()
            .toString();
    final FakeSlack slack = new FakeSlack();
    BusyAccount account;
    /** A month after the resources were made: every mark due, every keep tag out of date, every snapshot old. */
    final Instant now = Instant.now().plus(Duration.ofDays(31));

    @BeforeEach
    void seed() {
        account = BusyAccount.seed(clients, EU, now.minus(Duration.ofDays(1)), now);
        clients.secrets().createSecret(b -> b.name("curfew/slack-webhook").secretString(slack.webhookUrl()));
    }

    @AfterEach
    void close() {
        slack.close();
    }

    SweeperHandler handler(String mode) {
        return Sweepers.handler(moto, mode, POLICY, slack, now);
    }

    Map<String, Object> state(JsonMapper json) {
        return AccountState.read(moto, clients, utf8 -> json.readValue(utf8, Map.class));
    }

    @Test
    @SuppressWarnings("unchecked")
    void everyPassInDryRunChangesNothingAndTheCurfewPassInEnforceDoes() throws Exception {
        try (SweeperHandler h = handler("dry-run")) {
            JsonMapper json = h.getApplicationContext().getBean(JsonMapper.class);
            Map<String, Object> before = state(json);

            for (String pass : List.of("warning", "curfew", "idle-check")) {
                Map<String, Object> out = h.handleRequest(Events.scheduled(json, "scheduled-" + pass + ".json"),
                        null);
                assertThat(out).containsEntry("mode", "dry-run");
                if (pass.equals("curfew")) {
                    String rows = String.valueOf(out.get("resources"));
                    assertThat(rows).as("it found the due work, and only says it would do it")
                            .contains(account.ids.get("idle")).contains(account.ids.get("volume-marked"))
                            .contains("lab-alice").contains(account.ids.get("cluster"))
                            .contains(account.ids.get("address-free")).contains("outcome=would");
                }
            }

            assertThat(AccountState.differences(before, state(json))).isEmpty();
        }
        try (SweeperHandler h = handler("enforce")) {
            JsonMapper json = h.getApplicationContext().getBean(JsonMapper.class);
            Map<String, Object> before = state(json);
            h.handleRequest(Events.scheduled(json, "scheduled-curfew.json"), null);
            assertThat(String.join("\n", AccountState.differences(before, state(json))))
                    .as("the comparison sees what a sweep changes").isNotEmpty();
        }
    }
}
