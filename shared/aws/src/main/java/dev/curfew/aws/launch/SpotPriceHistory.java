package dev.curfew.aws.launch;

import dev.curfew.aws.AwsClients;
import dev.curfew.core.launch.SpotPrice;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.ec2.model.DescribeSpotPriceHistoryRequest;
import software.amazon.awssdk.services.ec2.model.DescribeSpotPriceHistoryResponse;

/**
 * Spot price history of one instance type in every availability zone of a region (Linux/UNIX), for a window:
 * EC2 returns every price change in it and the price in effect at its start. Pages of 1,000.
 */
public final class SpotPriceHistory {
    public static final List<String> IAM_ACTIONS = List.of("ec2:DescribeSpotPriceHistory");
    static final String LINUX = "Linux/UNIX";

    private final AwsClients clients;

    public SpotPriceHistory(AwsClients clients) {
        this.clients = clients;
    }

    public List<SpotPrice> read(String region, String instanceType, Instant from, Instant to) {
        List<SpotPrice> out = new ArrayList<>();
        String token = null;
        try {
            do {
                DescribeSpotPriceHistoryResponse page = clients.ec2(region).describeSpotPriceHistory(
                        DescribeSpotPriceHistoryRequest.builder().instanceTypesWithStrings(instanceType)
                                .productDescriptions(LINUX).startTime(from).endTime(to).maxResults(1000)
                                .nextToken(token).build());
                page.spotPriceHistory().forEach(p -> out.add(new SpotPrice(p.availabilityZone(),
                        p.instanceTypeAsString(), p.productDescriptionAsString(), new BigDecimal(p.spotPrice()),
                        p.timestamp())));
                token = page.nextToken();
            } while (token != null && !token.isEmpty());
        } catch (AwsServiceException e) {
            throw Failures.of(e);
        }
        return out;
    }
}
