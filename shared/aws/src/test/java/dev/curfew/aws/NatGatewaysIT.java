package dev.curfew.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.curfew.aws.testing.MotoServer;
import dev.curfew.aws.testing.Sweeps;
import dev.curfew.core.model.NatGateway;
import dev.curfew.core.plan.Action;
import dev.curfew.core.plan.ActionTag;
import dev.curfew.core.plan.Decision;
import dev.curfew.core.report.SweepReport;
import dev.curfew.core.sweep.AccountGuardException;
import dev.curfew.core.sweep.Outcome;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ec2.Ec2Client;

/**
 * NAT gateways against the moto server, in two regions: dry-run changes nothing; marked (with the owner from the
 * owner tag) when first seen, deleted when the mark is due; kept ones and ones given a keep tag after the mark are
 * left; the account guard and a policy that does not name deletion leave every gateway up; and a gateway whose tags
 * changed between listing and acting is not deleted.
 */
@Tag("kind:nat-gateway")
class NatGatewaysIT {
    static final String EU = "eu-west-1";
    static final String US = "us-east-1";
    MotoServer moto = MotoServer.get();
    AwsClients eu;
    AwsClients us;
    Instant t0 = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    Instant t1 = t0.plus(Duration.ofHours(25));

    static final String POLICY = """
            mode: %s
            accounts: ["%s"]
            regions: [eu-west-1, us-east-1]
            owner-tag: team
            rules:
              ec2-idle: {enabled: false}
              ec2-forgotten: {enabled: false}
              ec2-stopped: {enabled: false}
              ebs-unattached: {enabled: false}
              s3-not-empty: {enabled: false}
              eip-unassociated: {enabled: false}
              spot-requests: {enabled: false}
              snapshots-old: {enabled: false}
              amis-old: {enabled: false}
              open-remote-login: {enabled: false}
              emr-idle: {enabled: false}
              nat-gateways: {%s}
            """;

    @BeforeEach
    void setUp() {
        moto.reset();
        eu = new AwsClients(moto.settings(EU));
        us = new AwsClients(moto.settings(US));
    }

    @AfterEach
    void tearDown() {
        eu.close();
        us.close();
    }

    private static String gateway(Ec2Client ec2, String zone, Map<String, String> tags) {
        String vpc = ec2.createVpc(b -> b.cidrBlock("10.0.0.0/16")).vpc().vpcId();
        String subnet = ec2.createSubnet(b -> b.vpcId(vpc).cidrBlock("10.0.1.0/24").availabilityZone(zone))
                .subnet().subnetId();
        String alloc = ec2.allocateAddress(b -> b.domain("vpc")).allocationId();
        List<software.amazon.awssdk.services.ec2.model.Tag> t = tags.entrySet().stream()
                .map(e -> software.amazon.awssdk.services.ec2.model.Tag.builder().key(e.getKey())
                        .value(e.getValue()).build()).toList();
        return ec2.createNatGateway(b -> b.subnetId(subnet).allocationId(alloc)
                        .tagSpecifications(s -> s.resourceType("natgateway").tags(t)))
                .natGateway().natGatewayId();
    }

    private static String state(Ec2Client ec2, String id) {
        return ec2.describeNatGateways(b -> b.natGatewayIds(id)).natGateways().get(0).stateAsString();
    }

    private static Map<String, String> tags(Ec2Client ec2, String id) {
        return ec2.describeNatGateways(b -> b.natGatewayIds(id)).natGateways().get(0).tags().stream()
                .collect(Collectors.toMap(software.amazon.awssdk.services.ec2.model.Tag::key,
                        software.amazon.awssdk.services.ec2.model.Tag::value));
    }

    private SweepReport sweep(Instant now, String mode, String account, String rule) {
        return Sweeps.at(moto, now, POLICY.formatted(mode, account, rule));
    }

    private static Map<String, SweepReport.Row> rows(SweepReport r) {
        return r.rows().stream().filter(x -> x.kind().equals("nat-gateway"))
                .collect(Collectors.toMap(SweepReport.Row::id, x -> x));
    }

