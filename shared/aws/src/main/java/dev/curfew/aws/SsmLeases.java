package dev.curfew.aws;

import java.time.Clock;
import java.time.Duration;

/**
 * The {@link SsmLease}s of one purpose in a stack: each below {@code /curfew/<stack>/<purpose>}, their takeover
 * markers beside it ({@code <prefix>-taken}). The sweeper's locks ({@link SweepLocks}) and the launcher's launch
 * leases ({@link dev.curfew.aws.launch.LaunchLeases}) are such families.
 */
public abstract class SsmLeases {
    protected final SsmLease lease;
    protected final String prefix;

    /**
     * @param prefix   {@link #prefix(String, String)} of the stack and the purpose
     * @param lifetime how long after its last write a lease lapses
     * @param clock    the real time, compared with SSM's LastModifiedDate (never the business clock of a rehearsal)
     */
    protected SsmLeases(AwsClients clients, String prefix, Duration lifetime, Clock clock) {
        this.lease = new SsmLease(clients, lifetime, clock);
        this.prefix = prefix;
    }

    /** {@code /curfew/<stack>/<purpose>}, or {@code /curfew/<purpose>} outside a stack (a null stack name). */
    protected static String prefix(String stackName, String purpose) {
        return stackName == null ? "/curfew/" + purpose : "/curfew/" + stackName + "/" + purpose;
    }

    public Duration lifetime() {
        return lease.lifetime();
    }
}
