package dev.curfew.aws;

import static dev.curfew.aws.testing.Seed.tags;
import static dev.curfew.aws.testing.Sweeps.rows;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.curfew.aws.testing.MotoTest;
import dev.curfew.core.policy.Policy;
import dev.curfew.core.policy.PolicyLoader;
import dev.curfew.core.report.SweepReport;
import dev.curfew.core.sweep.AccountGuardException;
import dev.curfew.core.sweep.SweepEngine;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ec2.model.InstanceStateName;
import software.amazon.awssdk.services.ec2.model.SpotInstanceType;

/** The EC2 sweep end to end against the moto server: seed two regions, sweep, check what is left. */
@org.junit.jupiter.api.Tag("kind:ec2-instance")
class Ec2SweepIT extends MotoTest {
    static final String US = "us-east-1";
    static final String ACCOUNT = "123456789012";

    /** The sweep runs three hours after the seeding (moto dates every launch "now"). */
    Instant now = Instant.now().plus(Duration.ofHours(3));
    List<String> progress = new ArrayList<>();

    private SweepReport sweep(String policyYaml) {
        Policy p = PolicyLoader.load(policyYaml, "test");
        try (AwsClients c = new AwsClients(moto.settings(EU))) {
            return new SweepEngine(new AwsCloud(c), Clock.fixed(now, ZoneOffset.UTC), 4, progress::add).run(p);
        }
    }

    private static String idlePolicy(String mode) {
        return """
                course: IT
                mode: %s
                accounts: ["123456789012"]
                regions: [eu-west-1, us-east-1]
                rules:
                  ec2-idle: {cpu-below: 5, network-below: 5MB, window: 2h, action: stop}
                  ec2-forgotten: {enabled: false}
                  ec2-stopped: {longer-than: 1h, action: terminate}
                """.formatted(mode);
    }

    /** Seeds the day's mix in two regions; returns the ids by role. */
    private Map<String, String> seedDay() {
        Instant from = now.minus(Duration.ofHours(2));
        String idle = seed.instance(EU, tags("Name", "idle-eu", "curfew:owner", "alice"));
        seed.metrics(EU, idle, from, now, 1.0, 1_000);
        String busy = seed.instance(EU, tags("Name", "busy", "curfew:owner", "bob"));
        seed.metrics(EU, busy, from, now, 60.0, 1_000);
        String kept = seed.instance(EU, tags("Name", "kept", "curfew:owner", "carol",
                "curfew:keep", LocalDate.ofInstant(now, ZoneOffset.UTC).plusDays(1).toString()));
        seed.metrics(EU, kept, from, now, 1.0, 1_000);
        String stopProtected = seed.instance(EU, tags("Name", "stop-protected", "curfew:owner", "dave"));
        seed.metrics(EU, stopProtected, from, now, 1.0, 1_000);
        seed.protectStop(EU, stopProtected);
        String[] spot = seed.spot(EU, SpotInstanceType.ONE_TIME, tags("curfew:owner", "erin"));
        seed.metrics(EU, spot[1], from, now, 1.0, 1_000);
        String stopped = seed.instance(EU, tags("Name", "stopped", "curfew:owner", "frank"));
        seed.stop(EU, stopped);
        String idleUs = seed.instance(US, tags("Name", "idle-us", "curfew:owner", "grace"));
        seed.metrics(US, idleUs, from, now, 2.0, 10_000);
        String noData = seed.instance(US, tags("Name", "no-data", "curfew:owner", "heidi"));
        return Map.of("idle", idle, "busy", busy, "kept", kept, "stopProtected", stopProtected,
                "spot", spot[1], "stopped", stopped, "idleUs", idleUs, "noData", noData);
    }

