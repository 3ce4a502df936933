package dev.curfew.aws;

import dev.curfew.core.model.ResourceKind;
import dev.curfew.core.model.SecurityGroup;
import dev.curfew.core.plan.Decision;
import dev.curfew.core.sweep.Outcome;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.IpPermission;
import software.amazon.awssdk.services.ec2.model.IpRange;
import software.amazon.awssdk.services.ec2.model.Ipv6Range;

/**
 * Security groups that open a remote-login port to the whole internet. Listed a page at a time; narrowing (opt-in)
 * revokes exactly the world-open rules and nothing else.
 */
public final class SecurityGroups extends KindAdapter {
    public static final List<String> IAM_ACTIONS = List.of("ec2:DescribeSecurityGroups",
            "ec2:RevokeSecurityGroupIngress");
    static final String WORLD4 = "0.0.0.0/0";
    static final String WORLD6 = "::/0";

    public SecurityGroups() {
        super(ResourceKind.SECURITY_GROUP, IAM_ACTIONS);
    }

    @Override
    public List<SecurityGroup> list(AwsClients clients, String region) {
        Ec2Client ec2 = clients.ec2(region);
        List<SecurityGroup> out = new ArrayList<>();
        for (var g : ec2.describeSecurityGroupsPaginator(b -> b.maxResults(1000)).securityGroups()) {
            List<SecurityGroup.OpenPort> open = new ArrayList<>();
            for (IpPermission p : g.ipPermissions()) {
                String proto = p.ipProtocol();
                if (!"tcp".equals(proto) && !"-1".equals(proto) && !"6".equals(proto)) {
                    continue;
                }
                int from = p.fromPort() == null || "-1".equals(proto) ? 0 : p.fromPort();
                int to = p.toPort() == null || "-1".equals(proto) ? 65535 : p.toPort();
                String protocol = "6".equals(proto) ? "tcp" : proto;
                for (IpRange r : p.ipRanges()) {
                    if (WORLD4.equals(r.cidrIp())) {
                        open.add(new SecurityGroup.OpenPort(protocol, from, to, WORLD4));
                    }
                }
                for (Ipv6Range r : p.ipv6Ranges()) {
                    if (WORLD6.equals(r.cidrIpv6())) {
                        open.add(new SecurityGroup.OpenPort(protocol, from, to, WORLD6));
                    }
                }
            }
            out.add(new SecurityGroup(g.groupId(), region, g.groupName(), g.vpcId(), open, Tagging.map(g.tags())));
        }
        return out;
    }

    @Override
    protected Outcome act(AwsClients clients, String region, Decision d) {
        Ec2Client ec2 = clients.ec2(region);
        SecurityGroup g = (SecurityGroup) d.resource();
        return switch (d.action()) {
            case NARROW -> {
                List<IpPermission> revoke = new ArrayList<>();
                for (SecurityGroup.OpenPort o : g.worldOpen()) {
                    if (!o.covers(22) && !o.covers(3389)) {
                        continue;
                    }
                    IpPermission.Builder b = IpPermission.builder().ipProtocol(o.protocol());
                    if (!o.protocol().equals("-1")) {
                        b.fromPort(o.fromPort()).toPort(o.toPort());
                    }
                    if (o.cidr().equals(WORLD6)) {
                        b.ipv6Ranges(Ipv6Range.builder().cidrIpv6(WORLD6).build());
                    } else {
                        b.ipRanges(IpRange.builder().cidrIp(WORLD4).build());
                    }
                    revoke.add(b.build());
                }
                // IAM allows it only on a group carrying its curfew:action record, written a moment ago
                Tagging.actAfterTagging(() -> ec2.revokeSecurityGroupIngress(b -> b.groupId(g.id())
                        .ipPermissions(revoke)));
                yield Outcome.done(g.id(), "revoked " + revoke.size() + " rule" + (revoke.size() == 1 ? "" : "s")
                        + " open to the internet");
            }
            default -> Outcome.failed(g.id(), "security groups cannot be sent " + d.action().wireName());
        };
    }
}
