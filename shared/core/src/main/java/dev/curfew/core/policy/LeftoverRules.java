package dev.curfew.core.policy;

import dev.curfew.core.plan.Action;
import java.time.Duration;
import java.util.List;

/**
 * Rules for what a lesson leaves behind besides instances. Where a rule has a grace period, the resource is first
 * marked ({@code curfew:pending = action@instant}) and its owner told; a later sweep acts only when the mark is due
 * and the rule still holds.
 */
public record LeftoverRules(Buckets buckets, SpotRequests spotRequests,
                            Emr emr,
                            java.util.Map<dev.curfew.core.model.ResourceKind, KindRule> kinds) {

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


    /**
     * EMR clusters waiting with no step for longer than {@code idleLongerThan}, or (with {@code atCurfew}) up
     * since before the latest curfew. Their EC2 instances are handled through the cluster.
     */
    public record Emr(boolean enabled, java.time.Duration idleLongerThan, boolean atCurfew, Action action) {
    }

    /**
     * Non-empty S3 buckets in scope (an owner tag, a created-by tag, or a name prefix): marked, then emptied after
     * the grace period; {@code deleteBucket} also deletes the empty bucket.
     */
    public record Buckets(boolean enabled, Duration grace, Action action, boolean deleteBucket,
                          List<String> namePrefixes) {
        public Buckets {
            namePrefixes = List.copyOf(namePrefixes);
        }
    }

    /** Elastic IPs not associated with anything. */
    public record Addresses(boolean enabled, Duration grace, Action action) {
    }

    /** Open or persistent spot requests that belong to no kept instance. */
    public record SpotRequests(boolean enabled, Action action) {
    }
}
