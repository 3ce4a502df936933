package dev.curfew.core.accounts;

import java.util.Objects;

/**
 * One account a sweep covers (README, "Students' own accounts").
 *
 * @param account the 12-digit account id
 * @param owner   the student whose own account it is (roster owner name); null for the class account and for an
 *                Organization member account the roster does not name
 * @param source  how Curfew knows the account
 */
public record AccountTarget(String account, String owner, Source source) {
    public enum Source {
        /** The account Curfew is deployed in (the class account): swept with its own credentials, whole. */
        HOME("class account"),
        /** A student's own account, named in the roster's account column: reached through its role. */
        ROSTER("student's own account"),
        /** A member account of the Organization unit the policy names: reached through its role. */
        ORGANIZATION("Organization account");

        private final String text;

        Source(String text) {
            this.text = text;
        }

        public String text() {
            return text;
        }
    }

    public AccountTarget {
        Objects.requireNonNull(account, "account");
        Objects.requireNonNull(source, "source");
        if (!account.matches("\\d{12}")) {
            throw new IllegalArgumentException("\"" + account + "\" is not an AWS account id (12 digits)");
        }
    }

    /** Whether Curfew reaches this account through the role it grants (every account but the home one). */
    public boolean assumesRole() {
        return source != Source.HOME;
    }
}
