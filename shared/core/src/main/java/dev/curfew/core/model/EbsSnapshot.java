package dev.curfew.core.model;

import java.time.Instant;
import java.util.Map;

/** An EBS snapshot this account owns. */
public record EbsSnapshot(String id, String region, String volumeId, int volumeSizeGiB, Instant startTime,
                          String state, Map<String, String> tags) implements Resource {
    @Override
    public Instant created() {
        return startTime;
    }

    public EbsSnapshot {
        tags = tags == null ? Map.of() : Map.copyOf(tags);
    }

    @Override
    public EbsSnapshot withTags(Map<String, String> t) {
        return new EbsSnapshot(id, region, volumeId, volumeSizeGiB, startTime, state, t);
    }

    @Override
    public ResourceKind kind() {
        return ResourceKind.EBS_SNAPSHOT;
    }
}
