package dev.curfew.aws;

import dev.curfew.core.model.Resource;
import dev.curfew.core.model.ResourceKind;
import dev.curfew.core.plan.Action;
import dev.curfew.core.plan.Decision;
import dev.curfew.core.policy.Policy;
import dev.curfew.core.sweep.Deadline;
import dev.curfew.core.sweep.Outcome;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * The AWS side of one resource kind of the registry ({@link dev.curfew.core.plan.Kinds}): the IAM actions it
 * calls, how to list it in a region (every page, with its tags), and how to apply a decision to it (idempotent:
 * already gone counts as done). Registered once in {@link #ALL}; {@link AwsCloud} lists and acts through it and
 * {@link AwsCloud#iamActions()} grants what it declares. Marks are tags, written by {@link #retag} (EC2's tags
 * unless the kind overrides it); a destructive act is preceded by its {@code curfew:action} record (IAM allows the
 * act only on a resource carrying it) unless IAM cannot see the kind's tags ({@link #actsOnRecord()}).
 */
public abstract class KindAdapter {
    /**
     * Every adapter; each kind of the core registry has exactly one (KindRegistryTest checks). A view of
     * {@code Registered.ADAPTERS}, built on first use: were the adapters built as this class is initialised, an
     * adapter whose own class started that (a call of one of its static methods) would be built before its
     * constants are set.
     */
    public static final List<KindAdapter> ALL = new java.util.AbstractList<>() {
        @Override
        public KindAdapter get(int i) {
            return Registered.ADAPTERS.get(i);
        }

        @Override
        public int size() {
            return Registered.ADAPTERS.size();
        }
    };

    private static final class Registered {
        // instances last: their listing joins the spot requests listed before them
        static final List<KindAdapter> ADAPTERS = List.of(new ElasticIps(), new SecurityGroups(), new NatGateways(),
                new EbsVolumes(),
                new EbsSnapshots(),
                new MachineImages(),
                new SpotRequests(),
                new S3Buckets(),
                new EmrClusters(),
                new Ec2Instances());
    }

    /**
     * What a listing may need besides its region: the clients, the policy the sweep reads it under, and the buckets
     * never touched by name to why ({@link ProtectedBuckets}: Curfew's own configuration's, and the cloud's own such
     * as the class pages' bucket).
     */
    public record Scope(AwsClients clients, Policy policy, Map<String, String> protectedBuckets) {
    }

    private final ResourceKind kind;
    private final List<String> iamActions;

    protected KindAdapter(ResourceKind kind, List<String> iamActions) {
        this.kind = kind;
        this.iamActions = List.copyOf(iamActions);
    }

    public final ResourceKind kind() {
        return kind;
    }

    /** The IAM actions its listing and acting call; template.yaml grants each (TemplateTest, KindRegistryTest). */
    public final List<String> iamActions() {
        return iamActions;
    }

    /**
     * What one cloud ({@link AwsCloud}) tells the adapters that need more than its clients: its clock, and the
     * account swept as STS names it (asked once, when first needed).
     */
    public record Context(java.time.Clock clock, java.util.function.Supplier<String> accountId) {
    }

    /**
     * This adapter for one cloud: itself, unless it needs the cloud's {@link Context} or keeps something for the
     * length of its sweeps (volumes: the snapshots they made). {@link #ALL} holds the unbound ones.
     */
    public KindAdapter bind(Context context) {
        return this;
    }

    /** Listed once per sweep for the whole account (S3's ListBuckets), not once in each region. */
    public boolean global() {
        return false;
    }

    /**
     * Whether IAM holds the kind's destructive acts to the {@code curfew:action} record written just before them
     * (KindRegistryTest then requires that condition on their grants). False only where the service cannot see the
     * resource's tags when it authorises the act.
     */
    public boolean actsOnRecord() {
        return true;
    }

    /** Its resources in one region. */
    public abstract List<? extends Resource> list(AwsClients clients, String region);

    /**
     * Its resources in one region ({@code region} is null for a {@link #global()} kind), read under the sweep's
     * policy. What could not be read of one resource is named in {@code failures} and the others are still listed;
     * a listing that fails as a whole throws. By default {@link #list(AwsClients, String)}.
     */
    public List<? extends Resource> list(Scope scope, String region, Map<String, String> failures) {
        return list(scope.clients(), region);
    }

    /**
     * Its resources in one region, joined with what the kinds before it in {@link #ALL} listed there ({@code listed},
     * by kind; a kind not listed, or whose listing failed, has no entry): instances take their spot requests from it.
     * By default {@link #list(Scope, String, Map)}.
     */
    public List<? extends Resource> list(Scope scope, String region, Map<String, String> failures,
                                         Map<ResourceKind, List<? extends Resource>> listed) {
        return list(scope, region, failures);
    }

    /**
     * What its decisions read besides its resources, by resource id, read after its listing of a region: the
     * instances' CPU and network over the policy's idle window. When that cannot be read (it throws), the kind is
     * left out of the region's inventory (named in its failures) and so not decided this run: an instance without its
     * figures would look not idle. None by default.
     */
    public Map<String, dev.curfew.core.model.InstanceMetrics> metrics(Scope scope, String region,
                                                                     List<? extends Resource> listed,
                                                                     java.time.Instant now) {
        return Map.of();
    }

    /**
     * What protects its resources that a plan would stop or terminate, read again just before the plan is made
     * final (id to what was read; an id left out counts as unreadable, and nothing destructive is done to it):
     * instances' termination and stop protection. The candidates are the region's (id to the planned action), other
     * kinds' among them: a kind answers for its own. None by default.
     */
    public Map<String, dev.curfew.core.model.Protection> protection(AwsClients clients, String region,
                                                                   Map<String, Action> candidates) {
        return Map.of();
    }

    /**
     * Whether its tags are EC2's (CreateTags takes many resources a call): a warning pass tags its warned resources
     * in batches. False for a kind that tags otherwise ({@link #retag}: S3, EMR), whose warned ones are marked one
     * at a time through {@link #apply}.
     */
    public boolean ec2Tags() {
        return true;
    }

    /**
     * What is left of one resource, in words, as the demo shows it after its sweeps: by default whether the kind's
     * listing in the region still has it.
     */
    public String left(AwsClients clients, String region, String id) {
        return list(clients, region).stream().anyMatch(r -> r.id().equals(id)) ? "still there" : "gone";
    }

    /** As {@link #apply(AwsClients, String, Decision, Deadline)} with no time budget. */
    public final Outcome apply(AwsClients clients, String region, Decision d) {
        return apply(clients, region, d, Deadline.NONE);
    }

    /**
     * Carries out one decision: marks and unmarks through {@link #retag}; a destructive act after its
     * {@code curfew:action} record (not acted on when the record cannot be written), through {@link #act}.
     */
    public final Outcome apply(AwsClients clients, String region, Decision d, Deadline deadline) {
        String id = d.resource().id();
        try {
            if (d.action() == Action.MARK || d.action() == Action.UNMARK) {
                retag(clients, region, d.resource(), d.setTags(), d.removeTags());
                return Outcome.done(id, d.action() == Action.MARK ? "marked " + d.setTags()
                        : "unmarked " + d.removeTags());
            }
            if (actsOnRecord()) {
                Outcome refused = Tagging.recordAction(d, record -> retag(clients, region, d.resource(), record,
                        List.of()));
                if (refused != null) {
                    return refused;
                }
            }
            return act(clients, region, d, deadline);
        } catch (SdkException e) {
            return Errors.outcome(id, e);
        }
    }

    /**
     * Carries out a region's decisions of this kind, one outcome each, in their order: by default one at a time
     * ({@link #apply(AwsClients, String, Decision, Deadline)}), one failing never stopping the next. A kind whose
     * service acts on many at once (instances: 100 a call) overrides it, still writing each resource's
     * {@code curfew:action} record before its act and acting on none whose record could not be written.
     */
    public List<Outcome> applyAll(AwsClients clients, String region, List<Decision> decisions, Deadline deadline) {
        List<Outcome> out = new java.util.ArrayList<>(decisions.size());
        for (Decision d : decisions) {
            try {
                out.add(apply(clients, region, d, deadline));
            } catch (RuntimeException e) {
                // one resource failing never stops the others
                out.add(Errors.failed(d.resource().id(), e.getClass().getSimpleName() + ": " + e.getMessage(), e));
            }
        }
        return out;
    }

    /**
     * Sets {@code set} and removes {@code remove} on one resource (a mark, an unmark, an action record): EC2's
     * CreateTags and DeleteTags, unless the kind tags otherwise. An AWS error is thrown.
     */
    protected void retag(AwsClients clients, String region, Resource r, Map<String, String> set,
                         List<String> remove) {
        Tagging.retag(clients.ec2(region), r.id(), set, remove);
    }

    /** Carries out one of the kind's own actions; an AWS error becomes the resource's outcome. */
    protected abstract Outcome act(AwsClients clients, String region, Decision d);

    /** As {@link #act(AwsClients, String, Decision)}, for a kind whose act a time budget bounds (emptying a bucket). */
    protected Outcome act(AwsClients clients, String region, Decision d, Deadline deadline) {
        return act(clients, region, d);
    }

    /**
     * The act of a kind that has one action of its own: for that action, the act (which IAM allows only on a resource
     * carrying its curfew:action record, written a moment ago: {@link Tagging#actAfterTagging(Runnable)}) and then
     * {@code done}; any other action fails, naming it.
     */
    protected static Outcome only(Decision d, Action action, Runnable act, String done) {
        String id = d.resource().id();
        if (d.action() != action) {
            return Outcome.failed(id, d.resource().kind() + " cannot be sent " + d.action().wireName());
        }
        Tagging.actAfterTagging(act);
        return Outcome.done(id, done);
    }

    /** The adapter of a kind, or null when the kind is not in the registry. */
    public static KindAdapter of(ResourceKind kind) {
        return ALL.stream().filter(a -> a.kind() == kind).findFirst().orElse(null);
    }

    /**
     * A kind whose tags are not EC2's (S3 replaces a bucket's whole tag set, EMR has AddTags and RemoveTags): it tags
     * through its own {@link #retag}, and a warning pass marks its warned ones one at a time.
     */
    public abstract static class OwnTags extends KindAdapter {
        protected OwnTags(ResourceKind kind, List<String> iamActions) {
            super(kind, iamActions);
        }

        @Override
        public final boolean ec2Tags() {
            return false;
        }

        @Override
        protected abstract void retag(AwsClients clients, String region, Resource r, Map<String, String> set,
                                      List<String> remove);
    }
}