    @Test
    void enforceStopsIdleTerminatesLongStoppedAndLeavesTheRest() {
        Map<String, String> id = seedDay();

        SweepReport r = sweep(idlePolicy("enforce"));
        Map<String, String> rows = rows(r);

        assertThat(seed.state(EU, id.get("idle"))).isEqualTo(InstanceStateName.STOPPED);
        assertThat(seed.state(US, id.get("idleUs"))).isEqualTo(InstanceStateName.STOPPED);
        assertThat(seed.state(EU, id.get("stopped"))).isEqualTo(InstanceStateName.TERMINATED);
        assertThat(seed.state(EU, id.get("busy"))).isEqualTo(InstanceStateName.RUNNING);
        assertThat(seed.state(EU, id.get("kept"))).isEqualTo(InstanceStateName.RUNNING);
        assertThat(seed.state(EU, id.get("stopProtected"))).isEqualTo(InstanceStateName.RUNNING);
        assertThat(seed.state(EU, id.get("spot"))).isEqualTo(InstanceStateName.RUNNING);
        assertThat(seed.state(US, id.get("noData"))).isEqualTo(InstanceStateName.RUNNING);

        assertThat(rows.get(id.get("idle"))).startsWith("stop|done|idle: CPU 1.0% average");
        assertThat(rows.get(id.get("busy"))).startsWith("skip|none|busy: CPU 60.0%");
        assertThat(rows.get(id.get("kept"))).startsWith("skip|none|kept until the end of");
        assertThat(rows.get(id.get("stopProtected"))).startsWith("skip|none|protected: stop protection");
        assertThat(rows.get(id.get("spot"))).startsWith("skip|none|one-time spot instance");
        assertThat(rows.get(id.get("stopped"))).matches("terminate\\|done\\|stopped for (2h59m|3h) .*");
        assertThat(rows.get(id.get("noData"))).startsWith("skip|none|no data");
        // what was stopped or terminated carries the record IAM requires for the act, and nothing else does
        String at = now.truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
        assertThat(tag(EU, id.get("idle"), "curfew:action")).isEqualTo("stop@" + at);
        assertThat(tag(US, id.get("idleUs"), "curfew:action")).isEqualTo("stop@" + at);
        assertThat(tag(EU, id.get("stopped"), "curfew:action")).isEqualTo("terminate@" + at);
        for (String untouched : List.of("busy", "kept", "stopProtected", "spot")) {
            assertThat(tag(EU, id.get(untouched), "curfew:action")).as(untouched).isNull();
        }
        assertThat(r.regions()).containsExactly(EU, US);
        assertThat(r.regionErrors()).isEmpty();
        assertThat(r.guard()).startsWith("passed");
        assertThat(r.rows()).filteredOn(x -> x.id().equals(id.get("idle"))).first()
                .satisfies(x -> assertThat(x.owner()).isEqualTo("alice"));
    }

    @Test
    void dryRunChangesNothing() {
        Map<String, String> id = seedDay();
        Map<String, InstanceStateName> before = new java.util.HashMap<>();
        id.forEach((role, i) -> before.put(i, seed.state(role.endsWith("Us") || role.equals("noData") ? US : EU, i)));

        SweepReport r = sweep(idlePolicy("dry-run"));

        id.forEach((role, i) -> assertThat(seed.state(role.endsWith("Us") || role.equals("noData") ? US : EU, i))
                .as(role).isEqualTo(before.get(i)));
        assertThat(rows(r).get(id.get("idle"))).startsWith("stop|would|");
        assertThat(rows(r).get(id.get("stopped"))).startsWith("terminate|would|");
        assertThat(r.calls().keySet()).noneMatch(k -> k.contains("Stop") || k.contains("Terminate")
                || k.contains("Cancel") || k.contains("CreateTags"));
        assertThat(tag(EU, id.get("idle"), "curfew:action")).isNull();
    }

    private String tag(String region, String instance, String key) {
        return clients.ec2(region).describeInstances(b -> b.instanceIds(instance)).reservations().get(0).instances()
                .get(0).tags().stream().filter(t -> t.key().equals(key)).map(t -> t.value()).findFirst()
                .orElse(null);
    }

    @Test
    void atCurfewTerminatesCancellingPersistentSpotFirstAndHonoursProtectionAndAllowList() {
        String plain = seed.instance(EU, tags("curfew:owner", "alice"));
        String[] persistent = seed.spot(EU, SpotInstanceType.PERSISTENT, tags("curfew:owner", "bob"));
        String protectedId = seed.instance(EU, tags("curfew:owner", "carol"));
        seed.protectTermination(EU, protectedId);
        String bastion = seed.instance(US, tags("Name", "bastion"));
        String curfew = now.minus(Duration.ofMinutes(30)).atZone(ZoneOffset.UTC).toLocalTime().withSecond(0)
                .withNano(0).toString();

        SweepReport r = sweep("""
                mode: enforce
                curfew: "%s"
                accounts: ["123456789012"]
                regions: [eu-west-1, us-east-1]
                exemptions: {allow-list: [bastion]}
                rules: {ec2-idle: {enabled: false}}
                """.formatted(curfew));

        assertThat(seed.state(EU, plain)).isEqualTo(InstanceStateName.TERMINATED);
        assertThat(seed.state(EU, persistent[1])).isEqualTo(InstanceStateName.TERMINATED);
        assertThat(seed.spotRequestExists(EU, persistent[0])).isFalse();
        assertThat(seed.state(EU, protectedId)).isEqualTo(InstanceStateName.RUNNING);
        assertThat(seed.state(US, bastion)).isEqualTo(InstanceStateName.RUNNING);
        Map<String, String> rows = rows(r);
        assertThat(rows.get(persistent[1])).contains("persistent spot request " + persistent[0]);
        assertThat(rows.get(protectedId)).startsWith("skip|none|protected: termination protection is on");
        assertThat(rows.get(bastion)).startsWith("skip|none|exempt: on the instructor's allow-list");
        assertThat(r.calls()).containsKeys("ec2:CancelSpotInstanceRequests", "ec2:TerminateInstances");
    }

