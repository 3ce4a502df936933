package dev.curfew.aws;

import dev.curfew.core.model.NatGateway;
import dev.curfew.core.model.ResourceKind;
import dev.curfew.core.plan.ActionTag;
import dev.curfew.core.plan.Decision;
import dev.curfew.core.sweep.Outcome;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Filter;

/**
 * The {@code nat-gateway} resource kind: list the billed ones (pending, available) of a region, every page; delete
 * one after looking at it once more. Its Elastic IPs stay allocated ({@code eip-unassociated} releases them).
 */
public final class NatGateways extends KindAdapter {
    public static final List<String> IAM_ACTIONS = List.of("ec2:DescribeNatGateways", "ec2:DeleteNatGateway");
    /** The states AWS bills for. */
    static final List<String> BILLED_STATES = List.of("pending", "available");

    public NatGateways() {
        super(ResourceKind.NAT_GATEWAY, IAM_ACTIONS);
    }

    @Override
    public List<NatGateway> list(AwsClients clients, String region) {
        Filter billed = Filter.builder().name("state").values(BILLED_STATES).build();
        return clients.ec2(region).describeNatGatewaysPaginator(b -> b.filter(billed).maxResults(1000))
                .natGateways().stream().map(g -> toModel(region, g)).toList();
    }

    static NatGateway toModel(String region, software.amazon.awssdk.services.ec2.model.NatGateway g) {
        return new NatGateway(g.natGatewayId(), region, g.stateAsString(), g.vpcId(), g.subnetId(),
                g.natGatewayAddresses().stream().map(a -> a.publicIp()).filter(java.util.Objects::nonNull).toList(),
                g.createTime(), Tagging.map(g.tags()));
    }

    @Override
    protected Outcome act(AwsClients clients, String region, Decision d) {
        Ec2Client ec2 = clients.ec2(region);
        NatGateway g = (NatGateway) d.resource();
        return switch (d.action()) {
            case DELETE -> delete(ec2, g);
            default -> Outcome.failed(g.id(), "NAT gateways cannot be sent " + d.action().wireName());
        };
    }

    /**
     * Looks at the gateway once more first: gone or going counts as done; tags changed since it was listed (a keep
     * tag, another owner) leave it for the next sweep to decide again.
     */
    private static Outcome delete(Ec2Client ec2, NatGateway listed) {
        List<software.amazon.awssdk.services.ec2.model.NatGateway> now = ec2.describeNatGateways(
                b -> b.filter(Filter.builder().name("nat-gateway-id").values(listed.id()).build())).natGateways();
        if (now.isEmpty() || !BILLED_STATES.contains(now.get(0).stateAsString())) {
            return new Outcome(listed.id(), Outcome.Status.ALREADY, now.isEmpty() ? "already gone"
                    : "already " + now.get(0).stateAsString());
        }
        Map<String, String> before = new LinkedHashMap<>(listed.tags());
        Map<String, String> after = Tagging.map(now.get(0).tags());
        before.remove(ActionTag.TAG);
        after.remove(ActionTag.TAG);
        if (!before.equals(after)) {
            return Outcome.failed(listed.id(), "not deleted: its tags changed since it was listed (now " + after
                    + "); decided again on the next sweep");
        }
        // IAM allows it only on a gateway carrying its curfew:action record, written a moment ago
        Tagging.actAfterTagging(() -> ec2.deleteNatGateway(b -> b.natGatewayId(listed.id())));
        return Outcome.done(listed.id(), "deleted NAT gateway" + (listed.publicIps().isEmpty() ? ""
                : " (its address " + String.join(", ", listed.publicIps()) + " stays allocated until "
                + "eip-unassociated releases it)"));
    }
}
