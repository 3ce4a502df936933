package dev.curfew.aws;

import static org.assertj.core.api.Assertions.assertThat;

import dev.curfew.core.model.ResourceKind;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What the sweep asks the adapters instead of naming kinds: whose tags are EC2's (a warning pass tags those in
 * batches), what the instance adapter calls (the IAM list and template.yaml follow it), and the order the listings
 * need (instances join the spot requests listed before them).
 */
class KindAdaptersTest {

    @Test
    void onlyBucketsAndEmrClustersTagOtherwiseThanWithEc2sTags() {
        assertThat(KindAdapter.ALL.stream().filter(a -> !a.ec2Tags()).map(KindAdapter::kind).toList())
                .containsExactlyInAnyOrder(ResourceKind.S3_BUCKET, ResourceKind.EMR_CLUSTER);
    }

    @Test
    void theInstanceAdapterDeclaresEveryCallOfItsListingMetricsProtectionAndActs() {
        KindAdapter instances = KindAdapter.of(ResourceKind.EC2_INSTANCE);

        assertThat(instances).isInstanceOf(Ec2Instances.class);
        assertThat(instances.iamActions()).containsExactlyInAnyOrder("ec2:DescribeInstances",
                "ec2:DescribeSpotInstanceRequests", "ec2:DescribeInstanceAttribute", "ec2:StopInstances",
                "ec2:TerminateInstances", "ec2:CancelSpotInstanceRequests", "ec2:CreateTags",
                "cloudwatch:GetMetricData");
        assertThat(AwsCloud.iamActions()).containsAll(instances.iamActions());
        assertThat(instances.actsOnRecord()).isTrue();
    }

    @Test
    void instancesAreListedAfterTheSpotRequestsTheyAreJoinedWith() {
        List<ResourceKind> order = KindAdapter.ALL.stream().map(KindAdapter::kind).toList();
        assertThat(order.indexOf(ResourceKind.EC2_INSTANCE)).isGreaterThan(order.indexOf(ResourceKind.SPOT_REQUEST));
    }
}
