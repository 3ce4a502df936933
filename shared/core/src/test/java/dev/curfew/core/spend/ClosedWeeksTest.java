package dev.curfew.core.spend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.curfew.core.model.CurfewTags;
import dev.curfew.core.model.EbsVolume;
import dev.curfew.core.model.Resource;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The course total: the kept figures of closed weeks since the course began plus this week's estimate (fixed clock:
 * Wed 25 Nov 2026 18:00 in Amsterdam, in the week of Mon 23 Nov).
 */
class ClosedWeeksTest {
    static final ZoneId AMS = SpendEstimatorTest.AMS;
    static final Instant NOW = SpendEstimatorTest.NOW;
    static final Instant MONDAY = SpendEstimatorTest.MONDAY;
    static final double MICRO = 0.0104; // t3.micro in us-east-1

    static ClosedWeeks.Figures f(double dollars, double hours) {
        return new ClosedWeeks.Figures(dollars, hours);
    }

    /** Alice's t3.micro running since this Monday 10:00 (56 hours by now). */
    static ClassSpend thisWeek() {
        return SpendEstimatorTest.estimate(List.of(SpendEstimatorTest.running("i-1", MONDAY.plusSeconds(10 * 3600),
                "alice")), null);
    }

    @Test
    void theTotalIsTheClosedWeeksSinceTheCourseBeganPlusThisWeeksFigureCountedOnce() {
        ClassSpend week = thisWeek();
        double weekDollars = 56 * MICRO;
        assertThat(week.of("alice").totalDollars()).as("today: this week's run only").isCloseTo(weekDollars,
                within(1e-6));
        ClosedWeeks kept = new ClosedWeeks(Map.of(
                "2026-11-02", Map.of("alice", f(100, 100)),          // before the course's first week: not counted
                "2026-11-09", Map.of("alice", f(2, 3), "bob", f(4, 5)),
                "2026-11-16", Map.of("ALICE", f(1.5, 2)),
                "2026-11-23", Map.of("alice", f(50, 50)),            // this week: its figure is the estimate's, once
                "2026-11-30", Map.of("alice", f(70, 70))),           // a week to come cannot be kept: not counted
                Set.of("2026-11-02", "2026-11-09", "2026-11-16"), null);

        ClassSpend total = kept.total(week, AMS, LocalDate.parse("2026-11-11"));

        Spend alice = total.of("alice");
        assertThat(alice.weekDollars()).isCloseTo(weekDollars, within(1e-6));
        assertThat(alice.totalDollars()).isCloseTo(2 + 1.5 + weekDollars, within(1e-6));
        assertThat(alice.weekInstanceHours()).isCloseTo(56, within(1e-6));
        assertThat(alice.totalInstanceHours()).isCloseTo(3 + 2 + 56, within(1e-6));
        // a student who only ran in an earlier week: nothing this week, her weeks in the total
        Spend bob = total.of("bob");
        assertThat(bob.weekDollars()).isZero();
        assertThat(bob.totalDollars()).isEqualTo(4);
        assertThat(bob.totalInstanceHours()).isEqualTo(5);
        assertThat(total.partialTotal()).isFalse();
        assertThat(total.note()).isNull();

        // without a course start every kept week before this one counts
        assertThat(kept.total(week, AMS, null).of("alice").totalDollars())
                .isCloseTo(100 + 2 + 1.5 + weekDollars, within(1e-6));
        // nothing kept: today's figures
        assertThat(ClosedWeeks.NONE.total(week, AMS, null)).isEqualTo(week);
    }

    @Test
    void aTotalIsNeverBelowTheEstimateOfWhatExistsNow() {
        // a 100 GiB gp3 volume since 1 Nov: the estimate's total covers weeks nothing was kept for
        EbsVolume v = new EbsVolume("vol-1", "us-east-1", "us-east-1a", "gp3", 100, "available", null,
                Instant.parse("2026-11-01T00:00:00Z"), null, Map.of(CurfewTags.OWNER, "alice"));
        ClassSpend week = SpendEstimatorTest.estimate(List.<Resource>of(v), null);
        Spend before = week.of("alice");
        ClassSpend total = new ClosedWeeks(Map.of("2026-11-16", Map.of("alice", f(0.01, 0))), Set.of("2026-11-16"),
                null).total(week, AMS, null);
        assertThat(total.of("alice").totalDollars()).isEqualTo(before.totalDollars());
        assertThat(total.of("alice").weekDollars()).isEqualTo(before.weekDollars());
    }

    @Test
    void unreadKeptWeeksMakeThePartialTotalSayWhyAndNeverSmaller() {
        ClassSpend week = thisWeek();
        ClassSpend total = ClosedWeeks.failed("/curfew/s/spent: AccessDenied").total(week, AMS, null);
        assertThat(total.partialTotal()).isTrue();
        assertThat(total.note()).contains("partial").contains("AccessDenied");
        assertThat(total.of("alice")).isEqualTo(week.of("alice"));
        assertThat(total.withNote("x").partialTotal()).as("kept through the budgets and notes").isTrue();
        assertThat(ClosedWeeks.failed("x").toClose(AMS, NOW, null)).as("nothing is closed unread").isEmpty();
    }

