package dev.curfew.core.spend;

/**
 * One student's billed cost as Cost Explorer gave it, in USD.
 *
 * @param week  since the course week began (whole days: Cost Explorer counts by UTC day)
 * @param total over the whole period asked for
 */
public record Billed(double week, double total) {
    public Billed {
        if (week < 0 || total < 0 || Double.isNaN(week) || Double.isNaN(total)) {
            throw new IllegalArgumentException("billed cost cannot be negative: week " + week + ", total " + total);
        }
    }
}
