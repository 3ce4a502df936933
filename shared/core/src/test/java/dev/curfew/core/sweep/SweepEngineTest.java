package dev.curfew.core.sweep;

import static dev.curfew.core.plan.InstanceBuilder.instance;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.curfew.core.model.Ec2Instance;
import dev.curfew.core.model.InstanceMetrics;
import dev.curfew.core.plan.Action;
import dev.curfew.core.plan.Decision;
import dev.curfew.core.policy.Mode;
import dev.curfew.core.policy.Policy;
import dev.curfew.core.policy.PolicyLoader;
import dev.curfew.core.report.SweepReport;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** Examples of one sweep against {@link RecordingCloud}; the general rules are in SweepEnginePropertiesTest. */
class SweepEngineTest {
    static final String ACCOUNT = "111122223333";
    static final Instant NOW = Instant.parse("2026-03-10T15:00:00Z");
    static final Instant FRESH = NOW.minus(Duration.ofHours(6));
    static final InstanceMetrics IDLE = new InstanceMetrics(1.0, 10.0, 10.0);
    static final List<String> REGIONS = List.of("eu-west-1", "us-east-1");

    static Policy policy(String mode) {
        return SweepPolicies.policy(ACCOUNT, mode, "rules:\n  ec2-idle: {action: terminate}\n");
    }

    final Ec2Instance idleEu = instance("i-eu").region("eu-west-1").launched(FRESH).build();
    final Ec2Instance idleUs = instance("i-us").region("us-east-1").launched(FRESH).build();
    final Ec2Instance protectedUs = instance("i-us-protected").region("us-east-1").launched(FRESH)
            .protection(true, false).build();
    final Ec2Instance persistentEu = instance("i-eu-spot").region("eu-west-1").launched(FRESH)
            .persistentSpot("sir-0abc").build();
    final List<Ec2Instance> fleet = List.of(idleEu, idleUs, protectedUs, persistentEu);
    final Map<String, InstanceMetrics> metrics = Map.of("i-eu", IDLE, "i-us", IDLE, "i-us-protected", IDLE,
            "i-eu-spot", IDLE);
    final List<String> progress = new CopyOnWriteArrayList<>();

    RecordingCloud cloud(String account) {
        return new RecordingCloud(account, REGIONS, fleet, metrics, Set.of());
    }

    SweepReport run(RecordingCloud cloud, Policy p) {
        return new SweepEngine(cloud, Clock.fixed(NOW, ZoneOffset.UTC), 2, progress::add).run(p);
    }

    static SweepReport.Row row(SweepReport r, String id) {
        return r.rows().stream().filter(x -> x.id().equals(id)).findFirst().orElseThrow();
    }

    @Test
    void enforceActsOnTheUnprotectedAndCancelsPersistentRequestsFirst() {
        RecordingCloud cloud = cloud(ACCOUNT);
        SweepReport r = run(cloud, policy("enforce"));

        assertThat(r.now()).isEqualTo(NOW);
        assertThat(r.guard()).isEqualTo("passed: account 111122223333 is listed in the policy");
        assertThat(cloud.applied()).extracting(d -> d.resource().id())
                .containsExactlyInAnyOrder("i-eu", "i-us", "i-eu-spot");
        assertThat(cloud.applied()).filteredOn(d -> d.resource().id().equals("i-eu-spot")).singleElement()
                .extracting(Decision::cancelFirst).isEqualTo("sir-0abc");
        assertThat(row(r, "i-us-protected").decision()).isEqualTo("skip");
        assertThat(row(r, "i-us-protected").reason()).startsWith("protected: termination protection is on");
        assertThat(row(r, "i-us-protected").outcome()).isEqualTo("none");
        assertThat(row(r, "i-eu").outcome()).isEqualTo("done");
        // the inventory does not say protection: it was asked for, for the candidates only
        assertThat(cloud.protectionCalls).extracting(RecordingCloud.ProtectionCall::region)
                .containsExactlyInAnyOrder("eu-west-1", "us-east-1");
        assertThat(cloud.protectionCalls).allSatisfy(c -> assertThat(c.candidates()).containsValue(Action.TERMINATE));
    }

    @Test
    void dryRunInAnUnlistedAccountPlansButSaysEnforceWouldRefuse() {
        RecordingCloud cloud = cloud("999999999999");
        SweepReport r = run(cloud, policy("dry-run"));
        assertThat(r.guard()).isEqualTo("account 999999999999 is not listed in the policy: enforce would refuse to "
                + "change anything");
        assertThat(cloud.applyCalls).isEmpty();
        assertThat(r.rows()).extracting(SweepReport.Row::outcome).containsOnly("would", "none").contains("would");
        assertThat(row(r, "i-eu").detail()).isEqualTo("dry-run: would terminate");
    }

    @Test
    void whenStsFailsNothingElseIsCalled() {
        RecordingCloud cloud = cloud(ACCOUNT);
        cloud.accountFailure = new IllegalStateException("ExpiredToken");
        assertThatThrownBy(() -> run(cloud, policy("enforce")))
                .isInstanceOf(SweepException.class)
                .hasMessageContaining("STS GetCallerIdentity failed")
                .hasMessageContaining("ExpiredToken");
        assertThat(cloud.inventoryCalls).isEmpty();
        assertThat(cloud.applyCalls).isEmpty();
    }

