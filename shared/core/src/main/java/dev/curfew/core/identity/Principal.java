package dev.curfew.core.identity;

/**
 * Whose a call is, as {@link Principals#resolve} decided: a {@link Student} (what they make is tagged with their
 * name), {@link Staff} (the instructor, an admin, the root user, Curfew itself: never a student's), or
 * {@link Refused} (a principal whose name the caller chose, or one that cannot be told apart: neither).
 */
public sealed interface Principal {
    /** The caller's ARN, as given. */
    String arn();

    /** The ARN's account; null when the ARN has none. */
    String account();

    /** A short sentence saying who this is and why, for reports, logs and refusals. */
    String reason();

    /** How a student's name was vouched for. */
    enum Via {
        /** An IAM user: the user name, unique in the account. */
        IAM_USER,
        /** An IAM Identity Center session ({@code AWSReservedSSO_*} role): AWS sets the session name to the user. */
        IDENTITY_CENTER,
        /** A role the policy names, whose trust policy pins the session name to the caller's IAM user name. */
        STUDENT_ROLE
    }

    /** What kind of staff. */
    enum Kind {
        /** Matched {@code identity.instructors}. */
        INSTRUCTOR,
        /** The account's root user. */
        ROOT,
        /** One of Curfew's own roles ({@code <stack>-...}). */
        CURFEW
    }

    /** A student: {@code name} is the owner tag's value. */
    record Student(String name, Via via, String arn, String account) implements Principal {
        @Override
        public String reason() {
            return switch (via) {
                case IAM_USER -> "the IAM user " + name;
                case IDENTITY_CENTER -> "the IAM Identity Center user " + name;
                case STUDENT_ROLE -> "the student " + name + " through a role the policy names";
            };
        }
    }

    /**
     * The instructor, an admin, root or Curfew: never tagged as a student's.
     *
     * @param name the name AWS vouches for (an IAM user's, an Identity Center user's), or null when there is none
     *             (root, a role session whose name was chosen by the caller)
     */
    record Staff(String name, Kind kind, String arn, String account) implements Principal {
        @Override
        public String reason() {
            return switch (kind) {
                case INSTRUCTOR -> arn + " is listed in the policy's identity.instructors";
                case ROOT -> "the account's root user is never a student";
                case CURFEW -> arn + " is one of Curfew's own roles";
            };
        }
    }

    /**
     * Not a student and not staff: a federated user, a role session whose name the caller chose, an AWS service's
     * role, something that is not a principal's ARN.
     *
     * @param code    a stable token for the refusal ({@code federated-user}, {@code role-not-named}, ...)
     * @param reason  why, and what to use instead
     * @param account the ARN's account, or null when it has none
     */
    record Refused(String code, String reason, String arn, String account) implements Principal {
    }
}
