package dev.curfew.core.plan;

import dev.curfew.core.model.ResourceKind;
import java.util.List;

/**
 * The registry of resource kinds whose rules are registered here rather than named across the code: the policy
 * loader reads their rules, the planner decides them, messages name them, and the AWS side (its own registry of
 * adapters) lists and acts on them, all by walking this list. A meta-test walks it too and fails until each kind
 * has its IAM grant, emulator test, README entry, bundled-policy entry and bench seeder.
 *
 * <p>Kinds still decided by {@link LeftoverPlanner} and {@link Planner} directly: {@code ec2-instance},
 * {@code ebs-volume}, {@code ebs-snapshot} and {@code ami}.
 */
public final class Kinds {
    public static final List<KindRules> ALL = List.of(new ElasticIpRules(), new OpenLoginRules(), new NatGatewayRules(),
            new SpotRequestRules(),
            new BucketRules(),
            new EmrRules());

    private Kinds() {
    }

    /** The registered kind, or null when the kind is not (yet) in the registry. */
    public static KindRules of(ResourceKind kind) {
        return ALL.stream().filter(k -> k.kind() == kind).findFirst().orElse(null);
    }
}
