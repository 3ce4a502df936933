package dev.curfew.function.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import dev.curfew.aws.AwsClients;
import dev.curfew.aws.testing.MotoServer;
import dev.curfew.aws.testing.ShadedJar;
import java.nio.file.Path;
import java.util.Map;
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
        String out = ShadedJar.run("curfew-launcher.jar", LogProbe.class,
                Events.dir().resolve("launcher-launch.json").toString(), moto, Map.of(
                        "CURFEW_POLICY", "bundled", "CURFEW_MODE", "enforce", "CURFEW_ACCOUNTS", "123456789012",
                        "CURFEW_LAUNCHER_ADDRESS_WAIT_SECONDS", "1"));

        assertThat(out).contains("ANSWER 201 ").contains("\"instanceId\": \"i-");
        assertThat(out).containsPattern("\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}\\.\\d{3} +INFO  LaunchService - "
                + "launched i-[0-9a-f]+ \\(t3.micro, spot at \\$0.00001/h in eu-west-1a\\) for alice");
        assertThat(out).contains("POST /instances by arn:aws:iam::123456789012:user/alice from 203.0.113.7: 201");
    }
}
