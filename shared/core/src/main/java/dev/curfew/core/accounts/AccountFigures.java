package dev.curfew.core.accounts;

import dev.curfew.core.page.ClassPage;
import dev.curfew.core.spend.ClosedWeeks;
import dev.curfew.core.spend.Spend;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What one account's sweep adds to the class's spend table and class page (README, "The curfew sweep of every
 * account"): per student, never per resource listing, so that a hundred accounts' figures stay small.
 *
 * @param spend     each owner's spend in this account (the estimate, or Cost Explorer's billed figure in its place)
 * @param spendNote how the figures were come by when that needs saying (Cost Explorer failed), else null
 * @param students  the class page's rows of this account's owners (each list capped by the sweep that made them)
 * @param weeks     this account's figures of each course week over that the pass closes (the list step names them),
 *                  for the summary step to add up across the accounts and keep once; empty when none is due
 */
public record AccountFigures(List<Spend> spend, String spendNote, List<ClassPage.Student> students,
                             List<Week> weeks) {
    public AccountFigures {
        spend = spend == null ? List.of() : List.copyOf(spend);
        students = students == null ? List.of() : List.copyOf(students);
        weeks = weeks == null ? List.of() : List.copyOf(weeks);
    }

    public AccountFigures(List<Spend> spend, String spendNote, List<ClassPage.Student> students) {
        this(spend, spendNote, students, List.of());
    }

    /** The same with the figures of the weeks over. */
    public AccountFigures withWeeks(List<Week> w) {
        return new AccountFigures(spend, spendNote, students, w);
    }

    /**
     * One account's figures of one course week over: each owner's dollars and instance hours of that week (Curfew's
     * estimate from what the account's sweep saw and the runs the sentinel recorded that week), or why they could not
     * be worked out.
     *
     * @param week    the week's Monday ({@link dev.curfew.core.budget.CourseWeek#key})
     * @param byOwner each owner's figures (owners with nothing spent are left out)
     * @param note    why the figures are incomplete (the run records could not be read), else null
     */
    public record Week(String week, Map<String, ClosedWeeks.Figures> byOwner, String note) {
        public Week {
            if (ClosedWeeks.weekKey(week) == null) {
                throw new IllegalArgumentException("week is \"" + week + "\"; expected a date YYYY-MM-DD");
            }
            Map<String, ClosedWeeks.Figures> m = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            m.putAll(byOwner == null ? Map.of() : byOwner);
            byOwner = java.util.Collections.unmodifiableMap(m);
        }
    }
}
