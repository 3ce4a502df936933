package dev.curfew.core.sweep;

import static dev.curfew.core.plan.InstanceBuilder.instance;
import static org.assertj.core.api.Assertions.assertThat;

import dev.curfew.core.budget.BudgetCheck;
import dev.curfew.core.model.Ec2Instance;
import dev.curfew.core.plan.Action;
import dev.curfew.core.plan.Decision;
import dev.curfew.core.report.SweepReport;
import dev.curfew.core.spend.Spend;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The budget's stops alone in an account (a student over budget by the sum across accounts): only the instances the
 * budget stops are planned, with their exemptions and protection; whatever else the rules would do is not done.
 */
class SweepEngineBudgetStopsOnlyTest {
    static final Instant NOW = SweepEngineBudgetsTest.NOW;
    /** Bob's instance and one of alice's have expired: the rules would terminate them. */
    static final String RULES = """
            rules:
              ec2-idle: {enabled: false}
              ec2-forgotten: {at-curfew: false}
            budgets: {weekly: 10.00}
            """;

    static dev.curfew.core.plan.InstanceBuilder owned(String id, String owner) {
        return instance(id).tag("curfew:owner", owner).launched(NOW.minusSeconds(60));
    }

    final Ec2Instance lab = owned("i-lab", "alice").build();
    final Ec2Instance expired = owned("i-expired", "alice").tag("curfew:expires-at", "2026-03-10T10:00:00Z").build();
    final Ec2Instance kept = owned("i-kept", "alice").tag("curfew:keep", "2026-03-11").build();
    final Ec2Instance bobs = owned("i-bob", "bob").tag("curfew:expires-at", "2026-03-10T10:00:00Z").build();

    final dev.curfew.core.budget.BudgetHook aliceOver = (inv, p, now) -> BudgetCheck.check(p.budgets(), NOW,
            List.of(new Spend("alice", NOW, 12, 12, 0, 0, Spend.Source.ESTIMATE)), Map.of(), Set.of(),
            inv.instances(), p.ownerTag());

    RecordingCloud cloud() {
        return new RecordingCloud("111122223333", List.of("eu-west-1"), List.of(lab, expired, kept, bobs), Map.of(),
                Set.of());
    }

    SweepEngine.Result run(RecordingCloud cloud, String mode) {
        return new SweepEngine(cloud, Clock.fixed(NOW, ZoneOffset.UTC), 1, s -> { })
                .withBudgetStopsOnly(aliceOver).runWithPlan(SweepPolicies.policy("111122223333", mode, RULES));
    }

    @Test
    void onlyTheBudgetsStopsAreActedOnAndNothingElseIsPlanned() {
        RecordingCloud cloud = cloud();
        SweepEngine.Result r = run(cloud, "enforce");

        assertThat(cloud.applyCalls).flatExtracting(RecordingCloud.ApplyCall::decisions).singleElement()
                .satisfies(d -> {
                    assertThat(d.resource().id()).isEqualTo("i-lab");
                    assertThat(d.action()).isEqualTo(Action.STOP);
                    assertThat(d.setTags()).containsKey("curfew:action");
                });
        assertThat(cloud.protectionCalls).as("protection is read again before the stop").isNotEmpty();
        // bob is not over budget: his expired instance is the account's own sweep's, not planned here at all
        assertThat(r.report().rows()).extracting(SweepReport.Row::id).containsExactlyInAnyOrder("i-lab", "i-expired",
                "i-kept");
        // what the rules would do beyond a stop (terminate an expired instance) is not done by the budget
        assertThat(r.plan().decisions()).filteredOn(d -> d.resource().id().equals("i-expired")).singleElement()
                .satisfies(d -> {
                    assertThat(d.action()).isEqualTo(Action.SKIP);
                    assertThat(d.reason()).contains("only the budget's stops are acted on here");
                });
        assertThat(r.plan().decisions()).filteredOn(d -> d.resource().id().equals("i-kept")).singleElement()
                .extracting(Decision::action).isEqualTo(Action.SKIP);
    }

    @Test
    void aDryRunActsOnNothing() {
        RecordingCloud cloud = cloud();
        SweepReport report = run(cloud, "dry-run").report();
        assertThat(cloud.applyCalls).isEmpty();
        assertThat(report.rows()).filteredOn(x -> x.id().equals("i-lab")).singleElement()
                .satisfies(x -> assertThat(x.outcome()).isEqualTo("would"));
    }
}
