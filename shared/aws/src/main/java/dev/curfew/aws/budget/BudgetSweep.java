package dev.curfew.aws.budget;

import dev.curfew.core.budget.BudgetCheck;
import dev.curfew.core.budget.BudgetHook;
import dev.curfew.core.budget.CourseWeek;
import dev.curfew.core.budget.SpendSource;
import dev.curfew.core.policy.Mode;
import dev.curfew.core.policy.Policy;
import dev.curfew.core.spend.Spend;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The budget in a sweep of the class account (README, "Budgets"). Before the plan, {@link #hook} reads the week's
 * top-ups and told records and each student's spend, and decides ({@link BudgetCheck}); the stops go through the
 * sweep's own stop path. After it, {@link #record} (enforce mode only; dry-run writes nothing) records who is over
 * budget for the launcher, clears the record of whoever no longer is, and claims the told record of each notice: only
 * the notices it claimed first are returned, to be sent.
 */
public final class BudgetSweep {
    private final BudgetRecords records;
    private final SpendSource spend;

    public BudgetSweep(BudgetRecords records, SpendSource spend) {
        this.records = records;
        this.spend = spend;
    }

    public BudgetRecords records() {
        return records;
    }

    /** The engine's hook: reads, decides, writes nothing. */
    public BudgetHook hook() {
        return (inventory, policy, now) -> {
            String week = CourseWeek.key(policy.timeZone(), now);
            Instant start = CourseWeek.start(policy.timeZone(), now);
            List<Spend> spends = spend.spend(inventory, policy, now);
            return BudgetCheck.check(policy.budgets(), start, spends, records.topUpsOnce(week), records.told(week),
                    inventory.instances(), policy.ownerTag());
        };
    }

    /** What {@link #record} did: the notices to send now, and what failed (each failure alone). */
    public record Recorded(List<BudgetCheck.Notice> toTell, List<String> marked, List<String> cleared,
                           List<String> problems) {
    }

    /**
     * Writes the week's records for a sweep's budget decisions. In dry-run nothing is written and nothing is to be
     * told. A record that cannot be written is named in {@code problems} and never stops the others.
     */
    public Recorded record(Policy policy, BudgetCheck.Result result, Instant now) {
        List<BudgetCheck.Notice> toTell = new ArrayList<>();
        List<String> marked = new ArrayList<>();
        List<String> cleared = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        if (result == null || policy.mode() != Mode.ENFORCE) {
            return new Recorded(toTell, marked, cleared, problems);
        }
        String week = CourseWeek.key(policy.timeZone(), now);
        for (String owner : result.over()) {
            try {
                records.markOver(week, owner, result.spends().get(owner));
                marked.add(owner);
            } catch (RuntimeException e) {
                problems.add("cannot record " + owner + " over budget (" + e.getMessage() + "): the launcher does "
                        + "not refuse their launches until it is recorded");
            }
        }
        Set<String> wasOver;
        try {
            wasOver = records.over(week);
        } catch (RuntimeException e) {
            wasOver = Set.of();
            problems.add("cannot list who was over budget (" + e.getMessage() + ")");
        }
        for (String owner : wasOver) {
            if (!result.over().contains(owner)) {
                try {
                    records.clearOver(week, owner);
                    cleared.add(owner);
                } catch (RuntimeException e) {
                    problems.add("cannot clear " + owner + "'s over-budget record (" + e.getMessage() + ")");
                }
            }
        }
        for (BudgetCheck.Notice n : result.notices()) {
            boolean first = false;
            try {
                for (int t : n.record()) {
                    boolean created = records.firstTold(week, n.student(), t, now.toString());
                    if (t == n.threshold()) {
                        first = created;
                    }
                }
            } catch (RuntimeException e) {
                problems.add("cannot record that " + n.student() + " is told of " + n.threshold() + " % ("
                        + e.getMessage() + "): not told this time");
                continue;
            }
            if (first) {
                toTell.add(n);
            }
        }
        return new Recorded(toTell, marked, cleared, problems);
    }
}
