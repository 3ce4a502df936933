package dev.curfew.core.plan;

import dev.curfew.core.model.CurfewTags;
import dev.curfew.core.model.Inventory;
import dev.curfew.core.model.Resource;
import dev.curfew.core.model.ResourceKind;
import dev.curfew.core.policy.Durations;
import dev.curfew.core.policy.KindRule;
import dev.curfew.core.policy.Policy;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * What students made and left, older than {@code older-than} ({@code snapshots-old}, {@code amis-old}): reported by
 * default; deletion is opt-in and, having no way back, marked a day ahead. Only students' (an owner or created-by
 * tag); the rest is not Curfew's business.
 */
abstract class AgedRules<R extends Resource> extends KindRules {
    /** Deleting a snapshot or an AMI has no way back: when the policy asks for it, it is marked a day ahead. */
    static final Duration IRREVERSIBLE_GRACE = Duration.ofDays(1);

    private final Class<R> type;

    AgedRules(ResourceKind kind, Class<R> type, String policyKey, String label) {
        super(kind, policyKey, label, "older-than", new KindRule(true, Duration.ofDays(30), Action.NOTIFY),
                List.of(Action.NOTIFY, Action.DELETE));
        this.type = type;
    }

    /** When it was made; null when AWS did not say. */
    abstract Instant created(R r);

    /** What it costs while it stays, in USD an hour; null when not known. */
    abstract Double cost(R r);

    /** Why one is left alone although old (another resource of the inventory answers for it), or null. */
    abstract Function<R, String> leftTo(Inventory inv);

    /** The rule's finding on an old one. */
    abstract Finding finding(R r, KindRule rule, Policy p, Double cost);

    @Override
    public List<Decision> decide(Inventory inv, List<Decision> instanceDecisions, KindRule rule, Policy p,
                                 Instant now) {
        Function<R, String> leftTo = leftTo(inv);
        return inv.of(kind(), type).stream().filter(x -> students(x, p)).sorted(Guard.order())
                .map(x -> aged(x, leftTo.apply(x), rule, p, now)).toList();
    }

    private Decision aged(R r, String leftTo, KindRule rule, Policy p, Instant now) {
        Double cost = cost(r);
        String owner = Guard.owner(r, p);
        Instant created = created(r);
        if (created == null || Duration.between(created, now).compareTo(rule.after()) < 0) {
            return new Decision(r, owner, List.of(), Action.SKIP, "younger than " + Durations.format(rule.after()),
                    null).withCost(cost);
        }
        if (leftTo != null) {
            return new Decision(r, owner, List.of(), Action.SKIP, leftTo, null).withCost(cost);
        }
        Finding f = finding(r, rule, p, cost);
        Decision d = new Decision(r, owner, List.of(f), rule.action(), f.summary(), null).withCost(cost);
        return Guard.guarded(d, r, IRREVERSIBLE_GRACE, p, now, Map.of(), "");
    }

    private static boolean students(Resource r, Policy p) {
        return r.tags().containsKey(p.ownerTag()) || r.tags().containsKey(CurfewTags.CREATED_BY);
    }
}
