package dev.curfew.aws;

import static dev.curfew.aws.testing.Seed.tags;
import static dev.curfew.aws.testing.Sweeps.rows;
import static org.assertj.core.api.Assertions.assertThat;

import dev.curfew.aws.testing.MotoTest;
import dev.curfew.aws.testing.Sweeps;
import dev.curfew.core.report.SweepReport;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ec2.model.IpPermission;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.emr.EmrClient;
import software.amazon.awssdk.services.emr.model.ClusterState;

/** Old snapshots and AMIs, security groups open to the world, EMR clusters: against the moto server. */
@org.junit.jupiter.api.Tag("kind:security-group")
@org.junit.jupiter.api.Tag("kind:ebs-snapshot")
@org.junit.jupiter.api.Tag("kind:ami")
@org.junit.jupiter.api.Tag("kind:emr-cluster")
class OtherKindsIT extends MotoTest {
    EmrClient emr;

    @BeforeEach
    void setUp() {
        emr = clients.emr(EU);
    }

    private SweepReport sweep(Instant now, String rules) {
        return Sweeps.at(moto, now, Sweeps.policy("enforce", rules + "\n"));
    }

    private String studentSnapshot() {
        String vol = ec2().createVolume(b -> b.availabilityZone("eu-west-1a").size(20)).volumeId();
        return ec2().createSnapshot(b -> b.volumeId(vol).tagSpecifications(s -> s.resourceType("snapshot")
                .tags(Tag.builder().key("curfew:owner").value("alice").build()))).snapshotId();
    }

    @Test
    void oldStudentSnapshotsAndAmisAreReportedNotDeletedByDefault() {
        String snap = studentSnapshot();
        String other = ec2().createSnapshot(b -> b.volumeId(ec2().createVolume(v -> v.availabilityZone("eu-west-1a")
                .size(5)).volumeId())).snapshotId();
        String instance = seed.instance(EU, tags("curfew:owner", "bob"));
        String ami = ec2().createImage(b -> b.instanceId(instance).name("bobs-image")
                .tagSpecifications(s -> s.resourceType("image").tags(Tag.builder().key("curfew:owner")
                        .value("bob").build()))).imageId();

        SweepReport r = sweep(Instant.now().plus(Duration.ofDays(31)), "");

        Map<String, String> rows = rows(r);
        assertThat(rows.get(snap)).startsWith("notify|none|snapshot of 20 GiB from");
        assertThat(rows).doesNotContainKey(other); // no owner tag: not a student's
        assertThat(rows.get(ami)).startsWith("notify|none|AMI bobs-image from");
        assertThat(ec2().describeSnapshots(b -> b.ownerIds("self")).snapshots()).extracting(s -> s.snapshotId())
                .contains(snap, other);
        assertThat(ec2().describeImages(b -> b.owners("self")).images()).extracting(i -> i.imageId()).contains(ami);
    }

    @Test
    void optInDeletionMarksADayAheadThenDeletes() {
        String snap = studentSnapshot();
        Instant first = Instant.now().plus(Duration.ofDays(31));
        String rules = "  snapshots-old: {older-than: 30d, action: delete}\n  amis-old: {enabled: false}";

        assertThat(rows(sweep(first, rules)).get(snap)).startsWith("mark|done|");
        assertThat(ec2().describeSnapshots(b -> b.snapshotIds(snap)).snapshots()).hasSize(1);
        assertThat(rows(sweep(first.plus(Duration.ofHours(25)), rules)).get(snap)).startsWith("delete|done|");
        assertThat(ec2().describeSnapshots(b -> b.ownerIds("self")).snapshots()).extracting(s -> s.snapshotId())
                .doesNotContain(snap);
    }

    @Test
    void aSnapshotBehindAnAmiIsLeftToTheAmiAlsoWhenAmisAreNotSwept() {
        String instance = seed.instance(EU, tags("curfew:owner", "bob"));
        String ami = ec2().createImage(b -> b.instanceId(instance).name("bobs-image")).imageId();
        String behind = ec2().describeImages(b -> b.imageIds(ami)).images().get(0).blockDeviceMappings().stream()
                .filter(m -> m.ebs() != null && m.ebs().snapshotId() != null).findFirst().orElseThrow().ebs()
                .snapshotId();
        ec2().createTags(b -> b.resources(behind).tags(Tag.builder().key("curfew:owner").value("bob").build()));
        String loose = studentSnapshot();
        // the snapshots' rule reads the AMIs: they are listed for it although their own rule is off
        String rules = "  snapshots-old: {older-than: 30d, action: delete}\n  amis-old: {enabled: false}";

        Map<String, String> rows = rows(sweep(Instant.now().plus(Duration.ofDays(31)), rules));

        assertThat(rows.get(behind)).isEqualTo("skip|none|used by an AMI (see the AMI)");
        assertThat(rows).doesNotContainKey(ami);
        assertThat(rows.get(loose)).startsWith("mark|done|");
    }