    @Test
    void aFarReachingKeepTagIsCappedOnceAndTheCapHolds() {
        String far = seed.instance(EU, tags("curfew:owner", "ivan", "curfew:keep", "2099-12-31"));
        String curfew = now.minus(Duration.ofMinutes(30)).atZone(ZoneOffset.UTC).toLocalTime().withSecond(0)
                .withNano(0).toString();
        String policy = """
                mode: enforce
                curfew: "%s"
                accounts: ["123456789012"]
                regions: [eu-west-1]
                exemptions: {longest-keep: 3d}
                rules: {ec2-idle: {enabled: false}}
                """.formatted(curfew);

        SweepReport first = sweep(policy);
        String cap = LocalDate.ofInstant(now.plus(Duration.ofDays(3)), ZoneOffset.UTC).toString();
        assertThat(rows(first).get(far)).isEqualTo("mark|done|kept until the end of " + cap
                + " (curfew:keep=2099-12-31, capped by the policy's longest keep of 3d)");
        var tagsNow = clients.ec2(EU).describeInstances(b -> b.instanceIds(far)).reservations().get(0).instances()
                .get(0).tags();
        assertThat(tagsNow).anySatisfy(t -> {
            assertThat(t.key()).isEqualTo("curfew:keep-cap");
            assertThat(t.value()).isEqualTo(cap);
        });

        now = now.plus(Duration.ofDays(2));
        assertThat(rows(sweep(policy)).get(far)).startsWith("skip|none|kept until the end of " + cap);
        now = now.plus(Duration.ofDays(2));
        assertThat(rows(sweep(policy)).get(far)).startsWith("terminate|done|");
        assertThat(seed.state(EU, far)).isEqualTo(InstanceStateName.TERMINATED);
    }

    @Test
    void accountGuardRefusesAnUnlistedAccountAndChangesNothing() {
        String plain = seed.instance(EU, tags("curfew:owner", "alice"));
        seed.stop(EU, plain);

        assertThatThrownBy(() -> sweep("""
                mode: enforce
                accounts: ["111111111111"]
                regions: [eu-west-1]
                rules: {ec2-stopped: {longer-than: 1m}}
                """)).isInstanceOf(AccountGuardException.class).hasMessageContaining(ACCOUNT)
                .hasMessageContaining("nothing was changed");

        assertThat(seed.state(EU, plain)).isEqualTo(InstanceStateName.STOPPED);
    }

    @Test
    void circuitBreakerActsOnNothingWhenTooMuchWouldBeDestroyed() {
        List<String> ids = seed.instances(EU, 3, "t3.micro", tags("curfew:owner", "alice"));
        ids.forEach(i -> seed.stop(EU, i));

        SweepReport r = sweep("""
                mode: enforce
                accounts: ["123456789012"]
                regions: [eu-west-1]
                limits: {max-destructive-actions: 2}
                rules: {ec2-stopped: {longer-than: 1h}, ec2-forgotten: {enabled: false}}
                """);

        ids.forEach(i -> assertThat(seed.state(EU, i)).isEqualTo(InstanceStateName.STOPPED));
        assertThat(r.breaker().tripped()).isTrue();
        assertThat(r.breaker().planned()).isEqualTo(3);
        assertThat(r.rows()).allSatisfy(x -> assertThat(x.reason()).startsWith("circuit breaker"));
        assertThat(r.calls().keySet()).noneMatch(k -> k.contains("Terminate"));
    }

    @Test
    void allRegionsMeansTheEnabledRegionsOfThisPartition() {
        seed.instance("ap-southeast-2", tags("curfew:owner", "alice"));

        SweepReport r = sweep("regions: all\n");

        assertThat(r.regions()).contains(EU, US, "ap-southeast-2").noneMatch(x -> x.startsWith("cn-")
                || x.startsWith("us-gov-"));
        assertThat(r.rows()).extracting(SweepReport.Row::region).containsExactly("ap-southeast-2");
        assertThat(r.calls().get("ec2:DescribeRegions")).isEqualTo(1L);
        assertThat(r.calls().get("ec2:DescribeInstances")).isEqualTo((long) r.regions().size());
    }
}
