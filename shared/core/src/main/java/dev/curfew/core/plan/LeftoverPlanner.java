package dev.curfew.core.plan;

import dev.curfew.core.model.EbsVolume;
import dev.curfew.core.model.ElasticIp;
import dev.curfew.core.model.Inventory;
import dev.curfew.core.model.Resource;
import dev.curfew.core.model.S3Bucket;
import dev.curfew.core.model.SpotRequest;
import dev.curfew.core.model.SpotRequestType;
import dev.curfew.core.policy.LeftoverRules;
import dev.curfew.core.policy.Policy;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Decisions for what a lesson leaves besides instances: unattached volumes, non-empty student buckets, idle
 * Elastic IPs, spot requests that would launch again. Marks first where the rule has a grace period, acts when
 * the mark is due and the rule still holds, and removes the mark when it no longer does.
 */
final class LeftoverPlanner {
    static final String UNATTACHED_SINCE = "curfew:unattached-since";
    static final String CREATED_BY = "curfew:created-by";

    private LeftoverPlanner() {
    }

    static List<Decision> decide(Inventory inv, List<Decision> instanceDecisions, Policy p, Instant now) {
        LeftoverRules r = p.leftovers();
        List<Decision> out = new ArrayList<>();
        if (r.volumes().enabled()) {
            // an attached volume is part of its instance (its cost is counted there): listed only to unmark it
            inv.volumes().stream().sorted(order())
                    .filter(v -> !v.attached() || v.tags().containsKey(Mark.TAG))
                    .forEach(v -> out.add(volume(v, r.volumes(), p, now)));
        }
        if (r.addresses().enabled()) {
            inv.addresses().stream().sorted(order()).forEach(a -> out.add(address(a, r.addresses(), p, now)));
        }
        if (r.spotRequests().enabled()) {
            Map<String, Decision> byInstance = new HashMap<>();
            instanceDecisions.forEach(d -> byInstance.put(d.resource().id(), d));
            inv.spotRequests().stream().sorted(order())
                    .forEach(s -> out.add(spot(s, byInstance.get(s.instanceId()), r.spotRequests(), p, now)));
        }
        if (r.buckets().enabled()) {
            inv.buckets().stream().sorted(order()).forEach(b -> out.add(bucket(b, r.buckets(), p, now)));
        }
        return out;
    }

    private static <R extends Resource> Comparator<R> order() {
        return Comparator.comparing((R x) -> x.region()).thenComparing(Resource::id);
    }

    private static String owner(Resource r, Policy p) {
        return r.tags().get(p.ownerTag());
    }

    private static Decision volume(EbsVolume v, LeftoverRules.Volumes rule, Policy p, Instant now) {
        Double cost = Prices.volumeHourly(v.volumeType(), v.sizeGiB());
        String owner = owner(v, p);
        if (v.attached()) {
            Decision d = new Decision(v, owner, List.of(), Action.SKIP, "attached to " + v.attachedTo(), null)
                    .withCost(cost);
            return unmarkIfMarked(d, "attached again to " + v.attachedTo() + ": mark removed",
                    List.of(Mark.TAG, UNATTACHED_SINCE));
        }
        String since = v.tags().get(UNATTACHED_SINCE);
        Finding f = new Finding("ebs-unattached", rule.action(), "unattached " + v.sizeGiB() + " GiB " + v.volumeType()
                + " volume" + (since == null ? "" : " since " + since) + ", " + Prices.monthly(cost),
                Map.of("sizeGiB", String.valueOf(v.sizeGiB()), "volumeType", String.valueOf(v.volumeType())));
        Decision d = new Decision(v, owner, List.of(f), rule.action(), f.summary(), null).withCost(cost);
        return guarded(d, v, rule.olderThan(), p, now, Map.of(UNATTACHED_SINCE, now.toString()),
                "it is attached again");
    }

    private static Decision address(ElasticIp a, LeftoverRules.Addresses rule, Policy p, Instant now) {
        double cost = Prices.PUBLIC_IPV4_HOURLY;
        String owner = owner(a, p);
        if (a.associated()) {
            Decision d = new Decision(a, owner, List.of(), Action.SKIP, "associated with "
                    + (a.instanceId() != null ? a.instanceId() : a.associationId()) + " (" + Prices.monthly(cost)
                    + " while in use)", null).withCost(cost);
            return unmarkIfMarked(d, "associated again: mark removed", List.of(Mark.TAG));
        }
        Finding f = new Finding("eip-unassociated", rule.action(), "Elastic IP " + a.publicIp()
                + " not associated with anything, " + Prices.monthly(cost), Map.of("publicIp", a.publicIp()));
        Decision d = new Decision(a, owner, List.of(f), rule.action(), f.summary(), null).withCost(cost);
        return guarded(d, a, rule.grace(), p, now, Map.of(), "it is associated again");
    }

