package dev.curfew.aws.spend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static dev.curfew.aws.testing.MotoServer.costDay;
import static dev.curfew.aws.testing.MotoServer.costGroup;
import static dev.curfew.aws.testing.MotoServer.costResult;

import dev.curfew.aws.AwsClients;
import dev.curfew.aws.AwsCloud;
import dev.curfew.aws.testing.FaultProxy;
import dev.curfew.aws.testing.MotoServer;
import dev.curfew.aws.testing.Seed;
import dev.curfew.core.budget.CourseWeek;
import dev.curfew.core.policy.Policy;
import dev.curfew.core.policy.PolicyLoader;
import dev.curfew.core.spend.Billed;
import dev.curfew.core.spend.ClassSpend;
import dev.curfew.core.spend.Spend;
import dev.curfew.core.sweep.SweepEngine;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What students have spent, against the moto server: the estimate from a sweep's inventory, Cost Explorer's billed
 * figures (set through moto's API) in its place where AWS has them, grouped by the owner tag or by account, and the
 * estimate with the reason when Cost Explorer fails.
 */
class SpendIT {
    static final String EU = "eu-west-1";
    MotoServer moto = MotoServer.get();
    final AwsClients clients = new AwsClients(moto.settings(EU));
    Instant t0 = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    Instant t1 = t0.plus(Duration.ofHours(10));
    final Policy policy = PolicyLoader.load("""
            mode: dry-run
            time-zone: Europe/Amsterdam
            accounts: ["123456789012"]
            regions: [eu-west-1]
            """, "test");

    @BeforeEach
    void emptyAccount() {
        moto.reset();
    }

    @AfterEach
    void close() {
        clients.close();
    }

    SweepEngine.Result sweep() {
        Clock clock = Clock.fixed(t1, ZoneOffset.UTC);
        return new SweepEngine(new AwsCloud(clients, clock), clock, 2, null).runWithPlan(policy);
    }

    @Test
    void theEstimateFromASweepThenTheBilledFigureWhereAwsHasOne() {
        Seed seed = new Seed(clients);
        seed.instance(EU, Map.of("curfew:owner", "alice"));
        seed.instance(EU, Map.of("curfew:owner", "bob"));
        SweepEngine.Result r = sweep();

        // Cost Explorer off: Curfew's estimate, about 10 instance hours each at eu-west-1's t3.micro price
        ClassSpend estimate = new Spending(null, Clock.fixed(t1, ZoneOffset.UTC)).of(policy, r.plan().decisions());
        Spend alice = estimate.of("alice");
        assertThat(alice.source()).isEqualTo(Spend.Source.ESTIMATE);
        assertThat(alice.totalInstanceHours()).isCloseTo(10, within(0.1));
        assertThat(alice.totalDollars()).isCloseTo(alice.totalInstanceHours() * 0.0114, within(1e-6));
        assertThat(estimate.of("bob").source()).isEqualTo(Spend.Source.ESTIMATE);
        assertThat(estimate.note()).isNull();

        // on: alice's and the untagged cost billed, bob not yet in Cost Explorer (his estimate stays)
        LocalDate week = CourseWeek.start(policy.timeZone(), t1).atZone(policy.timeZone()).toLocalDate();
        moto.costExplorerAnswers(costResult(costDay(week.minusDays(1), costGroup("curfew:owner$alice", "2.00")),
                costDay(week, costGroup("curfew:owner$alice", "1.25"), costGroup("curfew:owner$", "0.40"))));
        ClassSpend billed = new Spending(new CostExplorerSpend(clients.costExplorer()),
                Clock.fixed(t1, ZoneOffset.UTC)).of(policy, r.plan().decisions());
        assertThat(billed.of("alice")).isEqualTo(new Spend("alice", alice.weekStart(), 1.25, 3.25,
                alice.weekInstanceHours(), alice.totalInstanceHours(), Spend.Source.COST_EXPLORER));
        assertThat(billed.of("bob")).isEqualTo(estimate.of("bob"));
        assertThat(billed.unowned().source()).isEqualTo(Spend.Source.COST_EXPLORER);
        assertThat(billed.unowned().weekDollars()).isEqualTo(0.40);
        assertThat(billed.note()).isNull();
    }

    @Test
    void theBudgetCheckAndTheMessagesOfAPassShareOneCostExplorerRequest() {
        Seed seed = new Seed(clients);
        seed.instance(EU, Map.of("curfew:owner", "alice"));
        SweepEngine.Result r = sweep();
        LocalDate week = CourseWeek.start(policy.timeZone(), t1).atZone(policy.timeZone()).toLocalDate();
        moto.costExplorerAnswers(costResult(costDay(week, costGroup("curfew:owner$alice", "1.25"))));
        clients.counter().reset();
        Spending spending = new Spending(new CostExplorerSpend(clients.costExplorer()), Clock.fixed(t1,
                ZoneOffset.UTC));

        List<Spend> weighed = spending.spend(new AwsCloud(clients, Clock.fixed(t1, ZoneOffset.UTC)).inventory(EU,
                policy, t1), policy, t1);
        ClassSpend told = spending.of(policy, r.plan().decisions());

        assertThat(weighed).extracting(Spend::weekDollars).containsExactly(1.25);
        assertThat(told.of("alice").weekDollars()).isEqualTo(1.25);
        assertThat(clients.counter().get("costexplorer:GetCostAndUsage")).isEqualTo(1);
    }

    @Test
    void byLinkedAccountForStudentsOwnAccounts() {
        LocalDate week = LocalDate.of(2026, 11, 23);
        moto.costExplorerAnswers(costResult(costDay(week, costGroup("111111111111", "4.5"),
                costGroup("222222222222", "0.75"), costGroup("999999999999", "100")), costDay(week.plusDays(1),
                costGroup("111111111111", "1.5"))));
        CostExplorerSpend.Answer a = new CostExplorerSpend(clients.costExplorer()).byAccount(
                Map.of("111111111111", "alice", "222222222222", "bob"),
                new CostExplorerSpend.Window(week.minusWeeks(8), week, week.plusDays(3)));
        assertThat(a.ok()).isTrue();
        // an account that is no student's is left out
        assertThat(a.billed()).containsOnly(Map.entry("alice", new Billed(6.0, 6.0)),
                Map.entry("bob", new Billed(0.75, 0.75)));
    }

    @Test
    void whenCostExplorerFailsTheEstimateIsShownAndTheReasonGiven() {
        // what a sweep decided, made by hand: this test is about the call that fails
        var instance = new dev.curfew.core.model.Ec2Instance("i-1", EU, "t3.micro",
                dev.curfew.core.model.InstanceState.RUNNING, false, null, null, t0, t0, null,
                Map.of("curfew:owner", "alice"), null);
        var decisions = java.util.List.of(new dev.curfew.core.plan.Decision(instance, "alice", java.util.List.of(),
                dev.curfew.core.plan.Action.SKIP, "nothing to do", null));
        try (FaultProxy proxy = FaultProxy.start(moto.endpoint(), 1.0, 7).kinds(FaultProxy.Fault.SERVER_ERROR);
             AwsClients failing = new AwsClients(moto.settingsThrough(proxy, EU, 1))) {
            ClassSpend c = new Spending(new CostExplorerSpend(failing.costExplorer()),
                    Clock.fixed(t1, ZoneOffset.UTC)).of(policy, decisions);
            assertThat(c.of("alice").source()).isEqualTo(Spend.Source.ESTIMATE);
            assertThat(c.of("alice").totalInstanceHours()).isEqualTo(10);
            assertThat(c.note()).startsWith("Cost Explorer could not be read (").endsWith(
                    "Curfew's estimate is shown instead.");
        }
    }
}
