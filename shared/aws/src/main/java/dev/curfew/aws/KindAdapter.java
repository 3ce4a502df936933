package dev.curfew.aws;

import dev.curfew.core.model.Resource;
import dev.curfew.core.model.ResourceKind;
import dev.curfew.core.plan.Decision;
import dev.curfew.core.sweep.Outcome;
import java.util.List;

/**
 * The AWS side of one resource kind of the registry ({@link dev.curfew.core.plan.Kinds}): the IAM actions it
 * calls, how to list it in a region (every page, with its tags), and how to apply a decision to it (idempotent:
 * already gone counts as done). Registered once in {@link #ALL}; {@link AwsCloud} lists and acts through it and
 * {@link AwsCloud#iamActions()} grants what it declares.
 */
public interface KindAdapter {
    /** Every adapter; each kind of the core registry has exactly one (a test checks). */
    List<KindAdapter> ALL = List.of(new ElasticIps(), new SecurityGroups(), new NatGateways());

    ResourceKind kind();

    /** The IAM actions its listing and acting call; template.yaml grants each (TemplateTest, KindRegistryTest). */
    List<String> iamActions();

    /**
     * Whether it is an EC2 resource that carries the {@code curfew:action} record, written just before a
     * destructive act (IAM allows the act only on a resource carrying it).
     */
    boolean ec2ActionRecord();

    /** Its resources in one region. */
    List<? extends Resource> list(AwsClients clients, String region);

    /** Carries out one decision (marks, unmarks and the kind's own actions). */
    Outcome apply(AwsClients clients, String region, Decision d);

    /** The adapter of a kind, or null when the kind is not in the registry. */
    static KindAdapter of(ResourceKind kind) {
        return ALL.stream().filter(a -> a.kind() == kind).findFirst().orElse(null);
    }
}
