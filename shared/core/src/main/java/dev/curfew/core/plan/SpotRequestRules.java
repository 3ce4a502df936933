package dev.curfew.core.plan;

import dev.curfew.core.model.Ec2Instance;
import dev.curfew.core.model.Inventory;
import dev.curfew.core.model.ResourceKind;
import dev.curfew.core.model.SpotRequest;
import dev.curfew.core.model.SpotRequestType;
import dev.curfew.core.policy.KindRule;
import dev.curfew.core.policy.Policy;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Spot requests ({@code rules.spot-requests}): an open or persistent request that belongs to no kept instance would
 * launch an instance again, so it is cancelled (at once; no grace). A request is decided with its instance's
 * decision: cancelled together with it, left alone while the instance is kept, protected or handled by the instance
 * rules, and not decided at all when the instances of its region could not be listed.
 */
final class SpotRequestRules extends KindRules {
    SpotRequestRules() {
        super(ResourceKind.SPOT_REQUEST, "spot-requests", "Spot request", null,
                new KindRule(true, Duration.ZERO, Action.CANCEL), List.of(Action.NOTIFY, Action.CANCEL));
    }

    private static Decision spot(SpotRequest s, Decision instance, KindRule rule, Policy p, Instant now) {
        String owner = Guard.owner(s, p);
        if (!s.live()) {
            return new Decision(s, owner, List.of(), Action.SKIP, "request is " + s.state(), null);
        }
        if (s.instanceId() != null && instance != null) {
            if (instance.cancelFirst() != null) {
                return new Decision(s, owner, List.of(), Action.SKIP, "cancelled together with its instance "
                        + s.instanceId(), null);
            }
            String held = heldBack(instance, p, now);
            if (held != null) {
                return new Decision(s, owner, List.of(), Action.SKIP, "belongs to " + s.instanceId() + ", which is "
                        + held, null);
            }
            if (s.type() == SpotRequestType.ONE_TIME || "active".equals(s.state())) {
                return new Decision(s, owner, List.of(), Action.SKIP, "fulfilled by " + s.instanceId()
                        + ", which the instance rules handle", null);
            }
        }
        String what = s.type() == SpotRequestType.PERSISTENT ? "persistent" : "open";
        Finding f = new Finding("spot-requests", rule.action(), what + " spot request (" + s.state() + ") for "
                + s.instanceType() + (s.instanceId() == null ? " with no instance" : "")
                + ": it would launch an instance again", Map.of("state", s.state()));
        Decision d = new Decision(s, owner, List.of(f), rule.action(), f.summary(), null);
        return Guard.guarded(d, s, Duration.ZERO, p, now, Map.of(), "");
    }

    @Override
    public List<Decision> decide(Inventory inv, List<Decision> instanceDecisions, KindRule rule, Policy p,
                                 Instant now) {
        Map<String, Decision> byInstance = new HashMap<>();
        instanceDecisions.forEach(d -> byInstance.put(d.resource().id(), d));
        return inv.spotRequests().stream().sorted(Guard.order())
                .map(s -> s.instanceId() != null && inv.failed(s.region(), ResourceKind.EC2_INSTANCE)
                        ? new Decision(s, Guard.owner(s, p), List.of(), Action.SKIP, "its instance " + s.instanceId()
                        + " could not be listed (the instances of " + s.region() + " could not be read): "
                        + "decided when it can", null)
                        : spot(s, byInstance.get(s.instanceId()), rule, p, now))
                .toList();
    }

    /**
     * Why an instance is held back by what no rule overrides (a keep tag in date, an exemption, or the protection
     * that stops its action), or null. Read from the instance itself, never from the wording of a reason.
     */
    private static String heldBack(Decision instance, Policy p, Instant now) {
        if (!(instance.resource() instanceof Ec2Instance i)) {
            return null;
        }
        Exempt.Verdict v = Exempt.check(i, p, now);
        if (v.kind() == Exempt.Kind.SKIP) {
            return v.reason();
        }
        if (instance.action() != Action.SKIP) {
            return null;
        }
        Action wanted = instance.findings().stream().map(Finding::action)
                .max(Comparator.comparingInt(Action::strength)).orElse(null);
        boolean up = i.state().isUp();
        if (wanted == Action.TERMINATE && i.protection().terminationOn()
                || wanted == Action.STOP && up && i.protection().stopOn()) {
            return instance.reason();
        }
        return null;
    }

    @Override
    public dev.curfew.core.model.Resource sample(String region, Map<String, String> tags, Instant now) {
        return new SpotRequest("sir-00000001", region, SpotRequestType.PERSISTENT, "open", null, "t3.micro",
                now.minus(Duration.ofDays(1)), tags);
    }
}
