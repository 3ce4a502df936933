package dev.curfew.aws.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs a function's deployment artifact the way Lambda does: a fresh JVM with the shaded jar (plus the module's
 * test classes, for the probe that plays Lambda's part), configured from environment variables alone, against the
 * emulator. Checks that it exited cleanly and that Log4j found its Lambda appender.
 */
public final class ShadedJar {
    private ShadedJar() {
    }

    /**
     * @param jarName  the artifact under target/ (overridable with -Dcurfew.shaded-jar)
     * @param probe    a main class in the module's test classes that invokes the handler like Lambda
     * @param argument the probe's argument (an event file)
     * @param env      the function's environment besides the emulator's endpoint, region and credentials
     * @return what the JVM printed (stdout and stderr)
     */
    public static String run(String jarName, Class<?> probe, String argument, MotoServer moto,
                             Map<String, String> env) throws Exception {
        Path jar = Path.of(System.getProperty("curfew.shaded-jar", "target/" + jarName));
        assertThat(jar).exists();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-cp", jar + File.pathSeparator + "target/test-classes",
                probe.getName(), argument).redirectErrorStream(true);
        Map<String, String> e = pb.environment();
        e.put("AWS_ENDPOINT_URL", moto.endpoint());
        e.put("AWS_REGION", "eu-west-1");
        e.put("AWS_ACCESS_KEY_ID", "testing");
        e.put("AWS_SECRET_ACCESS_KEY", "testing");
        e.putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        // a shade without the Log4j2 plugin-cache transformer loses the Lambda appender, and every log line with it
        assertThat(out).doesNotContain("StatusLogger").doesNotContain("Unable to locate plugin")
                .doesNotContain("ERROR");
        return out;
    }
}
