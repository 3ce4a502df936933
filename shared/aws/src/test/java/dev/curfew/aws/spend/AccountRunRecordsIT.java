package dev.curfew.aws.spend;

import static org.assertj.core.api.Assertions.assertThat;

import dev.curfew.aws.AwsClients;
import dev.curfew.aws.testing.FaultProxy;
import dev.curfew.aws.testing.MotoTest;
import dev.curfew.core.policy.Policy;
import dev.curfew.core.policy.PolicyLoader;
import dev.curfew.core.spend.ClassSpend;
import dev.curfew.core.spend.RunHistory;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The sentinel's run records as a step of the many-accounts sweep reads them, against the moto server: only its own
 * account's part of the week is listed (not every other account's), and the runs there count in that account's spend,
 * a terminated instance's hours too.
 */
class AccountRunRecordsIT extends MotoTest {
    static final Instant NOW = Instant.parse("2026-11-25T17:00:00Z"); // a Wednesday
    static final String ALICE_ACCOUNT = "111111111111";
    static final String BOB_ACCOUNT = "222222222222";
    final Policy policy = PolicyLoader.load("""
            time-zone: UTC
            accounts: ["123456789012"]
            """, "test");

    void recorded(String account, String instance, Instant at, RunHistory.Kind kind, String owner) {
        clients.ssm(EU).putParameter(b -> b.name(RunHistory.name("curfew", ZoneOffset.UTC, new RunHistory.Transition(
                account, EU, instance, at, kind, "m5.large", owner))).value(RunHistory.value("m5.large", owner))
                .type("String"));
    }

    @Test
    void aStepReadsOnlyItsOwnAccountsRunsAndCountsThemForItsStudent() {
        // alice ran m5.large for 10 hours in her own account, then terminated it; bob and the class account ran too
        recorded(ALICE_ACCOUNT, "i-alice", NOW.minus(Duration.ofHours(30)), RunHistory.Kind.START, "alice");
        recorded(ALICE_ACCOUNT, "i-alice", NOW.minus(Duration.ofHours(20)), RunHistory.Kind.END, "alice");
        recorded(BOB_ACCOUNT, "i-bob", NOW.minus(Duration.ofHours(30)), RunHistory.Kind.START, "bob");
        recorded(BOB_ACCOUNT, "i-bob", NOW.minus(Duration.ofHours(10)), RunHistory.Kind.END, "bob");
        recorded(RunHistory.HOME, "i-home", NOW.minus(Duration.ofHours(5)), RunHistory.Kind.START, "erin");
        recorded(RunHistory.HOME, "i-home", NOW.minus(Duration.ofHours(4)), RunHistory.Kind.END, "erin");

        RunHistory alices = RunRecords.read(clients.ssm(EU), "curfew", ZoneOffset.UTC, NOW, ALICE_ACCOUNT);
        assertThat(alices.failure()).isNull();
        assertThat(alices.transitions()).extracting(RunHistory.Transition::instanceId)
                .containsOnly("i-alice").hasSize(2);
        RunHistory home = RunRecords.read(clients.ssm(EU), "curfew", ZoneOffset.UTC, NOW, null);
        assertThat(home.transitions()).extracting(RunHistory.Transition::instanceId).containsOnly("i-home");

        clients.counter().reset();
        Spending spending = Spending.answered(null, Clock.fixed(NOW, ZoneOffset.UTC)).withRuns((zone, now) ->
                RunRecords.read(clients.ssm(EU), "curfew", zone, now, ALICE_ACCOUNT));
        ClassSpend c = spending.of(policy, List.of());
        spending.of(policy, List.of());

        assertThat(c.of("alice")).isNotNull();
        assertThat(c.of("alice").weekDollars()).isGreaterThan(0);
        assertThat(c.of("bob")).isNull();
        assertThat(c.of("erin")).isNull();
        // one listing of alice's part of the week, however often the pass asks
        assertThat(clients.counter().get("ssm:GetParametersByPath")).isEqualTo(1);
    }

    @Test
    void recordsThatCannotBeReadSayWhereAndLeaveTheEstimate() {
        try (FaultProxy proxy = FaultProxy.start(moto.endpoint(), 1.0, 7).kinds(FaultProxy.Fault.SERVER_ERROR);
             AwsClients failing = new AwsClients(moto.settingsThrough(proxy, EU, 1))) {
            RunHistory h = RunRecords.read(failing.ssm(EU), "curfew", ZoneOffset.UTC, NOW, ALICE_ACCOUNT);
            assertThat(h.transitions()).isEmpty();
            assertThat(h.failure()).contains("/curfew/curfew/runs/").contains(ALICE_ACCOUNT);
        }
    }
}
