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
        return record(policy, result, now, owner -> true);
    }

    /**
     * As {@link #record(Policy, BudgetCheck.Result, Instant)}, clearing the over-budget record only of the owners
     * {@code mayClear} accepts (lower case): one account's sweep among many knows only its own owners' spend, and
     * must not clear a student another account's sweep found over budget.
     */
    public Recorded record(Policy policy, BudgetCheck.Result result, Instant now,
                           java.util.function.Predicate<String> mayClear) {
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
            if (!result.over().contains(owner) && mayClear.test(owner)) {
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

    /**
     * Records the week's budget state (enforce only) and tells each student once per threshold: what
     * {@link #record} claimed first goes out through {@code notifier}. A record or message that fails is one of the
     * returned problems and never fails the sweep.
     *
     * @return the deliveries made and the problems met
     */
    public dev.curfew.core.notify.NotificationReport recordAndTell(Policy policy, String pass,
                                                                  BudgetCheck.Result result, Instant now,
                                                                  java.util.function.Predicate<String> mayClear,
                                                                  dev.curfew.aws.notify.Notifier notifier,
                                                                  java.util.function.Consumer<String> log) {
        List<String> problems = new ArrayList<>();
        List<dev.curfew.core.notify.Delivery> deliveries = new ArrayList<>();
        result.standings().values().forEach(st -> log.accept("budget of " + st.student() + ": " + st.text() + " ("
                + Math.round(st.percent()) + " %)"));
        try {
            Recorded rec = record(policy, result, now, mayClear);
            problems.addAll(rec.problems());
            if (!rec.marked().isEmpty() || !rec.cleared().isEmpty()) {
                log.accept("budgets: over budget " + rec.marked() + "; no longer over " + rec.cleared());
            }
            if (!rec.toTell().isEmpty()) {
                dev.curfew.core.notify.NotificationReport b = notifier.budget(policy, pass, rec.toTell(), now,
                        CourseWeek.end(policy.timeZone(), now));
                deliveries.addAll(b.deliveries());
                problems.addAll(b.problems());
            }
        } catch (RuntimeException e) {
            problems.add("budget messages failed: " + e.getClass().getSimpleName() + ": " + e.getMessage());
        }
        return new dev.curfew.core.notify.NotificationReport(pass, null, 0, List.of(), deliveries, List.of(),
                problems);
    }
}
