package dev.curfew.core.spend;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What every student has spent, as one sweep knows it: Curfew's estimate ({@link SpendEstimator}), a student's
 * dollars replaced by Cost Explorer's billed figure where AWS has one ({@link #withBilled}).
 *
 * @param weekStart     the start of the course week
 * @param byStudent     each owner's spend (owners compared without case)
 * @param unowned       the spend of resources nobody owns, or null when there is none
 * @param leftOut       what the estimate could not price, and why
 * @param note          how the figures were come by when that needs saying (Cost Explorer failed, ...), else null
 * @param weeklyBudgets each student's budget for the week in USD, when the policy sets one
 */
public record ClassSpend(Instant weekStart, Instant now, Map<String, Spend> byStudent, Spend unowned,
                         List<String> leftOut, String note, Map<String, Double> weeklyBudgets) {

    public ClassSpend {
        Map<String, Spend> m = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        m.putAll(byStudent);
        byStudent = Collections.unmodifiableMap(m);
        Map<String, Double> b = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        b.putAll(weeklyBudgets == null ? Map.of() : weeklyBudgets);
        weeklyBudgets = Collections.unmodifiableMap(b);
        leftOut = List.copyOf(leftOut);
    }

    /** Nobody has spent anything (a week with no resources). */
    public static ClassSpend none(Instant weekStart, Instant now) {
        return new ClassSpend(weekStart, now, Map.of(), null, List.of(), null, Map.of());
    }

    /** A student's spend, or null when they have none on record. */
    public Spend of(String student) {
        return student == null ? null : byStudent.get(student.trim());
    }

    /** A student's weekly budget in USD, or null when the policy sets none. */
    public Double budget(String student) {
        return student == null ? null : weeklyBudgets.get(student.trim());
    }

    public ClassSpend withBudgets(Map<String, Double> budgets) {
        return new ClassSpend(weekStart, now, byStudent, unowned, leftOut, note, budgets);
    }

    public ClassSpend withNote(String n) {
        return new ClassSpend(weekStart, now, byStudent, unowned, leftOut, n, weeklyBudgets);
    }

    /**
     * The billed figures in place of the estimate, student by student: a student Cost Explorer has a figure for gets
     * it (source {@link Spend.Source#COST_EXPLORER}, the instance hours still the estimate's); a student it has none
     * for yet keeps the estimate. A student billed with nothing left running is added.
     *
     * @param billed   by owner ({@link SpendEstimator#NOBODY} for cost with no owner tag)
     */
    public ClassSpend withBilled(Map<String, Billed> billed) {
        Map<String, Spend> m = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        m.putAll(byStudent);
        Spend nobody = unowned;
        for (var e : billed.entrySet()) {
            String who = e.getKey() == null || e.getKey().isBlank() ? SpendEstimator.NOBODY : e.getKey().trim();
            Spend old = who.equals(SpendEstimator.NOBODY) ? unowned : m.get(who);
            Billed b = e.getValue();
            Spend s = new Spend(old == null ? who : old.student(), weekStart, b.week(), Math.max(b.total(), b.week()),
                    old == null ? 0 : old.weekInstanceHours(), old == null ? 0 : old.totalInstanceHours(),
                    Spend.Source.COST_EXPLORER);
            if (who.equals(SpendEstimator.NOBODY)) {
                nobody = s;
            } else {
                m.put(who, s);
            }
        }
        return new ClassSpend(weekStart, now, m, nobody, leftOut, note, weeklyBudgets);
    }

    /** Every student's spend, the unowned last, for a table. */
    public List<Spend> rows() {
        List<Spend> out = new ArrayList<>(byStudent.values());
        if (unowned != null) {
            out.add(unowned);
        }
        return out;
    }

    /** "Curfew's estimate", "billed (Cost Explorer)" or "billed (Cost Explorer) and Curfew's estimate". */
    public String sources() {
        boolean billed = rows().stream().anyMatch(s -> s.source() == Spend.Source.COST_EXPLORER);
        boolean estimated = rows().stream().anyMatch(s -> s.source() == Spend.Source.ESTIMATE);
        return billed && estimated ? "billed (Cost Explorer) where AWS has it, else Curfew's estimate"
                : billed ? "billed (Cost Explorer)" : "Curfew's estimate from list prices";
    }

}
