package dev.curfew.core.plan;

import static dev.curfew.core.plan.InstanceBuilder.instance;
import static org.assertj.core.api.Assertions.assertThat;

import dev.curfew.core.model.EbsSnapshot;
import dev.curfew.core.model.Ec2Instance;
import dev.curfew.core.model.InstanceMetrics;
import dev.curfew.core.model.Inventory;
import dev.curfew.core.model.ResourceKind;
import dev.curfew.core.model.S3Bucket;
import dev.curfew.core.model.SpotRequest;
import dev.curfew.core.model.SpotRequestType;
import dev.curfew.core.policy.Policy;
import dev.curfew.core.policy.PolicyLoader;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A partial view is never acted on as if it were whole: when a listing failed, the decisions that depend on it are
 * skipped with the reason, and the same resources are decided as usual when nothing failed.
 */
class PartialViewTest {
    static final Instant NOW = Instant.parse("2026-11-25T19:00:00Z");
    static final String EU = "eu-west-1";
    static final Policy POLICY = PolicyLoader.load("""
            curfew: "18:00"
            rules:
              ec2-idle: {action: terminate}
              s3-not-empty: {grace: 0h, name-prefixes: [lab-]}
              snapshots-old: {older-than: 24h, action: delete}
            """, "test");

    private static Decision of(Inventory inv, String id) {
        return Planner.plan(inv, POLICY, NOW).decisions().stream().filter(d -> d.resource().id().equals(id))
                .findFirst().orElseThrow();
    }

    private static Map<String, String> failed(String key) {
        return Map.of(key, "listing failed: RequestLimitExceeded: Request limit exceeded.");
    }

    /** The decision on {@code id} when the listing under {@code key} failed: asserted a skip, its reason given. */
    private static String skipReason(Inventory inv, String key, String id) {
        Decision d = of(inv.withFailures(failed(key)), id);
        assertThat(d.action()).isEqualTo(Action.SKIP);
        return d.reason();
    }

    @Test
    void aSpotInstanceIsNotTerminatedWhenItsRegionsSpotRequestsCouldNotBeListed() {
        Ec2Instance spot = instance("i-spot").region(EU).launched(NOW.minus(Duration.ofHours(5)))
                .oneTimeSpot("sir-1").build();
        Inventory inv = new Inventory(List.of(spot), Map.of("i-spot", new InstanceMetrics(0.5, 10.0, 10.0)));
        assertThat(of(inv, "i-spot").action()).isEqualTo(Action.TERMINATE);
        assertThat(skipReason(inv, Inventory.key(EU, ResourceKind.SPOT_REQUEST), "i-spot"))
                .startsWith("the spot requests of eu-west-1 could not be listed");
        // another region's failure does not hold it back
        assertThat(of(inv.withFailures(failed(Inventory.key("us-east-1", ResourceKind.SPOT_REQUEST))), "i-spot")
                .action()).isEqualTo(Action.TERMINATE);
    }

    @Test
    void aPersistentRequestIsNotCancelledWhenItsInstanceCouldNotBeListed() {
        SpotRequest r = new SpotRequest("sir-2", EU, SpotRequestType.PERSISTENT, "active", "i-gone",
                "t3.micro", NOW.minus(Duration.ofDays(1)), Map.of());
        Inventory inv = new Inventory(List.of(), Map.of(), List.of(), List.of(), List.of(r), List.of());
        assertThat(of(inv, "sir-2").action()).isEqualTo(Action.CANCEL);
        assertThat(skipReason(inv, Inventory.key(EU, ResourceKind.EC2_INSTANCE), "sir-2")).isEqualTo("its instance "
                + "i-gone could not be listed (the instances of eu-west-1 could not be read): decided when it can");
    }

    @Test
    void aSnapshotIsNotDeletedWhenTheAmisThatMightUseItCouldNotBeListed() {
        EbsSnapshot s = new EbsSnapshot("snap-1", EU, "vol-1", 8, NOW.minus(Duration.ofDays(30)), "completed",
                Map.of("curfew:owner", "alice", Mark.TAG, "delete@" + NOW.minus(Duration.ofDays(2))));
        Inventory inv = new Inventory(List.of(), Map.of(), List.of(), List.of(), List.of(), List.of(), List.of(s),
                List.of(), List.of(), List.of());
        Action normal = of(inv, "snap-1").action();
        assertThat(normal).isNotEqualTo(Action.SKIP);
        assertThat(skipReason(inv, Inventory.key(EU, ResourceKind.AMI), "snap-1")).isEqualTo("could not tell "
                + "whether an AMI uses it (the AMIs of eu-west-1 could not be listed)");
    }

    @Test
    void noBucketIsEmptiedWhileAnotherBucketsLoggingIsUnread() {
        S3Bucket full = new S3Bucket("lab-full", EU, NOW.minus(Duration.ofDays(3)), false, false, null,
                Map.of("curfew:owner", "alice"));
        S3Bucket sam = new S3Bucket("aws-sam-cli-managed-default-x", EU, NOW, false, false,
                "the SAM deployment bucket", Map.of());
        Inventory inv = new Inventory(List.of(), Map.of(), List.of(), List.of(), List.of(), List.of(full, sam));
        assertThat(of(inv, "lab-full").action()).isNotEqualTo(Action.SKIP);
        String logging = Inventory.bucketLoggingKey("lab-other");
        assertThat(skipReason(inv, logging, "lab-full")).isEqualTo("could not tell whether it is the access-log target "
                + "of lab-other (its logging could not be read): left as it is this run");
        assertThat(of(inv.withFailures(failed(logging)), "aws-sam-cli-managed-default-x").reason())
                .startsWith("never touched");
    }
}
