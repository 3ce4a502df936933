package dev.curfew.core.model;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A NAT gateway: billed by the hour while it exists (and for each of its public addresses), whether or not anything
 * sends traffic through it.
 *
 * @param state        {@code pending}, {@code available}, {@code deleting}, {@code deleted} or {@code failed}
 * @param publicIps    its public addresses (each an Elastic IP, left allocated when the gateway is deleted)
 */
public record NatGateway(String id, String region, String state, String vpcId, String subnetId,
                         List<String> publicIps, Instant created, Map<String, String> tags) implements Resource {
    public NatGateway {
        tags = tags == null ? Map.of() : Map.copyOf(tags);
        publicIps = publicIps == null ? List.of() : List.copyOf(publicIps);
    }

    /** Still billed: up or coming up. */
    public boolean live() {
        return "available".equals(state) || "pending".equals(state);
    }

    @Override
    public NatGateway withTags(Map<String, String> t) {
        return new NatGateway(id, region, state, vpcId, subnetId, publicIps, created, t);
    }

    @Override
    public ResourceKind kind() {
        return ResourceKind.NAT_GATEWAY;
    }
}
