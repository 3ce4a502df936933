package dev.curfew.core.policy;

import dev.curfew.core.plan.Action;
import java.time.Duration;

/**
 * The rules of the registry's kinds, instances' included ({@link Policy#ec2()}). Where a rule has a grace period,
 * the resource is first marked ({@code curfew:pending = action@instant}) and its owner told; a later sweep acts only
 * when the mark is due and the rule still holds.
 */
public record LeftoverRules(java.util.Map<dev.curfew.core.model.ResourceKind, KindRule> kinds) {

    public LeftoverRules {
        kinds = java.util.Map.copyOf(kinds);
    }

    /** The rule of a kind of the registry ({@link dev.curfew.core.plan.Kinds}); its defaults when none was read. */
    public KindRule rule(dev.curfew.core.model.ResourceKind kind) {
        KindRule r = kinds.get(kind);
        if (r != null) {
            return r;
        }
        dev.curfew.core.plan.KindRules k = dev.curfew.core.plan.Kinds.of(kind);
        if (k == null) {
            throw new IllegalArgumentException(kind + " is not a kind of the registry");
        }
        return k.defaults();
    }

    /** Elastic IPs not associated with anything (the registry's {@code eip-unassociated} rule). */
    public Addresses addresses() {
        KindRule r = rule(dev.curfew.core.model.ResourceKind.ELASTIC_IP);
        return new Addresses(r.enabled(), r.after(), r.action());
    }

    /** Elastic IPs not associated with anything. */
    public record Addresses(boolean enabled, Duration grace, Action action) {
    }
}
