package dev.curfew.aws.accounts;

import dev.curfew.aws.AwsClients;
import dev.curfew.core.accounts.AccountTarget;
import dev.curfew.core.notify.Contact;
import dev.curfew.core.notify.Roster;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.organizations.OrganizationsClient;
import software.amazon.awssdk.services.organizations.model.Account;
import software.amazon.awssdk.services.organizations.model.AccessDeniedException;
import software.amazon.awssdk.services.organizations.model.AwsOrganizationsNotInUseException;
import software.amazon.awssdk.services.organizations.model.ListAccountsForParentResponse;
import software.amazon.awssdk.services.organizations.model.ParentNotFoundException;

/**
 * The member accounts of the Organization unit the policy names ({@code enrolment.organization-unit}; README,
 * "Students' own accounts (enrolment)", and docs/organizations.md): each ACTIVE account directly in that unit (or
 * root), as an {@link AccountTarget} of source {@link AccountTarget.Source#ORGANIZATION}. Its owner is the roster's
 * student whose {@code account} column names that account, else null (resources then need an owner tag, as in the
 * class account). Curfew reaches them through the role the Organization's StackSet deployed, with the Organization's
 * external id ({@link AccountSessions#ORGANIZATION_SUBJECT}), whoever the owner is.
 *
 * <p>AWS answers {@code ListAccountsForParent} only in the Organization's management account or a delegated
 * administrator: Curfew must be deployed in one of those to sweep an Organization unit.
 */
public final class OrganizationAccounts {
    /** What {@link #targets} calls. */
    public static final List<String> IAM_ACTIONS = List.of("organizations:ListAccountsForParent");

    private static final Pattern UNIT = Pattern.compile("ou-[0-9a-z]{4,32}-[0-9a-z]{8,32}|r-[0-9a-z]{4,32}");

    private final OrganizationsClient organizations;

    public OrganizationAccounts(AwsClients home) {
        this(home.organizations());
    }

    public OrganizationAccounts(OrganizationsClient organizations) {
        this.organizations = organizations;
    }

    /** The unit's member accounts could not be listed; the message names the unit and why. */
    public static final class UnitException extends RuntimeException {
        public UnitException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * The ACTIVE accounts directly in {@code unit} (not in its child units), by account id.
     *
     * @param homeAccount the account Curfew runs in, left out (it is swept as the class account; the management
     *                    account sits in the root), or null
     * @throws IllegalArgumentException when {@code unit} is not an OU or root id (before any call)
     * @throws UnitException            when the unit does not exist, this account may not list it, or it is in no
     *                                  Organization; the message names the unit
     */
    public List<AccountTarget> targets(String unit, Roster roster, String homeAccount) {
        if (unit == null || !UNIT.matcher(unit).matches()) {
            throw new IllegalArgumentException("enrolment.organization-unit \"" + unit + "\" is not an Organizations "
                    + "unit id (ou-xxxx-xxxxxxxx) or root id (r-xxxx)");
        }
        Map<String, String> ownerOf = new HashMap<>();
        if (roster != null) {
            for (Contact c : roster.byOwner().values()) {
                if (c.account() != null) {
                    ownerOf.putIfAbsent(c.account(), c.owner());
                }
            }
        }
        List<AccountTarget> out = new ArrayList<>();
        try {
            for (ListAccountsForParentResponse page
                    : organizations.listAccountsForParentPaginator(b -> b.parentId(unit))) {
                for (Account a : page.accounts()) {
                    if (active(a) && !a.id().equals(homeAccount)) {
                        out.add(new AccountTarget(a.id(), ownerOf.get(a.id()), AccountTarget.Source.ORGANIZATION));
                    }
                }
            }
        } catch (ParentNotFoundException e) {
            throw new UnitException("enrolment.organization-unit \"" + unit + "\": no such unit or root in this "
                    + "Organization (" + e.awsErrorDetails().errorCode() + ")", e);
        } catch (AwsOrganizationsNotInUseException e) {
            throw new UnitException("enrolment.organization-unit \"" + unit + "\": this account belongs to no "
                    + "Organization (" + e.awsErrorDetails().errorCode() + ")", e);
        } catch (AccessDeniedException e) {
            throw new UnitException("enrolment.organization-unit \"" + unit + "\": its accounts can be listed only "
                    + "from the Organization's management account or a delegated administrator, with "
                    + "organizations:ListAccountsForParent (" + e.awsErrorDetails().errorMessage() + ")", e);
        }
        out.sort(Comparator.comparing(AccountTarget::account));
        return List.copyOf(out);
    }

    /** ACTIVE by the account's state, or by its status where AWS gives no state. */
    static boolean active(Account a) {
        String state = a.stateAsString();
        if (state != null && !state.isBlank()) {
            return "ACTIVE".equals(state);
        }
        return "ACTIVE".equals(a.statusAsString());
    }
}
