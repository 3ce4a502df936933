package dev.curfew.aws.accounts;

import dev.curfew.aws.budget.SpentRecords;
import dev.curfew.core.accounts.AccountFigures;
import dev.curfew.core.accounts.AccountRun;
import dev.curfew.core.accounts.AccountTarget;
import dev.curfew.core.budget.BudgetCheck;
import dev.curfew.core.budget.CourseWeek;
import dev.curfew.core.policy.Mode;
import dev.curfew.core.policy.Policy;
import dev.curfew.core.spend.ClassSpend;
import dev.curfew.core.spend.ClosedWeeks;
import dev.curfew.core.spend.Spend;
import dev.curfew.core.spend.SpendEstimator;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiPredicate;

/**
 * Course totals across weeks in a pass over many accounts (README, "What a student has spent"): the kept figures of
 * the closed weeks ({@link SpentRecords}, in the class account) plus this week's, summed across the accounts.
 *
 * <p>The pass's steps share the work so that no account step lists the kept weeks: the list step asks which weeks
 * are due to close ({@link #due}: one GetParameters call for their closed records, not a listing), each account's
 * step works out its own figures of those weeks ({@link dev.curfew.aws.spend.Spending#weeksOver}, from what it saw
 * and the runs the sentinel recorded of it) and carries them in its result, and the budget step ({@link #of}; the
 * summary step lists them again for its page, and closes when no budget step ran) lists the kept weeks once, adds every account's figures of each week up by student (by the same rule as this week's:
 * {@code counts}), and closes each week once (enforce only) with the sum. A week is closed only when every account
 * of the pass was swept and carried its figures without a note; otherwise it stays open for a later pass, the reason
 * is one of {@link #problems()}, and the course totals count what the accounts that did report carried (at least
 * what the student spent; the accounts missing make the budgets' sum partial, so they clear nobody).
 */
public final class AccountWeeks {
    private final Policy policy;
    private final Instant now;
    private final ClosedWeeks view;
    private final List<String> problems = new ArrayList<>();

    private AccountWeeks(Policy policy, Instant now, ClosedWeeks view, List<String> problems) {
        this.policy = policy;
        this.now = now;
        this.view = view;
        this.problems.addAll(problems);
    }

    /**
     * Whether a pass works out the weeks over and reads the kept ones: the curfew pass (its summary and class page
     * show the course totals), and the idle check when the policy sets a course budget (its budget check weighs the
     * course totals; a weekly budget alone does not need them, so an idle check then lists nothing). The warning
     * never does.
     */
    public static boolean works(Policy policy, String pass) {
        return "curfew".equals(pass) || "idle-check".equals(pass) && policy.budgets().course() != null;
    }

    /** The list step's: the weeks each account's step works out its figures of (none when the pass does not). */
    public static List<LocalDate> due(SpentRecords records, Policy policy, String pass, Instant now) {
        if (!works(policy, pass)) {
            return List.of();
        }
        return records.due(policy.timeZone(), now, policy.budgets().courseStart());
    }

    /**
     * The summary step's: lists the kept weeks (once) and, in enforce mode, closes the weeks due with the sums of
     * every account's figures; {@code counts} says whether an owner's figures in an account count for them (the
     * budgets' rule: an unnamed account never counts for a student with an account of their own). A dry run writes
     * nothing and totals the same.
     */
    public static AccountWeeks of(SpentRecords records, Policy policy, String pass, List<AccountRun> runs,
                                  Instant now, BiPredicate<AccountTarget, String> counts) {
        return of(records, policy, pass, runs, List.of(), now, counts);
    }

