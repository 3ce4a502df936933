package dev.curfew.aws;

import static org.assertj.core.api.Assertions.assertThat;

import dev.curfew.core.policy.Policy;
import dev.curfew.core.policy.PolicyLoader;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ProtectedBucketsTest {
    static Policy withRoster(String roster) {
        return PolicyLoader.load(roster == null ? "course: t\n" : "notifications: {roster: \"" + roster + "\"}\n", "t");
    }

    @Test
    void theBucketsOfThePolicyAndTheRosterAreNamedWithWhyTheyAreKept() {
        assertThat(ProtectedBuckets.of("s3://course-config/2026/policy.yaml", withRoster("s3://people/roster.csv")))
                .containsExactly(Map.entry("course-config", "holds Curfew's policy"),
                        Map.entry("people", "holds the roster"));
        assertThat(ProtectedBuckets.of(" s3://course-config/policy.yaml ", withRoster("s3://course-config/r.csv")))
                .containsExactly(Map.entry("course-config", "holds Curfew's policy and the roster"));
    }

    @Test
    void aBundledOrLocalPolicyAndAnSsmRosterProtectNoBucket() {
        assertThat(ProtectedBuckets.of("bundled", withRoster("ssm:/curfew/roster"))).isEmpty();
        assertThat(ProtectedBuckets.of("/home/me/policy.yaml", withRoster(null))).isEmpty();
        assertThat(ProtectedBuckets.of(null, null)).isEmpty();
        assertThat(ProtectedBuckets.of("s3://", null)).isEmpty();
    }

    @Test
    void aProtectedBucketIsSpecialWhateverItsTagsAndBeforeAnyOtherReason() {
        Map<String, String> owned = Map.of("curfew:owner", "alice", "curfew:pending", "empty@2026-11-25T18:00:00Z");
        Map<String, String> kept = Map.of("course-config", ProtectedBuckets.POLICY, "people", ProtectedBuckets.ROSTER);

        assertThat(S3Buckets.special("course-config", owned, Set.of("course-config"), kept))
                .isEqualTo("it holds Curfew's policy");
        assertThat(S3Buckets.special("people", owned, Set.of(), kept)).isEqualTo("it holds the roster");
        assertThat(S3Buckets.special("lab-alice", owned, Set.of(), kept)).isNull();
        assertThat(S3Buckets.special("aws-cloudtrail-logs-123456789012-0a1b2c3d", owned, Set.of(), kept))
                .isEqualTo("a CloudTrail log bucket (named aws-cloudtrail-logs-...)");
        assertThat(S3Buckets.special("aws-sam-cli-managed-default-samclisourcebucket-1", owned, Set.of(), kept))
                .isEqualTo("the SAM deployment bucket");
    }
}
