package dev.curfew.core.model;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** What one sweep saw, across the regions swept: every resource kind, and the instances' metrics. */
public record Inventory(List<Ec2Instance> instances, Map<String, InstanceMetrics> metrics, List<EbsVolume> volumes,
                        List<ElasticIp> addresses, List<SpotRequest> spotRequests, List<S3Bucket> buckets,
                        List<EbsSnapshot> snapshots, List<MachineImage> images, List<SecurityGroup> securityGroups,
                        List<EmrCluster> emrClusters) {

    public Inventory {
        instances = List.copyOf(instances);
        metrics = Map.copyOf(metrics);
        volumes = List.copyOf(volumes);
        addresses = List.copyOf(addresses);
        spotRequests = List.copyOf(spotRequests);
        buckets = List.copyOf(buckets);
        snapshots = List.copyOf(snapshots);
        images = List.copyOf(images);
        securityGroups = List.copyOf(securityGroups);
        emrClusters = List.copyOf(emrClusters);
    }

    public Inventory(List<Ec2Instance> instances, Map<String, InstanceMetrics> metrics, List<EbsVolume> volumes,
                     List<ElasticIp> addresses, List<SpotRequest> spotRequests, List<S3Bucket> buckets) {
        this(instances, metrics, volumes, addresses, spotRequests, buckets, List.of(), List.of(), List.of(),
                List.of());
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
        return new Inventory(replaced, metrics, volumes, addresses, spotRequests, buckets, snapshots, images,
                securityGroups, emrClusters);
    }

    public int size() {
        return instances.size() + volumes.size() + addresses.size() + spotRequests.size() + buckets.size()
                + snapshots.size() + images.size() + securityGroups.size() + emrClusters.size();
    }

    public static Inventory merge(Collection<Inventory> parts) {
        List<Ec2Instance> all = new ArrayList<>();
        Map<String, InstanceMetrics> m = new HashMap<>();
        List<EbsVolume> v = new ArrayList<>();
        List<ElasticIp> a = new ArrayList<>();
        List<SpotRequest> s = new ArrayList<>();
        List<S3Bucket> b = new ArrayList<>();
        List<EbsSnapshot> sn = new ArrayList<>();
        List<MachineImage> im = new ArrayList<>();
        List<SecurityGroup> sg = new ArrayList<>();
        List<EmrCluster> emr = new ArrayList<>();
        for (Inventory p : parts) {
            all.addAll(p.instances());
            m.putAll(p.metrics());
            v.addAll(p.volumes());
            a.addAll(p.addresses());
            s.addAll(p.spotRequests());
            b.addAll(p.buckets());
            sn.addAll(p.snapshots());
            im.addAll(p.images());
            sg.addAll(p.securityGroups());
            emr.addAll(p.emrClusters());
        }
        return new Inventory(all, m, v, a, s, b, sn, im, sg, emr);
    }
}
