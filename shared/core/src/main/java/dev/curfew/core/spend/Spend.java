package dev.curfew.core.spend;

import java.time.Instant;
import java.util.Objects;

/**
 * What one student's resources have cost: in the current course week (from {@code weekStart}) and since the course
 * began, in US dollars, with the instance hours behind each figure. {@link Source} says whether the dollars are
 * Curfew's estimate from the bundled price table or the billed figure from Cost Explorer; messages say which.
 *
 * @param student            the roster name (or owner) the spend belongs to
 * @param weekStart          the start of the course week the {@code week} figures cover
 * @param weekDollars        cost in the course week, USD
 * @param totalDollars       cost since the course began, USD (at least {@code weekDollars})
 * @param weekInstanceHours  instance hours in the course week
 * @param totalInstanceHours instance hours since the course began
 * @param source             where the dollar figures come from
 */
public record Spend(String student, Instant weekStart, double weekDollars, double totalDollars,
                    double weekInstanceHours, double totalInstanceHours, Source source) {

    /** Where a spend figure comes from. */
    public enum Source {
        /** Curfew's estimate: resource times priced from the bundled table. */
        ESTIMATE,
        /** AWS's billed cost from Cost Explorer, grouped by the owner tag or by account. */
        COST_EXPLORER
    }

    public Spend {
        Objects.requireNonNull(student, "student");
        Objects.requireNonNull(weekStart, "weekStart");
        Objects.requireNonNull(source, "source");
        if (weekDollars < 0 || totalDollars < 0 || weekInstanceHours < 0 || totalInstanceHours < 0) {
            throw new IllegalArgumentException("spend figures cannot be negative");
        }
    }

    /**
     * This spend and another of the same student (two accounts) added up; the dollars are billed only when both are,
     * else they count as Curfew's estimate.
     */
    public Spend plus(Spend o) {
        return new Spend(student, weekStart, weekDollars + o.weekDollars, totalDollars + o.totalDollars,
                weekInstanceHours + o.weekInstanceHours, totalInstanceHours + o.totalInstanceHours,
                source == o.source ? source : Source.ESTIMATE);
    }
}
