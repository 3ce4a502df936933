package dev.curfew.core.policy;

import java.time.LocalDate;
import java.util.Map;
import java.util.Objects;

/**
 * The scope of the accounts Curfew reaches through their role (the policy's {@code enrolment} section; README,
 * "Students' own accounts (enrolment)"). The class account is always swept whole; this section says what else is.
 *
 * @param scope            what of an enrolled account is in scope unless {@code accounts} says otherwise:
 *                         {@link Rule#SINCE_ENROLMENT} (the default) or {@link Rule#EVERYTHING}
 * @param accounts         per account id (12 digits), its own rule: everything, since-enrolment, or from the start of a
 *                         day in the course's time zone
 * @param organizationUnit an AWS Organizations unit ({@code ou-...}) or root ({@code r-...}) whose member accounts are
 *                         swept too, or null
 */
public record EnrolmentRules(Rule scope, Map<String, Rule> accounts, String organizationUnit) {
    public EnrolmentRules {
        Objects.requireNonNull(scope, "scope");
        accounts = accounts == null ? Map.of() : Map.copyOf(accounts);
    }

    /** The bundled default: what was created since enrolment, no account widened, no Organization unit. */
    public static EnrolmentRules defaults() {
        return new EnrolmentRules(Rule.SINCE_ENROLMENT, Map.of(), null);
    }

    /** The rule for one account: its own entry, else the section's default. */
    public Rule ruleFor(String account) {
        return accounts.getOrDefault(account, scope);
    }

    public enum Kind {
        /** What was created since the account was enrolled. */
        SINCE_ENROLMENT("since-enrolment"),
        /** Everything in the account. */
        EVERYTHING("everything"),
        /** What was created from the start of a day (course time zone). */
        FROM_DATE("a date");

        private final String wireName;

        Kind(String wireName) {
            this.wireName = wireName;
        }

        public String wireName() {
            return wireName;
        }
    }

    /** One scope rule; {@code from} is set for {@link Kind#FROM_DATE} only. */
    public record Rule(Kind kind, LocalDate from) {
        public static final Rule SINCE_ENROLMENT = new Rule(Kind.SINCE_ENROLMENT, null);
        public static final Rule EVERYTHING = new Rule(Kind.EVERYTHING, null);

        public Rule {
            Objects.requireNonNull(kind, "kind");
            if ((kind == Kind.FROM_DATE) != (from != null)) {
                throw new IllegalArgumentException("a date goes with " + Kind.FROM_DATE + " only");
            }
        }

        public static Rule fromDate(LocalDate day) {
            return new Rule(Kind.FROM_DATE, Objects.requireNonNull(day, "day"));
        }

        @Override
        public String toString() {
            return kind == Kind.FROM_DATE ? from.toString() : kind.wireName();
        }
    }
}
