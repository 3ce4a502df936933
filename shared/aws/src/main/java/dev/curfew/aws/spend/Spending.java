package dev.curfew.aws.spend;

import dev.curfew.core.plan.Decision;
import dev.curfew.core.policy.Policy;
import dev.curfew.core.spend.ClassSpend;
import dev.curfew.core.spend.RunHistory;
import dev.curfew.core.spend.SpendEstimator;
import java.time.Clock;
import java.time.Instant;
import java.util.Collection;

/**
 * What each student has spent, for a pass's messages: Curfew's estimate from what the sweep saw, and, when the
 * deployment turns Cost Explorer on ({@code CostExplorer=on}), the billed figure in its place for every student AWS
 * has one for. When Cost Explorer fails the estimate stands, and {@link ClassSpend#note()} says why.
 *
 * <p>The estimate adds the week's runs the sentinel recorded ({@link RunRecords}), read at most once per week key by
 * one instance (make one per pass), and only when spend is asked for; records that could not be read leave the
 * estimate of what the sweep saw, and the note says so.
 */
public final class Spending implements dev.curfew.core.budget.SpendSource {
    private final Clock clock;
    /** Where the figures come from; every part optional. */
    private final Sources from;
    private String readWeek;
    private RunHistory read;
    private CostExplorerSpend.Window askedFor;
    private CostExplorerSpend.Answer answer;

    /**
     * What a spend is made of besides what the sweep saw, each part optional.
     *
     * @param costExplorer Cost Explorer to ask, or null (off)
     * @param given        Cost Explorer's answer asked once elsewhere (the accounts state machine's list step), or null
     * @param runs         reads the runs of the week of an instant in a zone; null: none are read
     * @param budgets      the stack's budget records, for each student's limits with this week's top-ups; null: none
     * @param elsewhere    what the students spent elsewhere (other accounts), added in {@link #spend}; none: empty
     * @param spent        the kept figures of closed weeks, for the course totals; null: this week's estimate alone
     * @param weeksOver    the weeks over whose figures this account's spend also works out ({@link #weeksOver})
     * @param closes       whether the weeks over are closed (the sweeper, in enforce), or {@code spent} only read
     */
    private record Sources(CostExplorerSpend costExplorer, CostExplorerSpend.Answer given,
                           java.util.function.BiFunction<java.time.ZoneId, Instant, RunHistory> runs,
                           dev.curfew.aws.budget.BudgetRecords budgets,
                           java.util.List<dev.curfew.core.spend.Spend> elsewhere,
                           dev.curfew.aws.budget.SpentRecords spent, java.util.List<java.time.LocalDate> weeksOver,
                           boolean closes) {
        Sources {
            elsewhere = java.util.List.copyOf(elsewhere);
            weeksOver = weeksOver == null ? java.util.List.of() : java.util.List.copyOf(weeksOver);
        }
    }

    /** @param costExplorer null when Cost Explorer is off */
    public Spending(CostExplorerSpend costExplorer, Clock clock) {
        this(clock, new Sources(costExplorer, null, null, null, java.util.List.of(), null, null, false));
    }

    private Spending(Clock clock, Sources from) {
        this.clock = clock;
        this.from = from;
    }

    /**
     * The estimate with the billed figures of an answer Cost Explorer already gave (asked once per pass in the
     * deployment account, README "The curfew sweep of every account"); null: the estimate alone. Nothing is asked.
     */
    public static Spending answered(CostExplorerSpend.Answer answer, Clock clock) {
        return new Spending(clock, new Sources(null, answer, null, null, java.util.List.of(), null, null, false));
    }

    /**
     * The same, each student's figures weighed against their limits when the policy sets budgets (README, "Budgets"):
     * this week's top-ups are listed once from {@code records} ({@link dev.curfew.aws.budget.BudgetRecords#topUpsOnce}),
     * and only when figures are asked for (someone is messaged, the page is made).
     */
    public Spending withBudgets(dev.curfew.aws.budget.BudgetRecords records) {
        return new Spending(clock, new Sources(from.costExplorer(), from.given(), from.runs(), records,
                from.elsewhere(), from.spent(), from.weeksOver(), from.closes()));
    }

