package dev.curfew.core.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.curfew.core.model.Ec2Instance;
import dev.curfew.core.model.InstanceState;
import dev.curfew.core.model.Inventory;
import dev.curfew.core.model.Protection;
import dev.curfew.core.model.SpotRequest;
import dev.curfew.core.model.SpotRequestType;
import dev.curfew.core.policy.Policy;
import dev.curfew.core.policy.PolicyLoader;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A spot request belonging to a kept instance is left with it: what holds the instance back is read from the
 * instance (its keep tag, the allow-list, its protection), not from the wording of its decision's reason.
 */
class SpotHeldBackTest {
    static final Instant NOW = Instant.parse("2026-11-25T19:00:00Z");
    static final Policy POLICY = PolicyLoader.load("""
            curfew: "18:00"
            """, "test");

    private static Decision spotDecision(Map<String, String> instanceTags) {
        // stopped an hour ago, launched after curfew: no instance rule matches, so its reason says "stopped for 1h"
        Ec2Instance i = new Ec2Instance("i-1", "eu-west-1", "t3.micro", InstanceState.STOPPED, true, "sir-1",
                SpotRequestType.PERSISTENT, NOW.minus(Duration.ofMinutes(30)), NOW.minus(Duration.ofMinutes(30)),
                NOW.minus(Duration.ofHours(1)), instanceTags, Protection.UNKNOWN);
        SpotRequest s = new SpotRequest("sir-1", "eu-west-1", SpotRequestType.PERSISTENT, "open", "i-1", "t3.micro",
                NOW.minus(Duration.ofMinutes(30)), Map.of("curfew:owner", "alice"));
        Inventory inv = new Inventory(List.of(i), Map.of(), List.of(), List.of(), List.of(s), List.of());
        return Planner.plan(inv, POLICY, NOW).decisions().stream().filter(d -> d.resource().id().equals("sir-1"))
                .findFirst().orElseThrow();
    }

    @Test
    void theRequestOfAKeptInstanceIsLeftEvenWhenNoInstanceRuleMatched() {
        Decision d = spotDecision(Map.of("curfew:owner", "alice", "curfew:keep", "2026-11-26"));
        assertThat(d.action()).isEqualTo(Action.SKIP);
        assertThat(d.reason()).startsWith("belongs to i-1, which is kept until the end of 2026-11-26");
    }

    @Test
    void theRequestOfAnInstanceNotKeptIsCancelled() {
        assertThat(spotDecision(Map.of("curfew:owner", "alice")).action()).isEqualTo(Action.CANCEL);
    }
}
