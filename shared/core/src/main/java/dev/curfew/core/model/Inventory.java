package dev.curfew.core.model;

import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What one sweep saw, across the regions swept: the resources of every kind, by kind, and the instances' metrics.
 *
 * @param byKind   the resources seen, by kind (a kind not listed has no entry); each list holds that kind only
 * @param failures what could not be read, by name ({@link #key(String, ResourceKind)}: {@code "eu-west-1 ebs-volume"}
 *                 for a kind's listing in a region, {@code "s3-bucket NAME"} for one bucket, {@code
 *                 "s3-bucket logging of NAME"} for a bucket's logging): the error, for the report. The planner never
 *                 guesses what a failed read would have said: a decision that depends on it is skipped
 */
public record Inventory(Map<ResourceKind, List<Resource>> byKind, Map<String, InstanceMetrics> metrics,
                        Map<String, String> failures) {

    public Inventory {
        Map<ResourceKind, List<Resource>> copy = new EnumMap<>(ResourceKind.class);
        byKind.forEach((k, list) -> {
            for (Resource r : list) {
                if (r.kind() != k) {
                    throw new IllegalArgumentException(r.id() + " is a " + r.kind() + ", listed as " + k);
                }
            }
            if (!list.isEmpty()) {
                copy.put(k, List.copyOf(list));
            }
        });
        byKind = java.util.Collections.unmodifiableMap(copy);
        metrics = Map.copyOf(metrics);
        failures = Map.copyOf(new java.util.TreeMap<>(failures));
    }

    public Inventory(List<Ec2Instance> instances, Map<String, InstanceMetrics> metrics, List<EbsVolume> volumes,
                     List<ElasticIp> addresses, List<SpotRequest> spotRequests, List<S3Bucket> buckets,
                     List<EbsSnapshot> snapshots, List<MachineImage> images, List<SecurityGroup> securityGroups,
                     List<EmrCluster> emrClusters, Map<String, String> failures) {
        this(kinds(instances, volumes, addresses, spotRequests, buckets, snapshots, images, securityGroups,
                emrClusters), metrics, failures);
    }

    private static Map<ResourceKind, List<Resource>> kinds(List<?>... lists) {
        Map<ResourceKind, List<Resource>> m = new EnumMap<>(ResourceKind.class);
        for (List<?> l : lists) {
            for (Object o : l) {
                Resource r = (Resource) o;
                m.computeIfAbsent(r.kind(), k -> new ArrayList<>()).add(r);
            }
        }
        return m;
    }

    /** An inventory that read everything it tried to. */
    public Inventory(List<Ec2Instance> instances, Map<String, InstanceMetrics> metrics, List<EbsVolume> volumes,
                     List<ElasticIp> addresses, List<SpotRequest> spotRequests, List<S3Bucket> buckets,
                     List<EbsSnapshot> snapshots, List<MachineImage> images, List<SecurityGroup> securityGroups,
                     List<EmrCluster> emrClusters) {
        this(instances, metrics, volumes, addresses, spotRequests, buckets, snapshots, images, securityGroups,
                emrClusters, Map.of());
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

    /** The resources of one kind (empty when none were seen or the kind was not listed). */
    public List<Resource> of(ResourceKind kind) {
        return byKind.getOrDefault(kind, List.of());
    }

    /** The resources of one kind, as their model type. */
    public <R extends Resource> List<R> of(ResourceKind kind, Class<R> type) {
        return of(kind).stream().map(type::cast).toList();
    }

    /** This inventory with the resources of {@code kind} replaced by {@code resources}. */
    public Inventory with(ResourceKind kind, List<? extends Resource> resources) {
        Map<ResourceKind, List<Resource>> m = new EnumMap<>(ResourceKind.class);
        m.putAll(byKind);
        m.put(kind, List.copyOf(resources));
        return new Inventory(m, metrics, failures);
    }

    public List<Ec2Instance> instances() {
        return of(ResourceKind.EC2_INSTANCE, Ec2Instance.class);
    }

    public List<EbsVolume> volumes() {
        return of(ResourceKind.EBS_VOLUME, EbsVolume.class);
    }

    public List<ElasticIp> addresses() {
        return of(ResourceKind.ELASTIC_IP, ElasticIp.class);
    }

    public List<SpotRequest> spotRequests() {
        return of(ResourceKind.SPOT_REQUEST, SpotRequest.class);
    }

    public List<S3Bucket> buckets() {
        return of(ResourceKind.S3_BUCKET, S3Bucket.class);
    }

    public List<EbsSnapshot> snapshots() {
        return of(ResourceKind.EBS_SNAPSHOT, EbsSnapshot.class);
    }

    public List<MachineImage> images() {
        return of(ResourceKind.AMI, MachineImage.class);
    }

    public List<SecurityGroup> securityGroups() {
        return of(ResourceKind.SECURITY_GROUP, SecurityGroup.class);
    }

    public List<EmrCluster> emrClusters() {
        return of(ResourceKind.EMR_CLUSTER, EmrCluster.class);
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
        return new Inventory(byKind, metrics, f);
    }

    public InstanceMetrics metricsOf(String instanceId) {
        return metrics.getOrDefault(instanceId, InstanceMetrics.NONE);
    }

    public Inventory withInstances(List<Ec2Instance> replaced) {
        return with(ResourceKind.EC2_INSTANCE, replaced);
    }

    public int size() {
        return byKind.values().stream().mapToInt(List::size).sum();
    }

    public static Inventory merge(Collection<Inventory> parts) {
        Map<ResourceKind, List<Resource>> all = new EnumMap<>(ResourceKind.class);
        Map<String, InstanceMetrics> m = new HashMap<>();
        Map<String, String> f = new HashMap<>();
        for (Inventory p : parts) {
            f.putAll(p.failures());
            m.putAll(p.metrics());
            p.byKind().forEach((k, list) -> all.computeIfAbsent(k, x -> new ArrayList<>()).addAll(list));
        }
        return new Inventory(all, m, f);
    }
}
