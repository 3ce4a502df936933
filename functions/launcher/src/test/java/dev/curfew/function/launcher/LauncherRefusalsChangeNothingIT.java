package dev.curfew.function.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.curfew.aws.testing.AccountState;
import dev.curfew.aws.testing.BusyAccount;
import dev.curfew.aws.testing.MotoTest;
import io.micronaut.json.JsonMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The launcher in dry-run still launches (README, "Launch a spot instance": the answer says the sweeper will not
 * clean up), so what dry-run must not do here is act on a request a check refuses: shown on the emulator's whole
 * state (moto's data.json and the buckets' tags) before and after every kind of refusal, in a busy account. A
 * request the checks let through does change the state, which shows the comparison sees a launch.
 */
class LauncherRefusalsChangeNothingIT extends MotoTest {
    BusyAccount account;
    LauncherHandler handler;
    JsonMapper json;

    @BeforeEach
    void seed() {
        account = BusyAccount.seed(clients, EU, Instant.now().minus(Duration.ofHours(1)), Instant.now());
        clients.ec2(EU).createKeyPair(b -> b.keyName("alice-key"));
        clients.ec2(EU).createKeyPair(b -> b.keyName("carol-key"));
        handler = Launchers.handler(moto, Map.of("curfew.mode", "dry-run"));
        json = handler.getApplicationContext().getBean(JsonMapper.class);
    }

    @AfterEach
    void close() {
        handler.close();
    }

    Map<String, Object> state() {
        return AccountState.read(moto, clients, utf8 -> json.readValue(utf8, Map.class));
    }

    APIGatewayV2HTTPEvent request(String file, Consumer<APIGatewayV2HTTPEvent> change) {
        try {
            APIGatewayV2HTTPEvent e = Events.read(json, file);
            change.accept(e);
            return e;
        } catch (IOException x) {
            throw new UncheckedIOException(x);
        }
    }

    static Consumer<APIGatewayV2HTTPEvent> as(String user, String body) {
        return e -> {
            e.getRequestContext().getAuthorizer().getIam().setUserArn("arn:aws:iam::123456789012:user/" + user);
            e.setBody(body);
        };
    }

    @Test
    void everyRefusedRequestChangesNothingAndAnAcceptedOneDoes() {
        String carol = "{\"instanceType\": \"t3.micro\", \"hours\": 1, \"keyName\": \"carol-key\"}";
        Map<String, APIGatewayV2HTTPEvent> refused = new LinkedHashMap<>();
        refused.put("type-not-allowed", request("launcher-launch.json", as("carol",
                "{\"instanceType\": \"p4d.24xlarge\", \"hours\": 1, \"keyName\": \"carol-key\"}")));
        refused.put("too-many-hours", request("launcher-launch.json", as("carol",
                "{\"instanceType\": \"t3.micro\", \"hours\": 48, \"keyName\": \"carol-key\"}")));
        refused.put("region-not-allowed", request("launcher-launch.json", as("carol",
                "{\"instanceType\": \"t3.micro\", \"hours\": 1, \"keyName\": \"carol-key\", "
                        + "\"region\": \"us-east-1\"}")));
        refused.put("key-pair-not-found", request("launcher-launch.json", as("carol",
                "{\"instanceType\": \"t3.micro\", \"hours\": 1, \"keyName\": \"no-such-key\"}")));
        refused.put("malformed-json", request("launcher-launch.json", as("carol", "{\"instanceType\": ")));
        refused.put("owner-in-body", request("launcher-launch.json", as("carol",
                "{\"instanceType\": \"t3.micro\", \"hours\": 1, \"keyName\": \"carol-key\", "
                        + "\"owner\": \"alice\"}")));
        // alice already has two running instances in the busy account (the course allows two)
        refused.put("over the cap", request("launcher-launch.json", as("alice",
                "{\"instanceType\": \"t3.micro\", \"hours\": 1, \"keyName\": \"alice-key\"}")));
        refused.put("no-identity", request("launcher-launch.json", e -> {
            as("carol", carol).accept(e);
            e.getRequestContext().setAuthorizer(null);
        }));
        refused.put("account-not-enrolled", request("launcher-launch.json", e -> {
            as("carol", carol).accept(e);
            e.getRequestContext().getAuthorizer().getIam().setUserArn("arn:aws:iam::999999999999:user/carol");
            e.getRequestContext().getAuthorizer().getIam().setAccountId("999999999999");
        }));
        refused.put("not-yours", request("launcher-terminate.json",
                e -> e.setRawPath("/instances/" + account.ids.get("stopped"))));
        refused.put("method-not-allowed", request("launcher-launch.json", e -> e.getRequestContext().getHttp()
                .setMethod("PUT")));
        refused.put("body-too-large", request("launcher-launch.json", as("carol", "{\"instanceType\": \"t3.micro\", "
                + "\"hours\": 1, \"keyName\": \"carol-key\", \"padding\": \"" + "x".repeat(17 * 1024) + "\"}")));

        Map<String, Object> before = state();
        for (var r : refused.entrySet()) {
            APIGatewayV2HTTPResponse out = handler.handleRequest(r.getValue(), null);
            assertThat(out.getStatusCode()).as(r.getKey() + ": " + out.getBody()).isBetween(400, 499);
            assertThat(out.getBody()).as(r.getKey()).contains(r.getKey().equals("over the cap")
                    ? "alice already has 2 running instances" : "\"" + r.getKey() + "\"");
        }
        assertThat(AccountState.differences(before, state())).isEmpty();

        APIGatewayV2HTTPResponse launched = handler.handleRequest(request("launcher-launch.json", as("carol", carol)),
                null);
        assertThat(launched.getStatusCode()).as(launched.getBody()).isEqualTo(201);
        assertThat(launched.getBody()).as("dry-run launches, and says the sweeper will not clean up")
                .contains("dry-run");
        assertThat(AccountState.differences(before, state())).as("the comparison sees a launch").isNotEmpty();
    }
}
