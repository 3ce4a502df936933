package dev.curfew.aws;

import dev.curfew.core.model.Ec2Instance;
import dev.curfew.core.model.InstanceMetrics;
import dev.curfew.core.model.InstanceState;
import dev.curfew.core.model.Inventory;
import dev.curfew.core.model.Protection;
import dev.curfew.core.model.ResourceKind;
import dev.curfew.core.model.SpotRequest;
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
    private final Ec2Instances instances;
    private final InstanceMetricsReader metrics;
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
        this.instances = new Ec2Instances(clients);
        this.metrics = new InstanceMetricsReader(clients);
        KindAdapter.Context context = new KindAdapter.Context(clock, this::knownAccountId);
        this.adapters = KindAdapter.ALL.stream().map(a -> a.bind(context)).toList();
    }

    /** Every IAM action the sweep may call; template.yaml grants each of them (a test checks). */
    /** The clients this cloud acts with: those of the account it sweeps. */
    public AwsClients clients() {
        return clients;
    }

    public static List<String> iamActions() {
        return Stream.concat(Stream.of(AccountRegions.IAM_ACTIONS, Ec2Instances.IAM_ACTIONS,
                                InstanceMetricsReader.IAM_ACTIONS, PolicySource.IAM_ACTIONS, Tagging.IAM_ACTIONS),
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
     * it. Instances and their metrics are one kind (an instance without its metrics is not decided). Only when every
     * kind fails does the region fail.
     */
    @Override
    public Inventory inventory(String region, Policy policy, Instant now) {
        LeftoverRules r = policy.leftovers();
        Map<String, String> failures = new java.util.TreeMap<>();
        List<RuntimeException> errors = new ArrayList<>();
        int tried = 0;
        Map<ResourceKind, List<? extends dev.curfew.core.model.Resource>> registered = new java.util.EnumMap<>(
                ResourceKind.class);
        KindAdapter.Scope scope = scope(policy);
        for (KindAdapter a : adapters) {
            if (!a.global() && dev.curfew.core.plan.Kinds.listed(r, a.kind())) {
                tried++;
                List<? extends dev.curfew.core.model.Resource> listed = read(region, a.kind(), failures, errors,
                        () -> a.list(scope, region, failures));
                if (listed != null) {
                    registered.put(a.kind(), listed);
                }
            }
        }
        // spot instances are joined with the region's spot requests (listed by the instances when the rule is off)
        @SuppressWarnings("unchecked")
        List<SpotRequest> spotForInstances = !r.rule(ResourceKind.SPOT_REQUEST).enabled() ? null
                : (List<SpotRequest>) registered.getOrDefault(ResourceKind.SPOT_REQUEST, List.of());
        tried++;
        List<Ec2Instance> found = read(region, ResourceKind.EC2_INSTANCE, failures, errors, () -> {
            List<Ec2Instance> listed = instances.list(region, spotForInstances);
            return listed;
        });
        Map<String, InstanceMetrics> m = Map.of();
        if (found != null && policy.ec2().idle().enabled()) {
            List<String> running = found.stream().filter(i -> i.state() == InstanceState.RUNNING)
                    .map(Ec2Instance::id).toList();
            try {
                m = metrics.read(region, running, policy.ec2().idle().window(), now);
            } catch (RuntimeException e) {
                // an instance without its metrics would look not idle: the instances are not decided this run
                failures.put(Inventory.key(region, ResourceKind.EC2_INSTANCE), "reading metrics: " + describe(e));
                LOG.warn("{}: metrics of the instances could not be read: {}", region, describe(e));
                found = null;
            }
        }
        if (errors.size() == tried) {
            // nothing of the region could be read (credentials, the endpoint): the region fails as a whole
            throw errors.get(0);
        }
        Inventory inv = new Inventory(orEmpty(found), m, List.of(), List.of(), List.of(), List.of(), List.of(),
                List.of(), List.of(), List.of(), failures);
        for (Map.Entry<ResourceKind, List<? extends dev.curfew.core.model.Resource>> e : registered.entrySet()) {
            inv = inv.with(e.getKey(), e.getValue());
        }
        return inv;
    }

    private static <T> List<T> orEmpty(List<T> l) {
        return l == null ? List.of() : l;
    }

    /** One kind's listing, or null with its failure named (a service error or a client-side one alike). */
    private static <T> List<T> read(String region, ResourceKind kind, Map<String, String> failures,
                                    List<RuntimeException> errors, java.util.function.Supplier<List<T>> listing) {
        try {
            return listing.get();
        } catch (RuntimeException e) {
            failures.put(Inventory.key(region, kind), "listing failed: " + describe(e));
            errors.add(e);
            LOG.warn("{}: listing {} failed: {}", region, kind.wireName(), describe(e));
            return null;
        }
    }

    private static String describe(RuntimeException e) {
        return e instanceof software.amazon.awssdk.core.exception.SdkException s ? Errors.describe(s)
                : e.getClass().getSimpleName() + ": " + e.getMessage();
    }

    /** What the adapters' listings may need: the clients, the policy, and the buckets that are never touched. */
    private KindAdapter.Scope scope(Policy policy) {
        Map<String, String> own = new java.util.LinkedHashMap<>(ProtectedBuckets.of(policyLocation, policy));
        alsoProtected.forEach(own::putIfAbsent);
        return new KindAdapter.Scope(clients, policy, policyLocation, own);
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

    @Override
    public Map<String, Protection> protection(String region, Map<String, Action> candidates) {
        return instances.protection(region, candidates);
    }

    @Override
    public List<Outcome> apply(String region, List<Decision> decisions) {
        return apply(region, decisions, Deadline.NONE);
    }

    /** As {@link #apply(String, List)}; a bucket is emptied only until {@code deadline} ({@link S3Buckets}). */
    @Override
    public List<Outcome> apply(String region, List<Decision> decisions, Deadline deadline) {
        List<Decision> forInstances = new ArrayList<>();
        Map<String, Outcome> outcomes = new HashMap<>();
        for (Decision d : decisions) {
            ResourceKind kind = d.resource().kind();
            try {
                KindAdapter adapter = adapters.stream().filter(a -> a.kind() == kind).findFirst().orElse(null);
                if (adapter != null) {
                    // the adapter writes the curfew:action record before a destructive act (KindAdapter.apply)
                    outcomes.put(d.resource().id(), adapter.apply(clients, region, d, deadline));
                    continue;
                }
                switch (kind) {
                    case EC2_INSTANCE -> {
                        if (d.action() == Action.MARK || d.action() == Action.UNMARK) {
                            outcomes.put(d.resource().id(), Tagging.apply(clients.ec2(region), d));
                        } else {
                            forInstances.add(d);
                        }
                    }
                    default -> outcomes.put(d.resource().id(), Outcome.failed(d.resource().id(),
                            "no adapter for " + kind));
                }
            } catch (RuntimeException e) {
                // one resource failing never stops the others
                outcomes.put(d.resource().id(), Errors.failed(d.resource().id(),
                        e.getClass().getSimpleName() + ": " + e.getMessage(), e));
            }
        }
        if (!forInstances.isEmpty()) {
            instances.apply(region, forInstances).forEach(o -> outcomes.put(o.resourceId(), o));
        }
        return decisions.stream().map(d -> outcomes.get(d.resource().id())).toList();
    }

    @Override
    public Map<String, Long> calls() {
        return clients.counter().snapshot();
    }
}
