package dev.curfew.core.plan;

import dev.curfew.core.model.EmrCluster;
import dev.curfew.core.model.Inventory;
import dev.curfew.core.model.ResourceKind;
import dev.curfew.core.policy.Durations;
import dev.curfew.core.policy.KindRule;
import dev.curfew.core.policy.Policy;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * EMR clusters ({@code rules.emr-idle}): waiting with no step for longer than {@code idle-longer-than}, or (with
 * {@code at-curfew}) up since before the latest curfew. Terminated through the cluster, so EMR takes its instances
 * down with it; termination protection is reported, never overridden.
 */
final class EmrRules extends KindRules {
    static final String AT_CURFEW = "at-curfew";

    EmrRules() {
        super(ResourceKind.EMR_CLUSTER, "emr-idle", "EMR cluster", "idle-longer-than",
                new KindRule(true, Duration.ofHours(1), Action.TERMINATE, Map.of(AT_CURFEW, true)),
                List.of(Action.NOTIFY, Action.TERMINATE));
    }

    @Override
    public dev.curfew.core.model.Resource sample(String region, Map<String, String> tags, Instant now) {
        return new EmrCluster("j-SAMPLE0000001", region, "sample", "WAITING", now.minus(Duration.ofHours(3)),
                now.minus(Duration.ofHours(2)), 0, false, 1.0, tags);
    }

    @Override
    public List<Decision> decide(Inventory inv, List<Decision> instanceDecisions, KindRule rule, Policy p,
                                 Instant now) {
        return inv.emrClusters().stream().sorted(Guard.order()).map(c -> emr(c, rule, p, now)).toList();
    }

    private static Decision emr(EmrCluster c, KindRule rule, Policy p, Instant now) {
        String owner = Guard.owner(c, p);
        List<Finding> findings = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        if ("WAITING".equals(c.state()) && c.activeSteps() == 0 && c.idleSince() != null) {
            Duration idle = Duration.between(c.idleSince(), now);
            if (idle.compareTo(rule.after()) >= 0) {
                findings.add(new Finding("emr-idle", rule.action(), "waiting with no step for "
                        + Durations.format(Duration.ofMinutes(idle.toMinutes())),
                        Map.of("idleSince", c.idleSince().toString())));
            } else {
                notes.add("idle for less than " + Durations.format(rule.after()));
            }
        } else {
            notes.add(c.state().toLowerCase(Locale.ROOT) + ", " + c.activeSteps() + " step"
                    + (c.activeSteps() == 1 ? "" : "s") + " active");
        }
        if (rule.flag(AT_CURFEW) && c.created() != null) {
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
        return Guard.guarded(d, c, Duration.ZERO, p, now, Map.of(), "");
    }
}