    @Test
    void theWeeksToCloseAreTheOnesOverNotClosedSinceTheCourseBeganAtMostThreeBack() {
        ClosedWeeks kept = new ClosedWeeks(Map.of(), Set.of("2026-11-09"), null);
        // three back at most: a week further back began more than 27 days ago, and run records live 30 days
        assertThat(kept.toClose(AMS, NOW, null)).extracting(LocalDate::toString)
                .containsExactly("2026-11-02", "2026-11-16");
        assertThat(kept.toClose(AMS, NOW, LocalDate.parse("2026-11-04"))).extracting(LocalDate::toString)
                .containsExactly("2026-11-02", "2026-11-16");
        // a course that begins this week has nothing to close
        assertThat(kept.toClose(AMS, NOW, LocalDate.parse("2026-11-23"))).isEmpty();
        // Monday 00:30 in Amsterdam: last week is over (in UTC it is still Sunday)
        assertThat(kept.with("2026-11-16", Map.of()).toClose(AMS, Instant.parse("2026-11-29T23:30:00Z"),
                LocalDate.parse("2026-11-16"))).extracting(LocalDate::toString).containsExactly("2026-11-23");
    }

    @Test
    void aClosedWeekKeepsEachStudentsWholeWeekAcrossTheEndOfSummerTime() {
        // the week of Mon 19 Oct 2026 (summer time ends Sun 25 Oct): 169 hours; closed days later (a late pass)
        ClassSpend week = SpendEstimator.week(List.of(
                        SpendEstimatorTest.running("i-1", Instant.parse("2026-10-10T00:00:00Z"), "alice"),
                        SpendEstimatorTest.running("i-2", Instant.parse("2026-10-27T00:00:00Z"), "bob")),
                r -> r.tags().get(CurfewTags.OWNER), AMS, LocalDate.parse("2026-10-19"), null,
                RunHistoryEstimateTest.history());
        Map<String, ClosedWeeks.Figures> kept = ClosedWeeks.of(week);
        assertThat(kept.get("alice").hours()).isCloseTo(169, within(1e-6));
        assertThat(kept.get("alice").dollars()).isCloseTo(169 * MICRO, within(1e-6));
        assertThat(kept).as("launched after the week: nothing to keep").doesNotContainKey("bob");

        // and the week after it (Mon 26 Oct): 168 hours
        ClassSpend next = SpendEstimator.week(List.of(SpendEstimatorTest.running("i-1",
                        Instant.parse("2026-10-10T00:00:00Z"), "alice")), r -> "alice", AMS, LocalDate.parse("2026-10-26"),
                null, RunHistory.NONE);
        assertThat(next.of("alice").weekInstanceHours()).isCloseTo(168, within(1e-6));
    }

    @Test
    void aClosedWeekCountsTheRunsItsRecordsKeepOfAnInstanceLongGone() {
        // last week (Mon 16 Nov): i-9 ran 10 hours and was terminated; EC2 has forgotten it
        Instant lastMonday = MONDAY.minusSeconds(7 * 24 * 3600);
        RunHistory h = RunHistory.parse(RunHistory.weekPath("curfew", "2026-11-16"), RunHistoryEstimateTest.records(
                new RunHistory.Transition("home", "us-east-1", "i-9", lastMonday.plusSeconds(3600),
                        RunHistory.Kind.START, "t3.micro", "carol"),
                new RunHistory.Transition("home", "us-east-1", "i-9", lastMonday.plusSeconds(11 * 3600),
                        RunHistory.Kind.END, "t3.micro", "carol")));
        ClassSpend week = SpendEstimator.week(List.of(), r -> null, AMS, LocalDate.parse("2026-11-16"), null, h);
        assertThat(ClosedWeeks.of(week).get("carol").hours()).isCloseTo(10, within(1e-6));
        // kept, it counts in her total this week, when this week's records know nothing of it
        ClassSpend total = new ClosedWeeks(Map.of(), Set.of(), null).with("2026-11-16", ClosedWeeks.of(week))
                .total(thisWeek(), AMS, null);
        assertThat(total.of("carol").totalDollars()).isCloseTo(10 * MICRO, within(1e-6));
    }

    @Test
    void aKeptFigureStandsAndReadsBackAsWritten() {
        ClosedWeeks once = new ClosedWeeks(Map.of("2026-11-16", Map.of("alice", f(1, 2))), Set.of(), null);
        ClosedWeeks twice = once.with("2026-11-16", Map.of("alice", f(9, 9), "bob", f(1, 1)));
        assertThat(twice.figures().get("2026-11-16").get("alice")).isEqualTo(f(1, 2));
        assertThat(twice.closed()).containsExactly("2026-11-16");
        assertThat(ClosedWeeks.Figures.parse(f(3.1, 12.5).wire())).isEqualTo(f(3.1, 12.5));
        assertThat(ClosedWeeks.Figures.parse("dollars=-1 hours=2")).isNull();
        assertThat(ClosedWeeks.Figures.parse("lots")).isNull();
        assertThat(ClosedWeeks.weekKey("2026-11-16")).isEqualTo("2026-11-16");
        assertThat(ClosedWeeks.weekKey("2026-13-01")).isNull();
        assertThat(ClosedWeeks.weekKey("_closed")).isNull();
    }
}
