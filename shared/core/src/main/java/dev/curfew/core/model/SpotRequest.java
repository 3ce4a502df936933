package dev.curfew.core.model;

import java.time.Instant;
import java.util.Map;

/** A spot instance request: {@code state} as EC2 says (open, active, ...), {@code instanceId} when fulfilled. */
public record SpotRequest(String id, String region, SpotRequestType type, String state, String instanceId,
                          String instanceType, Instant createTime, Map<String, String> tags) implements Resource {
    @Override
    public Instant created() {
        return createTime;
    }

    public SpotRequest {
        tags = tags == null ? Map.of() : Map.copyOf(tags);
    }

    public boolean live() {
        return "open".equals(state) || "active".equals(state);
    }

    @Override
    public SpotRequest withTags(Map<String, String> t) {
        return new SpotRequest(id, region, type, state, instanceId, instanceType, createTime, t);
    }

    @Override
    public ResourceKind kind() {
        return ResourceKind.SPOT_REQUEST;
    }
}
