package dev.curfew.core.model;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What one sweep saw, across the regions swept: every resource kind, and the instances' metrics.
 *
 * @param failures what could not be read, by name ({@link #key(String, ResourceKind)}: {@code "eu-west-1 ebs-volume"}
 *                 for a kind's listing in a region, {@code "s3-bucket NAME"} for one bucket, {@code
 *                 "s3-bucket logging of NAME"} for a bucket's logging): the error, for the report. The planner never
 *                 guesses what a failed read would have said: a decision that depends on it is skipped
 */
public record Inventory(List<Ec2Instance> instances, Map<String, InstanceMetrics> metrics, List<EbsVolume> volumes,
                        List<ElasticIp> addresses, List<SpotRequest> spotRequests, List<S3Bucket> buckets,
                        List<EbsSnapshot> snapshots, List<MachineImage> images, List<SecurityGroup> securityGroups,
                        List<EmrCluster> emrClusters, Map<String, String> failures) {

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
        failures = Map.copyOf(new java.util.TreeMap<>(failures));
    }

    /** An inventory that read everything it tried to. */
    public Inventory(List<Ec2Instance> instances, Map<String, InstanceMetrics> metrics, List<EbsVolume> volumes,
                     List<ElasticIp> addresses, List<SpotRequest> spotRequests, List<S3Bucket> buckets,
                     List<EbsSnapshot> snapshots, List<MachineImage> images, List<SecurityGroup> securityGroups,
                     List<EmrCluster> emrClusters) {
        this(instances, metrics, volumes, addresses, spotRequests, buckets, snapshots, images, securityGroups,
                emrClusters, Map.of());
    }

    /** The name of a failed listing of one kind in one region. */
    public static String key(String region, ResourceKind kind) {
        return region + " " + kind.wireName();
    }

    /** The name of one bucket that could not be read. */
    public static String bucketKey(String bucket) {
        return ResourceKind.S3_BUCKET.wireName() + " " + bucket;
    }

    /** The name of one bucket whose logging could not be read (so no bucket can be known not to be its log target). */
    public static String bucketLoggingKey(String bucket) {
        return ResourceKind.S3_BUCKET.wireName() + " logging of " + bucket;
    }

    /** Whether the listing of {@code kind} in {@code region} failed. */
    public boolean failed(String region, ResourceKind kind) {
        return failures.containsKey(key(region, kind));
    }

    /** The first bucket whose logging could not be read, or null. */
    public String unreadBucketLogging() {
        String prefix = bucketLoggingKey("");
        return failures.keySet().stream().filter(k -> k.startsWith(prefix)).map(k -> k.substring(prefix.length()))
                .findFirst().orElse(null);
    }

    public Inventory withFailures(Map<String, String> f) {
        return new Inventory(instances, metrics, volumes, addresses, spotRequests, buckets, snapshots, images,
                securityGroups, emrClusters, f);
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
                securityGroups, emrClusters, failures);
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
        Map<String, String> f = new HashMap<>();
        for (Inventory p : parts) {
            f.putAll(p.failures());
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
        return new Inventory(all, m, v, a, s, b, sn, im, sg, emr, f);
    }
}
