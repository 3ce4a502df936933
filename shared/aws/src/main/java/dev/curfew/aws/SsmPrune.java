package dev.curfew.aws;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.GetParametersByPathResponse;
import software.amazon.awssdk.services.ssm.model.Parameter;

/**
 * Deletes Curfew's records in SSM that are no longer needed, so that they never fill the account's parameters: the
 * sentinel's once-records ({@link dev.curfew.aws.sentinel.ToldRecords}) and the budget's records of past weeks
 * ({@link dev.curfew.aws.budget.BudgetRecords}).
 */
public final class SsmPrune {
    /** What {@link #prune} calls. */
    public static final List<String> IAM_ACTIONS = List.of("ssm:DeleteParameters", "ssm:GetParametersByPath");
    /** SSM deletes at most this many parameters in one call. */
    static final int DELETE_BATCH = 10;

    private SsmPrune() {
    }

    /**
     * What one pruning did: how many records were read and deleted, and what failed (null: nothing).
     *
     * @param records what was pruned, as the log names it ("budget records")
     * @param which   which of them were deleted ("of weeks before this one")
     */
    public record Pruned(String records, String which, int read, int deleted, String failure) {
        public String text() {
            return records + ": " + deleted + " of " + read + " deleted (" + which + ")"
                    + (failure == null ? "" : "; " + failure);
        }
    }

    /**
     * Deletes the parameters below each of {@code paths} (recursively) that {@code old} accepts. A failure on one path
     * or one batch is named in the result and does not stop the others; nothing here ever throws for AWS's sake.
     *
     * @param ssm   the client of the region and account the records are in
     * @param paths SSM paths (a trailing slash is ignored)
     */
    public static Pruned prune(SsmClient ssm, List<String> paths, Predicate<Parameter> old, String records,
                               String which) {
        int read = 0;
        int deleted = 0;
        List<String> failures = new ArrayList<>();
        for (String prefix : paths) {
            String path = prefix.endsWith("/") ? prefix.substring(0, prefix.length() - 1) : prefix;
            List<String> names = new ArrayList<>();
            try {
                for (GetParametersByPathResponse page : ssm.getParametersByPathPaginator(b -> b.path(path)
                        .recursive(true).maxResults(10))) {
                    for (Parameter p : page.parameters()) {
                        read++;
                        if (old.test(p)) {
                            names.add(p.name());
                        }
                    }
                }
            } catch (RuntimeException e) {
                failures.add("cannot list " + path + ": " + e.getMessage());
            }
            for (int i = 0; i < names.size(); i += DELETE_BATCH) {
                List<String> batch = names.subList(i, Math.min(names.size(), i + DELETE_BATCH));
                try {
                    deleted += ssm.deleteParameters(b -> b.names(batch)).deletedParameters().size();
                } catch (RuntimeException e) {
                    failures.add("cannot delete " + batch.size() + " below " + path + ": " + e.getMessage());
                }
            }
        }
        return new Pruned(records, which, read, deleted, failures.isEmpty() ? null : String.join("; ", failures));
    }
}
