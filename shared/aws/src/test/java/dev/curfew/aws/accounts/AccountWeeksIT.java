package dev.curfew.aws.accounts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.curfew.aws.AwsClients;
import dev.curfew.aws.budget.SpentRecords;
import dev.curfew.aws.testing.FaultProxy;
import dev.curfew.aws.testing.MotoTest;
import dev.curfew.core.accounts.AccountFigures;
import dev.curfew.core.accounts.AccountRun;
import dev.curfew.core.accounts.AccountTarget;
import dev.curfew.core.policy.Mode;
import dev.curfew.core.policy.Policy;
import dev.curfew.core.policy.PolicyLoader;
import dev.curfew.core.spend.ClassSpend;
import dev.curfew.core.spend.ClosedWeeks;
import dev.curfew.core.spend.Spend;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The summary step's course weeks across accounts, against the moto server: the accounts' figures of a week over are
 * summed by student by the rule given (an unnamed account's figures of a student with an account of their own do not
 * count), the week is kept once (a replay writes nothing), the kept weeks count in the course totals, and when they
 * cannot be read nobody is weighed against a course budget.
 */
class AccountWeeksIT extends MotoTest {
    static final Instant NOW = Instant.parse("2026-11-25T17:00:00Z"); // Wed; the week of Mon 23 Nov (UTC)
    static final String WEEK = "2026-11-16";
    final Policy policy = PolicyLoader.load("""
            time-zone: UTC
            accounts: ["123456789012"]
            budgets:
              course: 2h
              course-start: 2026-11-16
            """, "test").withMode(Mode.ENFORCE);
    static final AccountTarget HOME = new AccountTarget("123456789012", null, AccountTarget.Source.HOME);
    static final AccountTarget ALICES = new AccountTarget("111111111111", "alice", AccountTarget.Source.ROSTER);
    static final AccountTarget UNNAMED = new AccountTarget("333333333333", null, AccountTarget.Source.ORGANIZATION);

    /** The budgets' rule for these accounts: alice has an account of her own, so the unnamed one never counts for her. */
    static boolean counts(AccountTarget t, String who) {
        return t.source() == AccountTarget.Source.HOME || who.equalsIgnoreCase(t.owner() == null ? "" : t.owner())
                || t.owner() == null && !who.equalsIgnoreCase("alice");
    }

    static AccountRun run(AccountTarget t, Map<String, Double> hours) {
        Map<String, ClosedWeeks.Figures> by = new TreeMap<>();
        hours.forEach((who, h) -> by.put(who, new ClosedWeeks.Figures(h / 10, h)));
        return new AccountRun(t, AccountRun.Status.SWEPT, null, null, new AccountFigures(List.of(), null, List.of(),
                List.of(new AccountFigures.Week(WEEK, by, null))));
    }

    final List<AccountRun> runs = List.of(run(HOME, Map.of("alice", 1.0, "bob", 0.5)),
            run(ALICES, Map.of("alice", 1.5)), run(UNNAMED, Map.of("alice", 5.0, "bob", 1.0)));

    @Test
    void aWeekIsKeptOnceWithTheSumByTheRuleAndCountsInTheCourseTotal() {
        AccountWeeks weeks = AccountWeeks.of(new SpentRecords(clients.ssm(EU), "w"), policy, "curfew", runs, NOW,
                AccountWeeksIT::counts);

        assertThat(weeks.problems()).isEmpty();
        ClosedWeeks kept = new SpentRecords(clients.ssm(EU), "w").read();
        assertThat(kept.closed()).containsExactly(WEEK);
        assertThat(kept.figures().get(WEEK).get("alice").hours()).as("1 + 1.5, not the unnamed account's 5")
                .isEqualTo(2.5);
        assertThat(kept.figures().get(WEEK).get("bob").hours()).isEqualTo(1.5);
        // this week: 0.25 h in the class account, 0.25 h in her own: the course total 3 h, over 2 h
        Instant monday = Instant.parse("2026-11-23T00:00:00Z");
        List<List<Spend>> totals = weeks.totalled(List.of(
                List.of(new Spend("alice", monday, 0.1, 0.1, 0.25, 0.25, Spend.Source.ESTIMATE)),
                List.of(new Spend("Alice", monday, 0.1, 0.1, 0.25, 0.25, Spend.Source.ESTIMATE))));
        assertThat(totals).singleElement().satisfies(l -> assertThat(l).anySatisfy(s -> {
            assertThat(s.student()).isEqualToIgnoringCase("alice");
            assertThat(s.weekInstanceHours()).isEqualTo(0.5);
            assertThat(s.totalInstanceHours()).isEqualTo(3.0);
        }));

        clients.counter().reset();
        AccountWeeks.of(new SpentRecords(clients.ssm(EU), "w"), policy, "curfew", runs, NOW, AccountWeeksIT::counts);
        assertThat(clients.counter().get("ssm:PutParameter")).as("a replay writes nothing").isZero();
        assertThat(clients.counter().get("ssm:GetParametersByPath")).as("listed once").isEqualTo(1);
    }

    @Test
    void aWeekIsNotClosedWhileTheListStepLeftAccountsOut() {
        String why = "the Organization unit's accounts were not swept: AccessDenied";
        AccountWeeks weeks = AccountWeeks.of(new SpentRecords(clients.ssm(EU), "u"), policy, "curfew", runs,
                List.of(why), NOW, AccountWeeksIT::counts);

        assertThat(clients.counter().get("ssm:PutParameter")).as("nothing is kept").isZero();
        assertThat(new SpentRecords(clients.ssm(EU), "u").read().closed()).isEmpty();
        assertThat(weeks.problems()).containsExactly("the week of " + WEEK + " is not closed: the list step did not "
                + "cover every account: " + why);
        // what the accounts listed carried still counts, at least
        assertThat(weeks.weeks().figures().get(WEEK).get("alice").hours()).isEqualTo(2.5);
    }

    @Test
    void aFailedReadOfTheKeptWeeksWeighsNobodyAgainstACourseBudget() {
        try (FaultProxy proxy = FaultProxy.start(moto.endpoint(), 1.0, 7).kinds(FaultProxy.Fault.SERVER_ERROR);
             AwsClients failing = new AwsClients(moto.settingsThrough(proxy, EU, 1))) {
            AccountWeeks weeks = AccountWeeks.of(new SpentRecords(failing.ssm(EU), "f"), policy, "curfew", runs, NOW,
                    AccountWeeksIT::counts);

            assertThat(failing.counter().get("ssm:PutParameter")).as("nothing is closed unread").isZero();
            assertThatThrownBy(() -> weeks.totalled(List.of())).hasMessageContaining(
                    "the course totals could not be read").hasMessageContaining("nobody is weighed");
            ClassSpend page = weeks.total(new ClassSpend(NOW, NOW, Map.of(), null, List.of(), null, Map.of()));
            assertThat(page.partialTotal()).isTrue();
            assertThat(page.note()).contains("the course totals are partial");
        }
    }
}
