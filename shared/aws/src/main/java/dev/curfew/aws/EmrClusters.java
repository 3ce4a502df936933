package dev.curfew.aws;

import dev.curfew.core.model.EmrCluster;
import dev.curfew.core.model.Resource;
import dev.curfew.core.model.ResourceKind;
import dev.curfew.core.plan.Decision;
import dev.curfew.core.sweep.Outcome;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.emr.EmrClient;
import software.amazon.awssdk.services.emr.model.Cluster;
import software.amazon.awssdk.services.emr.model.ClusterState;
import software.amazon.awssdk.services.emr.model.ClusterSummary;
import software.amazon.awssdk.services.emr.model.StepState;
import software.amazon.awssdk.services.emr.model.StepSummary;
import software.amazon.awssdk.services.emr.model.Tag;

/**
 * The {@code emr-cluster} resource kind: clusters that are up, with their protection, tags and steps (EMR has no
 * bulk read for these: one DescribeCluster and one ListSteps per live cluster). Terminated through the cluster,
 * so EMR takes its instances down with it.
 */
public final class EmrClusters extends KindAdapter.OwnTags {
    public static final List<String> IAM_ACTIONS = List.of("elasticmapreduce:ListClusters",
            "elasticmapreduce:DescribeCluster", "elasticmapreduce:ListSteps", "elasticmapreduce:TerminateJobFlows",
            "elasticmapreduce:AddTags", "elasticmapreduce:RemoveTags");

    /** EMR's answer when IAM refuses a call (JSON protocol, HTTP 400). */
    static final String REFUSAL = "AccessDeniedException";

    public EmrClusters() {
        super(ResourceKind.EMR_CLUSTER, IAM_ACTIONS);
    }

    @Override
    public List<EmrCluster> list(AwsClients clients, String region) {
        EmrClient emr = clients.emr(region);
        List<ClusterSummary> live = emr.listClustersPaginator(b -> b.clusterStates(ClusterState.STARTING,
                ClusterState.BOOTSTRAPPING, ClusterState.RUNNING, ClusterState.WAITING)).clusters().stream().toList();
        List<EmrCluster> out = new ArrayList<>();
        for (ClusterSummary s : live) {
            Cluster c = emr.describeCluster(b -> b.clusterId(s.id())).cluster();
            List<StepSummary> steps = emr.listSteps(b -> b.clusterId(s.id())).steps();
            int active = 0;
            Instant lastEnd = null;
            for (StepSummary st : steps) {
                StepState state = st.status().state();
                if (state == StepState.RUNNING || state == StepState.PENDING) {
                    active++;
                }
                Instant end = st.status().timeline() == null ? null : st.status().timeline().endDateTime();
                if (end != null && (lastEnd == null || end.isAfter(lastEnd))) {
                    lastEnd = end;
                }
            }
            var timeline = c.status().timeline();
            Instant ready = timeline == null ? null : timeline.readyDateTime();
            Instant created = timeline == null ? null : timeline.creationDateTime();
            Instant idleSince = active > 0 ? null : lastEnd != null && (ready == null || lastEnd.isAfter(ready))
                    ? lastEnd : ready;
            Map<String, String> tags = new LinkedHashMap<>();
            c.tags().forEach(t -> tags.put(t.key(), t.value()));
            out.add(new EmrCluster(c.id(), region, c.name(), c.status().stateAsString(), created, idleSince, active,
                    Boolean.TRUE.equals(c.terminationProtected()),
                    c.normalizedInstanceHours() == null ? null : c.normalizedInstanceHours().doubleValue(), tags));
        }
        return out;
    }

    /** EMR tags with AddTags and RemoveTags. */
    @Override
    protected void retag(AwsClients clients, String region, Resource r, Map<String, String> set,
                         List<String> remove) {
        EmrClient emr = clients.emr(region);
        if (!set.isEmpty()) {
            emr.addTags(b -> b.resourceId(r.id()).tags(set.entrySet().stream().map(e -> Tag.builder()
                    .key(e.getKey()).value(e.getValue()).build()).toList()));
        }
        if (!remove.isEmpty()) {
            emr.removeTags(b -> b.resourceId(r.id()).tagKeys(remove));
        }
    }

    @Override
    protected Outcome act(AwsClients clients, String region, Decision d) {
        EmrClient emr = clients.emr(region);
        String id = d.resource().id();
        try {
            return switch (d.action()) {
                case TERMINATE -> {
                    // IAM allows TerminateJobFlows only on a cluster carrying its curfew:action record (template.yaml)
                    Tagging.actAfterTagging(REFUSAL, () -> emr.terminateJobFlows(b -> b.jobFlowIds(id)));
                    yield Outcome.done(id, "terminating (EMR takes its instances down with it)");
                }
                default -> Outcome.failed(id, "EMR clusters cannot be sent " + d.action().wireName());
            };
        } catch (AwsServiceException e) {
            if ("ValidationException".equals(Errors.code(e)) && Errors.message(e).contains("protected")) {
                return Outcome.failed(id, "protected: " + Errors.message(e));
            }
            return Errors.outcome(id, e);
        }
    }
}
