package dev.curfew.aws;

import dev.curfew.core.model.Resource;
import dev.curfew.core.model.ResourceKind;
import dev.curfew.core.plan.Action;
import dev.curfew.core.plan.Decision;
import dev.curfew.core.sweep.Outcome;
import java.util.List;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * The AWS side of one resource kind of the registry ({@link dev.curfew.core.plan.Kinds}): the IAM actions it
 * calls, how to list it in a region (every page, with its tags), and how to apply a decision to it (idempotent:
 * already gone counts as done). Registered once in {@link #ALL}; {@link AwsCloud} lists and acts through it and
 * {@link AwsCloud#iamActions()} grants what it declares. The kinds here are EC2 resources: marks are tags, and a
 * destructive act is preceded by its {@code curfew:action} record (IAM allows the act only on a resource carrying
 * it).
 */
public abstract class KindAdapter {
    /** Every adapter; each kind of the core registry has exactly one (KindRegistryTest checks). */
    public static final List<KindAdapter> ALL = List.of(new ElasticIps(), new SecurityGroups(), new NatGateways(),
            new EbsVolumes(),
            new EbsSnapshots(),
            new MachineImages());

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

    /** Its resources in one region. */
    public abstract List<? extends Resource> list(AwsClients clients, String region);

    /** Carries out one decision: marks and unmarks as tags, the kind's own actions through {@link #act}. */
    public final Outcome apply(AwsClients clients, String region, Decision d) {
        try {
            if (d.action() == Action.MARK || d.action() == Action.UNMARK) {
                return Tagging.apply(clients.ec2(region), d);
            }
            return act(clients, region, d);
        } catch (SdkException e) {
            return Errors.outcome(d.resource().id(), e);
        }
    }

    /** Carries out one of the kind's own actions; an AWS error becomes the resource's outcome. */
    protected abstract Outcome act(AwsClients clients, String region, Decision d);

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
}
