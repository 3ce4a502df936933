package dev.curfew.function.sweeper;

import dev.curfew.function.common.Deployment;
import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;

/**
 * The settings of the accounts state machine's steps (template.yaml AccountsFunction): how many accounts its
 * Distributed Map sweeps at once (CURFEW_ACCOUNTS_MAX_CONCURRENCY, from the MaxConcurrency parameter) and the bucket
 * its ResultWriter writes to (CURFEW_ACCOUNTS_RESULTS_BUCKET), the only one the summary step reads.
 */
@Singleton
public class AccountsConfig {
    private final int maxConcurrency;
    private final String resultsBucket;

    public AccountsConfig(@Value("${curfew.accounts.max-concurrency:10}") int maxConcurrency,
                          @Nullable @Value("${curfew.accounts.results-bucket:}") String resultsBucket) {
        if (maxConcurrency < 1 || maxConcurrency > 1000) {
            throw new IllegalArgumentException("CURFEW_ACCOUNTS_MAX_CONCURRENCY (curfew.accounts.max-concurrency) is "
                    + maxConcurrency + "; expected 1 to 1000 accounts at once");
        }
        this.maxConcurrency = maxConcurrency;
        this.resultsBucket = Deployment.blankToNull(resultsBucket);
    }

    public int maxConcurrency() {
        return maxConcurrency;
    }

    /** The stack's results bucket, or null outside a stack (the summary step then refuses to read any). */
    public String resultsBucket() {
        return resultsBucket;
    }
}
