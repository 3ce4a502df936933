package dev.curfew.core.launch;

import java.util.Map;

/**
 * A security group for one launch: inbound TCP 22 from exactly {@code cidr} (the caller's address), nothing else
 * inbound; tagged like the instance.
 */
public record SshGroupSpec(String region, String name, String description, String cidr, Map<String, String> tags) {
    public SshGroupSpec {
        tags = Map.copyOf(tags);
    }

    public boolean ipv6() {
        return cidr.contains(":");
    }
}
