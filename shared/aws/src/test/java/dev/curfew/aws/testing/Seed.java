package dev.curfew.aws.testing;

import dev.curfew.aws.AwsClients;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.services.cloudwatch.model.MetricDatum;
import software.amazon.awssdk.services.cloudwatch.model.StandardUnit;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.InstanceStateName;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.SpotInstanceType;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.ec2.model.TagSpecification;

/** Seeds an emulated account through the SDK, as a student would, and reads back what is left. */
public final class Seed {
    private final AwsClients clients;

    public Seed(AwsClients clients) {
        this.clients = clients;
    }

    public static Map<String, String> tags(String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }

    /** An image to launch from per region, asked once (moto's Amazon images, when it loads them, list slowly). */
    private final Map<Ec2Client, String> images = new java.util.concurrent.ConcurrentHashMap<>();

    private String image(Ec2Client ec2) {
        return images.computeIfAbsent(ec2, dev.curfew.aws.samples.Samples::launchImage);
    }

    public List<String> instances(String region, int count, String type, Map<String, String> tags) {
        Ec2Client ec2 = clients.ec2(region);
        List<Tag> t = new ArrayList<>();
        tags.forEach((k, v) -> t.add(Tag.builder().key(k).value(v).build()));
        var b = software.amazon.awssdk.services.ec2.model.RunInstancesRequest.builder()
                .imageId(image(ec2)).instanceType(type).minCount(count).maxCount(count);
        if (!t.isEmpty()) {
            b.tagSpecifications(TagSpecification.builder().resourceType(ResourceType.INSTANCE).tags(t).build());
        }
        return ec2.runInstances(b.build()).instances().stream().map(Instance::instanceId).toList();
    }

    public String instance(String region, Map<String, String> tags) {
        return instances(region, 1, "t3.micro", tags).get(0);
    }

    /** A spot instance from RequestSpotInstances; returns {requestId, instanceId}. */
    public String[] spot(String region, SpotInstanceType type, Map<String, String> tags) {
        Ec2Client ec2 = clients.ec2(region);
        var r = ec2.requestSpotInstances(b -> b.spotPrice("0.05").instanceCount(1).type(type)
                .launchSpecification(l -> l.imageId(image(ec2)).instanceType("t3.micro")));
        String requestId = r.spotInstanceRequests().get(0).spotInstanceRequestId();
        String instanceId = ec2.describeSpotInstanceRequests(b -> b.spotInstanceRequestIds(requestId))
                .spotInstanceRequests().get(0).instanceId();
        if (!tags.isEmpty()) {
            List<Tag> t = new ArrayList<>();
            tags.forEach((k, v) -> t.add(Tag.builder().key(k).value(v).build()));
            ec2.createTags(b -> b.resources(instanceId).tags(t));
        }
        return new String[] {requestId, instanceId};
    }

    public void protectTermination(String region, String id) {
        clients.ec2(region).modifyInstanceAttribute(b -> b.instanceId(id).disableApiTermination(v -> v.value(true)));
    }

    public void protectStop(String region, String id) {
        clients.ec2(region).modifyInstanceAttribute(b -> b.instanceId(id).disableApiStop(v -> v.value(true)));
    }

    public void stop(String region, String id) {
        clients.ec2(region).stopInstances(b -> b.instanceIds(id));
    }

    /** Datapoints for an instance: CPU percent and network bytes, every 5 minutes in [from, to). */
    public void metrics(String region, String id, Instant from, Instant to, double cpu, double netBytesPerPoint) {
        List<MetricDatum> data = new ArrayList<>();
        Dimension dim = Dimension.builder().name("InstanceId").value(id).build();
        for (Instant t = from; t.isBefore(to); t = t.plusSeconds(300)) {
            data.add(MetricDatum.builder().metricName("CPUUtilization").dimensions(dim).timestamp(t)
                    .value(cpu).unit(StandardUnit.PERCENT).build());
            data.add(MetricDatum.builder().metricName("NetworkIn").dimensions(dim).timestamp(t)
                    .value(netBytesPerPoint / 2).unit(StandardUnit.BYTES).build());
            data.add(MetricDatum.builder().metricName("NetworkOut").dimensions(dim).timestamp(t)
                    .value(netBytesPerPoint / 2).unit(StandardUnit.BYTES).build());
        }
        for (int i = 0; i < data.size(); i += 500) {
            List<MetricDatum> chunk = data.subList(i, Math.min(data.size(), i + 500));
            clients.cloudWatch(region).putMetricData(b -> b.namespace("AWS/EC2").metricData(chunk));
        }
    }

    public InstanceStateName state(String region, String id) {
        return clients.ec2(region).describeInstances(b -> b.instanceIds(id)).reservations().get(0).instances()
                .get(0).state().name();
    }

    public boolean spotRequestExists(String region, String requestId) {
        return clients.ec2(region).describeSpotInstanceRequests().spotInstanceRequests().stream()
                .anyMatch(r -> r.spotInstanceRequestId().equals(requestId)
                        && !"cancelled".equals(r.stateAsString()));
    }

    /** A gp3 volume of {@code gib} GiB in zone a of {@code region}, tagged {@code tags}. */
    public String volume(String region, int gib, Map<String, String> tags) {
        List<Tag> t = new ArrayList<>();
        tags.forEach((k, v) -> t.add(Tag.builder().key(k).value(v).build()));
        return clients.ec2(region).createVolume(b -> b.availabilityZone(region + "a").size(gib).volumeType("gp3")
                .tagSpecifications(s -> s.resourceType("volume").tags(t))).volumeId();
    }

    public boolean volumeExists(String region, String id) {
        return clients.ec2(region).describeVolumes().volumes().stream().anyMatch(v -> v.volumeId().equals(id));
    }

    public Map<String, String> volumeTags(String region, String id) {
        return clients.ec2(region).describeVolumes(b -> b.volumeIds(id)).volumes().get(0).tags().stream()
                .collect(Collectors.toMap(Tag::key, Tag::value));
    }
}
