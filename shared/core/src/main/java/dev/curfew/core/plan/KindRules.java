package dev.curfew.core.plan;

import dev.curfew.core.model.Inventory;
import dev.curfew.core.model.ResourceKind;
import dev.curfew.core.policy.KindRule;
import dev.curfew.core.policy.Policy;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Everything the core knows of one resource kind, registered once in {@link Kinds}: its policy key and defaults (the
 * loader reads {@code rules.<policyKey>} with these), its label in messages, and its decisions. Its AWS side (IAM
 * actions, listing, acting) is its adapter in {@code shared/aws}.
 */
public interface KindRules {
    ResourceKind kind();

    /** The key of its rule under {@code rules:} in the policy. */
    String policyKey();

    /** How messages name one of it ("NAT gateway"). */
    String label();

    /** The name of the rule's wait field ({@code grace} or {@code older-than}), or null when it has none. */
    String afterField();

    /** The rule when the policy says nothing. */
    KindRule defaults();

    /** The actions the rule may name; the first is the harmless one ({@code notify}). */
    List<Action> actions();

    /** One decision for each resource of the kind in the inventory (the rule is enabled). */
    List<Decision> decide(Inventory inventory, List<Decision> instanceDecisions, KindRule rule, Policy p,
                          Instant now);

    /** The rule's wait as the policy reads it when the field is absent. */
    default Duration defaultAfter() {
        return defaults().after();
    }
}
