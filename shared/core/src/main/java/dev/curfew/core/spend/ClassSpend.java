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
 * @param budgets       each student's limits (this week's top-up included), when the policy sets any
 * @param partialTotal  the totals leave out closed weeks whose records could not be read ({@link ClosedWeeks}): each is
 *                      at least what it says
 */
public record ClassSpend(Instant weekStart, Instant now, Map<String, Spend> byStudent, Spend unowned,
                         List<String> leftOut, String note, Map<String, Budget> budgets, boolean partialTotal) {

    /** Totals with nothing left out. */
    public ClassSpend(Instant weekStart, Instant now, Map<String, Spend> byStudent, Spend unowned,
                      List<String> leftOut, String note, Map<String, Budget> budgets) {
        this(weekStart, now, byStudent, unowned, leftOut, note, budgets, false);
    }

    /**
     * One student's limits (README, "Budgets"): per course week and for the whole course, each with this week's
     * top-up added; either may be null.
     */
    public record Budget(dev.curfew.core.budget.Amount week, dev.curfew.core.budget.Amount course) {
        /** The student's limits under the policy's budgets with their top-up; null when they have none. */
        public static Budget of(dev.curfew.core.budget.BudgetRules rules, String owner,
                                dev.curfew.core.budget.TopUp topUp) {
            dev.curfew.core.budget.Amount w = rules.weeklyFor(owner);
            dev.curfew.core.budget.Amount c = rules.course();
            if (w == null && c == null) {
                return null;
            }
            dev.curfew.core.budget.TopUp t = topUp == null ? dev.curfew.core.budget.TopUp.NONE : topUp;
            return new Budget(w == null ? null : w.plus(t.of(w.unit())), c == null ? null : c.plus(t.of(c.unit())));
        }

        /** {@code spend} against these limits. */
        public dev.curfew.core.budget.Standing standing(Spend spend) {
            return dev.curfew.core.budget.Standing.of(week, course, spend);
        }
    }

    public ClassSpend {
        Map<String, Spend> m = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        m.putAll(byStudent);
        byStudent = Collections.unmodifiableMap(m);
        Map<String, Budget> b = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        b.putAll(budgets == null ? Map.of() : budgets);
        budgets = Collections.unmodifiableMap(b);
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

    /** A student's limits, or null when the policy sets none (or they were not given). */
    public Budget budget(String student) {
        return student == null ? null : budgets.get(student.trim());
    }

    /** A student's spend against their limits, or null without a spend on record or without limits. */
    public dev.curfew.core.budget.Standing standing(String student) {
        Spend s = of(student);
        Budget b = budget(student);
        return s == null || b == null ? null : b.standing(s);
    }

    /**
     * Every student's limits under the policy's budgets, with this week's top-ups (by owner, any case) added: what the
     * budget check weighs them against. What nobody owns has no budget.
     */
    public ClassSpend withBudgets(dev.curfew.core.budget.BudgetRules rules,
                                  Map<String, dev.curfew.core.budget.TopUp> topUps) {
        Map<String, dev.curfew.core.budget.TopUp> top = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        topUps.forEach((k, v) -> top.put(k.trim(), v));
        Map<String, Budget> m = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        if (rules != null) {
            for (String who : byStudent.keySet()) {
                Budget b = Budget.of(rules, who, top.get(who));
                if (b != null) {
                    m.put(who, b);
                }
            }
        }
        return new ClassSpend(weekStart, now, byStudent, unowned, leftOut, note, m, partialTotal);
    }

    public ClassSpend withNote(String n) {
        return new ClassSpend(weekStart, now, byStudent, unowned, leftOut, n, budgets, partialTotal);
    }

    /**
     * The same with {@code more} said after the note (the one way a spend note grows): "first; more", or after a
     * note that ends a sentence "First. More" (never ".;").
     */
    public ClassSpend withNoteAdded(String more) {
        return withNote(joined(note, more));
    }

    /** {@code more} said after {@code note}: "note; more", or "Note. More" after a sentence; either may be null. */
    static String joined(String note, String more) {
        if (note == null || note.isBlank()) {
            return more;
        }
        if (more == null || more.isBlank()) {
            return note;
        }
        String n = note.strip();
        String m = more.strip();
        return n.endsWith(".") ? n + " " + Character.toUpperCase(m.charAt(0)) + m.substring(1)
                : n + NOTE_SEPARATOR + m;
    }

    /** What separates the parts of a spend note. */
    public static final String NOTE_SEPARATOR = "; ";

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
        return new ClassSpend(weekStart, now, m, nobody, leftOut, note, budgets, partialTotal);
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
