package dev.curfew.core.budget;

import dev.curfew.core.spend.Spend;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One student's spend against their limits in one course week.
 *
 * @param student     the owner, as the spend named them
 * @param weekStart   the course week's start
 * @param weekLimit   the weekly limit with this week's top-up, or null for none
 * @param weekSpent   spent this week, in {@code weekLimit}'s unit (0 without a weekly limit)
 * @param courseLimit the course's limit with this week's top-up, or null for none
 * @param courseSpent spent since the course began, in {@code courseLimit}'s unit (0 without a course limit)
 * @param source      where the dollar figures come from
 */
public record Standing(String student, Instant weekStart, Amount weekLimit, double weekSpent, Amount courseLimit,
                       double courseSpent, Spend.Source source) {
    public Standing {
        Objects.requireNonNull(student, "student");
        Objects.requireNonNull(weekStart, "weekStart");
    }

    /**
     * The standing of {@code spend} against the owner's limits in {@code rules}, with {@code topUp} added; null when
     * the owner has no limit at all.
     */
    public static Standing of(BudgetRules rules, Spend spend, TopUp topUp) {
        dev.curfew.core.spend.ClassSpend.Budget limits = dev.curfew.core.spend.ClassSpend.Budget.of(rules,
                spend.student(), topUp);
        return limits == null ? null : limits.standing(spend);
    }

    /**
     * The standing of {@code spend} against limits already worked out (top-up included); null when both are null.
     */
    public static Standing of(Amount w, Amount c, Spend spend) {
        if (w == null && c == null) {
            return null;
        }
        return new Standing(spend.student(), spend.weekStart(), w,
                w == null ? 0 : w.unit() == Amount.Unit.DOLLARS ? spend.weekDollars() : spend.weekInstanceHours(), c,
                c == null ? 0 : c.unit() == Amount.Unit.DOLLARS ? spend.totalDollars() : spend.totalInstanceHours(),
                spend.source());
    }

    /** The larger share of a limit spent, in percent (the week's or the course's). */
    public double percent() {
        return Math.max(0, Math.max(weekPercent(), coursePercent()));
    }

    /** The share of the week's limit spent, in percent; 0 without a weekly limit. */
    public double weekPercent() {
        return weekLimit == null ? 0 : share(weekSpent, weekLimit);
    }

    /** The share of the course's limit spent, in percent; 0 without a course limit. */
    public double coursePercent() {
        return courseLimit == null ? 0 : share(courseSpent, courseLimit);
    }

    private static double share(double spent, Amount limit) {
        if (limit.value() <= 0) {
            return spent > 0 ? Double.POSITIVE_INFINITY : 100;
        }
        return spent / limit.value() * 100;
    }

    /** The highest of {@link BudgetRules#THRESHOLDS} reached, or 0 below the first. */
    public int reached() {
        int r = 0;
        double p = percent();
        for (int t : BudgetRules.THRESHOLDS) {
            if (p >= t) {
                r = t;
            }
        }
        return r;
    }

    /** At or over a limit: their running instances are stopped and new launches refused. */
    public boolean over() {
        return percent() >= 100;
    }

    /**
     * "this week: $3.10 of your $10.00", with "; the course so far: $40.00 of your $50.00" when there is a course
     * limit, and whose figure it is.
     */
    public String text() {
        List<String> parts = new ArrayList<>();
        if (weekLimit != null) {
            parts.add("this week: " + Amount.show(weekSpent, weekLimit.unit()) + " of your " + weekLimit.show());
        }
        if (courseLimit != null) {
            parts.add("the course so far: " + Amount.show(courseSpent, courseLimit.unit()) + " of your "
                    + courseLimit.show());
        }
        return String.join("; ", parts) + (source == Spend.Source.COST_EXPLORER ? " (billed, from Cost Explorer)"
                : " (Curfew's estimate)");
    }
}
