package dev.curfew.core.plan;

import dev.curfew.core.model.EmrCluster;
import dev.curfew.core.model.SecurityGroup;
import dev.curfew.core.model.ElasticIp;
import dev.curfew.core.model.Inventory;
import dev.curfew.core.model.Resource;
import dev.curfew.core.model.ResourceKind;
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
    static final String CREATED_BY = dev.curfew.core.model.CurfewTags.CREATED_BY;

    private LeftoverPlanner() {
    }

    static List<Decision> decide(Inventory inv, List<Decision> instanceDecisions, Policy p, Instant now) {
        LeftoverRules r = p.leftovers();
        List<Decision> out = new ArrayList<>();
        if (r.spotRequests().enabled()) {
            Map<String, Decision> byInstance = new HashMap<>();
            instanceDecisions.forEach(d -> byInstance.put(d.resource().id(), d));
            inv.spotRequests().stream().sorted(order())
                    .forEach(s -> out.add(s.instanceId() != null && inv.failed(s.region(), ResourceKind.EC2_INSTANCE)
                            ? new Decision(s, owner(s, p), List.of(), Action.SKIP, "its instance " + s.instanceId()
                            + " could not be listed (the instances of " + s.region() + " could not be read): "
                            + "decided when it can", null)
                            : spot(s, byInstance.get(s.instanceId()), r.spotRequests(), p, now)));
        }
        if (r.buckets().enabled()) {
            String unreadLogging = inv.unreadBucketLogging();
            inv.buckets().stream().sorted(order()).map(b -> bucket(b, r.buckets(), p, now))
                    .map(d -> unreadLogging == null || d.action() == Action.SKIP ? d
                            : d.skip("could not tell whether it is the access-log target of " + unreadLogging
                            + " (its logging could not be read): left as it is this run"))
                    .forEach(out::add);
        }
        if (r.emr().enabled()) {
            inv.emrClusters().stream().sorted(order()).forEach(c -> out.add(emr(c, r.emr(), p, now)));
        }
        // the kinds of the registry: each one's own small planner, sharing the guard
        for (KindRules k : Kinds.ALL) {
            dev.curfew.core.policy.KindRule rule = r.rule(k.kind());
            if (rule.enabled()) {
                out.addAll(k.decide(inv, instanceDecisions, rule, p, now));
            }
        }
        return out;
    }

    private static <R extends Resource> Comparator<R> order() {
        return Comparator.comparing((R x) -> x.region()).thenComparing(Resource::id);
    }

    private static String owner(Resource r, Policy p) {
        return Guard.owner(r, p);
    }

    private static Decision guarded(Decision d, Resource r, Duration grace, Policy p, Instant now,
                                    Map<String, String> extraTags, String unlessWhat) {
        return Guard.guarded(d, r, grace, p, now, extraTags, unlessWhat);
    }

    private static Decision unmarkIfMarked(Decision d, String why, List<String> tags) {
        return Guard.unmarkIfMarked(d, why, tags);
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
        return guarded(d, s, Duration.ZERO, p, now, Map.of(), "");
    }

    /**
     * Why an instance is held back by what no rule overrides (a keep tag in date, an exemption, or the protection
     * that stops its action), or null. Read from the instance itself, never from the wording of a reason.
     */
    private static String heldBack(Decision instance, Policy p, Instant now) {
        if (!(instance.resource() instanceof dev.curfew.core.model.Ec2Instance i)) {
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
                .max(java.util.Comparator.comparingInt(Action::strength)).orElse(null);
        boolean up = i.state() == dev.curfew.core.model.InstanceState.RUNNING
                || i.state() == dev.curfew.core.model.InstanceState.PENDING;
        if (wanted == Action.TERMINATE && i.protection().terminationOn()
                || wanted == Action.STOP && up && i.protection().stopOn()) {
            return instance.reason();
        }
        return null;
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

    private static Decision emr(EmrCluster c, LeftoverRules.Emr rule, Policy p, Instant now) {
        String owner = owner(c, p);
        List<Finding> findings = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        if ("WAITING".equals(c.state()) && c.activeSteps() == 0 && c.idleSince() != null) {
            Duration idle = Duration.between(c.idleSince(), now);
            if (idle.compareTo(rule.idleLongerThan()) >= 0) {
                findings.add(new Finding("emr-idle", rule.action(), "waiting with no step for "
                        + dev.curfew.core.policy.Durations.format(Duration.ofMinutes(idle.toMinutes())),
                        Map.of("idleSince", c.idleSince().toString())));
            } else {
                notes.add("idle for less than " + dev.curfew.core.policy.Durations.format(rule.idleLongerThan()));
            }
        } else {
            notes.add(c.state().toLowerCase(java.util.Locale.ROOT) + ", " + c.activeSteps() + " step"
                    + (c.activeSteps() == 1 ? "" : "s") + " active");
        }
        if (rule.atCurfew() && c.created() != null) {
            Instant curfew = CurfewTimes.latest(p, now);
            if (c.created().isBefore(curfew)) {
                findings.add(new Finding("emr-idle", rule.action(), "still up after curfew ("
                        + Planner.show(curfew, p.timeZone()) + ")", Map.of("curfew", curfew.toString())));
            }
        }
        if (findings.isEmpty()) {
            return new Decision(c, owner, List.of(), Action.SKIP, String.join("; ", notes), null);
        }
        Decision d = new Decision(c, owner, findings, rule.action(), findings.get(0).summary(), null);
        if (rule.action() == Action.TERMINATE && c.terminationProtected()) {
            Exempt.Verdict v = Exempt.check(c, p, now);
            return d.skip(v.kind() == Exempt.Kind.SKIP ? v.reason()
                    : "protected: termination protection is on (reported, never overridden); " + d.reason());
        }
        return guarded(d, c, Duration.ZERO, p, now, Map.of(), "");
    }
}
