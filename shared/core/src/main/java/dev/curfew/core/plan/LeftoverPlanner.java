package dev.curfew.core.plan;

import dev.curfew.core.model.SecurityGroup;
import dev.curfew.core.model.ElasticIp;
import dev.curfew.core.model.Inventory;
import dev.curfew.core.model.Resource;
import dev.curfew.core.model.ResourceKind;
import dev.curfew.core.policy.LeftoverRules;
import dev.curfew.core.policy.Policy;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Decisions for what a lesson leaves besides instances: each kind of the registry ({@link Kinds}) through its own
 * rules. Marks first where the rule has a grace period, acts when
 * the mark is due and the rule still holds, and removes the mark when it no longer does.
 */
final class LeftoverPlanner {
    static final String CREATED_BY = dev.curfew.core.model.CurfewTags.CREATED_BY;

    private LeftoverPlanner() {
    }

    static List<Decision> decide(Inventory inv, List<Decision> instanceDecisions, Policy p, Instant now) {
        LeftoverRules r = p.leftovers();
        List<Decision> out = new ArrayList<>();
        // the kinds of the registry: each one's own small planner, sharing the guard
        for (KindRules k : Kinds.ALL) {
            dev.curfew.core.policy.KindRule rule = r.rule(k.kind());
            if (rule.enabled()) {
                out.addAll(k.decide(inv, instanceDecisions, rule, p, now));
            }
        }
        return out;
    }
}
