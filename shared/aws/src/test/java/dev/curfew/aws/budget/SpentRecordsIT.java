package dev.curfew.aws.budget;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.curfew.aws.AwsClients;
import dev.curfew.aws.spend.Spending;
import dev.curfew.aws.testing.FaultProxy;
import dev.curfew.aws.testing.MotoTest;
import dev.curfew.core.model.Ec2Instance;
import dev.curfew.core.model.InstanceState;
import dev.curfew.core.plan.Action;
import dev.curfew.core.plan.Decision;
import dev.curfew.core.policy.Mode;
import dev.curfew.core.policy.Policy;
import dev.curfew.core.policy.PolicyLoader;
import dev.curfew.core.spend.ClassSpend;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The kept figures of closed weeks, against the moto server: listed once per pass however often the pass asks for
 * figures, counted in the course total from the course start, and, when they cannot be read, a total marked partial
 * with the reason in the note (the report's notifications.problems).
 */
class SpentRecordsIT extends MotoTest {
    static final Instant NOW = Instant.parse("2026-11-25T17:00:00Z"); // Wed; the week of Mon 23 Nov (UTC)
    final Policy policy = PolicyLoader.load("""
            time-zone: UTC
            accounts: ["123456789012"]
            budgets:
              course: 10.00
              course-start: 2026-11-09
            """, "test");
    /** Alice's instance, up since Monday 09:00 UTC (56 hours). */
    final List<Decision> decisions = List.of(new Decision(new Ec2Instance("i-a", EU, "t3.micro",
            InstanceState.RUNNING, false, null, null, Instant.parse("2026-11-23T09:00:00Z"),
            Instant.parse("2026-11-23T09:00:00Z"), null, Map.of("curfew:owner", "alice"), null), "alice", List.of(),
            Action.SKIP, "nothing to do", null));

    void kept(String week, String owner, String value) {
        clients.ssm(EU).putParameter(b -> b.name("/curfew/s/budget/spent/" + week + "/" + owner).value(value)
                .type("String"));
    }

    @Test
    void theKeptWeeksSinceTheCourseStartAreListedOncePerPassAndADryRunWritesNothing() {
        kept("2026-11-02", "alice", "dollars=50.000000 hours=1.000000"); // before the course start
        kept("2026-11-16", "alice", "dollars=4.000000 hours=6.000000");
        kept("2026-11-16", "_closed", "students=1");
        clients.counter().reset();
        Spending pass = new Spending(null, Clock.fixed(NOW, ZoneOffset.UTC))
                .withClosedWeeks(new SpentRecords(clients.ssm(EU), "s"))
                .withRuns((zone, at) -> dev.curfew.core.spend.RunHistory.NONE);
        // the budget check, the messages and the page of one dry run (the policy's default): the week of 9 Nov, not
        // closed, stays open
        for (ClassSpend c : List.of(pass.of(policy, decisions), pass.of(policy, decisions),
                pass.estimate(policy, decisions))) {
            assertThat(c.note()).isNull();
            assertThat(c.partialTotal()).isFalse();
            assertThat(c.of("alice").totalDollars()).isCloseTo(4 + c.of("alice").weekDollars(), within(1e-6));
            assertThat(c.of("alice").totalInstanceHours()).isCloseTo(6 + 56, within(1e-6));
        }
        assertThat(clients.counter().snapshot()).containsOnly(Map.entry("ssm:GetParametersByPath", 1L));
    }

    @Test
    void aFailedReadShowsThePartialTotalAndSaysWhy() {
        kept("2026-11-16", "alice", "dollars=4.000000 hours=6.000000");
        try (FaultProxy proxy = FaultProxy.start(moto.endpoint(), 1.0, 7).kinds(FaultProxy.Fault.SERVER_ERROR);
             AwsClients failing = new AwsClients(moto.settingsThrough(proxy, EU, 1))) {
            Spending spending = new Spending(null, Clock.fixed(NOW, ZoneOffset.UTC))
                    .withClosedWeeks(new SpentRecords(failing.ssm(EU), "s"))
                    .withRuns((zone, at) -> dev.curfew.core.spend.RunHistory.NONE);
            ClassSpend c = spending.of(policy.withMode(Mode.ENFORCE), decisions);
            spending.of(policy, decisions);
            assertThat(failing.counter().get("ssm:GetParametersByPath")).as("the failure is remembered").isEqualTo(1);
            assertThat(failing.counter().get("ssm:PutParameter")).as("nothing is closed unread").isZero();
            assertThat(c.partialTotal()).isTrue();
            assertThat(c.note()).startsWith("the course totals are partial: the kept figures of earlier weeks could "
                    + "not be read (/curfew/s/budget/spent: ");
            assertThat(c.of("alice").totalDollars()).as("this week's, not less").isEqualTo(c.of("alice").weekDollars());
            // the budget check does not weigh a course total without its kept weeks: it fails (the sweep reports it
            // and stops and clears nobody) instead of finding alice under a budget she is over by earlier weeks
            assertThatThrownBy(() -> spending.spend(dev.curfew.core.model.Inventory.empty(), policy, NOW))
                    .hasMessageContaining("the course totals could not be read")
                    .hasMessageContaining("nobody is weighed against their budget this time");
        }
    }

    @Test
    void aKeptWeekThatIsNotFiguresMakesTheTotalPartialNotSmaller() {
        kept("2026-11-16", "alice", "$6.50"); // written by hand, not in the records' form
        kept("2026-11-16", "_closed", "students=1");
        Spending spending = new Spending(null, Clock.fixed(NOW, ZoneOffset.UTC))
                .withClosedWeeks(new SpentRecords(clients.ssm(EU), "s"))
                .withRuns((zone, at) -> dev.curfew.core.spend.RunHistory.NONE);
        ClassSpend c = spending.of(policy, decisions);
        assertThat(c.partialTotal()).isTrue();
        assertThat(c.note()).contains("/curfew/s/budget/spent/2026-11-16/alice holds \"$6.50\", not a week's figures");
        assertThatThrownBy(() -> spending.spend(dev.curfew.core.model.Inventory.empty(), policy, NOW))
                .hasMessageContaining("the course totals could not be read");
    }

    @Test
    void aPassThatMissedARegionClosesNoWeekAndSaysSoWhileACompleteOneCloses() {
        Policy enforce = policy.withMode(Mode.ENFORCE);
        clients.counter().reset();
        Spending missed = new Spending(null, Clock.fixed(NOW, ZoneOffset.UTC))
                .withClosedWeeks(new SpentRecords(clients.ssm(EU), "s"))
                .withRuns((zone, at) -> dev.curfew.core.spend.RunHistory.NONE);
        ClassSpend c = missed.of(enforce, decisions, false);
        assertThat(clients.counter().get("ssm:PutParameter")).as("a kept week is never written again: not from a "
                + "pass that did not see everything").isZero();
        assertThat(c.note()).contains("the weeks over are not closed this time: a region could not be listed");

        Spending complete = new Spending(null, Clock.fixed(NOW, ZoneOffset.UTC))
                .withClosedWeeks(new SpentRecords(clients.ssm(EU), "s"))
                .withRuns((zone, at) -> dev.curfew.core.spend.RunHistory.NONE);
        assertThat(complete.of(enforce, decisions, true).note()).isNull();
        assertThat(clients.counter().get("ssm:PutParameter")).as("the weeks of 9 and 16 Nov, each closed")
                .isGreaterThanOrEqualTo(2);
        assertThat(clients.ssm(EU).getParametersByPath(b -> b.path("/curfew/s/budget/spent/").recursive(true))
                .parameters()).extracting(x -> x.name()).contains("/curfew/s/budget/spent/2026-11-16/_closed");
    }
}
