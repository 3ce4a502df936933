package dev.curfew.core.launch;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The launcher's view of AWS. Implemented with the SDK in {@code dev.curfew.aws.launch}; in tests by a fake.
 * Calls that AWS refuses throw {@link CloudFailure}; "already gone" is not a failure.
 */
public interface LaunchPort {
    /** The account these credentials belong to (STS). */
    String accountId();

    boolean keyPairExists(String region, String keyName);

    /** Spot price history of one type (Linux/UNIX) in every zone of the region, between {@code from} and {@code to}. */
    List<SpotPrice> spotPrices(String region, String instanceType, Instant from, Instant to);

    /** An AMI id: {@code ami} itself, or the value of the SSM parameter {@code ssm:/...} names in that region. */
    String imageId(String region, String ami);

    /** Instances of the region carrying {@code tagKey=tagValue}, except terminated ones. */
    List<CloudInstance> instancesTagged(String region, String tagKey, String tagValue);

    Optional<CloudInstance> instance(String region, String instanceId);

    /** Creates the group (tagged at creation) and its one inbound rule; returns the group id. */
    String createSshGroup(SshGroupSpec spec);

    /** Security groups of the region carrying {@code tagKey=tagValue} whose name starts with {@code namePrefix}. */
    List<TaggedGroup> groupsTagged(String region, String tagKey, String tagValue, String namePrefix);

    /** Deletes a group; false when AWS says it is still in use. Already gone counts as deleted. */
    boolean deleteGroup(String region, String groupId);

    CloudInstance runSpot(SpotLaunchSpec spec);

    /** Waits up to {@code max} for the instance's public address. */
    Optional<String> awaitPublicAddress(String region, String instanceId, Duration max);

    /** Terminates one instance; returns its state afterwards. */
    String terminate(String region, String instanceId);

    /**
     * The owner's launch lease: while one launch of an owner holds it, no other launch of that owner counts their
     * instances or starts one, in this function instance or any other. Waits up to {@code wait} while another launch
     * holds it; empty if it is still held then. A lease whose holder died (a timeout, a crash) lapses by itself after
     * the adapter's lease lifetime, so it never blocks the owner for long; different owners never wait for each other.
     */
    Optional<Lease> launchLease(String owner, Duration wait);

    /**
     * Waits up to {@code max} until the instance shows in the listing of {@code tagKey=tagValue} ({@link
     * #instancesTagged}): EC2's listings can lag behind RunInstances, and the next launch must count it.
     */
    boolean awaitListed(String region, String tagKey, String tagValue, String instanceId, Duration max);

    /**
     * The owner's budget records of the course week {@code week} ({@code dev.curfew.core.budget.CourseWeek#key}), kept
     * in the launcher's own account by the sweeper and {@code ./curfew budget} (README, "Budgets"). An adapter
     * without budget records has none to give.
     */
    default dev.curfew.core.budget.OverBudget.Records budget(String owner, String week) {
        return dev.curfew.core.budget.OverBudget.Records.NONE;
    }

    /** A held lease; closing it releases it (only if it is still this holder's). */
    interface Lease extends AutoCloseable {
        @Override
        void close();
    }

    /** A security group with its tags. */
    record TaggedGroup(String id, String name, java.util.Map<String, String> tags) {
    }
}
