package dev.curfew.core.sweep;

import dev.curfew.core.model.Ec2Instance;
import dev.curfew.core.model.InstanceMetrics;
import dev.curfew.core.model.InstanceState;
import dev.curfew.core.model.Inventory;
import dev.curfew.core.model.Protection;
import dev.curfew.core.model.Resource;
import dev.curfew.core.plan.Action;
import dev.curfew.core.plan.Decision;
import dev.curfew.core.plan.KindRules;
import dev.curfew.core.plan.Kinds;
import dev.curfew.core.policy.Policy;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * An in-memory account with two made-up instances (one idle, one busy) and a made-up resource of every kind of the
 * registry ({@link Kinds#ALL}, each kind's {@link KindRules#sample}) in one region, for priming a function before a
 * SnapStart snapshot: a dry-run sweep over it loads the planner, every kind's rules, the engine and the report
 * without touching AWS. It refuses to act, so it cannot be used to change anything even by mistake.
 */
public final class SampleCloud implements CloudPort {
    public static final String ACCOUNT = "000000000000";
    private final String region;

    public SampleCloud(String region) {
        this.region = region;
    }

    @Override
    public String accountId() {
        return ACCOUNT;
    }

    @Override
    public List<String> enabledRegions() {
        return List.of(region);
    }

    @Override
    public Inventory inventory(String r, Policy policy, Instant now) {
        Instant launched = now.minus(Duration.ofDays(1));
        Ec2Instance idle = new Ec2Instance("i-00000000000000001", r, "t3.micro", InstanceState.RUNNING, false, null,
                null, launched, launched, null, Map.of("Name", "sample-idle", policy.ownerTag(), "sample"),
                Protection.UNKNOWN);
        Ec2Instance busy = new Ec2Instance("i-00000000000000002", r, "t3.small", InstanceState.RUNNING, false, null,
                null, launched, launched, null, Map.of("Name", "sample-busy", policy.ownerTag(), "sample"),
                Protection.UNKNOWN);
        Inventory inv = new Inventory(List.of(idle, busy), Map.of(idle.id(), new InstanceMetrics(0.5, 1_000.0,
                1_000.0), busy.id(), new InstanceMetrics(60.0, 1e9, 1e9)));
        for (KindRules k : Kinds.ALL) {
            Resource sample = k.sample(r, Map.of("Name", "sample-" + k.kind().wireName(), policy.ownerTag(),
                    "sample"), now);
            // the two instances above come with their metrics (the idle rule reads them): they stand for their kind
            if (sample != null && inv.of(k.kind()).isEmpty()) {
                inv = inv.with(k.kind(), List.of(sample));
            }
        }
        return inv;
    }

    @Override
    public Map<String, Protection> protection(String r, Map<String, Action> candidates) {
        return Protection.noneOn(candidates.keySet());
    }

    @Override
    public List<Outcome> apply(String r, List<Decision> decisions) {
        throw new UnsupportedOperationException("the sample account is for dry runs only");
    }

    @Override
    public Map<String, Long> calls() {
        return Map.of();
    }
}
