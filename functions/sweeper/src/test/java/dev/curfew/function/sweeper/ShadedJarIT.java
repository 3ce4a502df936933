package dev.curfew.function.sweeper;

import static org.assertj.core.api.Assertions.assertThat;

import dev.curfew.aws.testing.MotoServer;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
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
        Path jar = Path.of(System.getProperty("curfew.shaded-jar", "target/curfew-sweeper.jar"));
        assertThat(jar).exists();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-cp", jar + File.pathSeparator + "target/test-classes",
                LogProbe.class.getName(), Events.dir().resolve("scheduled-curfew.json").toString())
                .redirectErrorStream(true);
        Map<String, String> env = pb.environment();
        env.put("AWS_ENDPOINT_URL", moto.endpoint());
        env.put("AWS_REGION", "eu-west-1");
        env.put("AWS_ACCESS_KEY_ID", "testing");
        env.put("AWS_SECRET_ACCESS_KEY", "testing");
        env.put("CURFEW_REGIONS", "eu-west-1,us-east-1");
        env.put("CURFEW_MODE", "dry-run");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();

        assertThat(p.exitValue()).as(out).isZero();
        assertThat(out).contains("REPORT dry-run");
        assertThat(out).containsPattern("\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}\\.\\d{3} +INFO  SweepService - curfew "
                + "pass for My course in dry-run mode");
        assertThat(out).contains("sweeping 2 regions of account 123456789012 (dry-run)");
        assertThat(out).doesNotContain("StatusLogger").doesNotContain("Unable to locate plugin")
                .doesNotContain("ERROR");
    }
}
