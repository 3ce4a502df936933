package dev.curfew.core.budget;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.TemporalAdjusters;

/**
 * The course week a weekly budget covers: from Monday 00:00 to the next Monday 00:00 in the course's time zone
 * (daylight saving included). Budget records (top-ups, who was told, who is over budget) are kept per week under
 * {@link #key}, so the week turning starts every student afresh.
 */
public final class CourseWeek {
    private CourseWeek() {
    }

    /** The Monday of the week {@code now} falls in, in {@code zone}. */
    public static LocalDate monday(ZoneId zone, Instant now) {
        return now.atZone(zone).toLocalDate().with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
    }

    /** When the week {@code now} falls in began. */
    public static Instant start(ZoneId zone, Instant now) {
        return monday(zone, now).atStartOfDay(zone).toInstant();
    }

    /** When the week {@code now} falls in ends (the next week's start). */
    public static Instant end(ZoneId zone, Instant now) {
        return monday(zone, now).plusWeeks(1).atStartOfDay(zone).toInstant();
    }

    /** The week's name in records: its Monday, YYYY-MM-DD. */
    public static String key(ZoneId zone, Instant now) {
        return monday(zone, now).toString();
    }
}
