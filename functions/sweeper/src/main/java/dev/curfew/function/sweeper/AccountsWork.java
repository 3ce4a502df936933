package dev.curfew.function.sweeper;

import dev.curfew.core.accounts.AccountRun;
import dev.curfew.core.accounts.AccountTarget;
import dev.curfew.core.notify.NotificationReport;
import dev.curfew.core.policy.Policy;
import dev.curfew.core.sweep.Deadline;
import java.util.List;

/**
 * What the accounts state machine's steps ask of the engine that sweeps many accounts (dev.curfew.aws.accounts
 * AccountSweeps, the same the CLI's {@code plan --accounts all} runs) and of the messages
 * (dev.curfew.aws.notify.Notifier's summary across accounts). The steps only carry its answers between states.
 */
interface AccountsWork {
    /** The accounts the policy and roster cover: the class account, students' own, the Organization unit's. */
    List<AccountTarget> targets(Policy policy);

    /**
     * {@link #targets}, and what kept accounts out of them (an Organization unit that could not be listed, named):
     * the rest are swept all the same, and the summary says what was left out.
     */
    default Listing list(Policy policy) {
        return new Listing(targets(policy), List.of());
    }

    /** The accounts to sweep, and why any the policy names were left out. */
    record Listing(List<AccountTarget> targets, List<String> problems) {
        public Listing {
            targets = List.copyOf(targets);
            problems = List.copyOf(problems);
        }
    }

    /**
     * One account's sweep; the account's own failures are its {@link AccountRun}, never thrown. A target that is
     * not one of {@link #targets}' (whatever the input said) is refused before anything is read in it. Each
     * student's spend is the estimate from what the account's sweep listed, with {@code billed} (Cost Explorer's
     * answer for this account, asked by the list step; null: none) in its place where it has a figure.
     *
     * @param curfew    the curfew the list step named: a warning warns of that one, whenever the worker runs
     * @param weeksOver the course weeks over that the pass closes, named by the list step ({@link #weeksDue}): the
     *                  account's figures of each are carried in its run for the budget step to add up and keep
     */
    AccountRun sweep(AccountTarget target, Policy policy, String pass, java.time.Instant curfew, Deadline emptying,
                     dev.curfew.aws.spend.CostExplorerSpend.Answer billed, List<java.time.LocalDate> weeksOver);

    /**
     * The course weeks over that this pass closes, asked once by the list step (dev.curfew.aws.accounts.AccountWeeks
     * #due); none when the pass closes none.
     */
    default List<java.time.LocalDate> weeksDue(Policy policy, String pass) {
        return List.of();
    }

    /**
     * Cost Explorer's billed figures for each account (by account id), asked once for the whole pass in the
     * deployment account; an account without figures is left out. Only called when Cost Explorer is on.
     */
    java.util.Map<String, dev.curfew.aws.spend.CostExplorerSpend.Answer> billed(Policy policy,
                                                                             List<AccountTarget> targets);

    /**
     * The budget step (README, "Budgets"): after every account's step, the spend each run carried
     * ({@link AccountRun#figures}) is added up per student, and one decision over the sum records who is over budget
     * (enforce only) and tells each student once per threshold. It stops nothing: it returns the stops still to make,
     * one per account where an over-budget student's spend counts and that account's own step did not find them over
     * by its own spend; the state machine makes each in its own invocation ({@link #stop}). Only after the curfew pass
     * and the idle check, with budgets in the policy; otherwise {@link Budgets#NONE}.
     *
     * @param unlisted what kept accounts out of the pass ({@link Listing#problems}): while any is there, the course
     *                 weeks over are not closed and nobody is cleared (the accounts not listed may hold their spend)
     */
    default Budgets budgets(Policy policy, String pass, List<AccountRun> runs, List<String> unlisted) {
        return Budgets.NONE;
    }

    /**
     * What the sum decided: the owners (lower case) over budget, why the sum is partial (each account whose spend
     * is not in it, with why; empty: every account's is), the messages, and the stops still to make (one per
     * account; {@link #stop}).
     */
    record Budgets(List<String> over, List<String> partial, NotificationReport told, List<Stop> stops) {
        static final Budgets NONE = new Budgets(List.of(), List.of(), null, List.of());

        public Budgets {
            over = List.copyOf(over);
            partial = List.copyOf(partial);
            stops = List.copyOf(stops);
        }
    }

    /**
     * One account's budget stops: the owners (lower case) the sum found over budget whose instances there are to be
     * stopped, each with the summed spend that put them over (the stop path weighs it again against this week's
     * top-up, and its reason says it).
     */
    record Stop(AccountTarget target, java.util.Map<String, dev.curfew.core.spend.Spend> over) {
        public Stop {
            over = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(over));
        }
    }

    /**
     * One account's budget stops ({@link Budgets#stops}), through that account's stop path acting on the budget's
     * stops alone (dry-run: what would be stopped); the account's own failures are its {@link AccountRun}, never
     * thrown. As {@link #sweep}, a target that is not one of {@link #targets}' is refused before anything is read in
     * it. The stop path acts only on what still runs, so a retried or redelivered stop stops nothing twice.
     */
    default AccountRun stop(AccountTarget target, Policy policy,
                            java.util.Map<String, dev.curfew.core.spend.Spend> over) {
        return AccountRun.notSwept(target, AccountRun.Status.FAILED, "budget stops are not made here");
    }

    /**
     * The instructor's summary across the accounts (after the curfew pass only), and "Curfew can no longer reach
     * your account" to students; once per {@code curfew} (the idle check: the latest curfew before its time).
     */
    NotificationReport summary(Policy policy, String pass, List<AccountRun> runs, java.time.Instant curfew);

    /** As above, with what kept accounts out of the pass ({@link Listing#problems}), told to the instructor. */
    default NotificationReport summary(Policy policy, String pass, List<AccountRun> runs, List<String> unlisted,
                                       java.time.Instant curfew) {
        return summary(policy, pass, runs, curfew);
    }

    /**
     * As above, after the pass's budget stops: {@code runs} show what they stopped ({@link BudgetStops#applied}), and
     * {@code stopsNotMade} says which stops did not happen and why, in the summary and on the class page.
     */
    default NotificationReport summary(Policy policy, String pass, List<AccountRun> runs, List<String> unlisted,
                                       List<String> stopsNotMade, java.time.Instant curfew) {
        return summary(policy, pass, runs, unlisted, curfew);
    }
}
