package dev.curfew.core.model;

import java.util.List;
import java.util.Map;

/**
 * A security group, with the ingress rules that open a remote-login port (22 SSH, 3389 RDP) to the whole internet.
 */
public record SecurityGroup(String id, String region, String groupName, String vpcId, List<OpenPort> worldOpen,
                            Map<String, String> tags) implements Resource {
    public SecurityGroup {
        tags = tags == null ? Map.of() : Map.copyOf(tags);
        worldOpen = List.copyOf(worldOpen);
    }

    /** A port range open to {@code cidr} (0.0.0.0/0 or ::/0) over {@code protocol}. */
    public record OpenPort(String protocol, int fromPort, int toPort, String cidr) {
        public boolean covers(int port) {
            return protocol.equals("-1") || fromPort <= port && port <= toPort;
        }
    }

    @Override
    public String name() {
        return tags.getOrDefault("Name", groupName);
    }

    @Override
    public SecurityGroup withTags(Map<String, String> t) {
        return new SecurityGroup(id, region, groupName, vpcId, worldOpen, t);
    }

    @Override
    public ResourceKind kind() {
        return ResourceKind.SECURITY_GROUP;
    }
}
