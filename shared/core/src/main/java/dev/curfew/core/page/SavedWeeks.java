package dev.curfew.core.page;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Money Curfew saved, by course week: the sums of what its runs recorded ({@code SavedPerMonthUsd}, the monthly cost at
 * list prices of what each run stopped, terminated, deleted or released; dev.curfew.core.report.RunMetrics), each
 * run's figure counted in the week (Monday to Sunday in the course's time zone) it ran in.
 */
public final class SavedWeeks {
    private SavedWeeks() {
    }

    /** What one run (or one day of runs) recorded: when, and what it saved a month in US dollars. */
    public record Point(Instant at, double usdPerMonth) {
        public Point {
            Objects.requireNonNull(at, "at");
            if (!(usdPerMonth >= 0)) {
                throw new IllegalArgumentException("a saving cannot be negative or NaN: " + usdPerMonth);
            }
        }
    }

    /** One course week (from Monday {@code start}) and what was saved in it ($ a month of cost removed). */
    public record Week(LocalDate start, double usdPerMonth) {
    }

    /** The Monday of the week {@code at} falls in, in {@code zone}. */
    public static LocalDate weekOf(Instant at, ZoneId zone) {
        return at.atZone(zone).toLocalDate().with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
    }

    /**
     * The last {@code count} weeks up to and including the week of {@code now}, oldest first, each with the sum of
     * the points in it; points outside those weeks are left out. A week without points is 0.
     */
    public static List<Week> of(List<Point> points, Instant now, ZoneId zone, int count) {
        if (count < 1) {
            throw new IllegalArgumentException("count must be at least 1: " + count);
        }
        LocalDate last = weekOf(now, zone);
        LocalDate first = last.minusWeeks(count - 1L);
        double[] sums = new double[count];
        for (Point p : points) {
            LocalDate w = weekOf(p.at(), zone);
            if (w.isBefore(first) || w.isAfter(last)) {
                continue;
            }
            sums[(int) java.time.temporal.ChronoUnit.WEEKS.between(first, w)] += p.usdPerMonth();
        }
        List<Week> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            out.add(new Week(first.plusWeeks(i), Math.round(sums[i] * 100) / 100.0));
        }
        return out;
    }
}
