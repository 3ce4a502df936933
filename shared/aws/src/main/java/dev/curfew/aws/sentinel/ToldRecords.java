package dev.curfew.aws.sentinel;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.DeleteParametersResponse;
import software.amazon.awssdk.services.ssm.model.GetParametersByPathResponse;
import software.amazon.awssdk.services.ssm.model.Parameter;

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
    public static final List<String> IAM_ACTIONS = List.of("ssm:DeleteParameters", "ssm:GetParametersByPath");
    /** SSM deletes at most this many parameters in one call. */
    static final int DELETE_BATCH = 10;

    private ToldRecords() {
    }

    /** What one pruning did: how many records were read and deleted, and what failed (null: nothing). */
    public record Pruned(int read, int deleted, String failure) {
        public String text() {
            return "sentinel records: " + deleted + " of " + read + " deleted (written before the retention)"
                    + (failure == null ? "" : "; " + failure);
        }
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
    public static Pruned prune(SsmClient ssm, String stackName, Instant before) {
        int read = 0;
        int deleted = 0;
        List<String> failures = new ArrayList<>();
        for (String prefix : prefixes(stackName)) {
            String path = prefix.endsWith("/") ? prefix.substring(0, prefix.length() - 1) : prefix;
            List<String> old = new ArrayList<>();
            try {
                for (GetParametersByPathResponse page : ssm.getParametersByPathPaginator(b -> b.path(path)
                        .recursive(true).maxResults(10))) {
                    for (Parameter p : page.parameters()) {
                        read++;
                        if (p.lastModifiedDate() != null && p.lastModifiedDate().isBefore(before)) {
                            old.add(p.name());
                        }
                    }
                }
            } catch (RuntimeException e) {
                failures.add("cannot list " + path + ": " + e.getMessage());
            }
            for (int i = 0; i < old.size(); i += DELETE_BATCH) {
                List<String> batch = old.subList(i, Math.min(old.size(), i + DELETE_BATCH));
                try {
                    DeleteParametersResponse r = ssm.deleteParameters(b -> b.names(batch));
                    deleted += r.deletedParameters().size();
                } catch (RuntimeException e) {
                    failures.add("cannot delete " + batch.size() + " below " + path + ": " + e.getMessage());
                }
            }
        }
        return new Pruned(read, deleted, failures.isEmpty() ? null : String.join("; ", failures));
    }
}
