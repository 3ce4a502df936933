package dev.curfew.function.sweeper;

import dev.curfew.function.common.Deployment;
import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;
import java.time.Duration;

/**
 * The sweeper's own settings (what every function reads is in {@link Deployment}), from the environment variables
 * template.yaml sets or, in tests, from application-context properties.
 */
@Singleton
public class SweeperConfig {
    private final String warningTime;
    private final String summaryParameter;
    private final Duration lockLifetime;
    private final Duration toldRetention;
    private final boolean studentAccountsEnrolled;

    /**
     * @param lockSeconds a sweep lock lapses this long after it was written (CURFEW_SWEEPER_LOCK_SECONDS, 1 to
     *                    3600; not set by the template): longer than the function's timeout, or a live run could lose
     *                    it, and shorter than the timeout and a minute, or Lambda's retry of a run that timed out
     *                    would stand aside
     */
    public SweeperConfig(String warningTime, String summaryParameter, int lockSeconds) {
        this(warningTime, summaryParameter, lockSeconds, 30);
    }

    /**
     * @param toldRetentionDays the sentinel's once-records are deleted by the curfew pass this many days after they
     *                          were written (CURFEW_SWEEPER_TOLD_RETENTION_DAYS, 0 to 3650, default 30; not set by the
     *                          template; dev.curfew.aws.sentinel.ToldRecords)
     */
    public SweeperConfig(String warningTime, String summaryParameter, int lockSeconds, int toldRetentionDays) {
        this(warningTime, summaryParameter, lockSeconds, toldRetentionDays, null);
    }

    /**
     * @param studentAccounts the template's StudentAccounts ({@code none} or {@code enrolled}; CURFEW_STUDENT_ACCOUNTS,
     *                        default none): enrolled, the accounts state machine closes the course weeks over, summed
     *                        across the accounts, and this function only reads them
     */
    @io.micronaut.core.annotation.Creator
    public SweeperConfig(@Nullable @Value("${curfew.warning-time:}") String warningTime,
                         @Nullable @Value("${curfew.summary-parameter:}") String summaryParameter,
                         @Value("${curfew.sweeper.lock-seconds:330}") int lockSeconds,
                         @Value("${curfew.sweeper.told-retention-days:30}") int toldRetentionDays,
                         @Nullable @Value("${curfew.student-accounts:}") String studentAccounts) {
        String accounts = studentAccounts == null ? "" : studentAccounts.trim();
        if (!accounts.isEmpty() && !accounts.equals("none") && !accounts.equals("enrolled")) {
            throw new IllegalArgumentException("CURFEW_STUDENT_ACCOUNTS (curfew.student-accounts) is \""
                    + studentAccounts + "\"; expected none or enrolled");
        }
        this.studentAccountsEnrolled = accounts.equals("enrolled");
        this.warningTime = Deployment.blankToNull(warningTime);
        this.summaryParameter = Deployment.blankToNull(summaryParameter);
        if (lockSeconds < 1 || lockSeconds > 3600) {
            throw new IllegalArgumentException("CURFEW_SWEEPER_LOCK_SECONDS (curfew.sweeper.lock-seconds) is "
                    + lockSeconds + "; expected 1 to 3600 seconds");
        }
        this.lockLifetime = Duration.ofSeconds(lockSeconds);
        if (toldRetentionDays < 0 || toldRetentionDays > 3650) {
            throw new IllegalArgumentException("CURFEW_SWEEPER_TOLD_RETENTION_DAYS (curfew.sweeper.told-retention-days)"
                    + " is " + toldRetentionDays + "; expected 0 to 3650 days");
        }
        this.toldRetention = Duration.ofDays(toldRetentionDays);
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

    /** How long after its last write a sweep lock lapses by itself (its run died holding it). */
    public Duration lockLifetime() {
        return lockLifetime;
    }

    /** How long the sentinel's once-records are kept before the curfew pass deletes them. */
    public Duration toldRetention() {
        return toldRetention;
    }

    /**
     * How long the sentinel's records of instances' runs are kept: the told retention, but never under
     * {@link #RUNS_KEPT_AT_LEAST} (a course week over is closed from them up to 3 weeks late, 27 days after it began).
     */
    public Duration runsRetention() {
        return toldRetention.compareTo(RUNS_KEPT_AT_LEAST) < 0 ? RUNS_KEPT_AT_LEAST : toldRetention;
    }

    /**
     * Whether students' own accounts are swept by the accounts state machine (StudentAccounts=enrolled): then this
     * function's course totals only read the kept weeks and never close one (a week closed from the class account
     * alone would lack every student's own account).
     */
    public boolean studentAccountsEnrolled() {
        return studentAccountsEnrolled;
    }

    /** {@link #runsRetention()}'s floor. */
    public static final Duration RUNS_KEPT_AT_LEAST = Duration.ofDays(35);
}
