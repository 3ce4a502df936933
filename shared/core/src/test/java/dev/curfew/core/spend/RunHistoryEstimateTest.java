package dev.curfew.core.spend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.curfew.core.model.CurfewTags;
import dev.curfew.core.model.Ec2Instance;
import dev.curfew.core.model.InstanceState;
import dev.curfew.core.model.Resource;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The estimate with the sentinel's records of the week's runs (fixed clock: Wed 25 Nov 2026 18:00 in Amsterdam). */
class RunHistoryEstimateTest {
    static final Instant NOW = SpendEstimatorTest.NOW;
    static final Instant MONDAY = SpendEstimatorTest.MONDAY;
    static final String STACK = "curfew";
    static final double MICRO = 0.0104; // t3.micro in us-east-1

    /** The records a sentinel would have written for these events (name to value), as SSM returns them. */
    static Map<String, String> records(RunHistory.Transition... ts) {
        Map<String, String> m = new LinkedHashMap<>();
        for (RunHistory.Transition t : ts) {
            // a redelivered event has the same name: created without overwrite, the first value stays
            m.putIfAbsent(RunHistory.name(STACK, SpendEstimatorTest.AMS, t), RunHistory.value(t.type(), t.owner()));
        }
        return m;
    }

    static RunHistory history(RunHistory.Transition... ts) {
        String week = RunHistory.weekPath(STACK, "2026-11-23");
        return RunHistory.parse(week, records(ts));
    }

    static RunHistory.Transition start(String id, Instant at, String owner) {
        return new RunHistory.Transition("home", "us-east-1", id, at, RunHistory.Kind.START, "t3.micro", owner);
    }

    static RunHistory.Transition end(String id, Instant at, String owner) {
        return new RunHistory.Transition("home", "us-east-1", id, at, RunHistory.Kind.END, "t3.micro", owner);
    }

    static Instant h(double hoursAfterMonday) {
        return MONDAY.plus(Duration.ofMinutes(Math.round(hoursAfterMonday * 60)));
    }

    static ClassSpend estimate(List<? extends Resource> rs, RunHistory history) {
        return SpendEstimator.estimate(rs, r -> r.tags().get(CurfewTags.OWNER), SpendEstimatorTest.AMS, NOW, null,
                history);
    }

    static Ec2Instance stopped(String id, Instant launch, Instant stop, String tagOwner) {
        return SpendEstimatorTest.instance(id, "us-east-1", "t3.micro", InstanceState.STOPPED, launch, stop, tagOwner);
    }

    @Test
    void fiveStartsAndStopsThisWeekAreAllCountedAndTheLastRunOnlyOnce() {
        List<RunHistory.Transition> ts = new ArrayList<>();
        double hours = 0;
        for (int k = 0; k < 5; k++) {
            ts.add(start("i-1", h(2 + 10 * k), "alice"));
            ts.add(end("i-1", h(5 + 10 * k), "alice"));
            hours += 3;
        }
        // EC2 knows only the last run (42 to 45 h): that is also recorded
        Ec2Instance i = stopped("i-1", h(42), h(45), "alice");
        Spend before = estimate(List.of(i), RunHistory.NONE).of("alice");
        assertThat(before.weekInstanceHours()).isCloseTo(3, within(1e-6));

        Spend s = estimate(List.of(i), history(ts.toArray(RunHistory.Transition[]::new))).of("alice");
        assertThat(s.weekInstanceHours()).isCloseTo(hours, within(1e-6));
        assertThat(s.weekDollars()).isCloseTo(hours * MICRO, within(1e-6));
    }

    @Test
    void theCurrentRunIsNotCountedTwiceWhenItsStartIsRecorded() {
        Ec2Instance i = SpendEstimatorTest.running("i-1", h(10), "alice");
        RunHistory hist = history(start("i-1", h(1), "alice"), end("i-1", h(4), "alice"), start("i-1", h(10), "alice"));
        Spend s = estimate(List.of(i), hist).of("alice");
        double current = Duration.between(h(10), NOW).toMinutes() / 60.0;
        assertThat(s.weekInstanceHours()).isCloseTo(3 + current, within(1e-6));
    }

    @Test
    void aRunAcrossMondayMidnightCountsFromTheWeeksStartOnly() {
        // started Sunday 20:00 in Amsterdam (last week's records, not read), stopped Monday 03:00
        Instant sunday = MONDAY.minus(Duration.ofHours(4));
        Instant stop = h(3);
        Ec2Instance i = stopped("i-1", sunday, stop, "alice");
        RunHistory hist = history(end("i-1", stop, "alice"), end("i-1", stop.plusSeconds(40), "alice"));
        Spend s = estimate(List.of(i), hist).of("alice");
        assertThat(s.weekInstanceHours()).isCloseTo(3, within(1e-6));
        assertThat(s.totalInstanceHours()).isCloseTo(7, within(1e-6));

        // its start not recorded (the sentinel was down), launched Tuesday 01:00 as EC2 says: from the launch only
        Ec2Instance tuesday = stopped("i-1", h(25), h(27), "alice");
        assertThat(estimate(List.of(tuesday), history(end("i-1", h(27), "alice"))).of("alice").weekInstanceHours())
                .isCloseTo(2, within(1e-6));

        // the same run with the instance gone (terminated): still 3 hours this week, from the records alone
        Spend gone = estimate(List.of(), hist).of("alice");
        assertThat(gone.weekInstanceHours()).isCloseTo(3, within(1e-6));
        // and a record of the week before Monday is in last week's path, never in this week's
        RunHistory.Transition sundayStart = start("i-1", sunday, "alice");
        assertThat(RunHistory.name(STACK, SpendEstimatorTest.AMS, sundayStart))
                .startsWith("/curfew/curfew/runs/2026-11-16/");
        assertThat(RunHistory.name(STACK, SpendEstimatorTest.AMS, end("i-1", stop, "alice")))
                .startsWith("/curfew/curfew/runs/2026-11-23/home/us-east-1/i-1/");
    }

