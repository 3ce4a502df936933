package dev.curfew.aws;

import dev.curfew.core.model.SpotRequest;
import dev.curfew.core.model.SpotRequestType;
import dev.curfew.core.plan.Decision;
import dev.curfew.core.sweep.Outcome;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.SpotInstanceRequest;

/** The {@code spot-request} resource kind: one listing a region (shared with the instance join), cancel. */
public final class SpotRequests {
    public static final List<String> IAM_ACTIONS = List.of("ec2:DescribeSpotInstanceRequests",
            "ec2:CancelSpotInstanceRequests");

    private final AwsClients clients;

    public SpotRequests(AwsClients clients) {
        this.clients = clients;
    }

    public List<SpotInstanceRequest> raw(String region) {
        Ec2Client ec2 = clients.ec2(region);
        return new ArrayList<>(ec2.describeSpotInstanceRequestsPaginator(b -> b.maxResults(1000))
                .spotInstanceRequests().stream().toList());
    }

    public static SpotRequest toModel(String region, SpotInstanceRequest r) {
        Map<String, String> tags = new LinkedHashMap<>();
        r.tags().forEach(t -> tags.put(t.key(), t.value()));
        String type = r.launchSpecification() == null ? null : r.launchSpecification().instanceTypeAsString();
        return new SpotRequest(r.spotInstanceRequestId(), region, SpotRequestType.fromAws(r.typeAsString()),
                r.stateAsString(), r.instanceId(), type, r.createTime(), tags);
    }

    public Outcome apply(String region, Decision d) {
        Ec2Client ec2 = clients.ec2(region);
        String id = d.resource().id();
        try {
            return switch (d.action()) {
                case MARK, UNMARK -> Tagging.apply(ec2, d);
                case CANCEL -> {
                    ec2.cancelSpotInstanceRequests(b -> b.spotInstanceRequestIds(id));
                    yield Outcome.done(id, "cancelled");
                }
                default -> Outcome.failed(id, "spot requests cannot be sent " + d.action().wireName());
            };
        } catch (AwsServiceException e) {
            return Errors.outcome(id, e);
        }
    }
}
