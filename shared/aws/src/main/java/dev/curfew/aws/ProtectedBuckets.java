package dev.curfew.aws;

import dev.curfew.core.policy.Policy;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The buckets Curfew's own configuration lives in: the one holding the policy it runs with and the one holding the
 * roster. Whatever tags they carry (the sentinel, a student or the instructor may have given them an owner), they are
 * never marked, emptied, deleted or tagged: losing the policy object would stop every Curfew function. template.yaml
 * denies the same buckets to Curfew's roles (NeverTouchCurfewsBuckets); the SAM deployment bucket and log targets
 * are recognised by {@link S3Buckets}.
 */
public final class ProtectedBuckets {
    public static final String POLICY = "holds Curfew's policy";
    public static final String ROSTER = "holds the roster";
    /** The stack's bucket of class pages (template.yaml ClassPageBucket), given to {@link AwsCloud#protect}. */
    public static final String CLASS_PAGES = "holds Curfew's class pages";

    private ProtectedBuckets() {
    }

    /**
     * Bucket name to why it is never touched.
     *
     * @param policyLocation where the policy was read from ({@code bundled}, a file, or {@code s3://bucket/key})
     * @param policy         the policy read from there (its roster location, after the deployment's overrides)
     */
    public static Map<String, String> of(String policyLocation, Policy policy) {
        Map<String, String> out = new LinkedHashMap<>();
        String policyBucket = bucketOf(policyLocation);
        if (policyBucket != null) {
            out.put(policyBucket, POLICY);
        }
        String rosterBucket = policy == null ? null : bucketOf(policy.notifications().roster());
        if (rosterBucket != null) {
            out.merge(rosterBucket, ROSTER, (a, b) -> a + " and " + b.substring("holds ".length()));
        }
        return out;
    }

    /** {@code s3://bucket/key} (spaces around it ignored) to {@code bucket}; anything else to null. */
    static String bucketOf(String location) {
        if (location == null) {
            return null;
        }
        String l = location.trim();
        if (!l.startsWith("s3://")) {
            return null;
        }
        String rest = l.substring("s3://".length());
        int slash = rest.indexOf('/');
        String bucket = slash < 0 ? rest : rest.substring(0, slash);
        return bucket.isEmpty() ? null : bucket;
    }
}