    /**
     * The same, with the week's runs the sentinel recorded of the instances of the account this spend is of, from
     * {@code runs} (e.g. {@link RunRecords#read(software.amazon.awssdk.services.ssm.SsmClient, String,
     * java.time.ZoneId, Instant, String)}); null: none are read.
     */
    public Spending withRuns(java.util.function.BiFunction<java.time.ZoneId, Instant, RunHistory> runs) {
        return new Spending(clock, new Sources(from.costExplorer(), from.given(), runs, from.budgets(),
                from.elsewhere(), from.spent(), from.weeksOver(), from.closes()));
    }

    /**
     * The same, with what students spent elsewhere (in the accounts swept before this one, e.g. a student's in the
     * class account when their own account is swept) added to their figures in the budget check's {@link #spend}:
     * their budget weighs both. The figures of this account ({@link #of}, {@link #estimate}) leave it out.
     */
    public Spending withElsewhere(java.util.Collection<dev.curfew.core.spend.Spend> spent) {
        return new Spending(clock, new Sources(from.costExplorer(), from.given(), from.runs(), from.budgets(),
                java.util.List.copyOf(spent), from.spent(), from.weeksOver(), from.closes()));
    }

    /**
     * The same, each student's course total the kept figures of closed weeks since the course began ({@code records},
     * listed once) plus this week's (README, "What a student has spent"). In enforce mode, the first time figures are
     * asked for, the weeks over that nobody closed yet are closed from what the pass saw and their recorded runs.
     */
    public Spending withClosedWeeks(dev.curfew.aws.budget.SpentRecords records) {
        return new Spending(clock, new Sources(from.costExplorer(), from.given(), from.runs(), from.budgets(),
                from.elsewhere(), records, from.weeksOver(), true));
    }

    /**
     * The same, also working out this account's figures of each of {@code mondays}' course weeks ({@link #weeksOver}):
     * the weeks over that the accounts state machine's summary step keeps, summed across the accounts (README, "What
     * a student has spent"). Nothing is written here.
     */
    public Spending withWeeksOver(java.util.List<java.time.LocalDate> mondays) {
        return new Spending(clock, new Sources(from.costExplorer(), from.given(), from.runs(), from.budgets(),
                from.elsewhere(), from.spent(), mondays, from.closes()));
    }

    /**
     * This account's figures of each week {@link #withWeeksOver} named, from the resources the sweep saw (each with
     * its owner) and the runs the sentinel recorded that week (read once per week); a week whose runs could not be
     * read carries the note, and so does every week when {@code complete} is false (a region could not be listed).
     * Nobody's spend is left out. Empty when no week was named.
     */
    public java.util.List<dev.curfew.core.accounts.AccountFigures.Week> weeksOver(Policy p,
                                                                                 Collection<Decision> decisions,
                                                                                 boolean complete) {
        java.util.List<dev.curfew.core.accounts.AccountFigures.Week> out = new java.util.ArrayList<>();
        var owners = owners(decisions);
        for (java.time.LocalDate monday : from.weeksOver()) {
            String note = complete ? null : "a region could not be listed";
            java.util.Map<String, dev.curfew.core.spend.ClosedWeeks.Figures> byOwner = java.util.Map.of();
            if (note == null) {
                try {
                    ClassSpend week = week(p, owners.keySet(), owners::get, monday);
                    note = week.note();
                    byOwner = new java.util.TreeMap<>(dev.curfew.core.spend.ClosedWeeks.of(week));
                    byOwner.remove(SpendEstimator.NOBODY);
                } catch (RuntimeException e) {
                    note = dev.curfew.aws.Errors.describe(e);
                }
            }
            out.add(new dev.curfew.core.accounts.AccountFigures.Week(monday.toString(), byOwner, note));
        }
        return out;
    }

