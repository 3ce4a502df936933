package dev.curfew.aws.testing;

import dev.curfew.aws.AwsClients;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.SpotInstanceType;
import software.amazon.awssdk.services.ec2.model.Tag;

/**
 * A class account in the middle of a course, seeded through the SDK in one region: every resource kind Curfew looks
 * at, most of them carrying a mark that is due ({@code curfew:pending = <action>@<due>}), so that a run in enforce
 * would act on nearly everything. Used to show that a dry-run acts on nothing.
 */
public final class BusyAccount {
    /** What was made, by role: {@code idle}, {@code stopped}, {@code volume-marked}, {@code bucket-marked}, ... */
    public final Map<String, String> ids = new LinkedHashMap<>();

    private final AwsClients clients;
    private final String region;
    private final Instant due;

    private BusyAccount(AwsClients clients, String region, Instant due) {
        this.clients = clients;
        this.region = region;
        this.due = due;
    }

    /**
     * Seeds the account.
     *
     * @param due when the marks fell due (before the run's now); metrics of the idle instance are put for the three
     *            hours up to {@code metricsUntil}
     */
    public static BusyAccount seed(AwsClients clients, String region, Instant due, Instant metricsUntil) {
        BusyAccount a = new BusyAccount(clients, region, due);
        a.seedAll(metricsUntil);
        return a;
    }

    private String mark(String action) {
        return action + "@" + due;
    }

    private void seedAll(Instant metricsUntil) {
        Seed seed = new Seed(clients);
        Ec2Client ec2 = clients.ec2(region);
        String yesterday = LocalDate.ofInstant(due, ZoneOffset.UTC).minusDays(1).toString();

        // instances: idle, stopped, forgotten, with an expired keep tag, protected, over the launch limits, spot
        String idle = instance(ec2, "t3.micro", Seed.tags("curfew:owner", "alice", "curfew:pending", mark("stop"),
                "curfew:expires-at", due.minus(Duration.ofHours(2)).toString()));
        seed.metrics(region, idle, metricsUntil.minus(Duration.ofHours(3)), metricsUntil, 0.5, 100);
        ids.put("idle", idle);
        String stopped = instance(ec2, "t3.micro", Seed.tags("curfew:owner", "bob", "curfew:pending",
                mark("terminate")));
        seed.stop(region, stopped);
        ids.put("stopped", stopped);
        ids.put("keep-expired", instance(ec2, "t3.micro", Seed.tags("curfew:owner", "carol", "curfew:keep", yesterday,
                "curfew:pending", mark("terminate"))));
        String protectedOne = instance(ec2, "t3.micro", Seed.tags("curfew:owner", "dave", "curfew:pending",
                mark("terminate")));
        seed.protectTermination(region, protectedOne);
        ids.put("protected", protectedOne);
        ids.put("big", instance(ec2, "m5.xlarge", Seed.tags("curfew:owner", "alice")));
        ids.put("untagged", instance(ec2, "t3.micro", Map.of()));
        String[] oneTime = spot(ec2, SpotInstanceType.ONE_TIME);
        tag(ec2, oneTime[1], "curfew:owner", "erin", "curfew:pending", mark("terminate"));
        ids.put("spot-request", oneTime[0]);
        ids.put("spot-instance", oneTime[1]);
        String[] persistent = spot(ec2, SpotInstanceType.PERSISTENT);
        tag(ec2, persistent[0], "curfew:owner", "frank", "curfew:pending", mark("cancel"));
        ec2.terminateInstances(b -> b.instanceIds(persistent[1]));
        ids.put("persistent-request", persistent[0]);

        // volumes: one due for snapshot-then-delete with a completed snapshot recorded, one never seen, one attached
        // but still marked
        String marked = volume(ec2, "curfew:owner", "alice", "Name", "scratch");
        String snapshot = ec2.createSnapshot(b -> b.volumeId(marked)).snapshotId();
        tag(ec2, marked, "curfew:pending", mark("snapshot-then-delete"), "curfew:unattached-since",
                due.minus(Duration.ofDays(2)).toString(), "curfew:snapshot-id", snapshot);
        ids.put("volume-marked", marked);
        ids.put("volume-snapshot", snapshot);
        ids.put("volume-new", volume(ec2, "curfew:owner", "bob"));
        String attached = volume(ec2, "curfew:owner", "carol", "curfew:pending", mark("snapshot-then-delete"),
                "curfew:unattached-since", due.minus(Duration.ofDays(2)).toString());
        ec2.attachVolume(b -> b.volumeId(attached).instanceId(idle).device("/dev/sdf"));
        ids.put("volume-attached", attached);

        // a student's snapshot and image, both due for deletion
        String vol = volume(ec2, "curfew:owner", "dave");
        String old = ec2.createSnapshot(b -> b.volumeId(vol)).snapshotId();
        tag(ec2, old, "curfew:owner", "dave", "curfew:pending", mark("delete"));
        ids.put("snapshot", old);
        String image = ec2.createImage(b -> b.instanceId(idle).name("alice-image")).imageId();
        tag(ec2, image, "curfew:owner", "alice", "curfew:pending", mark("delete"));
        ids.put("image", image);

        // Elastic IPs: a free one due for release, one in use
        String free = ec2.allocateAddress(b -> b.domain("vpc")).allocationId();
        tag(ec2, free, "curfew:owner", "bob", "curfew:pending", mark("release"));
        ids.put("address-free", free);
        String used = ec2.allocateAddress(b -> b.domain("vpc")).allocationId();
        ec2.associateAddress(b -> b.allocationId(used).instanceId(ids.get("big")));
        ids.put("address-used", used);

        // a security group open to the world for SSH
        String vpc = ec2.describeVpcs().vpcs().get(0).vpcId();
        String group = ec2.createSecurityGroup(b -> b.groupName("alice-ssh").description("ssh").vpcId(vpc))
                .groupId();
        ec2.authorizeSecurityGroupIngress(b -> b.groupId(group).ipPermissions(p -> p.ipProtocol("tcp").fromPort(22)
                .toPort(22).ipRanges(r -> r.cidrIp("0.0.0.0/0"))));
        tag(ec2, group, "curfew:owner", "alice");
        ids.put("security-group", group);

        // buckets: a student's versioned one due to be emptied (a delete marker, two versions, an unfinished
        // upload), and one only tagged with its owner
        var s3 = clients.s3();
        s3.createBucket(b -> b.bucket("lab-alice").createBucketConfiguration(c -> c.locationConstraint(region)));
        s3.putBucketVersioning(b -> b.bucket("lab-alice").versioningConfiguration(v -> v.status("Enabled")));
        for (int i = 0; i < 3; i++) {
            String key = "data/file-" + i;
            s3.putObject(b -> b.bucket("lab-alice").key(key), RequestBody.fromString("x" + key));
        }
        s3.putObject(b -> b.bucket("lab-alice").key("data/file-1"), RequestBody.fromString("v2"));
        s3.deleteObject(b -> b.bucket("lab-alice").key("data/file-0"));
        s3.createMultipartUpload(b -> b.bucket("lab-alice").key("big.bin"));
        bucketTags("lab-alice", "curfew:owner", "alice", "curfew:pending", mark("empty"));
        ids.put("bucket-marked", "lab-alice");
        s3.createBucket(b -> b.bucket("notes-bob").createBucketConfiguration(c -> c.locationConstraint(region)));
        s3.putObject(b -> b.bucket("notes-bob").key("notes.txt"), RequestBody.fromString("notes"));
        bucketTags("notes-bob", "curfew:owner", "bob");
        ids.put("bucket-new", "notes-bob");

        // an EMR cluster waiting with no step, due for termination (a core group too: moto's data.json needs one)
        var emr = clients.emr(region);
        String cluster = emr.runJobFlow(b -> b.name("alice-spark").releaseLabel("emr-7.5.0")
                .serviceRole("EMR_DefaultRole").jobFlowRole("EMR_EC2_DefaultRole")
                .instances(i -> i.instanceCount(2).masterInstanceType("m5.xlarge").slaveInstanceType("m5.xlarge")
                        .keepJobFlowAliveWhenNoSteps(true))).jobFlowId();
        emr.addTags(b -> b.resourceId(cluster).tags(
                software.amazon.awssdk.services.emr.model.Tag.builder().key("curfew:owner").value("alice").build(),
                software.amazon.awssdk.services.emr.model.Tag.builder().key("curfew:pending")
                        .value(mark("terminate")).build()));
        ids.put("cluster", cluster);

        // the roster, and an owner already welcomed by the sentinel
        clients.ssm(region).putParameter(b -> b.name("/curfew/roster").type("String").value(
                "owner,name,email,slack\nalice,Alice,alice@example.edu,U0ALICE\nbob,Bob,bob@example.edu,\n"));
        clients.ssm(region).putParameter(b -> b.name("/curfew/curfew/welcomed/bob").type("String")
                .value(due.toString()));
    }

