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

    /** "12.5 h". */
    public static String hours(double h) {
        return String.format(Locale.ROOT, "%,.1f h", h);
    }
}