    /** The estimate of one course week over: what the sweep saw, with the runs the sentinel recorded that week. */
    private ClassSpend week(Policy p, Collection<? extends dev.curfew.core.model.Resource> resources,
                            java.util.function.Function<dev.curfew.core.model.Resource, String> owner,
                            java.time.LocalDate monday) {
        java.time.ZoneId zone = p.timeZone();
        return SpendEstimator.week(resources, owner, zone, monday, p.budgets().courseStartAt(zone),
                from.runs() == null ? RunHistory.NONE : from.runs().apply(zone, monday.atStartOfDay(zone).toInstant()));
    }

    /**
     * The same, each student's course total the kept figures of closed weeks since the course began ({@code records},
     * listed once) plus this week's, only read: no week is ever closed, whatever the mode ({@code ./curfew report}).
     */
    public Spending withKeptWeeks(dev.curfew.aws.budget.SpentRecords records) {
        return new Spending(clock, new Sources(from.costExplorer(), from.given(), from.runs(), from.budgets(),
                from.elsewhere(), records, from.weeksOver(), false));
    }

    /**
     * This week's estimate of {@code resources} (each owned by {@code owner}) with the week's recorded runs, and the
     * course totals of the kept weeks (closing those due first, enforce only); the note names what failed.
     */
    private ClassSpend totalled(Policy p, Instant now, Collection<? extends dev.curfew.core.model.Resource> resources,
                                java.util.function.Function<dev.curfew.core.model.Resource, String> owner,
                                boolean complete) {
        ClassSpend week = SpendEstimator.estimate(resources, owner, p.timeZone(), now,
                p.budgets().courseStartAt(p.timeZone()), runs(p, now));
        dev.curfew.aws.budget.SpentRecords spent = from.spent();
        if (spent == null) {
            return week;
        }
        java.time.ZoneId zone = p.timeZone();
        if (!from.closes()) {
            // only read (./curfew report): nothing to close or to postpone
        } else if (!complete) {
            // a week is kept once and never written again: not from a pass that missed a region
            spent.postpone(zone, now, p.budgets().courseStart(), "a region could not be listed");
        } else if (p.mode() == dev.curfew.core.policy.Mode.ENFORCE && from.runs() != null) {
            spent.close(zone, now, p.budgets().courseStart(), monday -> week(p, resources, owner, monday));
        }
        ClassSpend c = spent.read().total(week, zone, p.budgets().courseStart());
        for (String problem : spent.problems()) {
            c = c.withNoteAdded(problem);
        }
        return c;
    }

    private static java.util.Map<dev.curfew.core.model.Resource, String> owners(Collection<Decision> decisions) {
        java.util.Map<dev.curfew.core.model.Resource, String> owners = new java.util.LinkedHashMap<>();
        decisions.forEach(d -> owners.put(d.resource(), d.owner()));
        return owners;
    }

    /** The week's recorded runs of this spend's account, read once per week (the first time spend is asked for). */
    synchronized RunHistory runs(Policy p, Instant now) {
        if (from.runs() == null) {
            return RunHistory.NONE;
        }
        String week = dev.curfew.core.budget.CourseWeek.key(p.timeZone(), now);
        if (!week.equals(readWeek)) {
            read = from.runs().apply(p.timeZone(), now);
            readWeek = week;
        }
        return read;
    }

    public boolean costExplorer() {
        return from.costExplorer() != null || from.given() != null;
    }

    /** From a sweep's decisions (each with its owner), as of the clock's now. */
    public ClassSpend of(Policy p, Collection<Decision> decisions) {
        return of(p, decisions, true);
    }

    /**
     * As {@link #of(Policy, Collection)}; {@code complete}: the sweep listed every region (a pass that did not closes
     * no week).
     */
    public ClassSpend of(Policy p, Collection<Decision> decisions, boolean complete) {
        Instant now = clock.instant();
        var owners = owners(decisions);
        return budgeted(billed(totalled(p, now, owners.keySet(), owners::get, complete), p, now), p, now);
    }

    /** Curfew's estimate alone (Cost Explorer is not asked), with the budgets: the class page's figures. */
    public ClassSpend estimate(Policy p, Collection<Decision> decisions) {
        return estimate(p, decisions, true);
    }