    /** moto's image ami-12c6146b: looking an image up lists a thousand of them, every time. */
    private static String instance(Ec2Client ec2, String type, Map<String, String> tags) {
        List<Tag> t = new ArrayList<>();
        tags.forEach((k, v) -> t.add(Tag.builder().key(k).value(v).build()));
        return ec2.runInstances(b -> {
            b.imageId("ami-12c6146b").instanceType(type).minCount(1).maxCount(1);
            if (!t.isEmpty()) {
                b.tagSpecifications(s -> s.resourceType("instance").tags(t));
            }
        }).instances().get(0).instanceId();
    }

    /** A fulfilled spot request: {request id, instance id}. */
    private static String[] spot(Ec2Client ec2, SpotInstanceType type) {
        String request = ec2.requestSpotInstances(b -> b.spotPrice("0.05").instanceCount(1).type(type)
                .launchSpecification(l -> l.imageId("ami-12c6146b").instanceType("t3.micro")))
                .spotInstanceRequests().get(0).spotInstanceRequestId();
        String instance = ec2.describeSpotInstanceRequests(b -> b.spotInstanceRequestIds(request))
                .spotInstanceRequests().get(0).instanceId();
        return new String[] {request, instance};
    }

    private String volume(Ec2Client ec2, String... tags) {
        List<Tag> t = tagList(tags);
        return ec2.createVolume(b -> b.availabilityZone(region + "a").size(8).volumeType("gp3")
                .tagSpecifications(s -> s.resourceType("volume").tags(t))).volumeId();
    }

    private static void tag(Ec2Client ec2, String id, String... kv) {
        ec2.createTags(b -> b.resources(id).tags(tagList(kv)));
    }

    private static List<Tag> tagList(String... kv) {
        List<Tag> out = new ArrayList<>();
        for (int i = 0; i < kv.length; i += 2) {
            out.add(Tag.builder().key(kv[i]).value(kv[i + 1]).build());
        }
        return out;
    }

    private void bucketTags(String bucket, String... kv) {
        List<software.amazon.awssdk.services.s3.model.Tag> set = new ArrayList<>();
        for (int i = 0; i < kv.length; i += 2) {
            set.add(software.amazon.awssdk.services.s3.model.Tag.builder().key(kv[i]).value(kv[i + 1]).build());
        }
        clients.s3().putBucketTagging(b -> b.bucket(bucket).tagging(t -> t.tagSet(set)));
    }
}
