package dev.curfew.function.sweeper;

import dev.curfew.function.common.Deployment;
import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;

/**
 * The sweeper's own settings (what every function reads is in {@link Deployment}), from the environment variables
 * template.yaml sets or, in tests, from application-context properties.
 */
@Singleton
public class SweeperConfig {
    private final String warningTime;
    private final String summaryParameter;

    public SweeperConfig(@Nullable @Value("${curfew.warning-time:}") String warningTime,
                         @Nullable @Value("${curfew.summary-parameter:}") String summaryParameter) {
        this.warningTime = Deployment.blankToNull(warningTime);
        this.summaryParameter = Deployment.blankToNull(summaryParameter);
    }

    /**
     * When the warning pass is scheduled (CURFEW_WARNING_TIME, HH:MM in the course's zone), or null: the template
     * sets it from its WarningTime parameter, and the warning lead is then the time from it to the curfew.
     */
    public String warningTime() {
        return warningTime;
    }

    /** The SSM parameter recording the curfew of the last daily summary (CURFEW_SUMMARY_PARAMETER), or null. */
    public String summaryParameter() {
        return summaryParameter;
    }
}
