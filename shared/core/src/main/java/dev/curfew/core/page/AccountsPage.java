package dev.curfew.core.page;

import dev.curfew.core.accounts.AccountFigures;
import dev.curfew.core.accounts.AccountRun;
import dev.curfew.core.accounts.AccountTarget;
import dev.curfew.core.budget.CourseWeek;
import dev.curfew.core.notify.Contact;
import dev.curfew.core.notify.Roster;
import dev.curfew.core.policy.Policy;
import dev.curfew.core.spend.ClassSpend;
import dev.curfew.core.spend.Spend;
import dev.curfew.core.spend.SpendEstimator;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The class's spend and class page after a sweep of many accounts (README, "The curfew sweep of every account"),
 * from what each account's run carried ({@link AccountFigures}: per student, never the listing). Pure.
 *
 * <p>A student's figures from several accounts (the class account and their own) are added up; a student of the
 * roster with nothing anywhere still has a row; every account not swept is one of the page's failures.
 */
public final class AccountsPage {
    private AccountsPage() {
    }

    /**
     * Every owner's spend across the runs (without budgets: {@link ClassSpend#withBudgets(
     * dev.curfew.core.budget.BudgetRules, Map)} weighs them with this week's top-ups).
     */
    public static ClassSpend spend(Policy p, List<AccountRun> runs, Instant now) {
        Map<String, Spend> by = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        Set<String> notes = new LinkedHashSet<>();
        Instant weekStart = CourseWeek.start(p.timeZone(), now);
        for (AccountRun r : runs) {
            AccountFigures f = r.figures();
            if (f == null) {
                continue;
            }
            f.spend().forEach(s -> by.merge(s.student().trim(), s, Spend::plus));
            if (f.spendNote() != null) {
                notes.add(f.spendNote());
            }
        }
        Spend unowned = by.remove(SpendEstimator.NOBODY);
        return new ClassSpend(weekStart, now, by, unowned, List.of(), notes.isEmpty() ? null
                : String.join(" ", notes), Map.of());
    }

    /**
     * The page of a sweep of many accounts: one row per student (the roster's and every owner an account's sweep
     * saw), their rows from every account together, spend against budget; the failures of every account, and each
     * account not swept (unreachable, refused, failed) with why; {@code unlisted}: what kept accounts out of the pass.
     */
    public static ClassPage of(Policy p, Instant generated, List<AccountRun> runs, List<String> unlisted,
                               Roster roster, ClassSpend spend, List<SavedWeeks.Week> saved, String savedNote) {
        ZoneId zone = p.timeZone();
        Roster r = roster == null ? Roster.empty(null) : roster;
        Map<String, List<ClassPage.Student>> byOwner = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        List<ClassPage.Student> unowned = new ArrayList<>();
        r.byOwner().values().forEach(c -> {
            if (c.owner() != null) {
                byOwner.computeIfAbsent(c.owner().trim(), k -> new ArrayList<>());
            }
        });
        List<String> failures = new ArrayList<>(unlisted == null ? List.of() : unlisted);
        String mode = p.mode().wireName();
        for (AccountRun run : runs) {
            String where = "Account " + run.target().account() + " (" + who(run.target()) + ")";
            if (run.status() != AccountRun.Status.SWEPT || run.report() == null) {
                failures.add(where + ": " + run.status().text() + (run.error() == null ? "" : ": " + run.error())
                        + "; nothing there was cleaned up.");
                continue;
            }
            mode = run.report().mode();
            ClassPage.failuresOf(run.report(), zone).forEach(x -> failures.add(where + ": " + x));
            if (run.figures() == null) {
                continue;
            }
            for (ClassPage.Student s : run.figures().students()) {
                if (s.owner() == null) {
                    unowned.add(s);
                } else {
                    byOwner.computeIfAbsent(s.owner().trim(), k -> new ArrayList<>()).add(s);
                }
            }
        }
        List<ClassPage.Student> students = new ArrayList<>();
        byOwner.forEach((owner, parts) -> {
            Contact c = r.find(owner);
            students.add(merged(owner, c == null ? null : c.name(), parts, spend == null ? null : spend.of(owner),
                    spend == null ? null : spend.standing(owner)));
        });
        students.sort(Comparator.comparing((ClassPage.Student s) -> (s.name() == null ? s.owner() : s.name())
                .toLowerCase(Locale.ROOT)));
        if (!unowned.isEmpty()) {
            students.add(merged(null, null, unowned, spend == null ? null : spend.unowned(), null));
        }
        return new ClassPage(p.course(), mode, runs.size() + " account" + (runs.size() == 1 ? "" : "s"), generated,
                zone, students, failures, saved == null ? List.of() : saved, savedNote, spend != null,
                spend != null && spend.partialTotal(), spend == null ? null : spend.note());
    }

    private static ClassPage.Student merged(String owner, String name, List<ClassPage.Student> parts, Spend spend,
                                            dev.curfew.core.budget.Standing budget) {
        List<ClassPage.Entry> running = new ArrayList<>();
        List<ClassPage.Entry> marked = new ArrayList<>();
        List<ClassPage.Entry> acted = new ArrayList<>();
        int failed = 0;
        for (ClassPage.Student s : parts) {
            running.addAll(s.running());
            marked.addAll(s.marked());
            acted.addAll(s.acted());
            failed += s.failed();
        }
        return new ClassPage.Student(owner, name, running, marked, acted, failed, spend, budget);
    }

    /** "class account", "alice's own account", "Organization account". */
    private static String who(AccountTarget t) {
        if (t.source() == AccountTarget.Source.HOME) {
            return "class account";
        }
        return t.owner() == null ? t.source().text() : t.owner() + "'s " + (t.source() == AccountTarget.Source.ROSTER
                ? "own account" : t.source().text());
    }
}
