package dev.curfew.core.notify;

/**
 * A person messages go to.
 *
 * @param owner   the {@code curfew:owner} tag value (IAM user name or role session name); null for the instructor
 * @param name    how to greet them
 * @param email   their address, or null
 * @param slackId their Slack member id (U...), or null
 * @param account the 12-digit id of the student's own AWS account they enrolled (README, "Students' own accounts"),
 *                or null
 */
public record Contact(String owner, String name, String email, String slackId, String account) {
    public Contact(String owner, String name, String email, String slackId) {
        this(owner, name, email, slackId, null);
    }

    public boolean instructor() {
        return owner == null;
    }
}
