package dev.curfew.core.plan;

import dev.curfew.core.model.Inventory;
import dev.curfew.core.model.MachineImage;
import dev.curfew.core.model.ResourceKind;
import dev.curfew.core.policy.KindRule;
import dev.curfew.core.policy.Policy;
import java.time.Instant;
import java.util.Map;
import java.util.function.Function;

/** Students' AMIs older than {@code older-than} ({@code rules.amis-old}); deregistering leaves their snapshots. */
final class ImageRules extends AgedRules<MachineImage> {
    ImageRules() {
        super(ResourceKind.AMI, MachineImage.class, "amis-old", "AMI");
    }

    @Override
    Instant created(MachineImage i) {
        return i.created();
    }

    @Override
    Double cost(MachineImage i) {
        return null;
    }

    @Override
    Function<MachineImage, String> leftTo(Inventory inv) {
        return i -> null;
    }

    @Override
    Finding finding(MachineImage i, KindRule rule, Policy p, Double cost) {
        return new Finding("amis-old", rule.action(), "AMI " + i.imageName() + " from "
                + Planner.show(i.created(), p.timeZone()) + " keeps " + i.snapshotIds().size() + " snapshot"
                + (i.snapshotIds().size() == 1 ? "" : "s"), Map.of("snapshots", String.join(",", i.snapshotIds())));
    }

    @Override
    public dev.curfew.core.model.Resource sample(String region, Map<String, String> tags, Instant now) {
        return new MachineImage("ami-00000000000000001", region, "sample-image",
                now.minus(java.time.Duration.ofDays(40)), java.util.List.of("snap-00000000000000002"), tags);
    }
}
