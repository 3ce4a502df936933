package dev.curfew.core.plan;

import dev.curfew.core.model.Resource;
import dev.curfew.core.policy.Policy;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * What every kind's planner shares: exemptions first (keep tags, the allow-list, protection), then mark-then-act
 * with the rule's grace period, unmarking what no longer matches. The circuit breaker is the sweep's (it counts
 * destructive decisions of every kind alike).
 */
final class Guard {
    private Guard() {
    }

    /** The resource's owner, by the policy's owner tag. */
    static String owner(Resource r, Policy p) {
        return r.tags().get(p.ownerTag());
    }

    /** The order decisions are listed in: region, then id. */
    static <R extends Resource> Comparator<R> order() {
        return Comparator.comparing((R x) -> x.region()).thenComparing(Resource::id);
    }

    static Decision unmarkIfMarked(Decision d, String why, List<String> tags) {
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
    static Decision guarded(Decision d, Resource r, Duration grace, Policy p, Instant now,
                                    Map<String, String> extraTags, String unlessWhat) {
        Exempt.Verdict exempt = Exempt.check(r, p, now);
        if (!exempt.record().isEmpty()) {
            return d.with(Action.MARK, exempt.reason(), exempt.record(), List.of());
        }
        if (exempt.kind() == Exempt.Kind.SKIP) {
            // a mark made before it was kept is removed, so that it starts afresh (with a warning) afterwards
            return unmarkIfMarked(d.skip(exempt.reason()), exempt.reason() + "; its earlier mark is removed",
                    List.of(Mark.TAG));
        }
        if (exempt.kind() == Exempt.Kind.NOTIFY_ONLY) {
            return d.with(Action.NOTIFY, exempt.reason(), Map.of(), List.of());
        }
        if (!d.action().destructive()) {
            return d;
        }
        if (grace.isZero()) {
            return d.with(d.action(), d.reason(), ActionTag.of(d.action(), now), List.of());
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
                + " is due and the rule still holds", ActionTag.of(d.action(), now), List.of());
    }
}
