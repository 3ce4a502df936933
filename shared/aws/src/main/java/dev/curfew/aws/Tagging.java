package dev.curfew.aws;

import dev.curfew.core.plan.ActionTag;
import dev.curfew.core.plan.Decision;
import dev.curfew.core.sweep.Outcome;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Tag;

/** Marks and unmarks EC2 resources (instances, volumes, Elastic IPs, spot requests) with CreateTags/DeleteTags. */
public final class Tagging {
    public static final List<String> IAM_ACTIONS = List.of("ec2:CreateTags", "ec2:DeleteTags");
    private static final org.apache.logging.log4j.Logger LOG = org.apache.logging.log4j.LogManager.getLogger(
            Tagging.class);

    private Tagging() {
    }

    /**
     * Writes a destructive decision's {@code curfew:action} record with {@code write} (the kind's own way of
     * tagging) before the act.
     *
     * @return null when written (or when the decision carries none), else the outcome that stops the act
     */
    static Outcome recordAction(Decision d, java.util.function.Consumer<Map<String, String>> write) {
        String value = d.setTags().get(ActionTag.TAG);
        if (value == null || !d.destructive()) {
            return null;
        }
        String id = d.resource().id();
        try {
            write.accept(Map.of(ActionTag.TAG, value));
            return null;
        } catch (software.amazon.awssdk.core.exception.SdkException e) {
            Outcome o = Errors.outcome(id, e);
            return o.status() == Outcome.Status.ALREADY ? o : Errors.failed(id, "not done (" + d.action()
                    + "): its " + ActionTag.TAG + " tag could not be written (" + Errors.describe(e) + ")", e);
        }
    }

    /** How long to wait before retrying an act IAM refused just after its tag was written. */
    static final java.time.Duration TAG_SETTLE = java.time.Duration.ofSeconds(2);
    /** EC2's answer when IAM refuses a call (HTTP 403). */
    public static final String EC2_REFUSAL = "UnauthorizedOperation";
    /** The wait in use: {@link #TAG_SETTLE}; tests of this package make it shorter ({@link #settle(java.time.Duration)}). */
    private static volatile java.time.Duration settle = TAG_SETTLE;

    /** Sets the wait before the retry and returns the one it replaces (tests). */
    static java.time.Duration settle(java.time.Duration d) {
        java.time.Duration before = settle;
        settle = d;
        return before;
    }

    /**
     * Runs an EC2 act that IAM allows only on a resource carrying a tag written a moment ago: as
     * {@link #actAfterTagging(String, Runnable)} with EC2's refusal, {@code UnauthorizedOperation}.
     */
    public static void actAfterTagging(Runnable act) {
        actAfterTagging(EC2_REFUSAL, act);
    }

    /**
     * Runs an act that IAM allows only on a resource carrying a tag written a moment ago. Tags are eventually
     * consistent, so the service's authorization refusal ({@code refusal}: EC2's {@code UnauthorizedOperation},
     * EMR's {@code AccessDeniedException}) is retried once after {@link #TAG_SETTLE}; any other error, or a second
     * refusal, is thrown.
     */
    public static void actAfterTagging(String refusal, Runnable act) {
        try {
            act.run();
        } catch (AwsServiceException e) {
            if (!refusal.equals(Errors.code(e))) {
                throw e;
            }
            java.time.Duration wait = settle;
            LOG.info("refused ({}); retrying once in {} ms (tag propagation)", refusal, wait.toMillis());
            try {
                Thread.sleep(wait.toMillis());
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
                throw e;
            }
            act.run();
        }
    }

    /** An EC2 resource's tags as the model holds them: key to value, in AWS's order. */
    public static Map<String, String> map(List<Tag> tags) {
        Map<String, String> m = new java.util.LinkedHashMap<>();
        tags.forEach(t -> m.put(t.key(), t.value()));
        return m;
    }

    /** Sets and removes tags on one EC2 resource (CreateTags, DeleteTags); an AWS error is thrown. */
    static void retag(Ec2Client ec2, String id, Map<String, String> set, List<String> remove) {
        if (!set.isEmpty()) {
            List<Tag> tags = new ArrayList<>();
            for (Map.Entry<String, String> e : set.entrySet()) {
                tags.add(Tag.builder().key(e.getKey()).value(e.getValue()).build());
            }
            ec2.createTags(b -> b.resources(id).tags(tags));
        }
        if (!remove.isEmpty()) {
            List<Tag> keys = remove.stream().map(k -> Tag.builder().key(k).build()).toList();
            ec2.deleteTags(b -> b.resources(id).tags(keys));
        }
    }
}
