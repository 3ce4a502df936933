package dev.curfew.core.sweep;

import static dev.curfew.core.plan.InstanceBuilder.instance;
import static org.assertj.core.api.Assertions.assertThat;

import dev.curfew.core.budget.BudgetCheck;
import dev.curfew.core.model.Ec2Instance;
import dev.curfew.core.plan.Action;
import dev.curfew.core.policy.Policy;
import dev.curfew.core.report.SweepReport;
import dev.curfew.core.spend.Spend;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The budget's stops in a sweep: acted on only in enforce, and a budget check that fails stops nothing else. */
class SweepEngineBudgetsTest {
    static final Instant NOW = Instant.parse("2026-03-10T15:00:00Z");

    static Policy policy(String mode) {
        return SweepPolicies.policy("111122223333", mode, """
                rules:
                  ec2-idle: {enabled: false}
                  ec2-forgotten: {enabled: false}
                budgets: {weekly: 10.00}
                """);
    }

    final Ec2Instance alice = instance("i-alice").tag("curfew:owner", "alice").launched(NOW.minusSeconds(60)).build();
    final Ec2Instance bob = instance("i-bob").tag("curfew:owner", "bob").launched(NOW.minusSeconds(60)).build();

    RecordingCloud cloud() {
        return new RecordingCloud("111122223333", List.of("eu-west-1"), List.of(alice, bob), Map.of(), Set.of());
    }

    SweepEngine.Result run(RecordingCloud cloud, Policy p, dev.curfew.core.budget.BudgetHook hook) {
        return new SweepEngine(cloud, Clock.fixed(NOW, ZoneOffset.UTC), 1, s -> { }).withBudget(hook).runWithPlan(p);
    }

    final dev.curfew.core.budget.BudgetHook aliceOver = (inv, p, now) -> BudgetCheck.check(p.budgets(), NOW,
            List.of(new Spend("alice", NOW, 12, 12, 0, 0, Spend.Source.ESTIMATE),
                    new Spend("bob", NOW, 1, 1, 0, 0, Spend.Source.ESTIMATE)), Map.of(), Set.of(), inv.instances(),
            p.ownerTag());

    @Test
    void enforceStopsTheOverBudgetStudentsInstanceAndDryRunOnlySaysSo() {
        RecordingCloud enforced = cloud();
        SweepEngine.Result r = run(enforced, policy("enforce"), aliceOver);
        assertThat(r.budget().over()).containsExactly("alice");
        assertThat(enforced.applyCalls).flatExtracting(RecordingCloud.ApplyCall::decisions)
                .singleElement().satisfies(d -> {
                    assertThat(d.resource().id()).isEqualTo("i-alice");
                    assertThat(d.action()).isEqualTo(Action.STOP);
                    assertThat(d.setTags()).containsKey("curfew:action");
                });
        assertThat(enforced.protectionCalls).as("protection is read again before the stop").isNotEmpty();

        RecordingCloud dry = cloud();
        SweepReport report = run(dry, policy("dry-run"), aliceOver).report();
        assertThat(dry.applyCalls).isEmpty();
        assertThat(report.rows()).filteredOn(x -> x.id().equals("i-alice")).singleElement()
                .satisfies(x -> assertThat(x.outcome()).isEqualTo("would"));
    }

    @Test
    void aBudgetCheckThatFailsIsReportedAndTheSweepGoesOn() {
        RecordingCloud cloud = cloud();
        SweepEngine.Result r = run(cloud, policy("enforce"), (inv, p, now) -> {
            throw new IllegalStateException("Cost Explorer is down");
        });
        assertThat(r.budget()).isNull();
        assertThat(r.report().regionErrors()).containsEntry("budget", "IllegalStateException: Cost Explorer is down");
        assertThat(cloud.applyCalls).isEmpty();
        assertThat(r.report().rows()).hasSize(2);
    }
}
