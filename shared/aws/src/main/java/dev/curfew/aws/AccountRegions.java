package dev.curfew.aws;

import java.util.List;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.RegionMetadata;
import software.amazon.awssdk.services.ec2.model.DescribeRegionsResponse;

/** The account's identity and enabled regions. */
public final class AccountRegions {
    public static final List<String> IAM_ACTIONS = List.of("ec2:DescribeRegions", "sts:GetCallerIdentity");

    private final AwsClients clients;

    public AccountRegions(AwsClients clients) {
        this.clients = clients;
    }

    public String accountId() {
        return clients.sts().getCallerIdentity().account();
    }

    /**
     * Enabled regions in the home region's partition. Filtered here, not by the API: opt-in regions that are not
     * opted in are left out, and so are regions of other partitions (which some emulators return).
     */
    public List<String> enabled() {
        Region home = clients.settings().homeRegion();
        String partition = partition(home.id());
        DescribeRegionsResponse r = clients.ec2(home.id()).describeRegions(b -> b.allRegions(false));
        return r.regions().stream()
                .filter(x -> x.optInStatus() == null || x.optInStatus().equals("opt-in-not-required")
                        || x.optInStatus().equals("opted-in"))
                .map(x -> x.regionName())
                .filter(name -> partition.equals(partition(name)))
                .sorted()
                .toList();
    }

    static String partition(String region) {
        RegionMetadata md = RegionMetadata.of(Region.of(region));
        if (md != null && md.partition() != null) {
            return md.partition().id();
        }
        if (region.startsWith("cn-")) return "aws-cn";
        if (region.startsWith("us-gov-")) return "aws-us-gov";
        if (region.startsWith("us-iso-")) return "aws-iso";
        if (region.startsWith("us-isob-")) return "aws-iso-b";
        return "aws";
    }
}
