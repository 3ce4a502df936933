package dev.curfew.function.sweeper;

import static org.assertj.core.api.Assertions.assertThat;

import dev.curfew.core.accounts.AccountRun;
import dev.curfew.core.accounts.AccountTarget;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Whose spend in which account counts toward a budget summed across the accounts (AwsAccountsWork.counts). */
class BudgetSumCountsTest {
    static final AccountTarget CLASS = new AccountTarget("123456789012", null, AccountTarget.Source.HOME);
    static final AccountTarget ALICES = new AccountTarget("111111111111", "Alice", AccountTarget.Source.ROSTER);
    static final AccountTarget UNNAMED = new AccountTarget("333333333333", null, AccountTarget.Source.ORGANIZATION);

    @Test
    void anInstanceTaggedWithAStudentsNameInAnAccountNoRosterRowNamesDoesNotCountForHer() {
        Set<String> own = AwsAccountsWork.ownAccounts(List.of(
                AccountRun.notSwept(CLASS, AccountRun.Status.FAILED, "x"),
                AccountRun.notSwept(ALICES, AccountRun.Status.FAILED, "x"),
                AccountRun.notSwept(UNNAMED, AccountRun.Status.FAILED, "x")));
        assertThat(own).containsExactly("alice");

        // the class account's owner tags are the sentinel's: every student's spend there counts
        assertThat(AwsAccountsWork.counts(CLASS, "ALICE", own)).isTrue();
        assertThat(AwsAccountsWork.counts(CLASS, "bob", own)).isTrue();
        // her own account counts for her alone
        assertThat(AwsAccountsWork.counts(ALICES, "alice", own)).isTrue();
        assertThat(AwsAccountsWork.counts(ALICES, "bob", own)).isFalse();
        // an unnamed member account's tags are anyone's: never for a student with an account of her own
        assertThat(AwsAccountsWork.counts(UNNAMED, "Alice", own)).isFalse();
        assertThat(AwsAccountsWork.counts(UNNAMED, "bob", own)).isTrue();
    }

    @Test
    void aSumWithAccountsMissingClearsNobodyWhoseSpendMayBeInThem() {
        AccountRun classSwept = AccountRun.notSwept(CLASS, AccountRun.Status.FAILED, "x");
        AccountRun alicesMissing = AccountRun.notSwept(ALICES, AccountRun.Status.FAILED, "unreachable");
        // the class account missing: everybody may have spent there
        assertThat(AwsAccountsWork.mayClear(List.of(classSwept), List.of()).test("bob")).isFalse();
        // her own account missing: not her, the others may be cleared (checked with a swept class account below)
        // the list step left accounts out (an Organization unit not listed, a roster row left out): nobody
        assertThat(AwsAccountsWork.mayClear(List.of(), List.of("organization unit ou-1: AccessDenied")).test("bob"))
                .isFalse();
        assertThat(AwsAccountsWork.mayClear(List.of(), List.of()).test("bob")).isTrue();
        assertThat(AwsAccountsWork.mayClear(List.of(alicesMissing), List.of()).test("alice")).isFalse();
        assertThat(AwsAccountsWork.mayClear(List.of(alicesMissing), List.of()).test("bob")).isTrue();
    }
}
