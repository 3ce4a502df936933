package dev.curfew.core.spend;

import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** How spend reads in a message: what it cost, against the budget when there is one, and where the figure is from. */
public final class SpendText {
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("EEE d MMM", Locale.ENGLISH);

    private SpendText() {
    }

    /** "$3.10". */
    public static String money(double usd) {
        return String.format(Locale.ROOT, "$%,.2f", usd);
    }

    /** "Curfew's estimate" or "billed, from Cost Explorer". */
    public static String source(Spend s) {
        return s.source() == Spend.Source.COST_EXPLORER ? "billed, from AWS Cost Explorer"
                : "Curfew's estimate from list prices";
    }

    /** "$3.10" or, with a budget, "$3.10 of your $10.00". */
    public static String week(Spend s, Double budget) {
        return money(s.weekDollars()) + (budget == null ? "" : " of your " + money(budget));
    }

    /**
     * A student's sentence: "Your spending this week (since Mon 30 Nov): $3.10 of your $10.00; $12.40 in total
     * (Curfew's estimate from list prices)."
     *
     * @param budget the student's budget for the week in USD, or null when there is none
     */
    public static String sentence(Spend s, Double budget, ZoneId zone) {
        return "Your spending this week (since " + DAY.format(s.weekStart().atZone(zone)) + "): " + week(s, budget)
                + "; " + money(s.totalDollars()) + " in total (" + source(s) + ").";
    }

    /**
     * A student's sentence with their budget: "Your spending this week (since Mon 30 Nov): $3.10 of your $10.00; $12.40
     * in total (Curfew's estimate from list prices)." An hours budget reads "$3.10, 12.5 h of your 20 h", a course
     * budget "$12.40 of your $50.00 for the course".
     *
     * @param budget the student's standing (limits with this week's top-up), or null when they have no budget
     */
    public static String withBudget(Spend s, dev.curfew.core.budget.Standing budget, ZoneId zone) {
        dev.curfew.core.budget.Amount week = budget == null ? null : budget.weekLimit();
        dev.curfew.core.budget.Amount course = budget == null ? null : budget.courseLimit();
        return "Your spending this week (since " + DAY.format(s.weekStart().atZone(zone)) + "): "
                + against(s.weekDollars(), s.weekInstanceHours(), week, " of your ") + "; "
                + (course == null ? money(s.totalDollars()) + " in total"
                : against(s.totalDollars(), s.totalInstanceHours(), course, " of your ") + " for the course")
                + " (" + source(s) + ").";
    }

    /**
     * Spend against a limit: "$3.10" without one, "$3.10 of $10.00" against dollars, "$3.10, 12.5 h of 20 h" against
     * instance hours ({@code of} is " of " or " of your ").
     */
    public static String against(double dollars, double instanceHours, dev.curfew.core.budget.Amount limit,
                                 String of) {
        if (limit == null) {
            return money(dollars);
        }
        return limit.unit() == dev.curfew.core.budget.Amount.Unit.DOLLARS ? money(dollars) + of + limit(limit)
                : money(dollars) + ", " + hours(instanceHours) + of + limit(limit);
    }

    /** A limit as people read it: "$10.00", "20 h", "12.5 h". */
    public static String limit(dev.curfew.core.budget.Amount a) {
        return a.unit() == dev.curfew.core.budget.Amount.Unit.DOLLARS ? money(a.value())
                : java.math.BigDecimal.valueOf(a.value()).setScale(2, java.math.RoundingMode.HALF_UP)
                .stripTrailingZeros().toPlainString() + " h";
    }

    /** "12.5 h". */
    public static String hours(double h) {
        return String.format(Locale.ROOT, "%,.1f h", h);
    }
}
