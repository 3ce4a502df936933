package dev.curfew.aws.spend;

import dev.curfew.core.plan.Decision;
import dev.curfew.core.policy.Policy;
import dev.curfew.core.spend.ClassSpend;
import dev.curfew.core.spend.SpendEstimator;
import java.time.Clock;
import java.time.Instant;
import java.util.Collection;

/**
 * What each student has spent, for a pass's messages: Curfew's estimate from what the sweep saw, and, when the
 * deployment turns Cost Explorer on ({@code CostExplorer=on}), the billed figure in its place for every student AWS
 * has one for. When Cost Explorer fails the estimate stands, and {@link ClassSpend#note()} says why.
 */
public final class Spending implements dev.curfew.core.budget.SpendSource {
    private final CostExplorerSpend costExplorer;
    private final Clock clock;
    private final dev.curfew.aws.budget.BudgetRecords budgets;

    /** @param costExplorer null when Cost Explorer is off */
    public Spending(CostExplorerSpend costExplorer, Clock clock) {
        this(costExplorer, clock, null);
    }

    private Spending(CostExplorerSpend costExplorer, Clock clock, dev.curfew.aws.budget.BudgetRecords budgets) {
        this.costExplorer = costExplorer;
        this.clock = clock;
        this.budgets = budgets;
    }

    /**
     * The same, each student's figures weighed against their limits when the policy sets budgets (README, "Budgets"):
     * this week's top-ups are listed once from {@code records} ({@link dev.curfew.aws.budget.BudgetRecords#topUpsOnce}),
     * and only when figures are asked for (someone is messaged, the page is made).
     */
    public Spending withBudgets(dev.curfew.aws.budget.BudgetRecords records) {
        return new Spending(costExplorer, clock, records);
    }

    public boolean costExplorer() {
        return costExplorer != null;
    }

    /** From a sweep's decisions (each with its owner), as of the clock's now. */
    public ClassSpend of(Policy p, Collection<Decision> decisions) {
        Instant now = clock.instant();
        return budgeted(billed(SpendEstimator.fromDecisions(decisions, p.timeZone(), now, null), p, now), p, now);
    }

    /** Curfew's estimate alone (Cost Explorer is not asked), with the budgets: the class page's figures. */
    public ClassSpend estimate(Policy p, Collection<Decision> decisions) {
        Instant now = clock.instant();
        return budgeted(SpendEstimator.fromDecisions(decisions, p.timeZone(), now, null), p, now);
    }

    /**
     * Each student's limits with this week's top-ups; without records (none given) or when the top-ups cannot be read,
     * no limits, and {@link ClassSpend#note()} says why (a limit without its top-up could say a student is over a
     * budget that was raised).
     */
    private ClassSpend budgeted(ClassSpend c, Policy p, Instant now) {
        if (budgets == null || !p.budgets().any()) {
            return c;
        }
        try {
            return c.withBudgets(p.budgets(), budgets.topUpsOnce(
                    dev.curfew.core.budget.CourseWeek.key(p.timeZone(), now)));
        } catch (RuntimeException e) {
            String why = "budgets: this week's top-ups could not be read (" + dev.curfew.aws.Errors.describe(e)
                    + "), so the figures are shown without budgets";
            return c.withNote(c.note() == null ? why : c.note() + " " + why);
        }
    }

    /**
     * The estimate with Cost Explorer's billed figure in its place where AWS has one; the estimate alone when Cost
     * Explorer is off, and with {@link ClassSpend#note()} saying why when it fails.
     */
    private ClassSpend billed(ClassSpend estimate, Policy p, Instant now) {
        if (costExplorer == null) {
            return estimate;
        }
        CostExplorerSpend.Answer a = costExplorer.byOwnerTag(p.ownerTag(),
                CostExplorerSpend.Window.of(estimate.weekStart(), p.timeZone(), now, null));
        if (!a.ok()) {
            return estimate.withNote(a.error() + ": Curfew's estimate is shown instead.");
        }
        return estimate.withBilled(a.billed());
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
        return java.util.List.copyOf(billed(SpendEstimator.fromInventory(inventory, p, now, null), p, now)
                .byStudent().values());
    }
}
