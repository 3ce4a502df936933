package dev.curfew.function.sweeper;

import static org.assertj.core.api.Assertions.assertThat;

import dev.curfew.core.sweep.Deadline;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** The time budget of emptying buckets, from the Lambda context. */
class SweeperDeadlineTest {
    static final Instant START = Instant.parse("2026-03-10T18:00:00Z");
    final Clock clock = Clock.fixed(START, ZoneOffset.UTC);

    @Test
    void itIsTheRemainingTimeLessTheMarginForTheReportAndTheMessages() {
        Deadline d = SweeperHandler.emptyingDeadline(LambdaContexts.remaining(300_000), clock);

        assertThat(d.at()).isEqualTo(START.plusSeconds(300).minus(SweeperHandler.MARGIN));
        assertThat(SweeperHandler.MARGIN).hasSeconds(60);
        assertThat(d.passed()).isFalse();
    }

    @Test
    void lessTimeLeftThanTheMarginLeavesNoneForEmptying() {
        assertThat(SweeperHandler.emptyingDeadline(LambdaContexts.remaining(45_000), clock).passed()).isTrue();
    }

    @Test
    void withoutAContextThereIsNoLimit() {
        assertThat(SweeperHandler.emptyingDeadline(null, clock)).isSameAs(Deadline.NONE);
        assertThat(Deadline.NONE.passed()).isFalse();
    }
}
