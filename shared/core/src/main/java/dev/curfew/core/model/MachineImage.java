package dev.curfew.core.model;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** An AMI this account owns, with the snapshots behind it. */
public record MachineImage(String id, String region, String imageName, Instant created, List<String> snapshotIds,
                           Map<String, String> tags) implements Resource {
    public MachineImage {
        tags = tags == null ? Map.of() : Map.copyOf(tags);
        snapshotIds = snapshotIds == null ? List.of() : List.copyOf(snapshotIds);
    }

    @Override
    public String name() {
        return tags.getOrDefault("Name", imageName);
    }

    @Override
    public MachineImage withTags(Map<String, String> t) {
        return new MachineImage(id, region, imageName, created, snapshotIds, t);
    }

    @Override
    public ResourceKind kind() {
        return ResourceKind.AMI;
    }
}
