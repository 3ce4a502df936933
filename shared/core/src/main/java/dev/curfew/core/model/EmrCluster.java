package dev.curfew.core.model;

import java.time.Instant;
import java.util.Map;

/**
 * An EMR cluster that is up (starting, running or waiting).
 *
 * @param idleSince   when it last had work: the end of its last step, else when it became ready; null if busy
 * @param activeSteps steps running or pending
 */
public record EmrCluster(String id, String region, String clusterName, String state, Instant created,
                         Instant idleSince, int activeSteps, boolean terminationProtected, Double normalizedHours,
                         Map<String, String> tags) implements Resource {
    public EmrCluster {
        tags = tags == null ? Map.of() : Map.copyOf(tags);
    }

    @Override
    public String name() {
        return tags.getOrDefault("Name", clusterName);
    }

    @Override
    public EmrCluster withTags(Map<String, String> t) {
        return new EmrCluster(id, region, clusterName, state, created, idleSince, activeSteps, terminationProtected, normalizedHours, t);
    }

    @Override
    public ResourceKind kind() {
        return ResourceKind.EMR_CLUSTER;
    }
}
