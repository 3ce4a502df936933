package dev.curfew.core.plan;

import dev.curfew.core.model.CurfewTags;
import dev.curfew.core.model.Inventory;
import dev.curfew.core.model.ResourceKind;
import dev.curfew.core.model.S3Bucket;
import dev.curfew.core.policy.KindRule;
import dev.curfew.core.policy.Policy;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * S3 buckets that are not empty ({@code rules.s3-not-empty}): only students' buckets (an owner tag, a created-by tag
 * or a name prefix), never a special one (Curfew's own, the SAM deployment bucket, a log target). Marked, then
 * emptied (every version, delete marker and unfinished upload) after the grace period; {@code delete-bucket} also
 * deletes the emptied bucket. No bucket is emptied in a run that could not read some bucket's logging: it might be
 * that bucket's access-log target.
 */
public final class BucketRules extends KindRules {
    static final String DELETE_BUCKET = "delete-bucket";
    static final String NAME_PREFIXES = "name-prefixes";

    BucketRules() {
        super(ResourceKind.S3_BUCKET, "s3-not-empty", "S3 bucket", "grace",
                new KindRule(true, Duration.ofHours(24), Action.EMPTY, options()),
                List.of(Action.NOTIFY, Action.EMPTY));
    }

    private static Map<String, Object> options() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put(DELETE_BUCKET, false);
        m.put(NAME_PREFIXES, List.of());
        return m;
    }

    /**
     * Whether a bucket is a student's, as the policy says: an owner tag, a created-by tag, or a name starting with one
     * of the rule's prefixes. The AWS side reads a bucket's contents only when it is.
     */
    public static boolean students(String name, Map<String, String> tags, Policy p) {
        return tags.containsKey(p.ownerTag()) || tags.containsKey(CurfewTags.CREATED_BY)
                || p.leftovers().rule(ResourceKind.S3_BUCKET).texts(NAME_PREFIXES).stream().anyMatch(name::startsWith);
    }

    /** Emptying a bucket, and deleting it, can take long: the sweep's time budget bounds them. */
    @Override
    public boolean timeBudgeted(Action action) {
        return action == Action.EMPTY || action == Action.DELETE;
    }

    @Override
    public dev.curfew.core.model.Resource sample(String region, Map<String, String> tags, Instant now) {
        return new S3Bucket("sample-bucket", region, now.minus(Duration.ofDays(1)), false, false, null, tags);
    }

    @Override
    public List<Decision> decide(Inventory inv, List<Decision> instanceDecisions, KindRule rule, Policy p,
                                 Instant now) {
        String unreadLogging = inv.unreadBucketLogging();
        return inv.buckets().stream().sorted(Guard.order()).map(b -> bucket(b, rule, p, now))
                .map(d -> unreadLogging == null || d.action() == Action.SKIP ? d
                        : d.skip("could not tell whether it is the access-log target of " + unreadLogging
                        + " (its logging could not be read): left as it is this run"))
                .toList();
    }

    private static Decision bucket(S3Bucket b, KindRule rule, Policy p, Instant now) {
        String owner = Guard.owner(b, p);
        if (b.special() != null) {
            return new Decision(b, owner, List.of(), Action.SKIP, "never touched: " + b.special(), null);
        }
        if (!students(b.id(), b.tags(), p)) {
            return new Decision(b, owner, List.of(), Action.SKIP, "not a student bucket (no " + p.ownerTag()
                    + " or " + CurfewTags.CREATED_BY + " tag, no matching name prefix)", null);
        }
        if (b.empty() == null) {
            return new Decision(b, owner, List.of(), Action.SKIP, "could not tell whether it is empty", null);
        }
        if (b.empty()) {
            Decision d = new Decision(b, owner, List.of(), Action.SKIP, "empty", null);
            return Guard.unmarkIfMarked(d, "empty now: mark removed", List.of(Mark.TAG));
        }
        Action action = rule.action() == Action.EMPTY && rule.flag(DELETE_BUCKET) ? Action.DELETE : rule.action();
        Finding f = new Finding("s3-not-empty", action, "bucket not empty" + (b.versioned() ? " (versioned: every "
                + "version counts)" : ""), Map.of("versioned", String.valueOf(b.versioned())));
        Decision d = new Decision(b, owner, List.of(f), action, f.summary(), null);
        return Guard.guarded(d, b, rule.after(), p, now, Map.of(), "it is empty");
    }
}
