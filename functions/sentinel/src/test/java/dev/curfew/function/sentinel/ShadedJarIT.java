package dev.curfew.function.sentinel;

import static org.assertj.core.api.Assertions.assertThat;

import dev.curfew.aws.AwsClients;
import dev.curfew.aws.testing.MotoServer;
import dev.curfew.aws.testing.ShadedJar;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ec2.model.Filter;

/**
 * The deployment artifact itself: the shaded jar tags an instance from the sample RunInstances event with its
 * configuration from environment variables alone, and its logging really comes out through the Lambda appender.
 */
class ShadedJarIT {

    @Test
    void shadedJarTagsFromTheSampleEventAndLogsThroughTheLambdaAppender() throws Exception {
        MotoServer moto = MotoServer.get();
        moto.reset();
        String id;
        Path event = Files.createTempFile("sentinel-runinstances-", ".json");
        try (AwsClients clients = new AwsClients(moto.settings("eu-west-1"))) {
            id = clients.ec2("eu-west-1").runInstances(b -> b.imageId("ami-12c6146b").instanceType("t3.micro")
                    .minCount(1).maxCount(1)).instances().get(0).instanceId();
            Files.writeString(event, Events.rewritten("sentinel-runinstances.json", Events.INSTANCE, id));
        }
        String out = ShadedJar.run("curfew-sentinel.jar", LogProbe.class, event.toString(), moto, Map.of(
                "CURFEW_POLICY", "bundled", "CURFEW_MODE", "enforce", "CURFEW_ACCOUNTS", "123456789012",
                "CURFEW_TIME_ZONE", "Europe/Amsterdam", "CURFEW_STACK_NAME", "curfew"));

        assertThat(out).contains("ANSWER {event=a1b2c3d4-0001-4e5f-8a9b-000000000001, kind=api-call");
        assertThat(out).containsPattern("\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}\\.\\d{3} +INFO  LogMessenger - "
                + "message welcome to alice: ");
        try (AwsClients clients = new AwsClients(moto.settings("eu-west-1"))) {
            assertThat(clients.ec2("eu-west-1").describeTags(b -> b.filters(Filter.builder().name("resource-id")
                    .values(id).build())).tags()).extracting(t -> t.key() + "=" + t.value())
                    .contains("curfew:owner=alice", "curfew:expires-at=2026-11-25T17:00:00Z");
        }
        Files.deleteIfExists(event);
    }
}
