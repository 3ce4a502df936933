package dev.curfew.aws.sentinel;

import dev.curfew.aws.SsmPrune;
import java.time.Instant;
import java.util.List;
import software.amazon.awssdk.services.ssm.SsmClient;

/**
 * Keeps the sentinel's once-records from piling up. Each launch-limit message and each spot interruption warning is
 * recorded as one SSM parameter per instance ({@link SentinelAws#limitsToldPrefix}, {@link
 * SentinelAws#interruptionToldPrefix}), so that it goes once however often its event comes. Nothing else removes
 * them, and an account holds at most 10,000 standard parameters per region: a term of classes would in time fill it,
 * and then no record could be created and no lock taken (SweepLocks, LaunchLeases live in the same store).
 *
 * <p>The sweeper's curfew pass deletes those of them last written more than its retention ago (30 days unless
 * CURFEW_SWEEPER_TOLD_RETENTION_DAYS says otherwise): by then
 * their instance is long gone (or stopped for weeks), and the worst a deleted record can do is let the same message be
 * told once more on a later event. Welcome records (one per owner, never more than the roster) and the sweep's own
 * locks and ledgers (each deletes its predecessor) are not touched. The records of instances' runs and owners
 * ({@link dev.curfew.core.spend.RunHistory}) go the same way: the spend estimate reads only the current week's, and an
 * owner record is written again on its instance's events at least weekly.
 */
public final class ToldRecords {
    /** What {@link #prune} calls. */
    public static final List<String> IAM_ACTIONS = SsmPrune.IAM_ACTIONS;

    private ToldRecords() {
    }

    /** The prefixes pruned for a stack (null: outside a stack). */
    public static List<String> prefixes(String stackName) {
        return List.of(SentinelAws.limitsToldPrefix(stackName), SentinelAws.interruptionToldPrefix(stackName),
                dev.curfew.core.spend.RunHistory.prefix(stackName));
    }

    /**
     * Deletes the records of {@link #prefixes} last modified before {@code before}. A failure on one prefix or one
     * batch is named in the result and does not stop the others; nothing here ever throws for AWS's sake.
     *
     * @param ssm the home region's SSM client of the home account (where the sentinel writes them)
     */
    public static SsmPrune.Pruned prune(SsmClient ssm, String stackName, Instant before) {
        return prune(ssm, stackName, before, before);
    }

    /**
     * As above, but the records of instances' runs only when last modified before {@code runsBefore} (the course
     * weeks over are closed from them, up to {@link dev.curfew.core.spend.ClosedWeeks#WEEKS_BACK} weeks late).
     */
    public static SsmPrune.Pruned prune(SsmClient ssm, String stackName, Instant before, Instant runsBefore) {
        String runs = dev.curfew.core.spend.RunHistory.prefix(stackName);
        return SsmPrune.prune(ssm, prefixes(stackName), p -> p.lastModifiedDate() != null && p.lastModifiedDate()
                .isBefore(p.name().startsWith(runs) ? runsBefore : before), "sentinel records",
                "written before the retention" + (runsBefore.equals(before) ? "" : "; runs' records: before "
                        + runsBefore));
    }
}
