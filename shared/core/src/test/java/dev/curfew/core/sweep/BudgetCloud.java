package dev.curfew.core.sweep;

import dev.curfew.core.model.Ec2Instance;
import dev.curfew.core.model.InstanceMetrics;
import dev.curfew.core.model.Inventory;
import dev.curfew.core.model.Protection;
import dev.curfew.core.model.S3Bucket;
import dev.curfew.core.plan.Action;
import dev.curfew.core.plan.Decision;
import dev.curfew.core.policy.Policy;
import dev.curfew.core.testing.Ticker;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A fake cloud with instances in regions and buckets (listed once, as S3's are), for the order of a sweep's actions,
 * its time budget and its retries. Every apply call is recorded with a sequence number. Instances answer what
 * {@link #script} says for them, call after call (done when nothing is scripted). A bucket is emptied in rounds: each
 * round first looks at the deadline (as the S3 adapter does between DeleteObjects calls), then moves the
 * {@link Ticker} on by {@link #roundTime}; a bucket cut short is "partial", its rounds left kept for the next run.
 */
final class BudgetCloud implements CloudPort {

    record Call(int seq, String region, List<String> ids, boolean withDeadline) {
    }

    /** The instances' side: listed per region, protection told as EC2 tells it. */
    private final RecordingCloud ec2;
    private final List<S3Bucket> buckets;
    private final Ticker ticker;
    final Duration roundTime;
    /** Rounds each bucket still needs to be empty. */
    final Map<String, Integer> roundsLeft = new ConcurrentHashMap<>();
    /** Outcomes to answer per resource id, in order; DONE when none is left. */
    final Map<String, Deque<Outcome.Status>> script = new ConcurrentHashMap<>();
    final Map<String, Boolean> retryableFailure = new ConcurrentHashMap<>();
    final List<Call> calls = new CopyOnWriteArrayList<>();
    private final AtomicInteger seq = new AtomicInteger();

    BudgetCloud(String account, List<String> regions, List<Ec2Instance> instances, Map<String, InstanceMetrics> metrics,
                List<S3Bucket> buckets, Map<String, Integer> rounds, Ticker ticker, Duration roundTime) {
        this.ec2 = new RecordingCloud(account, regions, instances, metrics, Set.of());
        this.buckets = List.copyOf(buckets);
        this.roundsLeft.putAll(rounds);
        this.ticker = ticker;
        this.roundTime = roundTime;
    }

    /** Scripts a resource's answers: e.g. FAILED (retryable or not) once, then DONE. */
    BudgetCloud answer(String id, boolean retryable, Outcome.Status... statuses) {
        script.put(id, new ArrayDeque<>(List.of(statuses)));
        retryableFailure.put(id, retryable);
        return this;
    }

    @Override
    public String accountId() {
        return ec2.accountId();
    }

    @Override
    public List<String> enabledRegions() {
        return ec2.enabledRegions();
    }

    @Override
    public Inventory inventory(String region, Policy policy, Instant now) {
        return ec2.inventory(region, policy, now);
    }

    @Override
    public Inventory global(Policy policy, Instant now) {
        return new Inventory(List.of(), Map.of(), List.of(), List.of(), List.of(), buckets);
    }

    @Override
    public Map<String, Protection> protection(String region, Map<String, Action> candidates) {
        return ec2.protection(region, candidates);
    }

    @Override
    public List<Outcome> apply(String region, List<Decision> decisions) {
        throw new AssertionError("the engine always passes its deadline");
    }

    @Override
    public List<Outcome> apply(String region, List<Decision> decisions, Deadline deadline) {
        calls.add(new Call(seq.incrementAndGet(), region, decisions.stream().map(d -> d.resource().id()).toList(),
                deadline != Deadline.NONE));
        List<Outcome> out = new ArrayList<>();
        for (Decision d : decisions) {
            String id = d.resource().id();
            Deque<Outcome.Status> q = script.get(id);
            Outcome.Status s = q == null || q.isEmpty() ? null : q.poll();
            if (s == Outcome.Status.FAILED) {
                out.add(retryableFailure.get(id) ? Outcome.failedRetryable(id, "Throttling: Rate exceeded")
                        : Outcome.failed(id, "protected: OperationNotPermitted"));
            } else if (d.resource() instanceof S3Bucket && (d.action() == Action.EMPTY || d.action() == Action.DELETE)) {
                out.add(empty(id, deadline));
            } else {
                out.add(Outcome.done(id, d.action().wireName()));
            }
        }
        return out;
    }

    private Outcome empty(String id, Deadline deadline) {
        int done = 0;
        while (roundsLeft.getOrDefault(id, 0) > 0) {
            if (deadline.passed()) {
                return done == 0 ? Outcome.deferred(id) : Outcome.partial(id, done + " rounds deleted; the rest "
                        + "continues on the next run");
            }
            ticker.advance(roundTime);
            roundsLeft.merge(id, -1, Integer::sum);
            done++;
        }
        return Outcome.done(id, "emptied: " + done + " rounds");
    }

    /** The apply calls that carried a resource, in the order they were made. */
    List<Call> callsOf(String id) {
        return calls.stream().filter(c -> c.ids().contains(id)).toList();
    }

    @Override
    public Map<String, Long> calls() {
        return Map.of("apply", (long) calls.size());
    }
}
