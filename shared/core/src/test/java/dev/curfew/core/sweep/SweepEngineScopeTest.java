package dev.curfew.core.sweep;

import static dev.curfew.core.plan.InstanceBuilder.instance;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.curfew.core.accounts.AccountScope;
import dev.curfew.core.accounts.AccountTarget;
import dev.curfew.core.model.Ec2Instance;
import dev.curfew.core.model.InstanceMetrics;
import dev.curfew.core.policy.Policy;
import dev.curfew.core.policy.PolicyLoader;
import dev.curfew.core.report.SweepReport;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * {@link SweepEngine#withScope}: a sweep of a student's own account acts only on what is in its scope, reports the
 * rest as skipped with the reason, and refuses credentials of any other account.
 */
class SweepEngineScopeTest {
    static final String ALICES = "111111111111";
    static final Instant NOW = Instant.parse("2026-10-06T15:00:00Z");
    static final Instant ENROLLED = Instant.parse("2026-09-01T08:00:00Z");
    static final InstanceMetrics IDLE = new InstanceMetrics(1.0, 10.0, 10.0);

    /** Alice's personal instance from before enrolment, started again today (so its launch time is recent). */
    final Ec2Instance personal = instance("i-personal").launched(ENROLLED.minus(Duration.ofDays(200)),
            NOW.minus(Duration.ofHours(6))).tag("curfew:owner", "bob").build();
    /** What she launched for the course today. */
    final Ec2Instance lab = instance("i-lab").launched(NOW.minus(Duration.ofHours(6))).build();

    static Policy policy(String mode) {
        return SweepPolicies.policy(ALICES, mode, "rules:\n  ec2-idle: {action: stop}\n");
    }

    RecordingCloud cloud(String account) {
        return new RecordingCloud(account, List.of("eu-west-1"), List.of(personal, lab),
                Map.of("i-personal", IDLE, "i-lab", IDLE), Set.of());
    }

    static SweepEngine engine(RecordingCloud cloud) {
        return new SweepEngine(cloud, Clock.fixed(NOW, ZoneOffset.UTC), 2, s -> { });
    }

    static SweepReport.Row row(SweepReport r, String id) {
        return r.rows().stream().filter(x -> x.id().equals(id)).findFirst().orElseThrow();
    }

    AccountScope alicesScope() {
        return policy("enforce").scopeFor(new AccountTarget(ALICES, "alice", AccountTarget.Source.ROSTER), ENROLLED);
    }

    @Test
    void withoutAScopeThePolicyWouldStopBothWhichIsWhatTheScopePrevents() {
        RecordingCloud cloud = cloud(ALICES);
        engine(cloud).run(policy("enforce"));
        assertThat(cloud.applied()).extracting(d -> d.resource().id()).containsExactlyInAnyOrder("i-personal", "i-lab");
    }

    @Test
    void enforceActsOnlyOnWhatWasCreatedSinceEnrolmentAndReportsTheRestAsSkipped() {
        RecordingCloud cloud = cloud(ALICES);
        SweepReport r = engine(cloud).withScope(alicesScope()).run(policy("enforce"));

        assertThat(cloud.applied()).extracting(d -> d.resource().id()).containsExactly("i-lab");
        assertThat(cloud.applied()).singleElement().satisfies(d -> assertThat(d.owner()).isEqualTo("alice"));
        assertThat(cloud.protectionCalls).allSatisfy(c -> assertThat(c.candidates()).doesNotContainKey("i-personal"));
        assertThat(row(r, "i-lab").outcome()).isEqualTo("done");
        assertThat(row(r, "i-lab").owner()).isEqualTo("alice");
        SweepReport.Row left = row(r, "i-personal");
        assertThat(left.decision()).isEqualTo("skip");
        assertThat(left.reason()).isEqualTo("out of scope: created " + ENROLLED.minus(Duration.ofDays(200))
                + ", before enrolment (" + ENROLLED + "); left alone");
        assertThat(left.outcome()).isEqualTo("none");
        assertThat(left.owner()).as("the account's student, not the forged tag").isEqualTo("alice");
        assertThat(r.rows()).hasSize(2);
    }

    @Test
    void dryRunActsOnNothingAndStillReportsWhatIsOutOfScope() {
        RecordingCloud cloud = cloud(ALICES);
        SweepReport r = engine(cloud).withScope(alicesScope()).run(policy("dry-run"));
        assertThat(cloud.applyCalls).isEmpty();
        assertThat(row(r, "i-lab").outcome()).isEqualTo("would");
        assertThat(row(r, "i-personal").decision()).isEqualTo("skip");
        assertThat(row(r, "i-personal").reason()).startsWith("out of scope: created ");
    }

    @Test
    void anUnknownEnrolmentTimeActsOnNothing() {
        RecordingCloud cloud = cloud(ALICES);
        AccountScope unknown = policy("enforce").scopeFor(new AccountTarget(ALICES, "alice",
                AccountTarget.Source.ROSTER), null);
        List<String> progress = new java.util.concurrent.CopyOnWriteArrayList<>();
        SweepReport r = new SweepEngine(cloud, Clock.fixed(NOW, ZoneOffset.UTC), 2, progress::add).withScope(unknown)
                .run(policy("enforce"));
        assertThat(cloud.applyCalls).isEmpty();
        assertThat(progress).contains("2 resources are out of scope (the account's enrolment time is not known): "
                + "left alone");
        assertThat(r.rows()).hasSize(2).allSatisfy(x -> {
            assertThat(x.decision()).isEqualTo("skip");
            assertThat(x.reason()).contains("when this account was enrolled is not known");
        });
    }

    @Test
    void aWidenedAccountIsSweptWhole() {
        Policy widened = PolicyLoader.load("""
                accounts: ["111111111111"]
                mode: enforce
                rules:
                  ec2-idle: {action: stop}
                enrolment:
                  accounts: {"111111111111": everything}
                """, "scope-test");
        RecordingCloud cloud = cloud(ALICES);
        engine(cloud).withScope(widened.scopeFor(new AccountTarget(ALICES, "alice", AccountTarget.Source.ROSTER),
                ENROLLED)).run(widened);
        assertThat(cloud.applied()).extracting(d -> d.resource().id()).containsExactlyInAnyOrder("i-personal", "i-lab");
        assertThat(cloud.applied()).allSatisfy(d -> assertThat(d.owner()).isEqualTo("alice"));
    }

    @Test
    void theGuardRefusesCredentialsOfAnotherAccountInAnyModeAndNothingIsApplied() {
        for (String mode : List.of("enforce", "dry-run")) {
            // the credentials belong to the listed class account, but the sweep is for Alice's
            RecordingCloud cloud = new RecordingCloud("123456789012", List.of("eu-west-1"), List.of(personal, lab),
                    Map.of("i-personal", IDLE, "i-lab", IDLE), Set.of());
            Policy p = PolicyLoader.load("accounts: [\"111111111111\", \"123456789012\"]\nmode: " + mode, "t");
            assertThatThrownBy(() -> engine(cloud).withScope(alicesScope()).run(p))
                    .isInstanceOf(AccountGuardException.class)
                    .hasMessage("account guard: these credentials belong to account 123456789012, not to account "
                            + "111111111111 that this sweep is for; nothing was changed");
            assertThat(cloud.applyCalls).isEmpty();
            assertThat(cloud.inventoryCalls).isEmpty();
            assertThat(cloud.protectionCalls).isEmpty();
        }
    }
}
