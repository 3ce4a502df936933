package dev.curfew.aws;

import dev.curfew.core.model.InstanceMetrics;
import dev.curfew.core.model.Inventory;
import dev.curfew.core.model.Protection;
import dev.curfew.core.model.Resource;
import dev.curfew.core.model.ResourceKind;
import dev.curfew.core.plan.Action;
import dev.curfew.core.plan.Decision;
import dev.curfew.core.policy.LeftoverRules;
import dev.curfew.core.policy.Policy;
import dev.curfew.core.sweep.CloudPort;
import dev.curfew.core.sweep.Deadline;
import dev.curfew.core.sweep.Outcome;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/** The sweep engine's view of AWS: every call goes through the resource-kind classes of this package. */
public final class AwsCloud implements CloudPort {
    private static final Logger LOG = LogManager.getLogger(AwsCloud.class);
    private final AwsClients clients;
    private final AccountRegions account;
    /** The registry's adapters, bound to this cloud ({@link KindAdapter#bind}). */
    private final List<KindAdapter> adapters;
    /** Buckets of Curfew's own besides the policy's and the roster's (name to why): never touched. */
    private final Map<String, String> alsoProtected = new java.util.concurrent.ConcurrentHashMap<>();

    /** Where the policy was read from: its bucket is never touched ({@link ProtectedBuckets}). */
    private final String policyLocation;
    private volatile String accountId;

    public AwsCloud(AwsClients clients) {
        this(clients, Clock.systemUTC());
    }

    /** @param policyLocation where the policy came from; an {@code s3://} location's bucket is never touched */
    public AwsCloud(AwsClients clients, String policyLocation) {
        this(clients, Clock.systemUTC(), policyLocation);
    }

    public AwsCloud(AwsClients clients, Clock clock) {
        this(clients, clock, null);
    }

    /**
     * Never marks, empties, deletes or tags this bucket either, whatever its tags ({@code why}: "holds Curfew's class
     * pages", {@link ProtectedBuckets}); a null or blank name is ignored.
     */
    public AwsCloud protect(String bucket, String why) {
        if (bucket != null && !bucket.isBlank()) {
            alsoProtected.put(bucket.trim(), why);
        }
        return this;
    }

    public AwsCloud(AwsClients clients, Clock clock, String policyLocation) {
        this.clients = clients;
        this.policyLocation = policyLocation;
        this.account = new AccountRegions(clients);
        KindAdapter.Context context = new KindAdapter.Context(clock, this::knownAccountId);
        this.adapters = KindAdapter.ALL.stream().map(a -> a.bind(context)).toList();
    }

    /** Every IAM action the sweep may call; template.yaml grants each of them (a test checks). */
    /** The clients this cloud acts with: those of the account it sweeps. */
    public AwsClients clients() {
        return clients;
    }

    public static List<String> iamActions() {
        return Stream.concat(Stream.of(AccountRegions.IAM_ACTIONS, PolicySource.IAM_ACTIONS, Tagging.IAM_ACTIONS),
                        KindAdapter.ALL.stream().map(KindAdapter::iamActions))
                .flatMap(List::stream).distinct().sorted().toList();
    }

    @Override
    public String accountId() {
        String id = account.accountId();
        accountId = id;
        return id;
    }

    /** The account id the guard was told (STS), asked again only when the guard has not asked yet. */
    private String knownAccountId() {
        String id = accountId;
        return id != null ? id : accountId();
    }

    @Override
    public List<String> enabledRegions() {
        return account.enabled();
    }

    /**
     * One region's resources. Each kind is listed on its own: a listing that fails (after the SDK's retries) is left
     * out and named in {@link Inventory#failures()}, never hiding the other kinds; the planner skips what depends on
     * it. A kind and what its decisions read besides ({@link KindAdapter#metrics}: the instances' metrics) are one: a
     * kind whose figures cannot be read is left out too. Only when every kind fails does the region fail.
     */
    @Override
    public Inventory inventory(String region, Policy policy, Instant now) {
        LeftoverRules r = policy.leftovers();
        Map<String, String> failures = new java.util.TreeMap<>();
        List<RuntimeException> errors = new ArrayList<>();
        int tried = 0;
        Map<ResourceKind, List<? extends Resource>> registered = new java.util.EnumMap<>(ResourceKind.class);
        Map<String, InstanceMetrics> metrics = new HashMap<>();
        KindAdapter.Scope scope = scope(policy);
        for (KindAdapter a : adapters) {
            if (!a.global() && dev.curfew.core.plan.Kinds.listed(r, a.kind())) {
                tried++;
                List<? extends Resource> listed = read(region, a.kind(), failures, errors,
                        () -> a.list(scope, region, failures, registered));
                if (listed == null) {
                    continue;
                }
                try {
                    metrics.putAll(a.metrics(scope, region, listed, now));
                    registered.put(a.kind(), listed);
                } catch (RuntimeException e) {
                    // a resource without its figures would look not idle: the kind is not decided this run
                    failures.put(Inventory.key(region, a.kind()), "reading metrics: " + Errors.describe(e));
                    LOG.warn("{}: metrics of {} could not be read: {}", region, a.kind().wireName(),
                            Errors.describe(e));
                }
            }
        }
        if (errors.size() == tried) {
            // nothing of the region could be read (credentials, the endpoint): the region fails as a whole
            throw errors.get(0);
        }
        Map<ResourceKind, List<Resource>> byKind = new java.util.EnumMap<>(ResourceKind.class);
        registered.forEach((k, list) -> byKind.put(k, List.copyOf(list)));
        return new Inventory(byKind, metrics, failures);
    }