    @Test
    void aRedeliveredOrLateEventChangesNothing() {
        RunHistory.Transition[] once = {start("i-1", h(1), "alice"), end("i-1", h(4), "alice"),
                start("i-1", h(6), "alice"), end("i-1", h(8), "alice")};
        double expected = estimate(List.of(), history(once)).of("alice").weekInstanceHours();
        assertThat(expected).isCloseTo(5, within(1e-6));
        // every event delivered twice, and in a random order; and stopping followed by stopped (two ends of a run)
        List<RunHistory.Transition> again = new ArrayList<>(List.of(once));
        again.addAll(List.of(once));
        again.add(end("i-1", h(4).plusSeconds(50), "alice"));
        for (long seed = 0; seed < 20; seed++) {
            Collections.shuffle(again, new Random(seed));
            assertThat(estimate(List.of(), history(again.toArray(RunHistory.Transition[]::new))).of("alice")
                    .weekInstanceHours()).isCloseTo(expected, within(1e-6));
        }
    }

    @Test
    void aTerminatedInstancesHoursStayInTheWeekAtItsRecordedType() {
        RunHistory.Transition s = new RunHistory.Transition("home", "us-east-1", "i-9", h(1), RunHistory.Kind.START,
                "m5.large", "alice");
        RunHistory.Transition e = new RunHistory.Transition("home", "us-east-1", "i-9", h(11), RunHistory.Kind.END,
                "m5.large", "alice");
        assertThat(estimate(List.of(), RunHistory.NONE).of("alice")).isNull();
        Spend spent = estimate(List.of(), history(s, e)).of("alice");
        assertThat(spent.weekInstanceHours()).isCloseTo(10, within(1e-6));
        assertThat(spent.weekDollars()).isCloseTo(10 * SpendPrices.instanceHourly("us-east-1", "m5.large"),
                within(1e-6));
    }

    @Test
    void theRecordedOwnerWinsOverTheInstancesTagAndAnUnrecordedOwnerIsNobodys() {
        // the tag says bob; Curfew recorded alice as the creator
        Ec2Instance i = SpendEstimatorTest.running("i-1", h(10), "bob");
        RunHistory hist = history(start("i-1", h(1), null), end("i-1", h(4), "alice"), start("i-1", h(10), null));
        ClassSpend c = estimate(List.of(i), hist);
        assertThat(c.of("bob")).isNull();
        assertThat(c.of("alice").weekInstanceHours()).isCloseTo(3 + Duration.between(h(10), NOW).toMinutes() / 60.0,
                within(1e-6));
        // records that name nobody: the hours are nobody's, never the tag's
        ClassSpend unknown = estimate(List.of(), history(start("i-2", h(1), null), end("i-2", h(2), null)));
        assertThat(unknown.byStudent()).isEmpty();
        assertThat(unknown.unowned().weekInstanceHours()).isCloseTo(1, within(1e-6));
    }

    @Test
    void recordsThatCouldNotBeReadLeaveTodaysEstimateAndSaySo() {
        Ec2Instance i = stopped("i-1", h(42), h(45), "alice");
        ClassSpend c = estimate(List.of(i), RunHistory.failed("AccessDeniedException"));
        assertThat(c.of("alice").weekInstanceHours()).isCloseTo(3, within(1e-6));
        assertThat(c.note()).contains("could not be read", "AccessDeniedException");
        assertThat(estimate(List.of(i), RunHistory.NONE).note()).isNull();
    }

    @Test
    void anOpenRunEndsWhereTheSweepSawTheInstanceStop() {
        // the end event has not been recorded (yet): the instance's own stop ends it
        Ec2Instance i = stopped("i-1", h(1), h(4), "alice");
        assertThat(estimate(List.of(i), history(start("i-1", h(1), "alice"))).of("alice").weekInstanceHours())
                .isCloseTo(3, within(1e-6));
        // not seen by the sweep: counted until now (an upper bound)
        assertThat(estimate(List.of(), history(start("i-1", h(1), "alice"))).of("alice").weekInstanceHours())
                .isCloseTo(Duration.between(h(1), NOW).toMinutes() / 60.0, within(1e-6));
    }

    @Test
    void aNameThatCannotBeARecordIsRefusedNamingTheField() {
        RunHistory.Transition bad = new RunHistory.Transition("home", "us-east-1", "i-1/../x", h(1),
                RunHistory.Kind.START, "t3.micro", "alice");
        assertThatThrownBy(() -> RunHistory.name(STACK, SpendEstimatorTest.AMS, bad))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("instance id").hasMessageContaining(
                        "i-1/../x");
        // records of another shape under the path are skipped, not guessed at
        assertThat(RunHistory.parse("/curfew/curfew/runs/2026-11-23", Map.of(
                "/curfew/curfew/runs/2026-11-23/home/us-east-1/i-1/abc-start", "t3.micro alice",
                "/curfew/curfew/runs/2026-11-23/home/us-east-1/i-1/5-sideways", "t3.micro alice",
                "/curfew/curfew/runs/2026-11-23/home/i-1/5-start", "t3.micro alice")).transitions()).isEmpty();
    }
}
