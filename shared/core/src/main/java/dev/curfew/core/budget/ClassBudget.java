package dev.curfew.core.budget;

import dev.curfew.core.model.Ec2Instance;
import dev.curfew.core.spend.Spend;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A student's budget across the accounts of a pass of the accounts state machine (README, "The curfew sweep of every
 * account"): one student is one roster name ({@link BudgetCheck#key}), whatever account they spend in. Pure.
 *
 * <p>Two halves. {@link #summed}: after every account's step has reported its per-student figures, one decision over
 * their sum (who is over budget, who is told at 50/80/100 %). {@link #inAccount}: an account's own step stops the
 * running instances of every owner who is over budget by that account's figure alone (the sum can only be higher),
 * or whom a summed decision of this week recorded over budget and who still is against the budget as it is now
 * ({@link OverBudget#refuses}: a raise or a top-up lets them run again). It tells nobody: the summed decision does.
 */
public final class ClassBudget {
    private ClassBudget() {
    }

    /**
     * The decision over the sum of every account's figures: standings, notices (thresholds not yet in {@code told}),
     * who is over. It names no instance: each account stops its own ({@link #inAccount}).
     *
     * @param perAccount each account's per-student spend (the same student in several accounts is added up)
     */
    public static BudgetCheck.Result summed(BudgetRules rules, Instant weekStart,
                                            Collection<? extends Collection<Spend>> perAccount,
                                            Map<String, TopUp> topUps, Set<String> told) {
        List<Spend> all = new ArrayList<>();
        perAccount.forEach(all::addAll);
        return BudgetCheck.check(rules, weekStart, all, topUps, told, List.of(), null);
    }

    /**
     * One account's budget stops within a pass over many accounts.
     *
     * @param spends       each owner's spend in this account
     * @param topUps       this week's top-ups by owner (any case)
     * @param recordedOver the spend each owner (any case) was recorded over budget with this week by a summed decision
     * @param instances    what this account's sweep saw
     * @return the stops; no notices (the summed decision tells)
     */
    public static BudgetCheck.Result inAccount(BudgetRules rules, Instant weekStart, Collection<Spend> spends,
                                               Map<String, TopUp> topUps, Map<String, Spend> recordedOver,
                                               Collection<Ec2Instance> instances, String ownerTag) {
        if (rules == null || !rules.any()) {
            return BudgetCheck.Result.none(weekStart);
        }
        Map<String, TopUp> top = new TreeMap<>();
        topUps.forEach((k, v) -> top.put(BudgetCheck.key(k), v));
        Map<String, Spend> by = new TreeMap<>();
        spends.forEach(s -> by.merge(BudgetCheck.key(s.student()), s, Spend::plus));
        recordedOver.forEach((owner, recorded) -> {
            String k = BudgetCheck.key(owner);
            Standing still = OverBudget.refuses(rules, recorded, top.get(k));
            Spend here = by.get(k);
            Standing local = here == null ? null : Standing.of(rules, here, top.get(k));
            if (still != null && (local == null || local.percent() < still.percent())) {
                by.put(k, recorded);
            }
        });
        BudgetCheck.Result r = BudgetCheck.check(rules, weekStart, by.values(), topUps, Set.of(), instances,
                ownerTag);
        return new BudgetCheck.Result(r.weekStart(), r.standings(), r.spends(), List.of(), r.over(), r.stops());
    }
}
