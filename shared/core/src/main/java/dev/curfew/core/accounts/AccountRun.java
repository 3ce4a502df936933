package dev.curfew.core.accounts;

import dev.curfew.core.report.SweepReport;

/**
 * What became of one account in a sweep of many: its report, or why there is none. One account's failure is that
 * account's line; it never stops the others.
 *
 * @param report the account's sweep report when {@code status} is {@link Status#SWEPT}, else null
 * @param error  what went wrong, for the instructor (and, for {@link Status#UNREACHABLE}, the student), else null
 * @param figures the account's spend and class-page rows (the curfew pass of the state machine), else null
 */
public record AccountRun(AccountTarget target, Status status, SweepReport report, String error,
                         AccountFigures figures) {
    public AccountRun(AccountTarget target, Status status, SweepReport report, String error) {
        this(target, status, report, error, null);
    }

    /** The same run with its spend and class-page rows. */
    public AccountRun withFigures(AccountFigures f) {
        return new AccountRun(target, status, report, error, f);
    }

    public enum Status {
        /** Swept (the report may still hold failed actions). */
        SWEPT("swept"),
        /** The role could not be assumed or is not there: "Curfew can no longer reach your account". */
        UNREACHABLE("unreachable"),
        /** The credentials belonged to another account than the target, or the account is not enrolled. */
        REFUSED_BY_GUARD("refused by the account guard"),
        /** Anything else that stopped the account's sweep (every region failed, the policy, a timeout). */
        FAILED("failed");

        private final String text;

        Status(String text) {
            this.text = text;
        }

        public String text() {
            return text;
        }
    }

    public static AccountRun swept(AccountTarget target, SweepReport report) {
        return new AccountRun(target, Status.SWEPT, report, null);
    }

    public static AccountRun notSwept(AccountTarget target, Status status, String error) {
        return new AccountRun(target, status, null, error);
    }
}