    @Test
    void whenTheRegionsCannotBeListedTheSweepFails() {
        RecordingCloud cloud = cloud(ACCOUNT);
        cloud.regionsFailure = new IllegalStateException("AccessDenied");
        assertThatThrownBy(() -> run(cloud, policy("enforce")))
                .isInstanceOf(SweepException.class).hasMessageContaining("cannot list the account's regions");
        assertThat(cloud.applyCalls).isEmpty();
    }

    @Test
    void namedRegionsAreSweptWithoutAskingWhichAreEnabled() {
        RecordingCloud cloud = cloud(ACCOUNT);
        SweepReport r = run(cloud, policy("dry-run").withRegions(List.of("us-east-1")));
        assertThat(cloud.enabledRegionsCalls).isEmpty();
        assertThat(cloud.inventoryCalls).containsExactly("us-east-1");
        assertThat(r.regions()).containsExactly("us-east-1");
        assertThat(r.rows()).extracting(SweepReport.Row::id).containsExactly("i-us", "i-us-protected");
    }

    @Test
    void aRegionFailingToApplyMarksItsRowsFailedAndTheOtherRegionStillActs() {
        RecordingCloud cloud = cloud(ACCOUNT);
        cloud.applyFailingRegions = Set.of("us-east-1");
        SweepReport r = run(cloud, policy("enforce"));
        assertThat(row(r, "i-us").outcome()).isEqualTo("failed");
        assertThat(row(r, "i-us").detail()).contains("endpoint unreachable in us-east-1");
        assertThat(row(r, "i-eu").outcome()).isEqualTo("done");
        assertThat(r.anyFailed()).isTrue();
    }

    @Test
    void aTrippedBreakerActsOnNothingAndSaysSo() {
        RecordingCloud cloud = cloud(ACCOUNT);
        Policy p = PolicyLoader.load("""
                accounts: ["111122223333"]
                mode: enforce
                limits: {max-destructive-actions: 2}
                rules:
                  ec2-idle: {action: terminate}
                """, "breaker");
        SweepReport r = run(cloud, p);
        assertThat(r.breaker().tripped()).isTrue();
        assertThat(r.breaker().planned()).isEqualTo(3);
        assertThat(cloud.applyCalls).isEmpty();
        assertThat(r.rows()).extracting(SweepReport.Row::decision).containsOnly("skip");
        assertThat(progress).anyMatch(s -> s.startsWith("circuit breaker tripped: 3 destructive actions planned"));
    }

    @Test
    void theModeComesFromThePolicy() {
        RecordingCloud cloud = cloud(ACCOUNT);
        SweepReport r = run(cloud, policy("enforce").withMode(Mode.DRY_RUN));
        assertThat(r.mode()).isEqualTo("dry-run");
        assertThat(cloud.applyCalls).isEmpty();
        List<String> outcomes = new ArrayList<>(r.rows().stream().map(SweepReport.Row::outcome).toList());
        assertThat(outcomes).doesNotContain("done", "failed");
    }

    @Test
    void aRegionThatFailedIsReadOnceMoreAtTheEndAndSweptWhenItAnswers() {
        RecordingCloud cloud = cloud(ACCOUNT);
        cloud.failOnceRegions = Set.of("us-east-1");
        SweepReport r = run(cloud, policy("enforce"));
        assertThat(cloud.inventoryCalls).containsExactlyInAnyOrder("eu-west-1", "us-east-1", "us-east-1");
        assertThat(r.regionErrors()).isEmpty();
        assertThat(row(r, "i-us").outcome()).isEqualTo("done");
        assertThat(r.anyFailed()).isFalse();
    }

    @Test
    void aKindThatStillFailsIsNamedInTheReportAndNothingElseOfTheRegionIsHidden() {
        RecordingCloud cloud = cloud(ACCOUNT);
        cloud.kindFailuresAlways = Map.of("eu-west-1", Map.of("eu-west-1 ebs-volume",
                "listing failed: RequestLimitExceeded: Request limit exceeded."));
        cloud.kindFailuresOnce = Map.of("us-east-1", Map.of("us-east-1 elastic-ip", "listing failed: Throttling"));
        SweepReport r = run(cloud, policy("enforce"));
        // each region with a failure was read again, once
        assertThat(cloud.inventoryCalls).containsExactlyInAnyOrder("eu-west-1", "us-east-1", "eu-west-1",
                "us-east-1");
        assertThat(r.regionErrors()).containsExactly(Map.entry("eu-west-1 ebs-volume",
                "listing failed: RequestLimitExceeded: Request limit exceeded."));
        assertThat(row(r, "i-eu").outcome()).isEqualTo("done");
        assertThat(row(r, "i-us").outcome()).isEqualTo("done");
        assertThat(r.anyFailed()).isTrue();
        assertThat(progress).contains("eu-west-1 ebs-volume: failed: listing failed: RequestLimitExceeded: Request "
                + "limit exceeded.");
    }
}
