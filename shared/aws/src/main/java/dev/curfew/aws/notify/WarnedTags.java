package dev.curfew.aws.notify;

import dev.curfew.aws.AwsClients;
import dev.curfew.aws.KindAdapter;
import dev.curfew.core.notify.Digests;
import dev.curfew.core.plan.Action;
import dev.curfew.core.plan.Decision;
import dev.curfew.core.sweep.CloudPort;
import dev.curfew.core.sweep.Outcome;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.ec2.model.Tag;

/**
 * Records on each warned resource that its owner was told about this curfew ({@code curfew:warned=<instant>}), so
 * a second warning pass for the same curfew leaves it out. Written only in enforce mode: a dry run changes nothing
 * in the account. Resources with EC2's tags ({@link KindAdapter#ec2Tags()}) are tagged in one CreateTags call per
 * region (up to 1,000 ids); the others (buckets, EMR clusters) through their own tagging, as marks are.
 */
public final class WarnedTags {
    public static final List<String> IAM_ACTIONS = List.of("ec2:CreateTags", "s3:GetBucketTagging",
            "s3:PutBucketTagging", "elasticmapreduce:AddTags");
    private static final int BATCH = 1000;

    private WarnedTags() {
    }

    /** @return problems, one per resource or batch that could not be tagged (the sweep goes on) */
    public static List<String> write(AwsClients clients, CloudPort cloud, Instant curfew, List<Decision> warned) {
        List<String> problems = new ArrayList<>();
        Map<String, String> tag = Map.of(Digests.WARNED_TAG, curfew.toString());
        Map<String, List<String>> ec2ByRegion = new TreeMap<>();
        for (Decision d : warned) {
            KindAdapter adapter = KindAdapter.of(d.resource().kind());
            if (adapter == null || adapter.ec2Tags()) {
                ec2ByRegion.computeIfAbsent(d.resource().region(), r -> new ArrayList<>()).add(d.resource().id());
                continue;
            }
            // a kind that tags otherwise (S3, EMR) is marked through its adapter, as its marks are
            Decision mark = new Decision(d.resource(), d.owner(), List.of(), Action.MARK, "warned", null, tag,
                    List.of(), null);
            try {
                Outcome o = cloud.apply(d.resource().region(), List.of(mark)).get(0);
                if (o.status() == Outcome.Status.FAILED) {
                    problems.add("could not tag " + d.resource().id() + " as warned: " + o.detail());
                }
            } catch (RuntimeException e) {
                problems.add("could not tag " + d.resource().id() + " as warned: " + e.getMessage());
            }
        }
        Tag t = Tag.builder().key(Digests.WARNED_TAG).value(curfew.toString()).build();
        ec2ByRegion.forEach((region, ids) -> {
            for (int i = 0; i < ids.size(); i += BATCH) {
                List<String> batch = ids.subList(i, Math.min(ids.size(), i + BATCH));
                try {
                    clients.ec2(region).createTags(b -> b.resources(batch).tags(t));
                } catch (AwsServiceException e) {
                    // one gone resource fails the whole call: tag the rest one at a time
                    for (String id : batch) {
                        try {
                            clients.ec2(region).createTags(b -> b.resources(id).tags(t));
                        } catch (AwsServiceException one) {
                            problems.add("could not tag " + id + " as warned: " + (one.awsErrorDetails() == null
                                    ? one.getMessage() : one.awsErrorDetails().errorCode()));
                        }
                    }
                }
            }
        });
        return problems;
    }
}
