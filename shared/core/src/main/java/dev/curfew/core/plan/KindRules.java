package dev.curfew.core.plan;

import dev.curfew.core.model.Inventory;
import dev.curfew.core.model.ResourceKind;
import dev.curfew.core.policy.KindRule;
import dev.curfew.core.policy.Policy;
import java.time.Instant;
import java.util.List;

/**
 * Everything the core knows of one resource kind, registered once in {@link Kinds}: its policy key and defaults (the
 * loader reads {@code rules.<policyKey>} with these), its label in messages, and its decisions. Its AWS side (IAM
 * actions, listing, acting) is its adapter in {@code shared/aws}.
 */
public abstract class KindRules {
    private final ResourceKind kind;
    private final String policyKey;
    private final String label;
    private final String afterField;
    private final KindRule defaults;
    private final List<Action> actions;

    /**
     * @param policyKey  the key of its rule under {@code rules:} in the policy
     * @param label      how messages name one of it ("NAT gateway")
     * @param afterField the name of the rule's wait field ({@code grace} or {@code older-than}), or null for none
     * @param defaults   the rule when the policy says nothing
     * @param actions    the actions the rule may name; the first is the harmless one ({@code notify})
     */
    protected KindRules(ResourceKind kind, String policyKey, String label, String afterField, KindRule defaults,
                        List<Action> actions) {
        this.kind = kind;
        this.policyKey = policyKey;
        this.label = label;
        this.afterField = afterField;
        this.defaults = defaults;
        this.actions = List.copyOf(actions);
    }

    public final ResourceKind kind() {
        return kind;
    }

    public final String policyKey() {
        return policyKey;
    }

    public final String label() {
        return label;
    }

    public final String afterField() {
        return afterField;
    }

    public final KindRule defaults() {
        return defaults;
    }

    public final List<Action> actions() {
        return actions;
    }

    /**
     * The other kinds whose resources its decisions read from the inventory (snapshots: the AMIs that use them).
     * They are listed whenever this kind's rule is enabled, even when their own rule is not ({@link Kinds#listed}).
     */
    public List<ResourceKind> reads() {
        return List.of();
    }

    /**
     * A made-up resource of the kind in {@code region}, carrying {@code tags}, that the kind's default rule finds
     * something to do about: the sample account ({@code SampleCloud}) walks every kind with it, so that a dry run
     * over it (SnapStart's priming) runs each kind's decisions. Null when the kind has none (KindRegistryTest and
     * SampleCloudTest fail until it has).
     */
    public dev.curfew.core.model.Resource sample(String region, java.util.Map<String, String> tags, Instant now) {
        return null;
    }

    /**
     * The keys of its rules under {@code rules:} in the policy (the loader accepts them; README and bundled policy
     * show each): its one {@link #policyKey()}, unless the kind's rule comes in several sections (instances:
     * {@code ec2-idle}, {@code ec2-forgotten}, {@code ec2-stopped}) that it reads itself ({@link #read}).
     */
    public List<String> policyKeys() {
        return List.of(policyKey);
    }

    /**
     * Its rule, read from the policy's {@code rules:} by the kind itself, for a kind whose rule does not fit the
     * fields every kind shares (instances: thresholds, a tag key, a lifetime that may be {@code none}, in three
     * sections). Null (the default): the loader reads {@code rules.<policyKey>} with {@link #defaults()},
     * {@link #afterField()} and {@link #actions()}.
     */
    public KindRule read(dev.curfew.core.policy.RuleFields fields) {
        return null;
    }

    /**
     * One of its resources with its protection as just read: the sweep reads it again for what a plan would stop or
     * terminate, just before the plan is made final ({@code CloudPort.protection}), and decides with it. Instances
     * carry their stop and termination protection; unchanged by default (a kind with nothing to read).
     */
    public dev.curfew.core.model.Resource withProtection(dev.curfew.core.model.Resource r,
                                                         dev.curfew.core.model.Protection p) {
        return r;
    }

    /** Whether its resources have protection to read before they are stopped or terminated (instances). */
    public boolean hasProtection() {
        return false;
    }

    /**
     * Whether the sweep's time budget bounds this action on one of its resources (emptying a bucket can take
     * long): such acts are taken after every other, one resource a call, until the deadline. False by default.
     */
    public boolean timeBudgeted(Action action) {
        return false;
    }

    /**
     * One decision for each resource of the kind in the inventory (the rule is enabled).
     *
     * @param earlier the decisions of the kinds before it in the registry (instances come first: spot requests
     *                read their instances' decisions here)
     */
    public abstract List<Decision> decide(Inventory inventory, List<Decision> earlier, KindRule rule,
                                          Policy p, Instant now);

    /**
     * As {@link #decide(Inventory, List, KindRule, Policy, Instant)}, with findings made outside the rules for some
     * resources, by id (the budget's stops of instances: {@code dev.curfew.core.budget.BudgetCheck}). A kind that
     * weighs them (instances) overrides this; by default there are none for it.
     */
    public List<Decision> decide(Inventory inventory, List<Decision> earlier, KindRule rule, Policy p, Instant now,
                                 java.util.Map<String, Finding> extra) {
        return decide(inventory, earlier, rule, p, now);
    }
}
