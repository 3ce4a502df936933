package dev.curfew.core.model;

import java.util.Map;

/** An Elastic IP address; its id is the allocation id. Every public IPv4 address is billed by the hour. */
public record ElasticIp(String id, String region, String publicIp, String associationId, String instanceId,
                        Map<String, String> tags) implements Resource {
    public ElasticIp {
        tags = tags == null ? Map.of() : Map.copyOf(tags);
    }

    public boolean associated() {
        return associationId != null || instanceId != null;
    }

    @Override
    public ElasticIp withTags(Map<String, String> t) {
        return new ElasticIp(id, region, publicIp, associationId, instanceId, t);
    }

    @Override
    public ResourceKind kind() {
        return ResourceKind.ELASTIC_IP;
    }
}
