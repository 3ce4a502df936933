package dev.curfew.aws.accounts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.curfew.aws.testing.MotoTest;
import dev.curfew.core.accounts.AccountTarget;
import dev.curfew.core.accounts.AccountTarget.Source;
import dev.curfew.core.notify.Roster;
import dev.curfew.core.notify.RosterParser;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.organizations.OrganizationsClient;
import software.amazon.awssdk.services.organizations.model.OrganizationFeatureSet;

/**
 * {@link OrganizationAccounts} on moto's Organizations: an organization with a unit holding three member accounts (one
 * closed) and one account left in the root.
 */
class OrganizationAccountsIT extends MotoTest {
    static final String HOME = "123456789012";
    OrganizationsClient org;
    String root;
    String unit;
    String alices;
    String labs;
    String closed;
    String carols;

    @BeforeEach
    void setUp() {
        org = clients.organizations();
        org.createOrganization(b -> b.featureSet(OrganizationFeatureSet.ALL));
        root = org.listRoots().roots().get(0).id();
        unit = org.createOrganizationalUnit(b -> b.parentId(root).name("class-2026")).organizationalUnit().id();
        alices = account("alice");
        labs = account("lab");
        closed = account("gone");
        carols = account("carol");
        for (String a : List.of(alices, labs, closed)) {
            org.moveAccount(b -> b.accountId(a).sourceParentId(root).destinationParentId(unit));
        }
        org.closeAccount(b -> b.accountId(closed));
    }

    private String account(String name) {
        return org.createAccount(b -> b.accountName(name).email(name + "@school.example.edu"))
                .createAccountStatus().accountId();
    }

    private Roster roster() {
        return RosterParser.parse("""
                owner,name,email,account
                alice,Alice,alice@example.edu,%s
                carol,Carol,carol@example.edu,%s
                dave,Dave,dave@example.edu,
                """.formatted(alices, carols), "roster.csv");
    }

    @Test
    void theUnitsActiveMembersComeWithTheirRosterStudentAsOwner() {
        clients.counter().reset();
        List<AccountTarget> targets = new OrganizationAccounts(clients).targets(unit, roster(), HOME);
        assertThat(targets).containsExactlyInAnyOrder(
                new AccountTarget(alices, "alice", Source.ORGANIZATION),
                new AccountTarget(labs, null, Source.ORGANIZATION));
        assertThat(targets).extracting(AccountTarget::account).isSorted();
        assertThat(clients.counter().snapshot().keySet()).as("what it calls is what it declares for IAM")
                .containsExactlyElementsOf(OrganizationAccounts.IAM_ACTIONS);
    }

    @Test
    void theRootListsWhatIsDirectlyInItLeavingOutTheHomeAccount() {
        List<AccountTarget> targets = new OrganizationAccounts(clients).targets(root, roster(), HOME);
        assertThat(targets).containsExactly(new AccountTarget(carols, "carol", Source.ORGANIZATION));
        assertThat(new OrganizationAccounts(clients).targets(root, null, null)).extracting(AccountTarget::account)
                .containsExactlyInAnyOrder(carols, HOME);
    }

    @Test
    void aUnitThatDoesNotExistIsAnErrorNamingIt() {
        assertThatThrownBy(() -> new OrganizationAccounts(clients).targets("ou-zzzz-zzzzzzzz", roster(), HOME))
                .isInstanceOf(OrganizationAccounts.UnitException.class)
                .hasMessage("enrolment.organization-unit \"ou-zzzz-zzzzzzzz\": no such unit or root in this "
                        + "Organization (ParentNotFoundException)");
        assertThatThrownBy(() -> new OrganizationAccounts(clients).targets("ou-ZZ", roster(), HOME))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("\"ou-ZZ\" is not an Organizations unit id");
    }
}
