package dev.curfew.function.sweeper;

import static org.assertj.core.api.Assertions.assertThat;

import dev.curfew.core.launch.JsonBody;
import dev.curfew.core.plan.Plan;
import dev.curfew.core.report.SweepReport;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The lines a run leaves: the report (in parts when it is too long for one log event), then its metrics. */
class RunLogTest {

    static SweepReport report(int rows) {
        List<SweepReport.Row> r = IntStream.range(0, rows).mapToObj(i -> new SweepReport.Row("ec2-instance",
                "i-" + i, "lab \"" + i + "\"\nline two", "eu-west-1", "student" + i, "running", "t3.micro",
                List.of("idle for 3 h"), "stop", "idle at curfew", i % 7 == 0 ? "failed" : "done", "détail " + i,
                0.0104)).toList();
        return new SweepReport("Cloud 101", "123456789012", "enforce", Instant.parse("2026-11-30T18:00:00Z"), 900,
                List.of("eu-west-1"), Map.of(), "passed", new Plan.Breaker(false, rows, 500), r,
                Map.of("ec2:DescribeInstances", 3L));
    }

    static Map<String, Object> answer(SweepReport report) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("pass", "curfew");
        out.putAll(report.toMap());
        return out;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> parse(String line) {
        assertThat(line).doesNotContain("\n").startsWith("{").endsWith("}");
        return (Map<String, Object>) JsonBody.parse(line, 1 << 20);
    }

    @Test
    void aReportThatFitsIsOneLineFollowedByItsMetrics() {
        List<String> lines = new ArrayList<>();
        SweepReport report = report(5);

        new RunLog("class-stack", lines::add, RunLog.MAX_LINE_BYTES).finished("curfew", answer(report), report);

        assertThat(lines).hasSize(2);
        Map<String, Object> first = parse(lines.get(0));
        assertThat(first).containsEntry("log", RunLog.REPORT).containsEntry("pass", "curfew");
        assertThat(first.get("resources")).isEqualTo(JsonBody.parse(dev.curfew.core.report.Json.write(
                answer(report).get("resources")), 1 << 20));
        assertThat(parse(lines.get(1))).containsKey("_aws").containsEntry("Pass", "curfew");
    }

    @Test
    @SuppressWarnings("unchecked")
    void aReportTooLongForOneEventKeepsEveryOutcomeInNumberedPartsEachWithinTheLimit() {
        List<String> lines = new ArrayList<>();
        SweepReport report = report(60);
        int limit = 4_000;

        new RunLog("class-stack", lines::add, limit).finished("curfew", answer(report), report);

        Map<String, Object> head = parse(lines.get(0));
        assertThat(head).containsEntry("log", RunLog.REPORT).containsEntry("resourceCount",
                java.math.BigDecimal.valueOf(60));
        assertThat(parse(lines.get(lines.size() - 1))).containsKey("_aws");
        List<String> parts = lines.subList(1, lines.size() - 1);
        assertThat(parts).hasSizeGreaterThan(1);
        List<Object> resources = new ArrayList<>();
        for (int i = 0; i < parts.size(); i++) {
            assertThat(parts.get(i).getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(limit);
            Map<String, Object> p = parse(parts.get(i));
            assertThat(p).containsEntry("log", RunLog.RESOURCES).containsEntry("pass", "curfew")
                    .containsEntry("part", java.math.BigDecimal.valueOf(i + 1))
                    .containsEntry("parts", java.math.BigDecimal.valueOf(parts.size()));
            resources.addAll((List<Object>) p.get("resources"));
        }
        assertThat(resources).as("every resource, once, in order").isEqualTo(JsonBody.parse(
                dev.curfew.core.report.Json.write(answer(report).get("resources")), 1 << 20));
    }

    @Test
    void aFailedRunIsOneLineNamingTheError() {
        List<String> lines = new ArrayList<>();

        new RunLog("class-stack", lines::add, RunLog.MAX_LINE_BYTES).failed("curfew",
                new dev.curfew.core.sweep.SweepException("every region failed; first: eu-west-1=Throttling"));

        assertThat(lines).singleElement().satisfies(l -> assertThat(parse(l)).containsEntry("log", RunLog.FAILED)
                .containsEntry("pass", "curfew").containsEntry("error", "SweepException")
                .containsEntry("message", "every region failed; first: eu-west-1=Throttling"));
    }

    @Test
    void aRunThatStoodAsideLeavesOneLineSayingWhyAndNoMetrics() {
        List<String> lines = new ArrayList<>();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("pass", "curfew");
        out.put("course", "Cloud 101");
        out.put("stoodAside", "another curfew sweep of account 123456789012 holds the lock");
        out.put("lock", "/curfew/class-stack/sweep-lock/curfew/20261130T170000Z");

        new RunLog("class-stack", lines::add, RunLog.MAX_LINE_BYTES).stoodAside(out);

        assertThat(lines).hasSize(1);
        Map<String, Object> line = parse(lines.get(0));
        assertThat(line).containsEntry("log", RunLog.STOOD_ASIDE).containsEntry("pass", "curfew")
                .containsEntry("stoodAside", out.get("stoodAside")).containsEntry("lock", out.get("lock"))
                .containsKey("at").doesNotContainKey("_aws");
    }
}
