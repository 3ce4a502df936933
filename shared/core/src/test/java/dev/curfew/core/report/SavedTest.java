package dev.curfew.core.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

/** What a run saves: terminations and deletions at their full cost, stops at their compute only. */
class SavedTest {
    private static SweepReport.Row row(String decision, String outcome, String type, Double perHour) {
        return new SweepReport.Row("ec2-instance", "i-" + decision + outcome + type, null, "eu-west-1", "alice",
                "running", type, List.of(), decision, "why", outcome, null, perHour);
    }

    @Test
    void stopsCountTheirComputeTerminationsTheirWholeCostSkipsAndFailuresNothing() {
        List<SweepReport.Row> rows = List.of(
                row("terminate", "done", "t3.micro", 0.0104 + 0.0110),   // compute + an 8 GiB gp2 root volume
                row("stop", "done", "t3.medium (spot)", 0.0416 + 0.0110), // only the compute is saved
                row("stop", "failed", "t3.micro", 0.0104),
                row("skip", "none", "t3.micro", 0.0104),
                row("release", "would", null, 0.005),
                row("stop", "done", "x9.unknown", 0.5));
        double expected = (0.0104 + 0.0110 + 0.0416 + 0.005) * 730;
        assertThat(SweepReport.savedPerMonth(rows)).isCloseTo(expected, within(1e-9));
    }
}
