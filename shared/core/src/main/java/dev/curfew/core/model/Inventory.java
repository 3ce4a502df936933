package dev.curfew.core.model;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** What one sweep saw: instances and their metrics, across the regions swept. */
public record Inventory(List<Ec2Instance> instances, Map<String, InstanceMetrics> metrics) {

    public Inventory {
        instances = List.copyOf(instances);
        metrics = Map.copyOf(metrics);
    }

    public static Inventory empty() {
        return new Inventory(List.of(), Map.of());
    }

    public InstanceMetrics metricsOf(String instanceId) {
        return metrics.getOrDefault(instanceId, InstanceMetrics.NONE);
    }

    public static Inventory merge(Collection<Inventory> parts) {
        List<Ec2Instance> all = new ArrayList<>();
        Map<String, InstanceMetrics> m = new HashMap<>();
        for (Inventory p : parts) {
            all.addAll(p.instances());
            m.putAll(p.metrics());
        }
        return new Inventory(all, m);
    }
}
