package dev.curfew.core.plan;

import dev.curfew.core.model.CurfewTags;
import dev.curfew.core.model.EbsSnapshot;
import dev.curfew.core.model.Inventory;
import dev.curfew.core.model.ResourceKind;
import dev.curfew.core.policy.KindRule;
import dev.curfew.core.policy.Policy;
import java.time.Instant;
import java.util.List;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Students' EBS snapshots older than {@code older-than} ({@code rules.snapshots-old}), Curfew's restore snapshots
 * included. A snapshot behind an AMI is left to the AMI; so it reads the AMIs of the inventory, and when those of its
 * region could not be listed nothing is done to it.
 */
final class SnapshotRules extends AgedRules<EbsSnapshot> {
    SnapshotRules() {
        super(ResourceKind.EBS_SNAPSHOT, EbsSnapshot.class, "snapshots-old", "EBS snapshot");
    }

    @Override
    public List<ResourceKind> reads() {
        return List.of(ResourceKind.AMI);
    }

    @Override
    public List<Decision> decide(Inventory inv, List<Decision> instanceDecisions, KindRule rule, Policy p,
                                 Instant now) {
        return super.decide(inv, instanceDecisions, rule, p, now).stream()
                .map(d -> d.action() == Action.SKIP || !inv.failed(d.resource().region(), ResourceKind.AMI) ? d
                        : d.skip("could not tell whether an AMI uses it (the AMIs of " + d.resource().region()
                        + " could not be listed)"))
                .toList();
    }

    @Override
    Instant created(EbsSnapshot s) {
        return s.startTime();
    }

    @Override
    Double cost(EbsSnapshot s) {
        return Prices.SNAPSHOT_GB_MONTH * s.volumeSizeGiB() / Prices.HOURS_PER_MONTH;
    }

    @Override
    Function<EbsSnapshot, String> leftTo(Inventory inv) {
        Set<String> behindImages = new HashSet<>();
        inv.images().forEach(i -> behindImages.addAll(i.snapshotIds()));
        return s -> behindImages.contains(s.id()) ? "used by an AMI (see the AMI)" : null;
    }

    @Override
    Finding finding(EbsSnapshot s, KindRule rule, Policy p, Double cost) {
        String restore = s.tags().get(CurfewTags.RESTORE);
        return new Finding("snapshots-old", rule.action(), "snapshot of " + s.volumeSizeGiB() + " GiB from "
                + Planner.show(s.startTime(), p.timeZone()) + ", up to " + Prices.monthly(cost)
                + (restore == null ? "" : "; restore with: " + restore), Map.of("volumeId",
                String.valueOf(s.volumeId())));
    }

    @Override
    public dev.curfew.core.model.Resource sample(String region, Map<String, String> tags, Instant now) {
        return new EbsSnapshot("snap-00000000000000001", region, "vol-00000000000000009", 8,
                now.minus(java.time.Duration.ofDays(40)), "completed", tags);
    }
}
