package dev.curfew.core.sentinel;

import static org.assertj.core.api.Assertions.assertThat;

import dev.curfew.core.accounts.AccountTarget;
import dev.curfew.core.notify.Roster;
import dev.curfew.core.notify.RosterParser;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/** Which accounts' events the sentinel takes: its own, the roster's students' own accounts, the Organization's. */
class EventOriginTest {
    static final String HOME = "123456789012";
    static final Roster ROSTER = RosterParser.parse("owner,email,account\nalice,alice@example.edu,111111111111\n"
            + "bob,bob@example.edu,\n", "roster.csv");

    @Test
    void theHomeAccountIsTheClassAccountAndNeedsNoRoster() {
        EventOrigin.Origin o = EventOrigin.of(HOME, HOME, null, EventOrigin.Organization.NONE);
        assertThat(o.refused()).isFalse();
        assertThat(o.target()).isEqualTo(new AccountTarget(HOME, null, AccountTarget.Source.HOME));
    }

    @Test
    void anAccountTheRosterNamesIsThatStudentsOwnAccount() {
        EventOrigin.Origin o = EventOrigin.of("111111111111", HOME, ROSTER, EventOrigin.Organization.NONE);
        assertThat(o.target()).isEqualTo(new AccountTarget("111111111111", "alice", AccountTarget.Source.ROSTER));
        assertThat(o.target().assumesRole()).isTrue();
    }

    @Test
    void anAccountNeitherTheRosterNorTheOrganizationNamesIsRefusedNamingIt() {
        EventOrigin.Origin o = EventOrigin.of("999999999999", HOME, ROSTER, EventOrigin.Organization.NONE);
        assertThat(o.refused()).isTrue();
        assertThat(o.refusal()).startsWith("account 999999999999 is not enrolled").contains("changes nothing");
        assertThat(EventOrigin.of("999999999999", HOME, null, null).refused()).isTrue();
    }

    @Test
    void anUnreadableRosterRefusesEveryOtherAccountAndSaysWhy() {
        Roster unread = new Roster("ssm:/curfew/roster", java.util.Map.of(), java.util.List.of(
                "roster ssm:/curfew/roster could not be read (AccessDenied: no)"));
        EventOrigin.Origin o = EventOrigin.of("111111111111", HOME, unread, EventOrigin.Organization.NONE);
        assertThat(o.refused()).isTrue();
        assertThat(o.refusal()).contains("could not be read (AccessDenied: no)");
    }

    @Test
    void aMemberOfTheOrganizationIsTakenWithoutAStudentUnlessTheRosterNamesOne() {
        EventOrigin.Organization org = a -> a.equals("222222222222") || a.equals("111111111111");
        assertThat(EventOrigin.of("222222222222", HOME, ROSTER, org).target())
                .isEqualTo(new AccountTarget("222222222222", null, AccountTarget.Source.ORGANIZATION));
        assertThat(EventOrigin.of("111111111111", HOME, ROSTER, org).target())
                .as("an account both on the roster and in the unit is the unit's (its StackSet role), alice's")
                .isEqualTo(new AccountTarget("111111111111", "alice", AccountTarget.Source.ORGANIZATION));
    }

    @Test
    void aUnitThatCannotBeListedLeavesTheRostersAccountsTakenAndFailsAnyOther() {
        EventOrigin.Organization broken = a -> {
            throw new IllegalStateException("enrolment.organization-unit \"ou-ab12-cd345678\": no such unit");
        };
        EventOrigin.Origin o = EventOrigin.of("111111111111", HOME, ROSTER, broken);
        assertThat(o.target()).isEqualTo(new AccountTarget("111111111111", "alice", AccountTarget.Source.ROSTER));
        assertThat(o.note()).contains("ou-ab12-cd345678", "alice's own account");
        assertThat(EventOrigin.of(HOME, HOME, null, broken).target().source()).isEqualTo(AccountTarget.Source.HOME);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> EventOrigin.of("222222222222", HOME, ROSTER, broken))
                .hasMessageContaining("ou-ab12-cd345678");
    }

    /** Whatever the account, the event is taken exactly when it is home, on the roster, or in the Organization. */
    @Property(tries = 300)
    void takenExactlyWhenEnrolled(@ForAll("accounts") String account, @ForAll boolean inOrganization) {
        EventOrigin.Origin o = EventOrigin.of(account, HOME, ROSTER, a -> inOrganization && a.equals(account));
        boolean enrolled = account.equals(HOME) || account.equals("111111111111") || inOrganization;
        assertThat(o.refused()).isEqualTo(!enrolled);
        if (o.refused()) {
            assertThat(o.refusal()).contains(account);
        } else {
            assertThat(o.target().account()).isEqualTo(account);
        }
    }

    @Provide
    Arbitrary<String> accounts() {
        return Arbitraries.oneOf(Arbitraries.of(HOME, "111111111111", "222222222222"),
                Arbitraries.strings().numeric().ofLength(12));
    }
}
