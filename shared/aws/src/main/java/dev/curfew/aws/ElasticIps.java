package dev.curfew.aws;

import dev.curfew.core.model.ElasticIp;
import dev.curfew.core.model.ResourceKind;
import dev.curfew.core.plan.Decision;
import dev.curfew.core.sweep.Outcome;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.ec2.Ec2Client;

/** The {@code elastic-ip} resource kind: list (one call a region), release the unassociated ones. */
public final class ElasticIps extends KindAdapter {
    public static final List<String> IAM_ACTIONS = List.of("ec2:DescribeAddresses", "ec2:ReleaseAddress");

    /** DescribeAddresses has no pages: every address of the region in one answer. */
    public ElasticIps() {
        super(ResourceKind.ELASTIC_IP, IAM_ACTIONS);
    }

    @Override
    public List<ElasticIp> list(AwsClients clients, String region) {
        return clients.ec2(region).describeAddresses().addresses().stream().map(a -> {
            Map<String, String> tags = Tagging.map(a.tags());
            String id = a.allocationId() != null ? a.allocationId() : a.publicIp();
            return new ElasticIp(id, region, a.publicIp(), blankToNull(a.associationId()),
                    blankToNull(a.instanceId()), tags);
        }).toList();
    }

    @Override
    public String left(AwsClients clients, String region, String id) {
        return super.left(clients, region, id).equals("gone") ? "released" : "still allocated";
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    @Override
    protected Outcome act(AwsClients clients, String region, Decision d) {
        Ec2Client ec2 = clients.ec2(region);
        ElasticIp a = (ElasticIp) d.resource();
        return switch (d.action()) {
            case RELEASE -> {
                // IAM allows it only on an address carrying its curfew:action record, written a moment ago
                Tagging.actAfterTagging(() -> ec2.releaseAddress(b -> b.allocationId(a.id())));
                yield Outcome.done(a.id(), "released " + a.publicIp());
            }
            default -> Outcome.failed(a.id(), "Elastic IPs cannot be sent " + d.action().wireName());
        };
    }
}
