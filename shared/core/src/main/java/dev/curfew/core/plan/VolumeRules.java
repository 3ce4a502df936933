package dev.curfew.core.plan;

import dev.curfew.core.model.CurfewTags;
import dev.curfew.core.model.EbsVolume;
import dev.curfew.core.model.Inventory;
import dev.curfew.core.model.ResourceKind;
import dev.curfew.core.policy.KindRule;
import dev.curfew.core.policy.Policy;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Unattached EBS volumes ({@code rules.ebs-unattached}): marked when first seen unattached (AWS keeps no detach
 * time), acted on {@code older-than} later. Snapshot-then-delete carries, in its finding, the instant its mark was set
 * ({@link SnapshotEvidence}) and the policy's owner tag, under which the restore snapshot names the owner. An attached
 * volume is part of its instance (its cost is counted there): it is listed only to unmark it.
 */
final class VolumeRules extends KindRules {
    static final String UNATTACHED_SINCE = CurfewTags.UNATTACHED_SINCE;

    VolumeRules() {
        super(ResourceKind.EBS_VOLUME, "ebs-unattached", "EBS volume", "older-than",
                new KindRule(true, Duration.ofHours(24), Action.SNAPSHOT_THEN_DELETE),
                List.of(Action.NOTIFY, Action.SNAPSHOT_THEN_DELETE, Action.DELETE));
    }

    @Override
    public dev.curfew.core.model.Resource sample(String region, java.util.Map<String, String> tags, Instant now) {
        return new EbsVolume("vol-00000000000000001", region, region + "a", "gp3", 8, "available", null,
                now.minus(Duration.ofDays(2)), null, tags);
    }

    @Override
    public List<Decision> decide(Inventory inv, List<Decision> instanceDecisions, KindRule rule, Policy p,
                                 Instant now) {
        return inv.volumes().stream().sorted(Guard.order())
                .filter(v -> !v.attached() || v.tags().containsKey(Mark.TAG))
                .map(v -> volume(v, rule, p, now)).toList();
    }

    private static Decision volume(EbsVolume v, KindRule rule, Policy p, Instant now) {
        Double cost = Prices.volumeHourly(v.volumeType(), v.sizeGiB());
        String owner = Guard.owner(v, p);
        if (v.attached()) {
            Decision d = new Decision(v, owner, List.of(), Action.SKIP, "attached to " + v.attachedTo(), null)
                    .withCost(cost);
            // the pointer goes too: a snapshot taken before it was attached again is no evidence for a later mark
            return Guard.unmarkIfMarked(d, "attached again to " + v.attachedTo() + ": mark removed",
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
        Decision out = Guard.guarded(d, v, rule.after(), p, now, Map.of(UNATTACHED_SINCE, now.toString()),
                "it is attached again");
        if (out.action() != Action.SNAPSHOT_THEN_DELETE) {
            return out;
        }
        // the executor deletes only after a snapshot of this volume started at or after this instant
        // (with an older-than of zero there is no mark: it acts at once, and only this sweep's snapshot counts)
        Mark mark = Mark.parse(v.tags().get(Mark.TAG));
        Instant due = mark != null && mark.action() == out.action() && !rule.after().isZero() ? mark.due() : null;
        Instant setAt = SnapshotEvidence.markSetAt(due, rule.after(), sinceAt, now);
        Map<String, String> evidence = new LinkedHashMap<>(f.evidence());
        evidence.put(SnapshotEvidence.MARK_SET_AT, setAt.toString());
        evidence.put(SnapshotEvidence.OWNER_TAG, p.ownerTag());
        return new Decision(v, owner, List.of(new Finding(f.rule(), f.action(), f.summary(), evidence)), out.action(),
                out.reason(), out.cancelFirst(), out.setTags(), out.removeTags(), out.costPerHour());
    }
}
