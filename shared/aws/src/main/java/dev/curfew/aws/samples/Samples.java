package dev.curfew.aws.samples;

import dev.curfew.aws.AwsClients;
import dev.curfew.core.model.ResourceKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.DomainType;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.SpotInstanceType;
import software.amazon.awssdk.services.ec2.model.Tag;

/**
 * One student's leftover of each kind of the registry ({@link dev.curfew.aws.KindAdapter#ALL}), as the demo class
 * leaves it: {@code ./curfew demo} walks the registry, seeds the sample of each kind and shows after its sweeps what
 * is left of it ({@link dev.curfew.aws.KindAdapter#left}), so a new kind shows up in the demo without touching the
 * demo. KindRegistryTest fails until every kind of the registry has one here (or a reason in {@link #NOT_SAMPLED}).
 *
 * <p>Kept out of the functions' jars (functions/pom.xml excludes this package): the calls that make these things are
 * no function's business, and each would keep more of the SDK in the shrunk jars.
 */
public final class Samples {

    /**
     * The kinds of the registry with no sample here, and why: instances, whose story (busy, idle, forgotten, kept,
     * protected, stopped, launched by a spot request) the demo seeds itself, by name, until they join the registry;
     * EMR clusters, which the emulator lists in every region (one cluster would show as three in the demo's three
     * regions): moto's EMR takes the region only from the endpoint's host name ({@code elasticmapreduce.<region>
     * .amazonaws.com}) and otherwise answers from us-east-1, whatever region the request is signed for, so against
     * {@code http://localhost:PORT} every region's client reaches the same clusters.
     */
    public static final Map<ResourceKind, String> NOT_SAMPLED = Map.of(
            ResourceKind.EC2_INSTANCE, "the demo seeds its instances itself, by name (DemoCommand.seed)",
            ResourceKind.EMR_CLUSTER, "the emulator lists an EMR cluster in every region");

    /**
     * One student's leftover.
     *
     * @param kind   its kind
     * @param label  how the demo names it: "alice: scratch-data, 20 GiB volume, detached"
     * @param region where it is made
     * @param early  there from the lesson's start (the demo's idle check during the lesson sees it), not left later
     * @param maker  makes it in the account of the clients, in {@code region}; returns its id
     */
    public record Sample(ResourceKind kind, String label, String region, boolean early, Maker maker) {
        /** Makes it; returns its id. */
        public String leave(AwsClients clients) {
            return maker.leave(clients, region);
        }
    }

    /** Makes a sample in one region of an account. */
    @FunctionalInterface
    public interface Maker {
        String leave(AwsClients clients, String region);
    }

    public static final List<Sample> ALL = List.of(
            new Sample(ResourceKind.ELASTIC_IP, "(no owner tag): Elastic IP, not associated", "us-east-1", false,
                    (c, region) -> c.ec2(region).allocateAddress(b -> b.domain(DomainType.VPC)).allocationId()),
            new Sample(ResourceKind.SECURITY_GROUP, "erin: launch-wizard-1, SSH open to the world", "us-east-1",
                    false, Samples::openSecurityGroup),
            new Sample(ResourceKind.NAT_GATEWAY, "grace: NAT gateway of her lab network", "ap-southeast-2", false,
                    Samples::natGateway),
            new Sample(ResourceKind.EBS_VOLUME, "alice: scratch-data, 20 GiB volume, detached", "eu-west-1", true,
                    (c, region) -> c.ec2(region).createVolume(b -> b.availabilityZone(region + "a").size(20)
                            .volumeType("gp3").tagSpecifications(t -> t.resourceType(ResourceType.VOLUME)
                                    .tags(tags("Name", "scratch-data", "curfew:owner", "alice")))).volumeId()),
            new Sample(ResourceKind.EBS_SNAPSHOT, "bob: ml-training-data, EBS snapshot", "eu-west-1", false, Samples::snapshot),
            new Sample(ResourceKind.AMI, "erin: old-lab-image, AMI of a gone instance", "us-east-1", false,
                    Samples::image),
            new Sample(ResourceKind.SPOT_REQUEST, "bob: persistent spot request of his notebook", "us-east-1",
                    false, Samples::spotRequest),
            new Sample(ResourceKind.S3_BUCKET, "bob: lab-bob-results bucket, 25 objects", "eu-west-1", false,
                    Samples::bucket));

    private Samples() {
    }

    /** The sample of a kind, or null when it has none. */
    public static Sample of(ResourceKind kind) {
        return ALL.stream().filter(s -> s.kind() == kind).findFirst().orElse(null);
    }

    /**
     * An Amazon image to launch from: the emulator's first, or a made-up id when it holds none (moto launches from any
     * id unless told to check).
     */
    public static String launchImage(Ec2Client ec2) {
        return ec2.describeImages(b -> b.owners("amazon")).images().stream().findFirst()
                .map(software.amazon.awssdk.services.ec2.model.Image::imageId).orElse("ami-0b0e0c0e0000c0de0");
    }