    /** One kind's listing, or null with its failure named (a service error or a client-side one alike). */
    private static <T> List<T> read(String region, ResourceKind kind, Map<String, String> failures,
                                    List<RuntimeException> errors, java.util.function.Supplier<List<T>> listing) {
        try {
            return listing.get();
        } catch (RuntimeException e) {
            failures.put(Inventory.key(region, kind), "listing failed: " + Errors.describe(e));
            errors.add(e);
            LOG.warn("{}: listing {} failed: {}", region, kind.wireName(), Errors.describe(e));
            return null;
        }
    }

    /** What the adapters' listings may need: the clients, the policy, and the buckets that are never touched. */
    private KindAdapter.Scope scope(Policy policy) {
        Map<String, String> own = new java.util.LinkedHashMap<>(ProtectedBuckets.of(policyLocation, policy));
        alsoProtected.forEach(own::putIfAbsent);
        return new KindAdapter.Scope(clients, policy, own);
    }

    /** The kinds listed once for the account (S3 buckets); a listing that fails as a whole fails the sweep's read. */
    @Override
    public Inventory global(Policy policy, Instant now) {
        Map<String, String> failures = new java.util.TreeMap<>();
        KindAdapter.Scope scope = scope(policy);
        Inventory inv = Inventory.empty();
        for (KindAdapter a : adapters) {
            if (a.global() && policy.leftovers().rule(a.kind()).enabled()) {
                inv = inv.with(a.kind(), a.list(scope, null, failures));
            }
        }
        return inv.withFailures(failures);
    }

    /** What the kinds read of their candidates' protection ({@link KindAdapter#protection}). */
    @Override
    public Map<String, Protection> protection(String region, Map<String, Action> candidates) {
        Map<String, Protection> out = new HashMap<>();
        for (KindAdapter a : adapters) {
            out.putAll(a.protection(clients, region, candidates));
        }
        return out;
    }

    @Override
    public List<Outcome> apply(String region, List<Decision> decisions) {
        return apply(region, decisions, Deadline.NONE);
    }

    /**
     * As {@link #apply(String, List)}; a bucket is emptied only until {@code deadline} ({@link S3Buckets}). Each kind's
     * decisions go to its adapter ({@link KindAdapter#applyAll}), kind after kind in the registry's order; the adapter
     * writes the curfew:action record before a destructive act.
     */
    @Override
    public List<Outcome> apply(String region, List<Decision> decisions, Deadline deadline) {
        Map<String, Outcome> outcomes = new HashMap<>();
        for (KindAdapter adapter : adapters) {
            List<Decision> mine = decisions.stream().filter(d -> d.resource().kind() == adapter.kind()).toList();
            if (mine.isEmpty()) {
                continue;
            }
            try {
                List<Outcome> done = adapter.applyAll(clients, region, mine, deadline);
                for (int i = 0; i < mine.size(); i++) {
                    outcomes.put(mine.get(i).resource().id(), done.get(i));
                }
            } catch (RuntimeException e) {
                // one kind failing never stops the others
                mine.forEach(d -> outcomes.put(d.resource().id(), Errors.failed(d.resource().id(),
                        e.getClass().getSimpleName() + ": " + e.getMessage(), e)));
            }
        }
        for (Decision d : decisions) {
            outcomes.putIfAbsent(d.resource().id(), Outcome.failed(d.resource().id(), "no adapter for "
                    + d.resource().kind()));
        }
        return decisions.stream().map(d -> outcomes.get(d.resource().id())).toList();
    }

    @Override
    public Map<String, Long> calls() {
        return clients.counter().snapshot();
    }
}