    private String openGroup(String name, int port) {
        String id = ec2().createSecurityGroup(b -> b.groupName(name).description("quick start")
                .tagSpecifications(s -> s.resourceType("security-group").tags(Tag.builder().key("curfew:owner")
                        .value("carol").build()))).groupId();
        ec2().authorizeSecurityGroupIngress(b -> b.groupId(id).ipPermissions(IpPermission.builder().ipProtocol("tcp")
                .fromPort(port).toPort(port).ipRanges(r -> r.cidrIp("0.0.0.0/0")).build(),
                IpPermission.builder().ipProtocol("tcp").fromPort(443).toPort(443)
                        .ipRanges(r -> r.cidrIp("0.0.0.0/0")).build()));
        return id;
    }

    private long worldOpenRules(String groupId) {
        return ec2().describeSecurityGroups(b -> b.groupIds(groupId)).securityGroups().get(0).ipPermissions().stream()
                .filter(p -> p.ipRanges().stream().anyMatch(r -> "0.0.0.0/0".equals(r.cidrIp()))).count();
    }

    @Test
    void groupsOpeningSshToTheWorldAreReportedWithTheCommandThatNarrowsThem() {
        String ssh = openGroup("launch-wizard-1", 22);
        String web = ec2().createSecurityGroup(b -> b.groupName("web").description("web")).groupId();
        ec2().authorizeSecurityGroupIngress(b -> b.groupId(web).ipPermissions(IpPermission.builder()
                .ipProtocol("tcp").fromPort(443).toPort(443).ipRanges(r -> r.cidrIp("0.0.0.0/0")).build()));

        SweepReport r = sweep(Instant.now(), "");

        assertThat(rows(r).get(ssh)).startsWith("notify|none|opens SSH (22) to 0.0.0.0/0 to the whole internet")
                .contains("aws ec2 revoke-security-group-ingress --region eu-west-1 --group-id " + ssh
                        + " --protocol tcp --port 22 --cidr 0.0.0.0/0 && aws ec2 authorize-security-group-ingress "
                        + "--region eu-west-1 --group-id " + ssh + " --protocol tcp --port 22 --cidr "
                        + "\"$(curl -s https://checkip.amazonaws.com)/32\"");
        assertThat(rows(r)).doesNotContainKey(web);
        assertThat(worldOpenRules(ssh)).isEqualTo(2);
    }

    @Test
    void narrowingWhenAskedRevokesOnlyTheRemoteLoginRule() {
        String rdp = openGroup("windows-lab", 3389);

        SweepReport r = sweep(Instant.now(), "  open-remote-login: {action: narrow}");

        assertThat(rows(r).get(rdp)).startsWith("narrow|done|opens RDP (3389)");
        var perms = ec2().describeSecurityGroups(b -> b.groupIds(rdp)).securityGroups().get(0).ipPermissions();
        assertThat(perms).extracting(IpPermission::fromPort).containsExactly(443);
    }

    private String cluster(String name, boolean protectedCluster) {
        return emr.runJobFlow(b -> b.name(name).releaseLabel("emr-7.0.0")
                .instances(i -> i.instanceCount(3).masterInstanceType("m5.xlarge").slaveInstanceType("m5.xlarge")
                        .keepJobFlowAliveWhenNoSteps(true).terminationProtected(protectedCluster))
                .tags(software.amazon.awssdk.services.emr.model.Tag.builder().key("curfew:owner").value("dave")
                        .build())
                .jobFlowRole("EMR_EC2_DefaultRole").serviceRole("EMR_DefaultRole")).jobFlowId();
    }

    @Test
    void idleEmrClustersAreTerminatedProtectedOnesReported() {
        String idle = cluster("spark-lab", false);
        String guarded = cluster("shared-hive", true);

        SweepReport r = sweep(Instant.now().plus(Duration.ofHours(2)), "  emr-idle: {at-curfew: false}");

        assertThat(rows(r).get(idle)).matches("terminate\\|done\\|waiting with no step for (1h59m|2h).*");
        assertThat(rows(r).get(guarded)).startsWith("skip|none|protected: termination protection is on");
        assertThat(emr.describeCluster(b -> b.clusterId(idle)).cluster().status().state())
                .isIn(ClusterState.TERMINATING, ClusterState.TERMINATED);
        assertThat(emr.describeCluster(b -> b.clusterId(guarded)).cluster().status().state())
                .isEqualTo(ClusterState.WAITING);
        assertThat(r.calls()).containsKeys("emr:ListClusters", "emr:DescribeCluster", "emr:TerminateJobFlows")
                .doesNotContainKey("ec2:DescribeInstanceAttribute"); // a cluster's protection is its own
        // the record IAM requires for TerminateJobFlows is on the terminated cluster, and only there
        assertThat(emr.describeCluster(b -> b.clusterId(idle)).cluster().tags())
                .anySatisfy(t -> assertThat(t.key() + "=" + t.value()).startsWith("curfew:action=terminate@"));
        assertThat(emr.describeCluster(b -> b.clusterId(guarded)).cluster().tags())
                .noneSatisfy(t -> assertThat(t.key()).isEqualTo("curfew:action"));
    }
}
