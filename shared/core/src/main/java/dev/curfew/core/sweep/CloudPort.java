package dev.curfew.core.sweep;

import dev.curfew.core.model.Inventory;
import dev.curfew.core.model.Protection;
import dev.curfew.core.plan.Action;
import dev.curfew.core.plan.Decision;
import dev.curfew.core.policy.Policy;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What the sweep engine needs from a cloud. The AWS implementation lives in shared/aws; every method there may
 * throw for a systemic failure (credentials, network), and must isolate per-resource failures in its outcomes.
 */
public interface CloudPort {

    /** The account the credentials belong to (STS GetCallerIdentity). */
    String accountId();

    /** Every region enabled for the account, in the partition of the home region. */
    List<String> enabledRegions();

    /** Instances of one region with their metrics over the policy's idle window. */
    Inventory inventory(String region, Policy policy, Instant now);

    /** Resources that belong to no region's listing (S3 buckets are listed once for the account). */
    default Inventory global(Policy policy, Instant now) {
        return Inventory.empty();
    }

    /**
     * Protection of the instances of one region that a plan would stop or terminate: for each, the attribute
     * that matters for its action (termination protection for terminate, stop protection for stop).
     */
    Map<String, Protection> protection(String region, Map<String, Action> candidates);

    /** Carries out the decisions of one region; one outcome per decision, failures isolated per resource. */
    List<Outcome> apply(String region, List<Decision> decisions);

    /**
     * As {@link #apply(String, List)}, emptying buckets only until {@code deadline}: a bucket cut short is
     * {@link Outcome.Status#PARTIAL} (its mark stays, the next run continues), one not started
     * {@link Outcome.Status#DEFERRED}. Adapters without buckets need not override it.
     */
    default List<Outcome> apply(String region, List<Decision> decisions, Deadline deadline) {
        return apply(region, decisions);
    }

    /** AWS calls made so far, by service and operation. */
    Map<String, Long> calls();
}
