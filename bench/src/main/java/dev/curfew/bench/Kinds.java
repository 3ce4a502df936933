package dev.curfew.bench;

import dev.curfew.aws.AwsClients;
import dev.curfew.aws.samples.Samples;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.Map;
import java.util.function.Function;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.services.cloudwatch.model.MetricDatum;
import software.amazon.awssdk.services.cloudwatch.model.StandardUnit;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.ec2.model.DescribeInstancesResponse;
import software.amazon.awssdk.services.ec2.model.DomainType;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.InstanceStateName;
import software.amazon.awssdk.services.ec2.model.Reservation;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.SpotInstanceType;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.emr.model.ClusterState;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The resource kinds the bench seeds and the floor lists. For N instances per region it seeds N instances (one in
 * every {@code idleEvery} idle), N/10 unattached volumes and N/20 Elastic IPs per region, and N/20 buckets in all;
 * N/100 security groups open to the world, N/100 NAT gateways, N/100 student snapshots, N/100 student AMIs and
 * N/100 persistent spot requests (each with its instance) per region, and N/500 idle EMR clusters per region.
 * A kind counts in the floor only when the sweep lists it (see {@link Kind#listOp()}). To cover a new kind, write
 * its seeder and its floor lister here (one small function each, like {@link #seedInstances} and
 * {@link #listInstances}) and add it to {@link #ALL}.
 */
public final class Kinds {
    /** DescribeInstances page size, as the sweep asks for it. */
    static final int INSTANCE_PAGE = 1000;
    /** The states the sweep lists (not terminated). */
    static final List<String> LIVE_STATES = List.of("pending", "running", "stopping", "stopped");

    public static final Kind EC2_INSTANCE = new Kind("ec2-instance", "ec2:DescribeInstances", false, n -> n,
            Kinds::seedInstances, Kinds::listInstances);
    public static final Kind EBS_VOLUME = new Kind("ebs-volume", "ec2:DescribeVolumes", false, n -> n / 10,
            Kinds::seedVolumes, Kinds::listVolumes);
    public static final Kind ELASTIC_IP = new Kind("elastic-ip", "ec2:DescribeAddresses", false, n -> n / 20,
            Kinds::seedAddresses, Kinds::listAddresses);
    public static final Kind SPOT_REQUEST = new Kind("spot-request", "ec2:DescribeSpotInstanceRequests", false,
            n -> n / 100, Kinds::seedSpotRequests, Kinds::listSpotRequests);
    public static final Kind S3_BUCKET = new Kind("s3-bucket", "s3:ListBuckets", true, n -> n / 20,
            Kinds::seedBuckets, Kinds::listBuckets);

    public static final Kind EBS_SNAPSHOT = new Kind("ebs-snapshot", "ec2:DescribeSnapshots", false, n -> n / 100,
            Kinds::seedSnapshots, Kinds::listSnapshots);
    public static final Kind AMI = new Kind("ami", "ec2:DescribeImages", false, n -> n / 100, Kinds::seedImages,
            Kinds::listImages);
    public static final Kind SECURITY_GROUP = new Kind("security-group", "ec2:DescribeSecurityGroups", false,
            n -> n / 100, Kinds::seedSecurityGroups, Kinds::listSecurityGroups);
    public static final Kind EMR_CLUSTER = new Kind("emr-cluster", "emr:ListClusters", false, n -> n / 500,
            Kinds::seedEmrClusters, Kinds::listEmrClusters);

    public static final Kind NAT_GATEWAY = new Kind("nat-gateway", "ec2:DescribeNatGateways", false, n -> n / 100,
            Kinds::seedNatGateways, Kinds::listNatGateways);

    public static final List<Kind> ALL = List.of(EC2_INSTANCE, EBS_VOLUME, ELASTIC_IP, SPOT_REQUEST, S3_BUCKET,
            EBS_SNAPSHOT, AMI, SECURITY_GROUP, EMR_CLUSTER, NAT_GATEWAY);

    private static final Map<String, String> IMAGES = new ConcurrentHashMap<>();

    private Kinds() {
    }

    /** The owner tag of the {@code i}th student's resource. */
    static Tag owner(int i) {
        return Tag.builder().key("curfew:owner").value("student-" + i).build();
    }

    /** A floor listing's count: every item of every page, read page by page. */
    static <P> Kind.Listed counted(Iterable<P> pages, Function<P, List<?>> items) {
        int count = 0;
        for (P page : pages) {
            count += items.apply(page).size();
        }
        return Kind.Listed.of(count);
    }

    /**
     * One RunInstances per instance, as students launch them: one instance per reservation. (moto pages
     * DescribeInstances by reservation, so batch launches would make 5,000 instances look like one page.)
     */
    static void seedInstances(AwsClients clients, String region, int from, int to, SeedPlan plan) {
        Ec2Client ec2 = clients.ec2(region);
        String image = IMAGES.computeIfAbsent(region, r -> Samples.launchImage(ec2));
        List<String> ids = new ArrayList<>(to - from);
        for (int i = from; i < to; i++) {
            Tag owner = owner(i);
            Tag name = Tag.builder().key("Name").value("lab-" + i).build();
            ids.add(ec2.runInstances(b -> b.imageId(image).instanceType("t3.micro").minCount(1).maxCount(1)
                            .tagSpecifications(t -> t.resourceType(ResourceType.INSTANCE).tags(owner, name)))
                    .instances().get(0).instanceId());
        }
        List<MetricDatum> data = new ArrayList<>();
        for (int i = from; i < to; i++) {
            if (!plan.hasData(i)) {
                continue;
            }
            boolean idle = plan.idle(i);
            Dimension dim = Dimension.builder().name("InstanceId").value(ids.get(i - from)).build();
            data.add(datum("CPUUtilization", dim, plan, idle ? 1.0 : 40.0, StandardUnit.PERCENT));
            data.add(datum("NetworkIn", dim, plan, idle ? 2_000 : 25_000_000, StandardUnit.BYTES));
            data.add(datum("NetworkOut", dim, plan, idle ? 2_000 : 25_000_000, StandardUnit.BYTES));
        }
        for (int k = 0; k < data.size(); k += 500) {
            List<MetricDatum> chunk = data.subList(k, Math.min(data.size(), k + 500));
            clients.cloudWatch(region).putMetricData(b -> b.namespace("AWS/EC2").metricData(chunk));
        }
    }

    private static MetricDatum datum(String metric, Dimension dim, SeedPlan plan, double value, StandardUnit unit) {
        return MetricDatum.builder().metricName(metric).dimensions(dim).timestamp(plan.metricsAt()).value(value)
                .unit(unit).build();
    }

    /** The floor for instances: DescribeInstances page by page (1,000 a page, live states), nothing else. */
    static Kind.Listed listInstances(AwsClients clients, String region) {
        Ec2Client ec2 = clients.ec2(region);
        Filter live = Filter.builder().name("instance-state-name").values(LIVE_STATES).build();
        List<String> running = new ArrayList<>();
        int count = 0;
        String token = null;
        do {
            String t = token;
            DescribeInstancesResponse page = ec2.describeInstances(b -> b.filters(live).maxResults(INSTANCE_PAGE)
                    .nextToken(t));
            for (Reservation r : page.reservations()) {
                for (Instance i : r.instances()) {
                    count++;
                    if (i.state() != null && i.state().name() == InstanceStateName.RUNNING) {
                        running.add(i.instanceId());
                    }
                }
            }
            token = page.nextToken();
        } while (token != null && !token.isEmpty());
        return new Kind.Listed(count, running);
    }

    /** Unattached volumes, one CreateVolume each, owned by a student. */
    static void seedVolumes(AwsClients clients, String region, int from, int to, SeedPlan plan) {
        Ec2Client ec2 = clients.ec2(region);
        for (int i = from; i < to; i++) {
            Tag owner = owner(i);
            ec2.createVolume(b -> b.availabilityZone(region + "a").size(8)
                    .tagSpecifications(t -> t.resourceType(ResourceType.VOLUME).tags(owner)));
        }
    }

    static Kind.Listed listVolumes(AwsClients clients, String region) {
        return counted(clients.ec2(region).describeVolumesPaginator(b -> b.maxResults(500)), p -> p.volumes());
    }

    /** Unassociated Elastic IPs, one AllocateAddress each. */
    static void seedAddresses(AwsClients clients, String region, int from, int to, SeedPlan plan) {
        Ec2Client ec2 = clients.ec2(region);
        for (int i = from; i < to; i++) {
            Tag owner = owner(i);
            ec2.allocateAddress(b -> b.domain(DomainType.VPC)
                    .tagSpecifications(t -> t.resourceType(ResourceType.ELASTIC_IP).tags(owner)));
        }
    }

    /** DescribeAddresses has no pages: one call a region. */
    static Kind.Listed listAddresses(AwsClients clients, String region) {
        return Kind.Listed.of(clients.ec2(region).describeAddresses().addresses().size());
    }

    /**
     * Persistent spot requests, as a student leaves them, each fulfilled at once by its instance (the emulator's):
     * the request and its instance owned by the student.
     */
    static void seedSpotRequests(AwsClients clients, String region, int from, int to, SeedPlan plan) {
        Ec2Client ec2 = clients.ec2(region);
        for (int i = from; i < to; i++) {
            Tag owner = owner(i);
            String image = IMAGES.computeIfAbsent(region, r -> Samples.launchImage(ec2));
            String request = ec2.requestSpotInstances(b -> b.spotPrice("0.05").instanceCount(1)
                    .type(SpotInstanceType.PERSISTENT)
                    .launchSpecification(l -> l.imageId(image).instanceType("t3.micro"))
                    .tagSpecifications(t -> t.resourceType(ResourceType.SPOT_INSTANCES_REQUEST).tags(owner)))
                    .spotInstanceRequests().get(0).spotInstanceRequestId();
            String instance = ec2.describeSpotInstanceRequests(b -> b.spotInstanceRequestIds(request))
                    .spotInstanceRequests().get(0).instanceId();
            if (instance != null) {
                ec2.createTags(b -> b.resources(instance).tags(owner));
            }
        }
    }

    static Kind.Listed listSpotRequests(AwsClients clients, String region) {
        return counted(clients.ec2(region).describeSpotInstanceRequestsPaginator(b -> b.maxResults(1000)),
                p -> p.spotInstanceRequests());
    }

    /** Student buckets with one small object each, created in the home region (a global kind: seeded once). */
    static void seedBuckets(AwsClients clients, String region, int from, int to, SeedPlan plan) {
        S3Client s3 = clients.s3();
        for (int i = from; i < to; i++) {
            String bucket = "curfew-bench-student-" + i;
            if (region.equals("us-east-1")) {
                s3.createBucket(b -> b.bucket(bucket));
            } else {
                s3.createBucket(b -> b.bucket(bucket).createBucketConfiguration(c -> c.locationConstraint(region)));
            }
            s3.putBucketTagging(b -> b.bucket(bucket).tagging(t -> t.tagSet(
                    software.amazon.awssdk.services.s3.model.Tag.builder().key("curfew:owner")
                            .value("student-" + bucket.substring(bucket.lastIndexOf('-') + 1)).build())));
            s3.putObject(b -> b.bucket(bucket).key("notes.txt"), RequestBody.fromString("lab notes"));
        }
    }

    /** ListBuckets is global: once per sweep, 1,000 a page. */
    static Kind.Listed listBuckets(AwsClients clients, String region) {
        return counted(clients.s3().listBucketsPaginator(b -> b.maxBuckets(1000)), p -> p.buckets());
    }

    /** Security groups opening SSH to the whole internet, as a quick start leaves them, owned by a student. */
    static void seedSecurityGroups(AwsClients clients, String region, int from, int to, SeedPlan plan) {
        Ec2Client ec2 = clients.ec2(region);
        for (int i = from; i < to; i++) {
            Tag owner = owner(i);
            String name = "launch-wizard-" + i;
            String id = ec2.createSecurityGroup(b -> b.groupName(name).description("quick start")
                    .tagSpecifications(t -> t.resourceType(ResourceType.SECURITY_GROUP).tags(owner))).groupId();
            ec2.authorizeSecurityGroupIngress(b -> b.groupId(id).ipProtocol("tcp").fromPort(22).toPort(22)
                    .cidrIp("0.0.0.0/0"));
        }
    }

    /** NAT gateways, each with its own Elastic IP, in one lab subnet of the region, owned by a student. */
    static void seedNatGateways(AwsClients clients, String region, int from, int to, SeedPlan plan) {
        if (from >= to) {
            return;
        }
        Ec2Client ec2 = clients.ec2(region);
        String vpc = ec2.createVpc(b -> b.cidrBlock("10.20.0.0/16")).vpc().vpcId();
        String subnet = ec2.createSubnet(b -> b.vpcId(vpc).cidrBlock("10.20.1.0/24")
                .availabilityZone(region + "a")).subnet().subnetId();
        for (int i = from; i < to; i++) {
            Tag owner = owner(i);
            String alloc = ec2.allocateAddress(b -> b.domain(DomainType.VPC)).allocationId();
            ec2.createNatGateway(b -> b.subnetId(subnet).allocationId(alloc)
                    .tagSpecifications(t -> t.resourceType(ResourceType.NATGATEWAY).tags(owner)));
        }
    }

    /** The billed NAT gateways (pending, available), page by page. */
    static Kind.Listed listNatGateways(AwsClients clients, String region) {
        Filter billed = Filter.builder().name("state").values("pending", "available").build();
        return counted(clients.ec2(region).describeNatGatewaysPaginator(b -> b.filter(billed).maxResults(1000)),
                p -> p.natGateways());
    }

    /**
     * Snapshots a student kept of a volume (the volume itself is deleted afterwards: only the snapshots stay), owned
     * by the student.
     */
    static void seedSnapshots(AwsClients clients, String region, int from, int to, SeedPlan plan) {
        if (from >= to) {
            return;
        }
        Ec2Client ec2 = clients.ec2(region);
        String volume = ec2.createVolume(b -> b.availabilityZone(region + "a").size(8)).volumeId();
        for (int i = from; i < to; i++) {
            Tag owner = owner(i);
            ec2.createSnapshot(b -> b.volumeId(volume)
                    .tagSpecifications(t -> t.resourceType(ResourceType.SNAPSHOT).tags(owner)));
        }
        ec2.deleteVolume(b -> b.volumeId(volume));
    }

    /**
     * AMIs a student made of an instance (the instance is terminated afterwards: only the images and the snapshots
     * behind them stay), owned by the student.
     */
    static void seedImages(AwsClients clients, String region, int from, int to, SeedPlan plan) {
        if (from >= to) {
            return;
        }
        Ec2Client ec2 = clients.ec2(region);
        String image = IMAGES.computeIfAbsent(region, r -> Samples.launchImage(ec2));
        String instance = ec2.runInstances(b -> b.imageId(image).instanceType("t3.micro").minCount(1).maxCount(1))
                .instances().get(0).instanceId();
        for (int i = from; i < to; i++) {
            Tag owner = owner(i);
            String name = "lab-image-" + i;
            ec2.createImage(b -> b.instanceId(instance).name(name)
                    .tagSpecifications(t -> t.resourceType(ResourceType.IMAGE).tags(owner)));
        }
        ec2.terminateInstances(b -> b.instanceIds(instance));
    }

    /** The account's own snapshots, 1,000 a page. */
    static Kind.Listed listSnapshots(AwsClients clients, String region) {
        return counted(clients.ec2(region).describeSnapshotsPaginator(b -> b.ownerIds("self").maxResults(1000)),
                p -> p.snapshots());
    }

    /** The account's own images: one call. */
    static Kind.Listed listImages(AwsClients clients, String region) {
        return Kind.Listed.of(clients.ec2(region).describeImages(b -> b.owners("self")).images().size());
    }

    static Kind.Listed listSecurityGroups(AwsClients clients, String region) {
        return counted(clients.ec2(region).describeSecurityGroupsPaginator(b -> b.maxResults(1000)),
                p -> p.securityGroups());
    }

    /** EMR clusters waiting with no step (kept alive after their work), owned by a student. */
    static void seedEmrClusters(AwsClients clients, String region, int from, int to, SeedPlan plan) {
        for (int i = from; i < to; i++) {
            String student = "student-" + i;
            clients.emr(region).runJobFlow(b -> b.name("spark-lab-" + student).releaseLabel("emr-7.0.0")
                    .instances(x -> x.instanceCount(1).masterInstanceType("m5.xlarge")
                            .keepJobFlowAliveWhenNoSteps(true))
                    .tags(software.amazon.awssdk.services.emr.model.Tag.builder().key("curfew:owner").value(student)
                            .build())
                    .jobFlowRole("EMR_EC2_DefaultRole").serviceRole("EMR_DefaultRole"));
        }
    }

    /** Live EMR clusters, page by page (EMR pages by marker). */
    static Kind.Listed listEmrClusters(AwsClients clients, String region) {
        return counted(clients.emr(region).listClustersPaginator(b -> b.clusterStates(ClusterState.STARTING,
                ClusterState.BOOTSTRAPPING, ClusterState.RUNNING, ClusterState.WAITING)), p -> p.clusters());
    }
}
