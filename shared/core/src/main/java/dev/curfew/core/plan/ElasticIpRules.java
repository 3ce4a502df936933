package dev.curfew.core.plan;

import dev.curfew.core.model.ElasticIp;
import dev.curfew.core.model.Inventory;
import dev.curfew.core.model.ResourceKind;
import dev.curfew.core.policy.KindRule;
import dev.curfew.core.policy.Policy;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Elastic IPs not associated with anything ({@code rules.eip-unassociated}): released, by default at once. */
final class ElasticIpRules extends KindRules {
    ElasticIpRules() {
        super(ResourceKind.ELASTIC_IP, "eip-unassociated", "Elastic IP", "grace",
                new KindRule(true, Duration.ZERO, Action.RELEASE), List.of(Action.NOTIFY, Action.RELEASE));
    }

    @Override
    public dev.curfew.core.model.Resource sample(String region, Map<String, String> tags, Instant now) {
        return new ElasticIp("eipalloc-00000000000000001", region, "192.0.2.1", null, null, tags);
    }

    @Override
    public List<Decision> decide(Inventory inv, List<Decision> instanceDecisions, KindRule rule, Policy p,
                                 Instant now) {
        return inv.addresses().stream().sorted(Guard.order()).map(a -> address(a, rule, p, now)).toList();
    }

    private static Decision address(ElasticIp a, KindRule rule, Policy p, Instant now) {
        double cost = Prices.PUBLIC_IPV4_HOURLY;
        String owner = Guard.owner(a, p);
        if (a.associated()) {
            Decision d = new Decision(a, owner, List.of(), Action.SKIP, "associated with "
                    + (a.instanceId() != null ? a.instanceId() : a.associationId()) + " (" + Prices.monthly(cost)
                    + " while in use)", null).withCost(cost);
            return Guard.unmarkIfMarked(d, "associated again: mark removed", List.of(Mark.TAG));
        }
        Finding f = new Finding("eip-unassociated", rule.action(), "Elastic IP " + a.publicIp()
                + " not associated with anything, " + Prices.monthly(cost), Map.of("publicIp", a.publicIp()));
        Decision d = new Decision(a, owner, List.of(f), rule.action(), f.summary(), null).withCost(cost);
        return Guard.guarded(d, a, rule.after(), p, now, Map.of(), "it is associated again");
    }
}
