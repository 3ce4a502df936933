package dev.curfew.core.model;

import java.time.Instant;
import java.util.Map;

/**
 * An EBS volume. {@code attachedTo} is the instance it is attached to, null for a volume in the "available" state:
 * it costs and serves nobody.
 */
public record EbsVolume(String id, String region, String zone, String volumeType, int sizeGiB, String state,
                        String attachedTo, Instant createTime, String snapshotId, Map<String, String> tags)
        implements Resource {
    @Override
    public Instant created() {
        return createTime;
    }

    public EbsVolume {
        tags = tags == null ? Map.of() : Map.copyOf(tags);
    }

    public boolean attached() {
        return attachedTo != null;
    }

    @Override
    public EbsVolume withTags(Map<String, String> t) {
        return new EbsVolume(id, region, zone, volumeType, sizeGiB, state, attachedTo, createTime, snapshotId, t);
    }

    @Override
    public ResourceKind kind() {
        return ResourceKind.EBS_VOLUME;
    }
}
