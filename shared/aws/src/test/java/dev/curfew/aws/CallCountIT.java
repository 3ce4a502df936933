package dev.curfew.aws;

import static dev.curfew.aws.testing.Seed.tags;
import static org.assertj.core.api.Assertions.assertThat;

import dev.curfew.aws.testing.MotoServer;
import dev.curfew.aws.testing.Seed;
import dev.curfew.core.policy.PolicyLoader;
import dev.curfew.core.report.SweepReport;
import dev.curfew.core.sweep.SweepEngine;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Listing costs pages, not resources: 1,000 instances in one region are one DescribeInstances call. */
class CallCountIT {

    @Test
    void thousandInstancesTakeOnePageAndSixMetricCalls() {
        MotoServer moto = MotoServer.get();
        moto.reset();
        Instant now = Instant.now().plus(Duration.ofHours(3));
        List<String> ids = new ArrayList<>();
        try (AwsClients seeding = new AwsClients(moto.settings("eu-west-1"))) {
            Seed seed = new Seed(seeding);
            for (int i = 0; i < 10; i++) {
                ids.addAll(seed.instances("eu-west-1", 100, "t3.micro", tags("curfew:owner", "student" + i)));
            }
            seed.metrics("eu-west-1", ids.get(0), now.minus(Duration.ofHours(2)), now, 1.0, 100);
            seed.metrics("eu-west-1", ids.get(999), now.minus(Duration.ofHours(2)), now, 90.0, 100);
        }
        try (AwsClients clients = new AwsClients(moto.settings("eu-west-1"))) {
            SweepReport r = new SweepEngine(new AwsCloud(clients), Clock.fixed(now, ZoneOffset.UTC), 4, null)
                    .run(PolicyLoader.load("""
                            regions: [eu-west-1]
                            rules: {ec2-forgotten: {enabled: false}}
                            """, "test"));

            assertThat(r.rows()).hasSize(1000);
            assertThat(r.calls().get("ec2:DescribeInstances")).isEqualTo(1L);
            assertThat(r.calls().get("cloudwatch:GetMetricData")).isLessThanOrEqualTo(6L);
            assertThat(r.calls()).doesNotContainKey("ec2:DescribeTags");
            // the idle one is found through the batched metrics, the busy one is not
            assertThat(r.rows()).filteredOn(x -> x.id().equals(ids.get(0))).first()
                    .satisfies(x -> assertThat(x.decision()).isEqualTo("stop"));
            assertThat(r.rows()).filteredOn(x -> x.id().equals(ids.get(999))).first()
                    .satisfies(x -> assertThat(x.reason()).startsWith("busy"));
            // dry-run: one protection read for the one stop candidate, nothing else per resource
            assertThat(r.calls().get("ec2:DescribeInstanceAttribute")).isEqualTo(1L);
        }
    }
}