    /** As {@link #estimate(Policy, Collection)}; {@code complete}: the sweep listed every region. */
    public ClassSpend estimate(Policy p, Collection<Decision> decisions, boolean complete) {
        Instant now = clock.instant();
        var owners = owners(decisions);
        return budgeted(totalled(p, now, owners.keySet(), owners::get, complete), p, now);
    }

    /**
     * Each student's limits with this week's top-ups; without records (none given) or when the top-ups cannot be read,
     * no limits, and {@link ClassSpend#note()} says why (a limit without its top-up could say a student is over a
     * budget that was raised). Also for figures gathered elsewhere (the many-accounts summary's).
     */
    public ClassSpend budgeted(ClassSpend c, Policy p, Instant now) {
        if (from.budgets() == null || !p.budgets().any()) {
            return c;
        }
        try {
            return c.withBudgets(p.budgets(), from.budgets().topUpsOnce(
                    dev.curfew.core.budget.CourseWeek.key(p.timeZone(), now)));
        } catch (RuntimeException e) {
            String why = "budgets: this week's top-ups could not be read (" + dev.curfew.aws.Errors.describe(e)
                    + "), so the figures are shown without budgets";
            return c.withNoteAdded(why);
        }
    }

    /**
     * The estimate with Cost Explorer's billed figure in its place where AWS has one; the estimate alone when Cost
     * Explorer is off, and with {@link ClassSpend#note()} saying why when it fails.
     */
    private ClassSpend billed(ClassSpend estimate, Policy p, Instant now) {
        if (from.costExplorer() == null && from.given() == null) {
            return estimate;
        }
        CostExplorerSpend.Answer a = from.given() != null ? from.given()
                : asked(p, CostExplorerSpend.Window.of(estimate.weekStart(), p.timeZone(), now,
                p.budgets().courseStartAt(p.timeZone())));
        if (!a.ok()) {
            return estimate.withNoteAdded(a.error() + ": Curfew's estimate is shown instead.");
        }
        return estimate.withBilled(a.billed());
    }

    /**
     * Cost Explorer's answer for a window, asked once per window (whole days) by one instance: the budget check, the
     * messages and the page of a pass share one request (a failure too: a pass never asks twice).
     */
    private synchronized CostExplorerSpend.Answer asked(Policy p, CostExplorerSpend.Window window) {
        if (!window.equals(askedFor)) {
            answer = from.costExplorer().byOwnerTag(p.ownerTag(), window);
            askedFor = window;
        }
        return answer;
    }

    /**
     * The budget check's spend: the estimate from everything the sweep listed (priced by the policy's owner tag),
     * with Cost Explorer's billed figure in its place where AWS has one, for every owner (what has no owner tag is
     * nobody's budget). Cost Explorer failing leaves the estimate, so a budget still holds when billing cannot be read.
     */
    @Override
    public java.util.List<dev.curfew.core.spend.Spend> spend(dev.curfew.core.model.Inventory inventory, Policy p,
                                                             Instant now) {
        // what nobody owns is nobody's budget
        if (from.spent() != null) {
            from.spent().read().requireCourseTotals(p.budgets());
        }
        java.util.List<dev.curfew.core.model.Resource> all = new java.util.ArrayList<>();
        inventory.byKind().values().forEach(all::addAll);
        java.util.Collection<dev.curfew.core.spend.Spend> here = billed(totalled(p, now, all,
                r -> r.tags().get(p.ownerTag()), inventory.failures().isEmpty()), p, now).byStudent().values();
        if (from.elsewhere().isEmpty()) {
            return java.util.List.copyOf(here);
        }
        java.util.Map<String, dev.curfew.core.spend.Spend> by = new java.util.LinkedHashMap<>();
        here.forEach(s -> by.put(dev.curfew.core.budget.BudgetCheck.key(s.student()), s));
        from.elsewhere().forEach(s -> by.merge(dev.curfew.core.budget.BudgetCheck.key(s.student()), s,
                dev.curfew.core.spend.Spend::plus));
        return java.util.List.copyOf(by.values());
    }
}
