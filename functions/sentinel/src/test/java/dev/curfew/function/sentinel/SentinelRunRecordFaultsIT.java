package dev.curfew.function.sentinel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.curfew.aws.AwsSettings;
import dev.curfew.aws.testing.FaultProxy;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ssm.model.ParameterNotFoundException;

/**
 * A run record SSM will not take, after the SDK's retries, does not vanish into a note: the event's other work is
 * done (the expiry tag, the launch limits), the failure is reported, and the invocation fails, so Lambda delivers the
 * event again; the redelivery writes the record and nothing else (the records are created without overwrite, tags
 * only where missing). The handler reaches moto through the test harness's {@link FaultProxy}.
 */
class SentinelRunRecordFaultsIT extends ProxiedSentinels {

    static Map<String, Object> running(String instance) throws Exception {
        return handler.handleRequest(Events.parse(json, Events.rewritten("sentinel-state-running.json",
                Events.INSTANCE, instance)), null);
    }

    @Test
    void aRunRecordSsmRefusesFailsTheInvocationAfterTheRestAndTheRedeliveryWritesIt() throws Exception {
        // a type the course does not allow: the launch limits have something to record and tell
        String id = clients.ec2(EU).runInstances(b -> b.imageId("ami-12c6146b").instanceType("m5.large").minCount(1)
                .maxCount(1)).instances().get(0).instanceId();
        String told = "/curfew/curfew/limits-told/eu-west-1/" + id + "/type";
        String record = "/curfew/curfew/runs/2026-11-23/home/eu-west-1/" + id + "/"
                + Instant.parse("2026-11-25T10:00:20Z").getEpochSecond() + "-start";
        // SSM answers every attempt to write the run record with a 500; everything else goes through
        proxy.clearCounts();
        proxy.always(c -> c.name().equals("ssm:PutParameter") && c.body().contains(record),
                FaultProxy.Fault.SERVER_ERROR);

        Throwable failed = catchThrowable(() -> running(id));

        assertThat(failed).as("the invocation fails").isNotNull().hasMessageContaining(record)
                .hasMessageContaining("was not recorded")
                .hasMessageContaining("Lambda delivers the event again");
        // the SDK retried it (CURFEW_RETRY_ATTEMPTS attempts), and every attempt failed
        int attempts = AwsSettings.fromEnvironment(null, "eu-west-1").maxAttempts();
        assertThat(attempts).isGreaterThan(1);
        var tries = proxy.faulted().stream().filter(c -> c.body().contains(record)).toList();
        assertThat(tries).hasSize(attempts).extracting(FaultProxy.Call::invocationId).containsOnly(tries.get(0)
                .invocationId());
        assertThat(proxy.passed()).noneMatch(c -> c.body().contains(record));
        // the rest of the event was done first: the expiry tag, the launch limits (told, and recorded as told)
        assertThat(clients.ec2(EU).describeTags(b -> b.filters(f -> f.name("resource-id").values(id))).tags())
                .anyMatch(t -> t.key().equals("curfew:expires-at"));
        assertThat(exists(told)).isTrue();
        assertThat(exists(record)).isFalse();

        // SSM is back: Lambda's retry of the same event writes the record, and nothing else
        proxy.always(c -> false);
        Map<String, Object> again = running(id);
        assertThat(again).doesNotContainKey("unrecorded").doesNotContainKey("tagged");
        assertThat(again.get("run")).isEqualTo(Map.of("recorded", record, "owner", "null"));
        assertThat(again.get("limits")).asString().contains("already told");
        assertThat(exists(record)).isTrue();
        // and a further delivery changes nothing
        assertThat(running(id).get("run")).isEqualTo(Map.of("alreadyRecorded", record));
    }

    @Test
    void aRepeatedCallNamingAnotherStudentsInstanceRecordsItsStartAsTheirs() throws Exception {
        String id = clients.ec2(EU).runInstances(b -> b.imageId("ami-12c6146b").instanceType("t3.micro").minCount(1)
                .maxCount(1)).instances().get(0).instanceId();
        var launched = clients.ec2(EU).describeInstances(b -> b.instanceIds(id)).reservations().get(0).instances()
                .get(0).launchTime();
        String start = dev.curfew.core.spend.RunHistory.name("curfew", java.time.ZoneId.of("Europe/Amsterdam"),
                new dev.curfew.core.spend.RunHistory.Transition(dev.curfew.core.spend.RunHistory.HOME, EU, id,
                        launched, dev.curfew.core.spend.RunHistory.Kind.START, null, null));
        // alice's RunInstances: her owner record is written, the launch-time start is not (SSM refuses it)
        proxy.always(c -> c.name().equals("ssm:PutParameter") && c.body().contains(start),
                FaultProxy.Fault.SERVER_ERROR);
        assertThat(catchThrowable(() -> handler.handleRequest(Events.parse(json, Events.rewritten(
                "sentinel-runinstances.json", Events.INSTANCE, id)), null))).hasMessageContaining(id)
                .hasMessageContaining("was not recorded");
        assertThat(exists(start)).isFalse();

        // before Lambda retries it, bob repeats alice's call with her client token: EC2 answers with her instance,
        // and his CloudTrail event names it. The start is written under the owner recorded first: alice
        proxy.always(c -> false);
        Map<String, Object> bobs = handler.handleRequest(Events.parse(json, Events.rewritten(
                "sentinel-runinstances.json", Events.INSTANCE, id, "user/alice", "user/bob", "\"userName\": \"alice\"",
                "\"userName\": \"bob\"")), null);
        assertThat(bobs.get("owner")).isEqualTo("bob");
        assertThat(bobs).doesNotContainKey("unrecorded");
        assertThat(bobs.get("ownersAlreadyRecorded")).asString().contains(id);
        assertThat(clients.ssm(EU).getParameter(b -> b.name(start)).parameter().value()).isEqualTo("t3.micro alice");
        assertThat(clients.ssm(EU).getParameter(b -> b.name("/curfew/curfew/runs/owners/home/eu-west-1/" + id))
                .parameter().value()).isEqualTo("alice");
    }

    static boolean exists(String name) {
        try {
            clients.ssm(EU).getParameter(b -> b.name(name));
            return true;
        } catch (ParameterNotFoundException e) {
            return false;
        }
    }
}
