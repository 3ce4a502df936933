package dev.curfew.core.accounts;

import dev.curfew.core.page.ClassPage;
import dev.curfew.core.spend.Spend;
import java.util.List;

/**
 * What one account's sweep adds to the class's spend table and class page (README, "The curfew sweep of every
 * account"): per student, never per resource listing, so that a hundred accounts' figures stay small.
 *
 * @param spend     each owner's spend in this account (the estimate, or Cost Explorer's billed figure in its place)
 * @param spendNote how the figures were come by when that needs saying (Cost Explorer failed), else null
 * @param students  the class page's rows of this account's owners (each list capped by the sweep that made them)
 */
public record AccountFigures(List<Spend> spend, String spendNote, List<ClassPage.Student> students) {
    public AccountFigures {
        spend = spend == null ? List.of() : List.copyOf(spend);
        students = students == null ? List.of() : List.copyOf(students);
    }
}
