package dev.curfew.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The {@code --time-budget} option, without AWS: its values, and the errors that name a bad one. */
class SweepCommandTest {

    @Test
    void budgetsAreWrittenAsPolicyDurations() {
        assertThat(SweepCommand.timeBudget("10m")).isEqualTo(Duration.ofMinutes(10));
        assertThat(SweepCommand.timeBudget("90s")).isEqualTo(Duration.ofSeconds(90));
        assertThat(SweepCommand.timeBudget("1h30m")).isEqualTo(Duration.ofMinutes(90));
    }

    @ParameterizedTest
    @ValueSource(strings = {"ten", "10 minutes", "-5m", "10", ""})
    void aValueThatIsNotADurationIsNamedInTheError(String bad) {
        assertThatThrownBy(() -> SweepCommand.timeBudget(bad)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("--time-budget \"" + bad + "\" is not a duration such as 10m, 90s or 1h30m");
    }

    @Test
    void aZeroBudgetIsRefused() {
        assertThatThrownBy(() -> SweepCommand.timeBudget("0m")).hasMessage("--time-budget \"0m\" is zero: give the "
                + "time buckets may be emptied for, such as 10m");
    }

    @Test
    void theCommandLineRefusesABadBudgetBeforeReachingAwsWithExitCode2() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        // an endpoint nothing listens on: reaching AWS would fail differently (exit 1)
        int code = Main.run(new PrintWriter(out), new PrintWriter(err), "apply", "--endpoint-url",
                "http://127.0.0.1:9", "--time-budget", "soon");

        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("curfew: --time-budget \"soon\" is not a duration such as 10m");
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void theDefaultIsTenMinutes() {
        String help = new picocli.CommandLine(new SweepCommand.Apply()).getUsageMessage();
        assertThat(help).contains("--time-budget=DURATION").contains("(default: 10m)");
    }
}
