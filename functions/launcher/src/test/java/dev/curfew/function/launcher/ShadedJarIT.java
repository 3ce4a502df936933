package dev.curfew.function.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import dev.curfew.aws.AwsClients;
import dev.curfew.aws.testing.MotoServer;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The deployment artifact itself: the shaded jar launches a spot instance from the sample event with its
 * configuration from environment variables alone, and its logging really comes out through the Lambda appender.
 */
class ShadedJarIT {

    @Test
    void shadedJarLaunchesFromTheSampleEventAndLogsThroughTheLambdaAppender() throws Exception {
        MotoServer moto = MotoServer.get();
        moto.reset();
        try (AwsClients clients = new AwsClients(moto.settings("eu-west-1"))) {
            clients.ec2("eu-west-1").createKeyPair(b -> b.keyName("alice-key"));
        }
        Path jar = Path.of(System.getProperty("curfew.shaded-jar", "target/curfew-launcher.jar"));
        assertThat(jar).exists();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-cp", jar + File.pathSeparator + "target/test-classes",
                LogProbe.class.getName(), Events.dir().resolve("launcher-launch.json").toString())
                .redirectErrorStream(true);
        Map<String, String> env = pb.environment();
        env.put("AWS_ENDPOINT_URL", moto.endpoint());
        env.put("AWS_REGION", "eu-west-1");
        env.put("AWS_ACCESS_KEY_ID", "testing");
        env.put("AWS_SECRET_ACCESS_KEY", "testing");
        env.put("CURFEW_POLICY", "bundled");
        env.put("CURFEW_MODE", "enforce");
        env.put("CURFEW_ACCOUNTS", "123456789012");
        env.put("CURFEW_LAUNCHER_ADDRESS_WAIT_SECONDS", "1");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();

        assertThat(p.exitValue()).as(out).isZero();
        assertThat(out).contains("ANSWER 201 ").contains("\"instanceId\": \"i-");
        assertThat(out).containsPattern("\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}\\.\\d{3} +INFO  LaunchService - "
                + "launched i-[0-9a-f]+ \\(t3.micro, spot at \\$0.00001/h in eu-west-1a\\) for alice");
        assertThat(out).contains("POST /instances by arn:aws:iam::123456789012:user/alice from 203.0.113.7: 201");
        assertThat(out).doesNotContain("StatusLogger").doesNotContain("Unable to locate plugin")
                .doesNotContain("ERROR");
    }
}
