package dev.curfew.core.plan;

import dev.curfew.core.model.ResourceKind;
import dev.curfew.core.policy.LeftoverRules;
import java.util.List;

/**
 * The registry of resource kinds whose rules are registered here rather than named across the code: the policy
 * loader reads their rules, the planner decides them, messages name them, and the AWS side (its own registry of
 * adapters) lists and acts on them, all by walking this list. A meta-test walks it too and fails until each kind
 * has its IAM grant, emulator test, README entry, bundled-policy entry and bench seeder. Instances come first: the
 * kinds after them read their decisions.
 */
public final class Kinds {
    public static final List<KindRules> ALL = List.of(new InstanceRules(), new ElasticIpRules(), new OpenLoginRules(), new NatGatewayRules(),
            new VolumeRules(),
            new SnapshotRules(),
            new ImageRules(),
            new SpotRequestRules(),
            new BucketRules(),
            new EmrRules());

    private Kinds() {
    }

    /** The registered kind, or null when the kind is not (yet) in the registry. */
    public static KindRules of(ResourceKind kind) {
        return ALL.stream().filter(k -> k.kind() == kind).findFirst().orElse(null);
    }

    /**
     * Whether a sweep under these rules lists a kind of the registry: its own rule is enabled, or the enabled rule of
     * a kind that reads it ({@link KindRules#reads()}).
     */
    public static boolean listed(LeftoverRules rules, ResourceKind kind) {
        return rules.rule(kind).enabled()
                || ALL.stream().anyMatch(k -> k.reads().contains(kind) && rules.rule(k.kind()).enabled());
    }
}
