package dev.curfew.core.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.curfew.core.plan.Plan;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The metrics of one run, from its report: what failed, what was done, what was left, what it saves. */
class RunMetricsTest {
    static final Instant AT = Instant.parse("2026-11-30T18:00:05Z");

    private static SweepReport.Row row(String id, String decision, String outcome, String type, Double perHour) {
        return new SweepReport.Row("ec2-instance", id, null, "eu-west-1", "alice", "running", type, List.of(),
                decision, "why", outcome, null, perHour);
    }

    static SweepReport report(String mode, Map<String, String> regionErrors, List<SweepReport.Row> rows) {
        return new SweepReport("Cloud 101", "123456789012", mode, AT, 4321, List.of("eu-west-1", "us-east-1"),
                regionErrors, "passed", new Plan.Breaker(false, 2, 50), rows,
                Map.of("ec2:DescribeInstances", 7L, "sts:GetCallerIdentity", 1L));
    }

    @Test
    void eachOutcomeCountsOnceAndOnlyWhatWasDoneIsSaved() {
        SweepReport r = report("enforce", Map.of("us-east-1", "Throttling", "eu-west-1 ebs-volume", "SlowDown"),
                List.of(row("i-1", "terminate", "done", "t3.micro", 0.0214),
                        row("i-2", "stop", "already", "t3.micro", 0.0214),
                        row("i-3", "stop", "failed", "t3.micro", 0.0214),
                        row("i-4", "stop", "none", "t3.micro", 0.0214),    // not done: breaker or time ran out
                        row("i-5", "mark", "done", "t3.micro", null),
                        row("i-6", "skip", "none", "t3.micro", 0.0214),    // nothing to do: not "not done"
                        row("i-7", "notify", "none", "t3.micro", 0.0214),
                        row("lab-big", "empty", "partial", null, 0.05),     // time ran out: goes on next run
                        row("lab-late", "empty", "deferred", null, 0.05))); // not started: next run

        Map<String, Double> m = values(RunMetrics.of(r));

        assertThat(m).containsEntry(RunMetrics.REGIONS_FAILED, 2.0)
                .containsEntry(RunMetrics.ACTIONS_FAILED, 1.0)
                .containsEntry(RunMetrics.ACTIONS_DONE, 3.0)
                .containsEntry(RunMetrics.ACTIONS_NOT_DONE, 3.0)
                .containsEntry(RunMetrics.SAVED_PER_MONTH_USD, Math.round(0.0214 * 730 * 100) / 100.0)
                .containsEntry(RunMetrics.DURATION, 4321.0)
                .containsEntry(RunMetrics.AWS_CALLS, 8.0);
    }

    @Test
    void aDryRunDoesNothingSoNothingIsDoneLeftOrSaved() {
        SweepReport r = report("dry-run", Map.of(), List.of(row("i-1", "terminate", "would", "t3.micro", 0.02),
                row("i-2", "stop", "would", "t3.micro", 0.02)));

        Map<String, Double> m = values(RunMetrics.of(r));

        assertThat(m).containsEntry(RunMetrics.ACTIONS_DONE, 0.0).containsEntry(RunMetrics.ACTIONS_NOT_DONE, 0.0)
                .containsEntry(RunMetrics.ACTIONS_FAILED, 0.0).containsEntry(RunMetrics.REGIONS_FAILED, 0.0)
                .containsEntry(RunMetrics.SAVED_PER_MONTH_USD, 0.0);
    }

    @Test
    @SuppressWarnings("unchecked")
    void theLineIsInTheStacksNamespaceByPassAndWithoutDimensionsWithEveryMetricValued() {
        SweepReport r = report("enforce", Map.of("global", "S3 failed"),
                List.of(row("i-3", "stop", "failed", "t3.micro", 0.0214)));

        Map<String, Object> doc = EmfTest.read(RunMetrics.line("curfew-class", "curfew", r, AT));

        Map<String, Number> values = EmfTest.checkAgainstSpec(doc);
        assertThat(values).containsOnlyKeys(RunMetrics.REGIONS_FAILED, RunMetrics.ACTIONS_FAILED,
                RunMetrics.ACTIONS_DONE, RunMetrics.ACTIONS_NOT_DONE, RunMetrics.SAVED_PER_MONTH_USD,
                RunMetrics.DURATION, RunMetrics.AWS_CALLS);
        assertThat(values.get(RunMetrics.REGIONS_FAILED).intValue()).isEqualTo(1);
        assertThat(values.get(RunMetrics.ACTIONS_FAILED).intValue()).isEqualTo(1);
        Map<String, Object> directive = ((List<Map<String, Object>>) ((Map<String, Object>) doc.get("_aws"))
                .get("CloudWatchMetrics")).get(0);
        assertThat(directive).containsEntry("Namespace", "Curfew/curfew-class")
                .containsEntry("Dimensions", List.of(List.of(), List.of("Pass")));
        assertThat((List<Map<String, Object>>) directive.get("Metrics")).contains(
                Map.of("Name", "RegionsFailed", "Unit", "Count"), Map.of("Name", "Duration", "Unit", "Milliseconds"),
                Map.of("Name", "SavedPerMonthUsd", "Unit", "None"));
        assertThat(doc).containsEntry("Pass", "curfew").containsEntry("mode", "enforce")
                .containsEntry("course", "Cloud 101");
        assertThat(RunMetrics.namespace(null)).isEqualTo("Curfew/local");
    }

    private static Map<String, Double> values(List<Emf.Metric> metrics) {
        Map<String, Double> m = new java.util.TreeMap<>();
        metrics.forEach(x -> m.put(x.name(), x.value()));
        return m;
    }
}
