package dev.curfew.core.plan;

import dev.curfew.core.model.EbsSnapshot;
import dev.curfew.core.model.EbsVolume;
import dev.curfew.core.model.MachineImage;
import dev.curfew.core.model.SecurityGroup;
import dev.curfew.core.model.ElasticIp;
import dev.curfew.core.model.Inventory;
import dev.curfew.core.model.Resource;
import dev.curfew.core.model.ResourceKind;
import dev.curfew.core.policy.LeftoverRules;
import dev.curfew.core.policy.Policy;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Decisions for what a lesson leaves besides instances: unattached volumes, old snapshots and AMIs, then each kind of
 * the registry ({@link Kinds}) through its own rules. Marks first where the rule has a grace period, acts when
 * the mark is due and the rule still holds, and removes the mark when it no longer does.
 */
final class LeftoverPlanner {
    static final String UNATTACHED_SINCE = dev.curfew.core.model.CurfewTags.UNATTACHED_SINCE;
    static final String CREATED_BY = dev.curfew.core.model.CurfewTags.CREATED_BY;

    private LeftoverPlanner() {
    }

    static List<Decision> decide(Inventory inv, List<Decision> instanceDecisions, Policy p, Instant now) {
        LeftoverRules r = p.leftovers();
        List<Decision> out = new ArrayList<>();
        if (r.volumes().enabled()) {
            // an attached volume is part of its instance (its cost is counted there): listed only to unmark it
            inv.volumes().stream().sorted(order())
                    .filter(v -> !v.attached() || v.tags().containsKey(Mark.TAG))
                    .forEach(v -> out.add(volume(v, r.volumes(), p, now)));
        }
        // snapshots and AMIs: only students' (an owner or created-by tag); the rest is not Curfew's business
        java.util.Set<String> imageSnapshots = new java.util.HashSet<>();
        inv.images().forEach(i -> imageSnapshots.addAll(i.snapshotIds()));
        if (r.snapshots().enabled()) {
            inv.snapshots().stream().filter(x -> students(x, p)).sorted(order())
                    .map(x -> snapshot(x, imageSnapshots, r.snapshots(), p, now))
                    .map(d -> d.action() == Action.SKIP || !inv.failed(d.resource().region(), ResourceKind.AMI) ? d
                            : d.skip("could not tell whether an AMI uses it (the AMIs of " + d.resource().region()
                            + " could not be listed)"))
                    .forEach(out::add);
        }
        if (r.images().enabled()) {
            inv.images().stream().filter(x -> students(x, p)).sorted(order())
                    .forEach(x -> out.add(image(x, r.images(), p, now)));
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

    private static Decision volume(EbsVolume v, LeftoverRules.Volumes rule, Policy p, Instant now) {
        Double cost = Prices.volumeHourly(v.volumeType(), v.sizeGiB());
        String owner = owner(v, p);
        if (v.attached()) {
            Decision d = new Decision(v, owner, List.of(), Action.SKIP, "attached to " + v.attachedTo(), null)
                    .withCost(cost);
            // the pointer goes too: a snapshot taken before it was attached again is no evidence for a later mark
            return unmarkIfMarked(d, "attached again to " + v.attachedTo() + ": mark removed",
                    List.of(Mark.TAG, UNATTACHED_SINCE, SnapshotEvidence.POINTER_TAG));
        }
        String since = v.tags().get(UNATTACHED_SINCE);
        Instant sinceAt = since == null ? null : Planner.parseExpiry(since, p.timeZone());
        if (sinceAt != null) {
            since = Planner.show(sinceAt, p.timeZone());
        }
        Finding f = new Finding("ebs-unattached", rule.action(), "unattached " + v.sizeGiB() + " GiB " + v.volumeType()
                + " volume" + (since == null ? "" : " since " + since) + ", " + Prices.monthly(cost),
                Map.of("sizeGiB", String.valueOf(v.sizeGiB()), "volumeType", String.valueOf(v.volumeType())));
        Decision d = new Decision(v, owner, List.of(f), rule.action(), f.summary(), null).withCost(cost);
        Decision out = guarded(d, v, rule.olderThan(), p, now, Map.of(UNATTACHED_SINCE, now.toString()),
                "it is attached again");
        if (out.action() != Action.SNAPSHOT_THEN_DELETE) {
            return out;
        }
        // the executor deletes only after a snapshot of this volume started at or after this instant
        // (with an older-than of zero there is no mark: it acts at once, and only this sweep's snapshot counts)
        Mark mark = Mark.parse(v.tags().get(Mark.TAG));
        Instant due = mark != null && mark.action() == out.action() && !rule.olderThan().isZero() ? mark.due() : null;
        Instant setAt = SnapshotEvidence.markSetAt(due, rule.olderThan(), sinceAt, now);
        Map<String, String> evidence = new java.util.LinkedHashMap<>(f.evidence());
        evidence.put(SnapshotEvidence.MARK_SET_AT, setAt.toString());
        evidence.put(SnapshotEvidence.OWNER_TAG, p.ownerTag());
        return new Decision(v, owner, List.of(new Finding(f.rule(), f.action(), f.summary(), evidence)), out.action(),
                out.reason(), out.cancelFirst(), out.setTags(), out.removeTags(), out.costPerHour());
    }

    private static boolean students(Resource r, Policy p) {
        return r.tags().containsKey(p.ownerTag()) || r.tags().containsKey(CREATED_BY);
    }

    /** Deleting a snapshot or an AMI has no way back: when the policy asks for it, it is marked a day ahead. */
    static final Duration IRREVERSIBLE_GRACE = Duration.ofDays(1);

    private static Decision snapshot(EbsSnapshot s, java.util.Set<String> imageSnapshots, LeftoverRules.Aged rule,
                                     Policy p, Instant now) {
        Double cost = Prices.SNAPSHOT_GB_MONTH * s.volumeSizeGiB() / Prices.HOURS_PER_MONTH;
        String owner = owner(s, p);
        if (s.startTime() == null || Duration.between(s.startTime(), now).compareTo(rule.olderThan()) < 0) {
            return new Decision(s, owner, List.of(), Action.SKIP, "younger than "
                    + dev.curfew.core.policy.Durations.format(rule.olderThan()), null).withCost(cost);
        }
        if (imageSnapshots.contains(s.id())) {
            return new Decision(s, owner, List.of(), Action.SKIP, "used by an AMI (see the AMI)", null)
                    .withCost(cost);
        }
        String restore = s.tags().get(dev.curfew.core.model.CurfewTags.RESTORE);
        Finding f = new Finding("snapshots-old", rule.action(), "snapshot of " + s.volumeSizeGiB() + " GiB from "
                + Planner.show(s.startTime(), p.timeZone()) + ", up to " + Prices.monthly(cost)
                + (restore == null ? "" : "; restore with: " + restore), Map.of("volumeId",
                String.valueOf(s.volumeId())));
        Decision d = new Decision(s, owner, List.of(f), rule.action(), f.summary(), null).withCost(cost);
        return guarded(d, s, IRREVERSIBLE_GRACE, p, now, Map.of(), "");
    }

    private static Decision image(MachineImage i, LeftoverRules.Aged rule, Policy p, Instant now) {
        String owner = owner(i, p);
        if (i.created() == null || Duration.between(i.created(), now).compareTo(rule.olderThan()) < 0) {
            return new Decision(i, owner, List.of(), Action.SKIP, "younger than "
                    + dev.curfew.core.policy.Durations.format(rule.olderThan()), null);
        }
        Finding f = new Finding("amis-old", rule.action(), "AMI " + i.imageName() + " from "
                + Planner.show(i.created(), p.timeZone()) + " keeps " + i.snapshotIds().size() + " snapshot"
                + (i.snapshotIds().size() == 1 ? "" : "s"), Map.of("snapshots", String.join(",", i.snapshotIds())));
        Decision d = new Decision(i, owner, List.of(f), rule.action(), f.summary(), null);
        return guarded(d, i, IRREVERSIBLE_GRACE, p, now, Map.of(), "");
    }
}