    /**
     * As above, with what kept accounts out of the list step ({@code uncovered}: an Organization unit not listed,
     * roster rows left out): while any is there no week is closed (the accounts not listed may hold spend of it), and
     * each week due says so.
     */
    public static AccountWeeks of(SpentRecords records, Policy policy, String pass, List<AccountRun> runs,
                                  List<String> uncovered, Instant now, BiPredicate<AccountTarget, String> counts) {
        ZoneId zone = policy.timeZone();
        LocalDate start = policy.budgets().courseStart();
        List<String> problems = new ArrayList<>();
        if (!works(policy, pass)) {
            return new AccountWeeks(policy, now, ClosedWeeks.NONE, problems);
        }
        ClosedWeeks kept = records.read();
        if (kept.failure() != null) {
            return new AccountWeeks(policy, now, kept, problems);
        }
        Map<String, Sum> sums = new TreeMap<>();
        for (LocalDate monday : kept.toClose(zone, now, start)) {
            Sum s = sum(monday.toString(), runs, counts);
            sums.put(monday.toString(), uncovered.isEmpty() ? s : new Sum(s.byOwner(), s.missing(),
                    String.join("; ", uncovered)));
        }
        if (policy.mode() == Mode.ENFORCE) {
            records.close(zone, now, start, monday -> sums.get(monday.toString()).spend(monday, zone, now));
            problems.addAll(grouped(records.problems()));
        } else {
            List<String> would = new ArrayList<>();
            sums.forEach((w, s) -> {
                if (s.why() != null) {
                    would.add("the week of " + w + " is not closed: " + s.why());
                }
            });
            grouped(would).forEach(p -> problems.add("dry run, and even in enforce " + p));
        }
        ClosedWeeks view = records.read();
        if (policy.mode() == Mode.ENFORCE) {
            Map<LocalDate, String> why = new TreeMap<>();
            for (LocalDate open : view.toClose(zone, now, start)) {
                Sum s = sums.get(open.toString());
                why.put(open, s == null || s.why() == null ? "its figures could not be kept" : s.why());
            }
            problems.addAll(neverClosed(why, CourseWeek.monday(zone, now)));
        }
        for (LocalDate open : view.toClose(zone, now, start)) {
            Sum s = sums.get(open.toString());
            if (s != null && !s.byOwner().isEmpty()) {
                // not kept (yet): what the accounts that reported carried counts, at least
                view = view.with(open.toString(), s.byOwner());
            }
        }
        return new AccountWeeks(policy, now, view, problems);
    }

    /** The sum of one week across the accounts, and why it is incomplete (null when it is not). */
    private record Sum(Map<String, ClosedWeeks.Figures> byOwner, String missing, String uncovered) {
        Sum(Map<String, ClosedWeeks.Figures> byOwner, String missing) {
            this(byOwner, missing, null);
        }

        /** Why the week cannot be closed with this sum, or null when it can. */
        String why() {
            return uncovered != null ? "the list step did not cover every account: " + uncovered
                    : missing == null ? null : "its figures are not all in: " + missing;
        }

        /** As the estimate of the week that {@link SpentRecords#close} keeps; incomplete: the note says why. */
        ClassSpend spend(LocalDate monday, ZoneId zone, Instant now) {
            Instant weekStart = monday.atStartOfDay(zone).toInstant();
            Map<String, Spend> by = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            byOwner.forEach((who, f) -> by.put(who, new Spend(who, weekStart, f.dollars(), f.dollars(), f.hours(),
                    f.hours(), Spend.Source.ESTIMATE)));
            return new ClassSpend(weekStart, now, by, null, List.of(), why(), Map.of());
        }
    }

    /**
     * The weeks left open ({@code why} each is) that this pass was the last to be able to close (
     * {@link ClosedWeeks#WEEKS_BACK} weeks before {@code thisMonday}): no later pass closes or sums them, so their
     * figures drop out of the course totals; said loudly.
     */
    static List<String> neverClosed(Map<LocalDate, String> why, LocalDate thisMonday) {
        List<String> out = new ArrayList<>();
        LocalDate last = thisMonday.minusWeeks(ClosedWeeks.WEEKS_BACK);
        why.forEach((week, reason) -> {
            if (week.equals(last)) {
                out.add("the week of " + week + " will never be closed: " + reason + "; its figures drop out of "
                        + "the course totals");
            }
        });
        return out;
    }

    /** How many accounts missing from a week's sum are named (the summary stays short). */
    static final int MISSING_NAMED = 5;

