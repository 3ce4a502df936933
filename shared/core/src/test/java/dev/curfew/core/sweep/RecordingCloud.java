package dev.curfew.core.sweep;

import dev.curfew.core.model.Ec2Instance;
import dev.curfew.core.model.InstanceMetrics;
import dev.curfew.core.model.Inventory;
import dev.curfew.core.model.Protection;
import dev.curfew.core.plan.Action;
import dev.curfew.core.plan.Decision;
import dev.curfew.core.policy.Policy;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A fake cloud for sweep tests. It serves a fixed set of instances (the truth, protection included) the way EC2
 * does: {@link #inventory} returns them without protection (DescribeInstances does not say), {@link #protection}
 * tells it for the ids asked. Every call is recorded; {@link #apply} records and reports every decision as done.
 * Regions can be made to fail. Thread-safe: the engine calls regions in parallel.
 */
public final class RecordingCloud implements CloudPort {

    public record ApplyCall(String region, List<Decision> decisions) {
    }

    public record ProtectionCall(String region, Map<String, Action> candidates) {
    }

    private final String account;
    private final List<String> enabledRegions;
    private final List<Ec2Instance> truth;
    private final Map<String, InstanceMetrics> metrics;
    private final Set<String> failingRegions;

    /** Failures to inject: thrown by the named call (for regions: only in the regions listed). */
    public volatile RuntimeException accountFailure;
    public volatile RuntimeException regionsFailure;
    public volatile Set<String> protectionFailingRegions = Set.of();
    public volatile Set<String> applyFailingRegions = Set.of();
    public final List<String> enabledRegionsCalls = new CopyOnWriteArrayList<>();
    /** Regions whose first inventory call throws (a region that recovers by the end of the run). */
    public volatile Set<String> failOnceRegions = Set.of();
    /** Kinds whose listing fails in a region, on every call ({@code always}) or on the first only ({@code once}). */
    public volatile Map<String, Map<String, String>> kindFailuresAlways = Map.of();
    public volatile Map<String, Map<String, String>> kindFailuresOnce = Map.of();

    public final List<String> inventoryCalls = new CopyOnWriteArrayList<>();
    public final List<ProtectionCall> protectionCalls = new CopyOnWriteArrayList<>();
    public final List<ApplyCall> applyCalls = new CopyOnWriteArrayList<>();

    public RecordingCloud(String account, List<String> enabledRegions, List<Ec2Instance> truth,
                          Map<String, InstanceMetrics> metrics, Set<String> failingRegions) {
        this.account = account;
        this.enabledRegions = List.copyOf(enabledRegions);
        this.truth = List.copyOf(truth);
        this.metrics = Map.copyOf(metrics);
        this.failingRegions = Set.copyOf(failingRegions);
    }

    @Override
    public String accountId() {
        if (accountFailure != null) {
            throw accountFailure;
        }
        return account;
    }

    @Override
    public List<String> enabledRegions() {
        enabledRegionsCalls.add("enabledRegions");
        if (regionsFailure != null) {
            throw regionsFailure;
        }
        return enabledRegions;
    }

    @Override
    public Inventory inventory(String region, Policy policy, Instant now) {
        inventoryCalls.add(region);
        if (failingRegions.contains(region)) {
            throw new IllegalStateException("UnauthorizedOperation in " + region);
        }
        boolean first = inventoryCalls.stream().filter(region::equals).count() == 1;
        if (first && failOnceRegions.contains(region)) {
            throw new IllegalStateException("RequestLimitExceeded in " + region);
        }
        Map<String, String> failures = new HashMap<>(kindFailuresAlways.getOrDefault(region, Map.of()));
        if (first) {
            failures.putAll(kindFailuresOnce.getOrDefault(region, Map.of()));
        }
        List<Ec2Instance> here = new ArrayList<>();
        Map<String, InstanceMetrics> m = new HashMap<>();
        for (Ec2Instance i : truth) {
            if (i.region().equals(region)) {
                here.add(i.withProtection(Protection.UNKNOWN));
                if (metrics.containsKey(i.id())) {
                    m.put(i.id(), metrics.get(i.id()));
                }
            }
        }
        return new Inventory(here, m).withFailures(failures);
    }

    @Override
    public Map<String, Protection> protection(String region, Map<String, Action> candidates) {
        protectionCalls.add(new ProtectionCall(region, Map.copyOf(candidates)));
        if (protectionFailingRegions.contains(region)) {
            throw new IllegalStateException("DescribeInstanceAttribute throttled in " + region);
        }
        Map<String, Protection> out = new LinkedHashMap<>();
        for (Ec2Instance i : truth) {
            if (i.region().equals(region) && candidates.containsKey(i.id())) {
                out.put(i.id(), i.protection());
            }
        }
        return out;
    }

    @Override
    public List<Outcome> apply(String region, List<Decision> decisions) {
        applyCalls.add(new ApplyCall(region, List.copyOf(decisions)));
        if (applyFailingRegions.contains(region)) {
            throw new IllegalStateException("endpoint unreachable in " + region);
        }
        return decisions.stream().map(d -> Outcome.done(d.resource().id(), d.action().wireName())).toList();
    }

    @Override
    public Map<String, Long> calls() {
        return Map.of("ec2:DescribeInstances", (long) inventoryCalls.size(),
                "ec2:DescribeInstanceAttribute", (long) protectionCalls.size(),
                "apply", (long) applyCalls.size());
    }

    /** Every decision handed to {@link #apply}, in call order. */
    public List<Decision> applied() {
        return applyCalls.stream().flatMap(c -> c.decisions().stream()).toList();
    }
}
