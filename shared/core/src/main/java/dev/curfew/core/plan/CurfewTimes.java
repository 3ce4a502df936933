package dev.curfew.core.plan;

import dev.curfew.core.policy.Policy;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZonedDateTime;

/** Curfew instants in the course's time zone, daylight saving included. */
public final class CurfewTimes {
    private CurfewTimes() {
    }

    /** The latest curfew at or before {@code now}. */
    public static Instant latest(Policy p, Instant now) {
        LocalDate today = now.atZone(p.timeZone()).toLocalDate();
        Instant c = ZonedDateTime.of(today, p.curfew(), p.timeZone()).toInstant();
        return c.isAfter(now) ? ZonedDateTime.of(today.minusDays(1), p.curfew(), p.timeZone()).toInstant() : c;
    }

    /** The first curfew after {@code now}. */
    public static Instant next(Policy p, Instant now) {
        LocalDate today = now.atZone(p.timeZone()).toLocalDate();
        Instant c = ZonedDateTime.of(today, p.curfew(), p.timeZone()).toInstant();
        return c.isAfter(now) ? c : ZonedDateTime.of(today.plusDays(1), p.curfew(), p.timeZone()).toInstant();
    }

    /** The end of a day in the course's time zone: the first instant of the next day. */
    public static Instant endOfDay(Policy p, LocalDate day) {
        return day.plusDays(1).atStartOfDay(p.timeZone()).toInstant();
    }
}