    /** EC2 tags from pairs: {@code tags("Name", "lab", "curfew:owner", "alice")}. */
    public static List<Tag> tags(String... kv) {
        List<Tag> t = new ArrayList<>();
        for (int i = 0; i < kv.length; i += 2) {
            t.add(Tag.builder().key(kv[i]).value(kv[i + 1]).build());
        }
        return t;
    }

    private static String openSecurityGroup(AwsClients clients, String region) {
        Ec2Client ec2 = clients.ec2(region);
        String id = ec2.createSecurityGroup(b -> b.groupName("launch-wizard-1").description("launch-wizard-1")
                .tagSpecifications(t -> t.resourceType(ResourceType.SECURITY_GROUP)
                        .tags(tags("curfew:owner", "erin")))).groupId();
        ec2.authorizeSecurityGroupIngress(b -> b.groupId(id).ipProtocol("tcp").fromPort(22).toPort(22)
                .cidrIp("0.0.0.0/0"));
        return id;
    }

    private static String natGateway(AwsClients clients, String region) {
        Ec2Client ec2 = clients.ec2(region);
        String vpc = ec2.createVpc(b -> b.cidrBlock("10.0.0.0/16")).vpc().vpcId();
        String subnet = ec2.createSubnet(b -> b.vpcId(vpc).cidrBlock("10.0.1.0/24").availabilityZone(region + "a"))
                .subnet().subnetId();
        String address = ec2.allocateAddress(b -> b.domain(DomainType.VPC)).allocationId();
        return ec2.createNatGateway(b -> b.subnetId(subnet).allocationId(address)
                .tagSpecifications(t -> t.resourceType(ResourceType.NATGATEWAY)
                        .tags(tags("Name", "lab-nat", "curfew:owner", "grace")))).natGateway().natGatewayId();
    }

    private static String snapshot(AwsClients clients, String region) {
        Ec2Client ec2 = clients.ec2(region);
        String volume = ec2.createVolume(b -> b.availabilityZone(region + "a").size(8)).volumeId();
        String id = ec2.createSnapshot(b -> b.volumeId(volume).description("ml-training data")
                .tagSpecifications(t -> t.resourceType(ResourceType.SNAPSHOT)
                        .tags(tags("Name", "ml-training-data", "curfew:owner", "bob")))).snapshotId();
        ec2.deleteVolume(b -> b.volumeId(volume));
        return id;
    }

    private static String image(AwsClients clients, String region) {
        Ec2Client ec2 = clients.ec2(region);
        String image = launchImage(ec2);
        String instance = ec2.runInstances(b -> b.imageId(image).instanceType("t3.micro").minCount(1).maxCount(1))
                .instances().get(0).instanceId();
        String id = ec2.createImage(b -> b.instanceId(instance).name("old-lab-image")
                .tagSpecifications(t -> t.resourceType(ResourceType.IMAGE).tags(tags("curfew:owner", "erin"))))
                .imageId();
        ec2.terminateInstances(b -> b.instanceIds(instance));
        return id;
    }

    /** A persistent request, fulfilled at once (as the emulator does), its instance tagged as its owner's. */
    private static String spotRequest(AwsClients clients, String region) {
        Ec2Client ec2 = clients.ec2(region);
        String image = launchImage(ec2);
        String id = ec2.requestSpotInstances(b -> b.spotPrice("0.05").instanceCount(1)
                .type(SpotInstanceType.PERSISTENT)
                .launchSpecification(l -> l.imageId(image).instanceType("t3.micro"))
                .tagSpecifications(t -> t.resourceType(ResourceType.SPOT_INSTANCES_REQUEST)
                        .tags(tags("curfew:owner", "bob"))))
                .spotInstanceRequests().get(0).spotInstanceRequestId();
        String instance = ec2.describeSpotInstanceRequests(b -> b.spotInstanceRequestIds(id))
                .spotInstanceRequests().get(0).instanceId();
        if (instance != null) {
            ec2.createTags(b -> b.resources(instance).tags(tags("Name", "notebook", "curfew:owner", "bob")));
        }
        return id;
    }

    private static String bucket(AwsClients clients, String region) {
        var s3 = clients.s3();
        String bucket = "lab-bob-results";
        s3.createBucket(b -> b.bucket(bucket).createBucketConfiguration(c -> c.locationConstraint(region)));
        s3.putBucketTagging(b -> b.bucket(bucket).tagging(t -> t.tagSet(
                software.amazon.awssdk.services.s3.model.Tag.builder().key("curfew:owner").value("bob").build())));
        for (int i = 0; i < 25; i++) {
            String key = "results/part-" + i + ".csv";
            s3.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromString("id,value\n" + key + ",42\n"));
        }
        return bucket;
    }
}
