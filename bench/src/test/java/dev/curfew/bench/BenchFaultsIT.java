package dev.curfew.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.curfew.aws.testing.MotoServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code bench/run --faults 0.2}: one more sweep per size through the fault injector, and its row. */
class BenchFaultsIT {

    @Test
    void theFaultOptionsAreTakenOutOfTheArgumentsAndCheckedByName() {
        List<String> args = new ArrayList<>(List.of("--sizes", "100", "--faults", "0.2", "--fault-seed", "7"));
        assertThat(Bench.faults(args)).isEqualTo(new Bench.Faults(0.2, 7));
        assertThat(args).containsExactly("--sizes", "100");
        assertThat(Bench.faults(new ArrayList<>(List.of("--sizes", "100")))).isEqualTo(new Bench.Faults(0, 1));
        for (String bad : List.of("1", "-0.1", "many")) {
            assertThatThrownBy(() -> Bench.faults(new ArrayList<>(List.of("--faults", bad))))
                    .hasMessage("--faults is \"" + bad + "\"; expected a fraction of requests from 0 to below 1, "
                            + "such as 0.2");
        }
    }

    @Test
    void aSweepWithTwentyPercentFaultsCompletesAndIsReportedAgainstTheSweepWithout() throws Exception {
        MotoServer moto = MotoServer.get();
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        Bench bench = new Bench(BenchSmokeIT.config(moto, 0, 0), new PrintStream(printed, true,
                StandardCharsets.UTF_8)).withFaults(new Bench.Faults(0.2, 3));
        bench.run();
        String md = bench.faultsMarkdown();
        assertThat(md).contains("### Under faults").contains("| 20 | 1 | 20 % (seed 3) |");
        String row = md.lines().filter(l -> l.startsWith("| 20 |")).findFirst().orElseThrow();
        String[] cells = row.split("\\|");
        long callsWithout = Long.parseLong(cells[4].trim().replace(",", ""));
        long calls = Long.parseLong(cells[5].trim().replace(",", ""));
        long attempts = Long.parseLong(cells[6].trim().replace(",", ""));
        long faults = Long.parseLong(cells[7].trim().replace(",", ""));
        // the same calls as without faults; every fault was retried, and nothing failed
        assertThat(calls).isEqualTo(callsWithout);
        assertThat(faults).isPositive();
        assertThat(attempts).isEqualTo(calls + faults);
        assertThat(row).endsWith("| nothing |");
    }
}
