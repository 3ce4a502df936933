package dev.curfew.core.sentinel;

import dev.curfew.core.accounts.AccountTarget;
import dev.curfew.core.notify.Contact;
import dev.curfew.core.notify.Roster;
import java.util.Objects;

/**
 * Whose account an event comes from, and whether the sentinel acts on it (README, "Students' own accounts
 * (enrolment)"). The event's {@code account} is set by EventBridge from the account that sent it (a student cannot
 * choose it), so it is what decides; nothing inside {@code detail} is. An event is taken from:
 * <ul>
 *   <li>the account the sentinel runs in (the class account);</li>
 *   <li>an account the roster's {@code account} column names: that student's own account, where everything
 *   created is theirs, whoever CloudTrail says made the call;</li>
 *   <li>a member account of the policy's Organization unit ({@link Organization}): acted in through the role the
 *   Organization's StackSet deployed (source ORGANIZATION), the student whose roster row names it owning it; an
 *   account both on the roster and in the unit is the unit's, as in the sweep.</li>
 * </ul>
 * Any other account is refused: the sentinel changes nothing for it. When the unit cannot be listed, an account the
 * roster names is still taken as that student's own account (the failure is noted); any other account's event fails,
 * naming the unit, since nobody can tell whether it is enrolled. Pure: nothing is called but the hook.
 */
public final class EventOrigin {
    private EventOrigin() {
    }

    /**
     * The policy's Organization unit: whether an account is one of its members ({@link #NONE} when the policy names
     * no unit). May throw when the unit cannot be listed.
     */
    @FunctionalInterface
    public interface Organization {
        Organization NONE = account -> false;

        boolean member(String account);
    }

    /**
     * What the sentinel makes of an event's account.
     *
     * @param target  the account to act in (with its student, when the roster names one), or null when refused
     * @param refusal why the event is refused (names the account), or null when taken
     * @param note    what the instructor should know about how the account was taken (the unit could not be
     *                listed), or null
     */
    public record Origin(AccountTarget target, String refusal, String note) {
        public Origin(AccountTarget target, String refusal) {
            this(target, refusal, null);
        }

        public boolean refused() {
            return target == null;
        }
    }

    /**
     * @param account the event's {@code account} (12 digits, as {@link EventReader} checked)
     * @param home    the account the sentinel runs in (STS)
     * @param roster  the roster (only read for another account than {@code home})
     */
    public static Origin of(String account, String home, Roster roster, Organization organization) {
        Objects.requireNonNull(account, "account");
        Objects.requireNonNull(home, "home");
        if (account.equals(home)) {
            return new Origin(new AccountTarget(account, null, AccountTarget.Source.HOME), null);
        }
        Contact student = roster == null ? null : roster.byOwner().values().stream()
                .filter(c -> account.equals(c.account())).findFirst().orElse(null);
        String note = null;
        if (organization != null) {
            try {
                if (organization.member(account)) {
                    return new Origin(new AccountTarget(account, student == null ? null : student.owner(),
                            AccountTarget.Source.ORGANIZATION), null);
                }
            } catch (RuntimeException e) {
                if (student == null) {
                    throw e;
                }
                note = "the policy's Organization unit could not be listed (" + e.getMessage() + "): account "
                        + account + " is taken as " + student.owner() + "'s own account, as the roster says";
            }
        }
        if (student != null) {
            return new Origin(new AccountTarget(account, student.owner(), AccountTarget.Source.ROSTER), null, note);
        }
        String problems = roster == null || roster.problems().isEmpty() ? ""
                : " (the roster's problems: " + String.join("; ", roster.problems()) + ")";
        return new Origin(null, "account " + account + " is not enrolled: no roster row names it in the account "
                + "column" + problems + " and it is not a member of the policy's Organization unit; the event "
                + "changes nothing");
    }
}
