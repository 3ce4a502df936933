package dev.curfew.core.model;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** What one sweep saw, across the regions swept: every resource kind, and the instances' metrics. */
public record Inventory(List<Ec2Instance> instances, Map<String, InstanceMetrics> metrics, List<EbsVolume> volumes,
                        List<ElasticIp> addresses, List<SpotRequest> spotRequests, List<S3Bucket> buckets) {

    public Inventory {
        instances = List.copyOf(instances);
        metrics = Map.copyOf(metrics);
        volumes = List.copyOf(volumes);
        addresses = List.copyOf(addresses);
        spotRequests = List.copyOf(spotRequests);
        buckets = List.copyOf(buckets);
    }

    /** Instances only. */
    public Inventory(List<Ec2Instance> instances, Map<String, InstanceMetrics> metrics) {
        this(instances, metrics, List.of(), List.of(), List.of(), List.of());
    }

    public static Inventory empty() {
        return new Inventory(List.of(), Map.of());
    }

    public InstanceMetrics metricsOf(String instanceId) {
        return metrics.getOrDefault(instanceId, InstanceMetrics.NONE);
    }

    public Inventory withInstances(List<Ec2Instance> replaced) {
        return new Inventory(replaced, metrics, volumes, addresses, spotRequests, buckets);
    }

    public int size() {
        return instances.size() + volumes.size() + addresses.size() + spotRequests.size() + buckets.size();
    }

    public static Inventory merge(Collection<Inventory> parts) {
        List<Ec2Instance> all = new ArrayList<>();
        Map<String, InstanceMetrics> m = new HashMap<>();
        List<EbsVolume> v = new ArrayList<>();
        List<ElasticIp> a = new ArrayList<>();
        List<SpotRequest> s = new ArrayList<>();
        List<S3Bucket> b = new ArrayList<>();
        for (Inventory p : parts) {
            all.addAll(p.instances());
            m.putAll(p.metrics());
            v.addAll(p.volumes());
            a.addAll(p.addresses());
            s.addAll(p.spotRequests());
            b.addAll(p.buckets());
        }
        return new Inventory(all, m, v, a, s, b);
    }
}
