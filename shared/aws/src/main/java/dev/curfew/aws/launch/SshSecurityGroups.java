package dev.curfew.aws.launch;

import dev.curfew.aws.AwsClients;
import dev.curfew.aws.Tagging;
import dev.curfew.core.launch.LaunchPort.TaggedGroup;
import dev.curfew.core.launch.SshGroupSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.DescribeSecurityGroupsResponse;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.IpPermission;
import software.amazon.awssdk.services.ec2.model.IpRange;
import software.amazon.awssdk.services.ec2.model.Ipv6Range;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.SecurityGroup;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.ec2.model.TagSpecification;

/**
 * The launcher's security groups, one per launch, in the region's default VPC: inbound TCP 22 from the caller's
 * address only (the default outbound rule stays), tagged at creation like the instance. Deleting one that an
 * instance still uses is refused by EC2 and reported as "kept"; already gone counts as deleted.
 */
public final class SshSecurityGroups {
    /** CreateTags: tagging at creation (TagSpecifications) needs it, with ec2:CreateAction = CreateSecurityGroup. */
    public static final List<String> IAM_ACTIONS = List.of("ec2:CreateSecurityGroup",
            "ec2:AuthorizeSecurityGroupIngress", "ec2:DescribeSecurityGroups", "ec2:DeleteSecurityGroup",
            "ec2:CreateTags");
    private static final Logger LOG = LogManager.getLogger(SshSecurityGroups.class);

    private final AwsClients clients;

    public SshSecurityGroups(AwsClients clients) {
        this.clients = clients;
    }

    public String create(SshGroupSpec spec) {
        Ec2Client ec2 = clients.ec2(spec.region());
        String id;
        try {
            id = ec2.createSecurityGroup(b -> b.groupName(spec.name()).description(spec.description())
                    .tagSpecifications(TagSpecification.builder().resourceType(ResourceType.SECURITY_GROUP)
                            .tags(tags(spec.tags())).build())).groupId();
        } catch (AwsServiceException e) {
            throw Failures.of(e);
        }
        String ruleNote = spec.description();
        IpPermission ssh = spec.ipv6()
                ? IpPermission.builder().ipProtocol("tcp").fromPort(22).toPort(22)
                        .ipv6Ranges(Ipv6Range.builder().cidrIpv6(spec.cidr()).description(ruleNote).build()).build()
                : IpPermission.builder().ipProtocol("tcp").fromPort(22).toPort(22)
                        .ipRanges(IpRange.builder().cidrIp(spec.cidr()).description(ruleNote).build()).build();
        try {
            ec2.authorizeSecurityGroupIngress(b -> b.groupId(id).ipPermissions(ssh));
        } catch (AwsServiceException e) {
            delete(spec.region(), id);
            throw Failures.of(e);
        }
        return id;
    }

    public List<TaggedGroup> tagged(String region, String tagKey, String tagValue, String namePrefix) {
        List<TaggedGroup> out = new ArrayList<>();
        String token = null;
        try {
            do {
                String t = token;
                DescribeSecurityGroupsResponse page = clients.ec2(region).describeSecurityGroups(b -> b
                        .filters(Filter.builder().name("tag:" + tagKey).values(tagValue).build())
                        .maxResults(1000).nextToken(t));
                for (SecurityGroup g : page.securityGroups()) {
                    if (g.groupName() != null && g.groupName().startsWith(namePrefix)) {
                        out.add(new TaggedGroup(g.groupId(), g.groupName(), Tagging.map(g.tags())));
                    }
                }
                token = page.nextToken();
            } while (token != null && !token.isEmpty());
        } catch (AwsServiceException e) {
            throw Failures.of(e);
        }
        return out;
    }

    /** False when EC2 says the group is still in use. */
    public boolean delete(String region, String groupId) {
        try {
            clients.ec2(region).deleteSecurityGroup(b -> b.groupId(groupId));
            return true;
        } catch (AwsServiceException e) {
            String code = Failures.code(e);
            if (code.equals("InvalidGroup.NotFound")) {
                return true;
            }
            if (code.equals("DependencyViolation") || code.equals("InvalidGroup.InUse")) {
                LOG.info("security group {} is still in use; left for a later clean-up", groupId);
                return false;
            }
            throw Failures.of(e);
        }
    }

    static List<Tag> tags(Map<String, String> m) {
        List<Tag> t = new ArrayList<>();
        m.forEach((k, v) -> t.add(Tag.builder().key(k).value(v).build()));
        return t;
    }
}