    private static Decision spot(SpotRequest s, Decision instance, LeftoverRules.SpotRequests rule, Policy p,
                                 Instant now) {
        String owner = owner(s, p);
        if (!s.live()) {
            return new Decision(s, owner, List.of(), Action.SKIP, "request is " + s.state(), null);
        }
        if (s.instanceId() != null && instance != null) {
            if (instance.cancelFirst() != null) {
                return new Decision(s, owner, List.of(), Action.SKIP, "cancelled together with its instance "
                        + s.instanceId(), null);
            }
            if (instance.action() == Action.SKIP && instance.reason() != null
                    && (instance.reason().startsWith("kept") || instance.reason().startsWith("exempt")
                    || instance.reason().startsWith("protected"))) {
                return new Decision(s, owner, List.of(), Action.SKIP, "belongs to " + s.instanceId() + ", which is "
                        + instance.reason(), null);
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
        return guarded(d, s, Duration.ZERO, p, now, Map.of(), "");
    }

    private static Decision bucket(S3Bucket b, LeftoverRules.Buckets rule, Policy p, Instant now) {
        String owner = owner(b, p);
        if (b.special() != null) {
            return new Decision(b, owner, List.of(), Action.SKIP, "never touched: " + b.special(), null);
        }
        boolean inScope = owner != null || b.tags().containsKey(CREATED_BY)
                || rule.namePrefixes().stream().anyMatch(x -> b.id().startsWith(x));
        if (!inScope) {
            return new Decision(b, owner, List.of(), Action.SKIP, "not a student bucket (no " + p.ownerTag()
                    + " or " + CREATED_BY + " tag, no matching name prefix)", null);
        }
        if (b.empty() == null) {
            return new Decision(b, owner, List.of(), Action.SKIP, "could not tell whether it is empty", null);
        }
        if (b.empty()) {
            Decision d = new Decision(b, owner, List.of(), Action.SKIP, "empty", null);
            return unmarkIfMarked(d, "empty now: mark removed", List.of(Mark.TAG));
        }
        Action action = rule.action() == Action.EMPTY && rule.deleteBucket() ? Action.DELETE : rule.action();
        Finding f = new Finding("s3-not-empty", action, "bucket not empty" + (b.versioned() ? " (versioned: every "
                + "version counts)" : ""), Map.of("versioned", String.valueOf(b.versioned())));
        Decision d = new Decision(b, owner, List.of(f), action, f.summary(), null);
        return guarded(d, b, rule.grace(), p, now, Map.of(), "it is empty");
    }

    private static Decision unmarkIfMarked(Decision d, String why, List<String> tags) {
        if (d.resource().tags().containsKey(Mark.TAG)) {
            List<String> present = tags.stream().filter(t -> d.resource().tags().containsKey(t)).toList();
            return d.with(Action.UNMARK, why, Map.of(), present);
        }
        return d;
    }

    /**
     * Exemptions first, then mark-then-act: with a grace period, an unmarked resource is marked (the owner is
     * told when it is due), a marked one waits until its mark is due, then the action is taken.
     */
    private static Decision guarded(Decision d, Resource r, Duration grace, Policy p, Instant now,
                                    Map<String, String> extraTags, String unlessWhat) {
        Exempt.Verdict exempt = Exempt.check(r, p, now);
        if (exempt.kind() == Exempt.Kind.SKIP) {
            // a mark made before it was kept is removed, so that it starts afresh (with a warning) afterwards
            return unmarkIfMarked(d.skip(exempt.reason()), exempt.reason() + "; its earlier mark is removed",
                    List.of(Mark.TAG));
        }
        if (exempt.kind() == Exempt.Kind.NOTIFY_ONLY) {
            return d.with(Action.NOTIFY, exempt.reason(), Map.of(), List.of());
        }
        if (!d.action().destructive() || grace.isZero()) {
            return d;
        }
        Mark mark = Mark.parse(r.tags().get(Mark.TAG));
        if (mark == null || mark.action() != d.action()) {
            Instant due = now.plus(grace);
            Map<String, String> tags = new java.util.LinkedHashMap<>(extraTags);
            tags.put(Mark.TAG, new Mark(d.action(), due).value());
            return d.with(Action.MARK, d.reason() + "; marked: " + d.action().wireName() + " at "
                    + Planner.show(due, p.timeZone()) + " unless it is kept (" + p.exemptions().keepTag() + ")"
                    + (unlessWhat.isEmpty() ? "" : " or " + unlessWhat + " by then"), tags, List.of());
        }
        if (now.isBefore(mark.due())) {
            return d.with(Action.SKIP, d.reason() + "; marked: " + d.action().wireName() + " at "
                    + Planner.show(mark.due(), p.timeZone()), Map.of(), List.of());
        }
        return d.with(d.action(), d.reason() + "; the mark for " + Planner.show(mark.due(), p.timeZone())
                + " is due and the rule still holds", Map.of(), List.of());
    }
}
