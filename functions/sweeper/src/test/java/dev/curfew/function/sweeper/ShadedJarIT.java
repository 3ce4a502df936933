package dev.curfew.function.sweeper;

import static org.assertj.core.api.Assertions.assertThat;

import dev.curfew.aws.testing.MotoServer;
import dev.curfew.aws.testing.ShadedJar;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The deployment artifact itself: the shaded jar runs the handler from environment variables alone, and its
 * logging really comes out through the Lambda appender (a shade without the Log4j2 plugin-cache transformer
 * loses the appender, and with it every log line). The report and the metrics come out as lines that are a JSON
 * object alone, whatever the function's log format, so CloudWatch Logs reads them and extracts the EMF metrics.
 */
class ShadedJarIT {

    private static String run(Map<String, String> extra) throws Exception {
        MotoServer moto = MotoServer.get();
        moto.reset();
        Map<String, String> env = new java.util.HashMap<>(Map.of("CURFEW_REGIONS", "eu-west-1,us-east-1",
                "CURFEW_MODE", "dry-run", "CURFEW_STACK_NAME", "curfew-class"));
        env.putAll(extra);
        return ShadedJar.run("curfew-sweeper.jar", LogProbe.class,
                Events.dir().resolve("scheduled-curfew.json").toString(), moto, env);
    }

    @Test
    void theDemosSampleLeftoversAreNotShipped() throws Exception {
        try (var jar = new java.util.jar.JarFile(System.getProperty("curfew.shaded-jar",
                "target/curfew-sweeper.jar"))) {
            assertThat(jar.getEntry("dev/curfew/aws/EbsVolumes.class")).isNotNull();
            assertThat(jar.getEntry("dev/curfew/aws/samples/Samples.class")).isNull();
        }
    }

    @Test
    void shadedJarRunsTheHandlerAndLogsThroughTheLambdaAppender() throws Exception {
        String out = run(Map.of());

        assertThat(out).contains("REPORT dry-run");
        assertThat(out).containsPattern("\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}\\.\\d{3} +INFO  SweepService - curfew "
                + "pass for My course in dry-run mode");
        assertThat(out).contains("sweeping 2 regions of account 123456789012 (dry-run)");
        reportAndMetricsAreBareJsonLines(out);
    }

    @Test
    void withLambdasJsonLogFormatTheMetricsLineIsStillTheObjectAlone() throws Exception {
        String out = run(Map.of("AWS_LAMBDA_LOG_FORMAT", "JSON"));

        List<String> lines = out.lines().toList();
        assertThat(lines).as("Log4j's lines are JSON now").filteredOn(l -> l.contains(SweepService.class.getName()))
                .isNotEmpty().allSatisfy(l -> assertThat(l).startsWith("{\"timestamp\":"));
        assertThat(lines).as("the metrics are not wrapped in Log4j's JSON").filteredOn(l -> l.contains(
                "CloudWatchMetrics")).singleElement().satisfies(l -> assertThat(l).startsWith("{\"_aws\":{"));
        assertThat(lines).filteredOn(l -> l.contains(RunLog.REPORT)).singleElement()
                .satisfies(l -> assertThat(l).startsWith("{\"log\":\"" + RunLog.REPORT + "\""));
        reportAndMetricsAreBareJsonLines(out);
    }

    @SuppressWarnings("unchecked")
    private static void reportAndMetricsAreBareJsonLines(String out) {
        List<Map<String, Object>> json = Stdout.jsonLines(out.lines().toList());
        assertThat(json).filteredOn(l -> RunLog.REPORT.equals(l.get("log"))).singleElement().satisfies(r -> {
            assertThat(r).containsEntry("pass", "curfew").containsEntry("mode", "dry-run")
                    .containsKeys("resources", "outcomes", "regionErrors", "savedPerMonthUsd", "notifications");
            assertThat((List<String>) r.get("regions")).containsExactly("eu-west-1", "us-east-1");
        });
        assertThat(json).filteredOn(l -> l.containsKey("_aws")).singleElement().satisfies(emf -> {
            Map<String, Object> directive = ((List<Map<String, Object>>) ((Map<String, Object>) emf.get("_aws"))
                    .get("CloudWatchMetrics")).get(0);
            assertThat(directive).containsEntry("Namespace", "Curfew/curfew-class");
            assertThat(emf).containsEntry("Pass", "curfew").containsKeys("RegionsFailed", "ActionsFailed",
                    "ActionsDone", "ActionsNotDone", "SavedPerMonthUsd", "Duration", "AwsCalls");
        });
    }
}
