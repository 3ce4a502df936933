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
    /** Cost Explorer's answer asked once elsewhere (the accounts state machine's list step), or null. */
    private final CostExplorerSpend.Answer given;

    /** @param costExplorer null when Cost Explorer is off */
    public Spending(CostExplorerSpend costExplorer, Clock clock) {
        this(costExplorer, clock, null);
    }

    private Spending(CostExplorerSpend costExplorer, Clock clock, CostExplorerSpend.Answer given) {
        this.costExplorer = costExplorer;
        this.clock = clock;
        this.given = given;
    }

    /**
     * The estimate with the billed figures of an answer Cost Explorer already gave (asked once per pass in the
     * deployment account, README "The curfew sweep of every account"); null: the estimate alone. Nothing is asked.
     */
    public static Spending answered(CostExplorerSpend.Answer answer, Clock clock) {
        return new Spending(null, clock, answer);
    }

    public boolean costExplorer() {
        return costExplorer != null || given != null;
    }

    /** From a sweep's decisions (each with its owner), as of the clock's now. */
    public ClassSpend of(Policy p, Collection<Decision> decisions) {
        Instant now = clock.instant();
        return billed(SpendEstimator.fromDecisions(decisions, p.timeZone(), now, null), p, now);
    }

    /**
     * The estimate with Cost Explorer's billed figure in its place where AWS has one; the estimate alone when Cost
     * Explorer is off, and with {@link ClassSpend#note()} saying why when it fails.
     */
    private ClassSpend billed(ClassSpend estimate, Policy p, Instant now) {
        if (costExplorer == null && given == null) {
            return estimate;
        }
        CostExplorerSpend.Answer a = given != null ? given : costExplorer.byOwnerTag(p.ownerTag(),
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
