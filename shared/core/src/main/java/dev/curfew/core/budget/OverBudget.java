package dev.curfew.core.budget;

import dev.curfew.core.spend.Spend;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The over-budget record the sweep writes for a student in a course week, and the launcher's verdict from it. The
 * record holds the spend that put the student over; the launcher weighs it against the budget as it is now (the policy
 * and this week's top-up), so that raising the budget lets the student launch again at once, and a new week (a new
 * record name) does too.
 */
public final class OverBudget {
    private static final Pattern WIRE = Pattern.compile("weekStart=(\\S+) weekDollars=([\\d.]+) totalDollars=([\\d.]+)"
            + " weekHours=([\\d.]+) totalHours=([\\d.]+) source=(estimate|cost-explorer)");

    private OverBudget() {
    }

    /**
     * One owner's budget records of a course week, as the launcher reads them.
     *
     * @param over  the spend recorded when they went over budget, or null when they are not recorded over it
     * @param topUp the week's top-up (none when there is none)
     */
    public record Records(Spend over, TopUp topUp) {
        public static final Records NONE = new Records(null, TopUp.NONE);

        public Records {
            topUp = topUp == null ? TopUp.NONE : topUp;
        }
    }

    /** The record's text. */
    public static String wire(Spend s) {
        return String.format(Locale.ROOT, "weekStart=%s weekDollars=%.4f totalDollars=%.4f weekHours=%.4f "
                + "totalHours=%.4f source=%s", s.weekStart(), s.weekDollars(), s.totalDollars(), s.weekInstanceHours(),
                s.totalInstanceHours(), s.source() == Spend.Source.COST_EXPLORER ? "cost-explorer" : "estimate");
    }

    /** Reads {@link #wire}; null when the text is not that form. */
    public static Spend parse(String student, String text) {
        if (text == null) {
            return null;
        }
        Matcher m = WIRE.matcher(text.trim());
        if (!m.matches()) {
            return null;
        }
        try {
            return new Spend(student, Instant.parse(m.group(1)), Double.parseDouble(m.group(2)),
                    Double.parseDouble(m.group(3)), Double.parseDouble(m.group(4)), Double.parseDouble(m.group(5)),
                    m.group(6).equals("cost-explorer") ? Spend.Source.COST_EXPLORER : Spend.Source.ESTIMATE);
        } catch (DateTimeParseException | NumberFormatException e) {
            return null;
        }
    }

    /**
     * Whether a new launch of {@code owner} is refused: their standing, when the recorded spend is still at or over
     * the budget as it is now; null when it may go ahead (no record, no budget, or the budget was raised).
     */
    public static Standing refuses(BudgetRules rules, Spend recorded, TopUp topUp) {
        if (rules == null || recorded == null) {
            return null;
        }
        Standing st = Standing.of(rules, recorded, topUp);
        return st != null && st.over() ? st : null;
    }

    /** The figures a refusal shows (details of the launcher's answer). */
    public static Map<String, Object> figures(Standing st, Instant weekEnds) {
        Map<String, Object> m = new LinkedHashMap<>();
        if (st.weekLimit() != null) {
            m.put("weekSpent", round(st.weekSpent()));
            m.put("weekLimit", round(st.weekLimit().value()));
            m.put("weekUnit", unit(st.weekLimit()));
        }
        if (st.courseLimit() != null) {
            m.put("courseSpent", round(st.courseSpent()));
            m.put("courseLimit", round(st.courseLimit().value()));
            m.put("courseUnit", unit(st.courseLimit()));
        }
        m.put("source", st.source() == Spend.Source.COST_EXPLORER ? "cost-explorer" : "estimate");
        m.put("weekEnds", weekEnds.toString());
        return m;
    }

    private static String unit(Amount a) {
        return a.unit() == Amount.Unit.DOLLARS ? "USD" : "instance-hours";
    }

    private static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }
}
