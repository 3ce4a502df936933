package dev.curfew.core.launch;

import dev.curfew.core.model.InstanceState;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * An EC2 instance as the launcher sees it: enough to tell whose it is, what it costs, how to reach it.
 *
 * @param state     EC2's state name: pending, running, shutting-down, terminated, stopping, stopped
 * @param lifecycle {@code spot}, or null for on-demand
 */
public record CloudInstance(String id, String region, String zone, String instanceType, String state,
                            String lifecycle, Instant launchTime, String publicIp, String publicDns, String keyName,
                            List<String> securityGroupIds, Map<String, String> tags) {
    public CloudInstance {
        securityGroupIds = securityGroupIds == null ? List.of() : List.copyOf(securityGroupIds);
        tags = tags == null ? Map.of() : Map.copyOf(tags);
    }

    /** Pending or running: what the per-student cap counts. */
    public boolean live() {
        return InstanceState.fromAws(state).isUp();
    }

    public boolean gone() {
        return "terminated".equals(state) || "shutting-down".equals(state);
    }

    public String tag(String key) {
        return tags.get(key);
    }
}
