package dev.curfew.core.plan;

import static dev.curfew.core.plan.InstanceBuilder.instance;
import static org.assertj.core.api.Assertions.assertThat;

import dev.curfew.core.model.InstanceMetrics;
import dev.curfew.core.model.Inventory;
import dev.curfew.core.model.ResourceKind;
import dev.curfew.core.policy.Ec2Rules;
import dev.curfew.core.policy.KindRule;
import dev.curfew.core.policy.Policy;
import dev.curfew.core.policy.PolicyLoader;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * EC2 instances are a kind of the registry like the others: read from the policy by their own rules (three sections),
 * decided first (the kinds after them read their decisions), with the budget's stops weighed through the registry,
 * and the time budget of a sweep is a kind's own say, not a kind's name.
 */
class InstanceKindTest {
    static final Instant NOW = Instant.parse("2026-11-25T15:00:00Z");

    @Test
    void instancesAreTheRegistrysFirstKindWithTheirThreePolicySections() {
        KindRules k = Kinds.of(ResourceKind.EC2_INSTANCE);

        assertThat(k).isInstanceOf(InstanceRules.class);
        assertThat(Kinds.ALL.get(0)).isSameAs(k);
        assertThat(k.policyKeys()).containsExactly("ec2-idle", "ec2-forgotten", "ec2-stopped");
        assertThat(k.label()).isEqualTo("EC2 instance");
        assertThat(Kinds.ALL.stream().filter(x -> x != k).map(KindRules::policyKeys))
                .allSatisfy(keys -> assertThat(keys).hasSize(1));
    }

    @Test
    void theInstanceRulesAreTheInstanceKindsRuleAsItReadsThem() {
        Policy p = PolicyLoader.load("""
                rules:
                  ec2-idle: {cpu-below: 12.5, window: 90m}
                  ec2-forgotten: {max-lifetime: none, expires-tag: lab:expires}
                  ec2-stopped: {enabled: false}
                """, "test");

        KindRule rule = p.leftovers().rule(ResourceKind.EC2_INSTANCE);
        Ec2Rules read = Ec2Rules.of(rule);
        assertThat(read).isEqualTo(p.ec2());
        assertThat(read.idle()).isEqualTo(new Ec2Rules.Idle(true, 12.5, 5_000_000L, Duration.ofMinutes(90),
                Action.STOP));
        assertThat(read.forgotten().maxLifetime()).isNull();
        assertThat(read.forgotten().expiresTag()).isEqualTo("lab:expires");
        assertThat(read.stopped().enabled()).isFalse();
        // the kind itself is always on: each of its rules switches itself, and the budget's stops come on top
        assertThat(rule.enabled()).isTrue();
        assertThat(PolicyLoader.load("", "test").ec2()).isEqualTo(InstanceRules.DEFAULTS);
    }

    @Test
    void withEveryInstanceRuleOffTheBudgetsStopStillGoesThroughTheRegistryAndTheGuard() {
        Policy p = PolicyLoader.load("""
                rules:
                  ec2-idle: {enabled: false}
                  ec2-forgotten: {enabled: false}
                  ec2-stopped: {enabled: false}
                """, "test");
        var over = instance("i-over").tag("curfew:owner", "alice").launched(NOW.minusSeconds(3600)).build();
        var kept = instance("i-kept").tag("curfew:owner", "bob").tag("curfew:keep", "2026-11-26")
                .launched(NOW.minusSeconds(3600)).build();
        var untouched = instance("i-fine").tag("curfew:owner", "carol").launched(NOW.minusSeconds(3600)).build();
        Inventory inv = new Inventory(List.of(over, kept, untouched), Map.of());
        Finding budget = new Finding("budget", Action.STOP, "over the weekly budget", Map.of());

        List<Decision> ds = Planner.decideAll(inv, p, NOW, Map.of("i-over", budget, "i-kept", budget));

        assertThat(ds).extracting(d -> d.resource().id() + " " + d.action().wireName())
                .containsExactly("i-fine skip", "i-kept skip", "i-over stop");
        assertThat(ds.get(0).reason()).isEqualTo("no rule matched");
        assertThat(ds.get(2).setTags()).containsKey(ActionTag.TAG);
    }

    @Test
    void theKindsAfterInstancesReadTheirDecisions() {
        Policy p = PolicyLoader.load("", "test");
        var idle = instance("i-idle").launched(NOW.minus(Duration.ofHours(3))).tag("curfew:owner", "alice")
                .persistentSpot("sir-1").build();
        var request = new dev.curfew.core.model.SpotRequest("sir-1", "eu-west-1",
                dev.curfew.core.model.SpotRequestType.PERSISTENT, "active", "i-idle", "t3.micro",
                NOW.minus(Duration.ofHours(3)), Map.of("curfew:owner", "alice"));
        Inventory inv = new Inventory(List.of(idle), Map.of("i-idle", new InstanceMetrics(1.0, 1_000.0, 1_000.0)),
                List.of(), List.of(), List.of(request), List.of());

        List<Decision> ds = Planner.decideAll(inv, p, NOW);

        assertThat(ds.get(0).resource().kind()).isEqualTo(ResourceKind.EC2_INSTANCE);
        Decision spot = ds.stream().filter(d -> d.resource().id().equals("sir-1")).findFirst().orElseThrow();
        // the idle instance is stopped; its request is left to the instance rules, not cancelled on its own
        assertThat(ds.get(0).action()).isEqualTo(Action.STOP);
        assertThat(spot.action()).isEqualTo(Action.SKIP);
        assertThat(spot.reason()).isEqualTo("fulfilled by i-idle, which the instance rules handle");
    }

    @Test
    void onlyEmptyingOrDeletingABucketIsBoundByTheSweepsTimeBudget() {
        for (KindRules k : Kinds.ALL) {
            for (Action a : Action.values()) {
                boolean expected = k.kind() == ResourceKind.S3_BUCKET && (a == Action.EMPTY || a == Action.DELETE);
                assertThat(k.timeBudgeted(a)).as(k.kind() + " " + a).isEqualTo(expected);
            }
        }
    }
}
