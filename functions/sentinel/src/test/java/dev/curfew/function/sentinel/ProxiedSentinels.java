package dev.curfew.function.sentinel;

import dev.curfew.aws.testing.FaultProxy;
import dev.curfew.aws.testing.MotoTest;
import dev.curfew.core.spend.RunHistory;
import io.micronaut.json.JsonMapper;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import software.amazon.awssdk.services.ssm.model.ParameterNotFoundException;

/**
 * As {@link Sentinels}, the deployed handler for the test class, reaching moto through the test harness's
 * {@link FaultProxy} (no faults until a test asks for them; a test class may have it rewrite answers); what the
 * handler recorded of an instance's owner and runs, read back.
 */
abstract class ProxiedSentinels extends MotoTest {
    static final ZoneId AMS = ZoneId.of("Europe/Amsterdam");
    static final String WEEK = "/curfew/curfew/runs/2026-11-23/home/eu-west-1/";
    static FaultProxy proxy;
    static SentinelHandler handler;
    static JsonMapper json;

    @BeforeAll
    static void startHandler() {
        proxy = FaultProxy.start(moto.endpoint(), 0, 1);
        handler = Sentinels.handler(moto, Map.of("aws.endpoint-url", proxy.endpoint()));
        json = handler.getApplicationContext().getBean(JsonMapper.class);
    }

    @AfterAll
    static void stopHandler() {
        handler.close();
        proxy.close();
    }

    static Map<String, Object> stateChange(String instance, int n, String state, String time) throws Exception {
        return handler.handleRequest(Events.parse(json, Events.rewritten("sentinel-state-running.json",
                Events.INSTANCE, instance, "a1b2c3d4-0009-4e5f-8a9b-000000000009",
                String.format("a1b2c3d4-0009-4e5f-8a9b-%012d", n), "\"state\": \"running\"",
                "\"state\": \"" + state + "\"", "\"time\": \"2026-11-25T10:00:20Z\"", "\"time\": \"" + time + "\"")),
                null);
    }

    /** An owner record's value and version, or null. */
    static String owner(String id) {
        try {
            var p = clients.ssm(EU).getParameter(b -> b.name("/curfew/curfew/runs/owners/home/eu-west-1/" + id))
                    .parameter();
            return p.value() + " v" + p.version();
        } catch (ParameterNotFoundException e) {
            return null;
        }
    }

    /** The start recorded at the instance's launch time (its week), or null. */
    static String launchStart(String instance) {
        Instant at = clients.ec2(EU).describeInstances(b -> b.instanceIds(instance)).reservations().get(0).instances()
                .get(0).launchTime();
        try {
            return clients.ssm(EU).getParameter(b -> b.name(RunHistory.name("curfew", AMS, new RunHistory.Transition(
                    RunHistory.HOME, EU, instance, at, RunHistory.Kind.START, null, null)))).parameter().value();
        } catch (ParameterNotFoundException e) {
            return null;
        }
    }

    /** The instance's owner tag, or null. */
    static String ownerTag(String instance) {
        return clients.ec2(EU).describeTags(b -> b.filters(f -> f.name("resource-id").values(instance))).tags()
                .stream().filter(t -> t.key().equals("curfew:owner")).map(t -> t.value()).findFirst().orElse(null);
    }

    static String record(String instance, String time, String kind) {
        try {
            return clients.ssm(EU).getParameter(b -> b.name(WEEK + instance + "/" + Instant.parse(time)
                    .getEpochSecond() + "-" + kind)).parameter().value();
        } catch (ParameterNotFoundException e) {
            return null;
        }
    }
}