    @Test
    void marksInEveryRegionThenDeletesWhenDueAndLeavesWhatIsKept() {
        String alice = gateway(eu.ec2(EU), "eu-west-1a", Map.of("team", "alice"));
        String bob = gateway(us.ec2(US), "us-east-1a", Map.of("team", "bob"));
        String kept = gateway(eu.ec2(EU), "eu-west-1b", Map.of("team", "carol", "curfew:keep",
                t1.plus(Duration.ofDays(2)).atZone(ZoneOffset.UTC).toLocalDate().toString()));
        String lateKeep = gateway(us.ec2(US), "us-east-1b", Map.of("team", "dan"));

        // dry-run: decided, nothing written
        Map<String, SweepReport.Row> dry = rows(sweep(t0, "dry-run", "123456789012", ""));
        assertThat(dry.get(alice).decision()).isEqualTo("mark");
        assertThat(dry.get(bob).decision()).isEqualTo("mark");
        assertThat(tags(eu.ec2(EU), alice)).doesNotContainKey("curfew:pending");

        // enforce: marked in both regions, the owner from the policy's owner tag, the kept one left
        Map<String, SweepReport.Row> first = rows(sweep(t0, "enforce", "123456789012", ""));
        assertThat(first.get(alice).owner()).isEqualTo("alice");
        assertThat(first.get(bob).owner()).isEqualTo("bob");
        assertThat(first.get(bob).region()).isEqualTo(US);
        assertThat(first.get(alice).reason()).contains("marked: delete at");
        assertThat(first.get(alice).costPerHour()).isEqualTo(0.05, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(first.get(kept).decision()).isEqualTo("skip");
        assertThat(tags(eu.ec2(EU), alice)).containsKey("curfew:pending");
        assertThat(tags(eu.ec2(EU), kept)).doesNotContainKey("curfew:pending");

        // dan keeps his before the mark is due: the due sweep sees the keep tag and leaves it
        us.ec2(US).createTags(b -> b.resources(lateKeep).tags(t -> t.key("curfew:keep")
                .value(t1.plus(Duration.ofDays(1)).atZone(ZoneOffset.UTC).toLocalDate().toString())));

        // the account guard: another account's policy changes nothing, even when the marks are due
        assertThatThrownBy(() -> sweep(t1, "enforce", "111111111111", ""))
                .isInstanceOf(AccountGuardException.class);
        // a policy that does not name deletion only tells
        Map<String, SweepReport.Row> notify = rows(sweep(t1, "enforce", "123456789012", "action: notify"));
        assertThat(notify.get(alice).decision()).isEqualTo("notify");
        assertThat(state(eu.ec2(EU), alice)).isEqualTo("available");
        // switched off: not even listed
        assertThat(rows(sweep(t1, "enforce", "123456789012", "enabled: false"))).isEmpty();
        assertThat(state(us.ec2(US), bob)).isEqualTo("available");

        Map<String, SweepReport.Row> due = rows(sweep(t1, "enforce", "123456789012", ""));
        assertThat(due.get(alice).outcome()).isEqualTo("done");
        assertThat(due.get(bob).outcome()).isEqualTo("done");
        assertThat(state(eu.ec2(EU), alice)).isEqualTo("deleted");
        assertThat(state(us.ec2(US), bob)).isEqualTo("deleted");
        assertThat(tags(us.ec2(US), bob).get(ActionTag.TAG)).startsWith("delete@");
        assertThat(state(eu.ec2(EU), kept)).isEqualTo("available");
        assertThat(state(us.ec2(US), lateKeep)).isEqualTo("available");
        assertThat(due.get(lateKeep).decision()).isIn("skip", "unmark");

        // deleted ones are no longer listed (not billed)
        assertThat(rows(sweep(t1.plusSeconds(60), "enforce", "123456789012", ""))).doesNotContainKeys(alice, bob);
    }

    @Test
    void looksAgainBeforeDeletingAndCountsGoneAsDone() {
        NatGateways adapter = new NatGateways();
        String id = gateway(eu.ec2(EU), "eu-west-1a", Map.of("team", "erin"));
        NatGateway listed = adapter.list(eu, EU).stream().filter(g -> g.id().equals(id)).findFirst().orElseThrow();
        Decision delete = new Decision(listed, "erin", List.of(), Action.DELETE, "test", null,
                ActionTag.of(Action.DELETE, t0), List.of(), null);
        // kept between listing and acting: not deleted
        eu.ec2(EU).createTags(b -> b.resources(id).tags(t -> t.key("curfew:keep").value("2099-01-01")));
        Outcome refused = adapter.apply(eu, EU, delete);
        assertThat(refused.status()).isEqualTo(Outcome.Status.FAILED);
        assertThat(refused.detail()).contains("tags changed");
        assertThat(state(eu.ec2(EU), id)).isEqualTo("available");

        NatGateway again = adapter.list(eu, EU).get(0);
        Decision now = new Decision(again, "erin", List.of(), Action.DELETE, "test", null,
                ActionTag.of(Action.DELETE, t0), List.of(), null);
        assertThat(adapter.apply(eu, EU, now).status()).isEqualTo(Outcome.Status.DONE);
        assertThat(adapter.apply(eu, EU, now).status()).isEqualTo(Outcome.Status.ALREADY);
    }
}
