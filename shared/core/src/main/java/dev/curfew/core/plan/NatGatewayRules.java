package dev.curfew.core.plan;

import dev.curfew.core.model.Inventory;
import dev.curfew.core.model.NatGateway;
import dev.curfew.core.model.ResourceKind;
import dev.curfew.core.policy.KindRule;
import dev.curfew.core.policy.Policy;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * NAT gateways ({@code rules.nat-gateways}): billed by the hour whether used or not, and easy to leave behind with
 * a lab's VPC. Marked when seen, deleted when the mark is due unless kept; its addresses stay allocated and are
 * released by {@code eip-unassociated} afterwards.
 */
final class NatGatewayRules extends KindRules {
    NatGatewayRules() {
        super(ResourceKind.NAT_GATEWAY, "nat-gateways", "NAT gateway", "grace",
                new KindRule(true, Duration.ofHours(24), Action.DELETE), List.of(Action.NOTIFY, Action.DELETE));
    }

    @Override
    public dev.curfew.core.model.Resource sample(String region, Map<String, String> tags, Instant now) {
        return new NatGateway("nat-00000000000000001", region, "available", "vpc-00000001", "subnet-00000001",
                List.of("192.0.2.2"), now.minus(Duration.ofDays(1)), tags);
    }

    @Override
    public List<Decision> decide(Inventory inv, List<Decision> instanceDecisions, KindRule rule, Policy p,
                                 Instant now) {
        return inv.of(ResourceKind.NAT_GATEWAY, NatGateway.class).stream().sorted(Guard.order())
                .map(g -> gateway(g, rule, p, now)).toList();
    }

    private static Decision gateway(NatGateway g, KindRule rule, Policy p, Instant now) {
        double cost = Prices.NAT_GATEWAY_HOURLY + g.publicIps().size() * Prices.PUBLIC_IPV4_HOURLY;
        String owner = Guard.owner(g, p);
        if (!g.live()) {
            return new Decision(g, owner, List.of(), Action.SKIP, "NAT gateway is " + g.state(), null);
        }
        String since = g.created() == null ? "" : " since " + Planner.show(g.created(), p.timeZone());
        Finding f = new Finding("nat-gateways", rule.action(), "NAT gateway in " + g.vpcId() + since + ", billed by "
                + "the hour whether used or not: " + Prices.monthly(cost), Map.of("vpcId", String.valueOf(g.vpcId()),
                "publicIps", String.join(",", g.publicIps())));
        Decision d = new Decision(g, owner, List.of(f), rule.action(), f.summary(), null).withCost(cost);
        return Guard.guarded(d, g, rule.after(), p, now, Map.of(), "");
    }
}
