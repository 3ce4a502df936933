package dev.curfew.function.sweeper;

import static org.assertj.core.api.Assertions.assertThat;

import dev.curfew.aws.testing.MotoServer;
import dev.curfew.aws.testing.ShadedJar;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The deployment artifact itself: the shaded jar runs the handler from environment variables alone, and its
 * logging really comes out through the Lambda appender (a shade without the Log4j2 plugin-cache transformer
 * loses the appender, and with it every log line).
 */
class ShadedJarIT {

    @Test
    void shadedJarRunsTheHandlerAndLogsThroughTheLambdaAppender() throws Exception {
        MotoServer moto = MotoServer.get();
        moto.reset();
        String out = ShadedJar.run("curfew-sweeper.jar", LogProbe.class,
                Events.dir().resolve("scheduled-curfew.json").toString(), moto, Map.of(
                        "CURFEW_REGIONS", "eu-west-1,us-east-1", "CURFEW_MODE", "dry-run"));

        assertThat(out).contains("REPORT dry-run");
        assertThat(out).containsPattern("\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}\\.\\d{3} +INFO  SweepService - curfew "
                + "pass for My course in dry-run mode");
        assertThat(out).contains("sweeping 2 regions of account 123456789012 (dry-run)");
    }
}
