package dev.curfew.core.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.curfew.core.model.EbsSnapshot;
import dev.curfew.core.model.Ec2Instance;
import dev.curfew.core.model.EmrCluster;
import dev.curfew.core.model.InstanceState;
import dev.curfew.core.model.Inventory;
import dev.curfew.core.model.MachineImage;
import dev.curfew.core.model.ResourceKind;
import dev.curfew.core.model.SecurityGroup;
import dev.curfew.core.policy.Policy;
import dev.curfew.core.policy.PolicyLoader;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The planner for snapshots, AMIs, security groups and EMR clusters, and EMR's instances. */
class KindsPlannerTest {
    static final Instant NOW = Instant.parse("2026-11-25T19:00:00Z");
    static final Policy POLICY = PolicyLoader.load("""
            curfew: "18:00"
            exemptions: {allow-list: [kept-cluster]}
            """, "test");

    private static Decision only(Inventory inv) {
        List<Decision> all = Planner.plan(inv, POLICY, NOW).decisions();
        assertThat(all).hasSize(1);
        return all.get(0);
    }

    private static Inventory of(List<EbsSnapshot> s, List<MachineImage> i, List<SecurityGroup> g,
                                List<EmrCluster> e) {
        return new Inventory(List.of(), Map.of(), List.of(), List.of(), List.of(), List.of(), s, i, g, e);
    }

    @Test
    void anEmrClustersInstanceIsHandledThroughTheCluster() {
        Ec2Instance i = new Ec2Instance("i-emr", "eu-west-1", "m5.xlarge", InstanceState.RUNNING, false, null, null,
                NOW.minus(Duration.ofDays(2)), NOW.minus(Duration.ofDays(2)), null,
                Map.of("aws:elasticmapreduce:job-flow-id", "j-123", "curfew:owner", "dave"), null);
        Decision d = Planner.plan(new Inventory(List.of(i), Map.of()), POLICY, NOW).decisions().get(0);
        assertThat(d.action()).isEqualTo(Action.SKIP);
        assertThat(d.reason()).isEqualTo("part of the EMR cluster j-123: handled through the cluster");
    }

    @Test
    void emrClusterUpSinceBeforeCurfewIsTerminatedUnlessProtectedOrAllowed() {
        Instant created = NOW.minus(Duration.ofHours(3));
        EmrCluster busy = new EmrCluster("j-1", "eu-west-1", "spark", "RUNNING", created, null, 2, false, null,
                Map.of());
        assertThat(only(of(List.of(), List.of(), List.of(), List.of(busy))).action()).isEqualTo(Action.TERMINATE);

        EmrCluster prot = new EmrCluster("j-2", "eu-west-1", "spark", "RUNNING", created, null, 2, true, null,
                Map.of());
        assertThat(only(of(List.of(), List.of(), List.of(), List.of(prot))).reason())
                .startsWith("protected: termination protection is on");

        EmrCluster allowed = new EmrCluster("j-3", "eu-west-1", "kept-cluster", "WAITING", created, created, 0,
                false, null, Map.of());
        assertThat(only(of(List.of(), List.of(), List.of(), List.of(allowed))).reason())
                .isEqualTo("exempt: on the instructor's allow-list");

        EmrCluster fresh = new EmrCluster("j-4", "eu-west-1", "new", "WAITING", NOW.minus(Duration.ofMinutes(20)),
                NOW.minus(Duration.ofMinutes(20)), 0, false, null, Map.of());
        Decision d = only(of(List.of(), List.of(), List.of(), List.of(fresh)));
        assertThat(d.action()).isEqualTo(Action.SKIP);
        assertThat(d.reason()).isEqualTo("idle for less than 1h");
    }

    @Test
    void aSnapshotBehindAnAmiIsLeftToTheAmi() {
        Instant old = NOW.minus(Duration.ofDays(40));
        EbsSnapshot s = new EbsSnapshot("snap-1", "eu-west-1", "vol-1", 8, old, "completed",
                Map.of("curfew:owner", "bob"));
        MachineImage i = new MachineImage("ami-1", "eu-west-1", "img", old, List.of("snap-1"),
                Map.of("curfew:owner", "bob"));
        List<Decision> ds = Planner.plan(of(List.of(s), List.of(i), List.of(), List.of()), POLICY, NOW).decisions();
        assertThat(ds).extracting(x -> x.resource().id() + ":" + x.action() + ":" + x.reason().split(" from")[0])
                .containsExactly("snap-1:skip:used by an AMI (see the AMI)", "ami-1:notify:AMI img");
    }

    @Test
    void theAmisAreListedWhenTheSnapshotsRuleThatReadsThemIsOnAndOnlyThen() {
        Policy snapshotsOnly = PolicyLoader.load("rules: {amis-old: {enabled: false}}", "test");
        Policy neither = PolicyLoader.load("rules: {amis-old: {enabled: false}, snapshots-old: {enabled: false}}",
                "test");
        assertThat(Kinds.listed(POLICY.leftovers(), ResourceKind.AMI)).isTrue();
        assertThat(Kinds.listed(snapshotsOnly.leftovers(), ResourceKind.AMI)).isTrue();
        assertThat(Kinds.listed(neither.leftovers(), ResourceKind.AMI)).isFalse();
        assertThat(Kinds.listed(snapshotsOnly.leftovers(), ResourceKind.EBS_VOLUME)).isTrue();
        assertThat(Kinds.listed(neither.leftovers(), ResourceKind.EBS_SNAPSHOT)).isFalse();
    }

    @Test
    void ipv6AndAllTrafficRulesGetTheirOwnNarrowingCommand() {
        SecurityGroup g = new SecurityGroup("sg-1", "eu-west-1", "wizard", "vpc-1", List.of(
                new SecurityGroup.OpenPort("-1", 0, 65535, "0.0.0.0/0"),
                new SecurityGroup.OpenPort("tcp", 22, 22, "::/0")), Map.of());
        Decision d = only(of(List.of(), List.of(), List.of(g), List.of()));
        assertThat(d.action()).isEqualTo(Action.NOTIFY);
        assertThat(d.reason()).startsWith("opens SSH (22) to 0.0.0.0/0, RDP (3389) to 0.0.0.0/0, SSH (22) to ::/0")
                .contains("--protocol all --cidr 0.0.0.0/0")
                .contains("--ip-permissions 'IpProtocol=tcp,FromPort=22,ToPort=22,Ipv6Ranges=[{CidrIpv6=::/0}]'");

        SecurityGroup closed = new SecurityGroup("sg-2", "eu-west-1", "web", "vpc-1", List.of(
                new SecurityGroup.OpenPort("tcp", 443, 443, "0.0.0.0/0")), Map.of());
        assertThat(Planner.plan(of(List.of(), List.of(), List.of(closed), List.of()), POLICY, NOW).decisions())
                .isEmpty();
    }
}
