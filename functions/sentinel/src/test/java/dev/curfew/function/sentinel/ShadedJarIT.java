package dev.curfew.function.sentinel;

import static org.assertj.core.api.Assertions.assertThat;

import dev.curfew.aws.AwsClients;
import dev.curfew.aws.testing.MotoServer;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
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
        Path jar = Path.of(System.getProperty("curfew.shaded-jar", "target/curfew-sentinel.jar"));
        assertThat(jar).exists();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-cp", jar + File.pathSeparator + "target/test-classes",
                LogProbe.class.getName(), event.toString()).redirectErrorStream(true);
        Map<String, String> env = pb.environment();
        env.put("AWS_ENDPOINT_URL", moto.endpoint());
        env.put("AWS_REGION", "eu-west-1");
        env.put("AWS_ACCESS_KEY_ID", "testing");
        env.put("AWS_SECRET_ACCESS_KEY", "testing");
        env.put("CURFEW_POLICY", "bundled");
        env.put("CURFEW_MODE", "dry-run");
        env.put("CURFEW_TIME_ZONE", "Europe/Amsterdam");
        env.put("CURFEW_STACK_NAME", "curfew");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();

        assertThat(p.exitValue()).as(out).isZero();
        assertThat(out).contains("ANSWER {event=a1b2c3d4-0001-4e5f-8a9b-000000000001, kind=api-call");
        assertThat(out).containsPattern("\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}\\.\\d{3} +INFO  LogMessenger - "
                + "message welcome to alice \\(dry-run\\)");
        assertThat(out).doesNotContain("StatusLogger").doesNotContain("Unable to locate plugin")
                .doesNotContain("ERROR");
        try (AwsClients clients = new AwsClients(moto.settings("eu-west-1"))) {
            assertThat(clients.ec2("eu-west-1").describeTags(b -> b.filters(Filter.builder().name("resource-id")
                    .values(id).build())).tags()).extracting(t -> t.key() + "=" + t.value())
                    .contains("curfew:owner=alice", "curfew:expires-at=2026-11-25T17:00:00Z");
        }
        Files.deleteIfExists(event);
    }
}