    private static Sum sum(String week, List<AccountRun> runs, BiPredicate<AccountTarget, String> counts) {
        Map<String, ClosedWeeks.Figures> by = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        List<String> missing = new ArrayList<>();
        for (AccountRun r : runs) {
            String where = "account " + r.target().account() + " (" + r.target().source().text()
                    + (r.target().owner() == null ? "" : " of " + r.target().owner()) + ")";
            AccountFigures f = r.figures();
            if (r.status() != AccountRun.Status.SWEPT || f == null) {
                missing.add(where + " " + (r.status() != AccountRun.Status.SWEPT ? "was not swept ("
                        + r.status().text() + ")" : "carried no figures"));
                continue;
            }
            AccountFigures.Week w = f.weeks().stream().filter(x -> x.week().equals(week)).findFirst().orElse(null);
            if (w == null || w.note() != null || AccountSweeps.spendMissing(r)) {
                missing.add(where + (w == null ? " did not work its figures out in this pass" : w.note() != null
                        ? ": " + w.note() : ": its spend is not complete"));
                continue;
            }
            w.byOwner().forEach((who, x) -> {
                if (!SpendEstimator.NOBODY.equals(who) && counts.test(r.target(), who)) {
                    by.merge(BudgetCheck.key(who), x, AccountWeeks::plus);
                }
            });
        }
        if (missing.size() > MISSING_NAMED) {
            int more = missing.size() - MISSING_NAMED;
            missing = new ArrayList<>(missing.subList(0, MISSING_NAMED));
            missing.add("and " + more + " more account(s)");
        }
        return new Sum(by, missing.isEmpty() ? null : String.join("; ", missing));
    }

    private static ClosedWeeks.Figures plus(ClosedWeeks.Figures a, ClosedWeeks.Figures b) {
        return new ClosedWeeks.Figures(a.dollars() + b.dollars(), a.hours() + b.hours());
    }

    /**
     * "the week of A is not closed: X", "the week of B is not closed: X" as "the weeks of A, B are not closed: X"
     * (a pass missing an account misses it in every week due).
     */
    static List<String> grouped(List<String> problems) {
        java.util.regex.Pattern one = java.util.regex.Pattern.compile("the week of (\\d{4}-\\d{2}-\\d{2}) is not "
                + "closed: (.*)", java.util.regex.Pattern.DOTALL);
        Map<String, List<String>> byWhy = new java.util.LinkedHashMap<>();
        List<String> out = new ArrayList<>();
        for (String p : problems) {
            java.util.regex.Matcher m = one.matcher(p);
            if (m.matches()) {
                byWhy.computeIfAbsent(m.group(2), k -> new ArrayList<>()).add(m.group(1));
            } else {
                out.add(p);
            }
        }
        byWhy.forEach((why, weeks) -> out.add(weeks.size() == 1 ? "the week of " + weeks.get(0) + " is not closed: "
                + why : "the weeks of " + String.join(", ", weeks) + " are not closed: " + why));
        return out;
    }

    /** Why a week over was not closed (named in the pass's summary); empty when every one due was. */
    public List<String> problems() {
        return List.copyOf(problems);
    }

    /** The kept weeks as the course totals count them (a failed read: {@link ClosedWeeks#failure()}). */
    public ClosedWeeks weeks() {
        return view;
    }

    /**
     * Each student's spend summed across the accounts, the course total the kept weeks since the course began plus
     * this week's sum ({@link ClosedWeeks#total}); one list of one spend per student. When the kept weeks could not
     * be read and the policy sets a course budget this throws: a course total without them would look under budget
     * and clear whoever is over by them (nobody is weighed this time; the caller says why).
     */
    public List<List<Spend>> totalled(Collection<? extends Collection<Spend>> perAccount) {
        view.requireCourseTotals(policy.budgets());
        Map<String, Spend> by = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        perAccount.forEach(l -> l.forEach(s -> by.merge(BudgetCheck.key(s.student()), s, Spend::plus)));
        return List.of(total(new ClassSpend(CourseWeek.start(policy.timeZone(), now), now, by, null, List.of(), null,
                Map.of())).byStudent().values().stream().toList());
    }

    /** The class's figures with the course totals (the class page's, the summary's); the note says what failed. */
    public ClassSpend total(ClassSpend spend) {
        ClassSpend c = view.total(spend, policy.timeZone(), policy.budgets().courseStart());
        for (String problem : problems) {
            c = c.withNote(c.note() == null ? problem : c.note() + "; " + problem);
        }
        return c;
    }
}
