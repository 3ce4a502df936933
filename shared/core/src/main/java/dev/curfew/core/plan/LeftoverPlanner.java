package dev.curfew.core.plan;

import dev.curfew.core.model.Inventory;
import dev.curfew.core.policy.LeftoverRules;
import dev.curfew.core.policy.Policy;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Decisions for every kind of the registry ({@link Kinds}), each through its own rules, in the registry's order
 * (instances first: the kinds after them read their decisions). Marks first where the rule has a grace period, acts
 * when the mark is due and the rule still holds, and removes the mark when it no longer does.
 */
final class LeftoverPlanner {
    private LeftoverPlanner() {
    }

    /** @param extra findings made outside the rules, by resource id (the budget's stops) */
    static List<Decision> decide(Inventory inv, Policy p, Instant now, Map<String, Finding> extra) {
        LeftoverRules r = p.leftovers();
        List<Decision> out = new ArrayList<>();
        // the kinds of the registry: each one's own small planner, sharing the guard
        for (KindRules k : Kinds.ALL) {
            dev.curfew.core.policy.KindRule rule = r.rule(k.kind());
            if (rule.enabled()) {
                out.addAll(k.decide(inv, List.copyOf(out), rule, p, now, extra));
            }
        }
        return out;
    }
}
