package dev.curfew.aws;

import dev.curfew.core.model.ResourceKind;
import dev.curfew.core.model.SpotRequest;
import dev.curfew.core.model.SpotRequestType;
import dev.curfew.core.plan.Decision;
import dev.curfew.core.sweep.Outcome;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.SpotInstanceRequest;

/**
 * The {@code spot-request} resource kind: one listing a region (the instances of the region are joined with it),
 * cancel. IAM allows the cancel only on a request carrying its {@code curfew:action} record.
 */
public final class SpotRequests extends KindAdapter {
    public static final List<String> IAM_ACTIONS = List.of("ec2:DescribeSpotInstanceRequests",
            "ec2:CancelSpotInstanceRequests");

    public SpotRequests() {
        super(ResourceKind.SPOT_REQUEST, IAM_ACTIONS);
    }

    @Override
    public List<SpotRequest> list(AwsClients clients, String region) {
        return clients.ec2(region).describeSpotInstanceRequestsPaginator(b -> b.maxResults(1000))
                .spotInstanceRequests().stream().map(r -> toModel(region, r)).toList();
    }

    static SpotRequest toModel(String region, SpotInstanceRequest r) {
        Map<String, String> tags = Tagging.map(r.tags());
        String type = r.launchSpecification() == null ? null : r.launchSpecification().instanceTypeAsString();
        return new SpotRequest(r.spotInstanceRequestId(), region, SpotRequestType.fromAws(r.typeAsString()),
                r.stateAsString(), r.instanceId(), type, r.createTime(), tags);
    }

    @Override
    protected Outcome act(AwsClients clients, String region, Decision d) {
        Ec2Client ec2 = clients.ec2(region);
        String id = d.resource().id();
        return switch (d.action()) {
            case CANCEL -> {
                cancel(ec2, id);
                yield Outcome.done(id, "cancelled");
            }
            default -> Outcome.failed(id, "spot requests cannot be sent " + d.action().wireName());
        };
    }

    /** Cancels one request that carries its {@code curfew:action} record, written a moment ago. */
    static void cancel(Ec2Client ec2, String id) {
        Tagging.actAfterTagging(() -> ec2.cancelSpotInstanceRequests(b -> b.spotInstanceRequestIds(id)));
    }
}
