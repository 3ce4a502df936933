package dev.curfew.core.sentinel;

import static org.assertj.core.api.Assertions.assertThat;

import dev.curfew.core.accounts.AccountTarget;
import dev.curfew.core.identity.AwsIdentity;
import dev.curfew.core.policy.Policy;
import dev.curfew.core.testing.Policies;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Whose a created resource is and which tags it gets, or why nothing is tagged: no network, a fixed time. */
class CreationCheckTest {
    static final String HOME = "123456789012";
    static final String ALICES = "111111111111";
    static final Instant AT = Instant.parse("2026-11-25T10:00:00Z"); // 11:00 in Amsterdam
    static final Policy POLICY = Policies.course("""
            identity:
              student-roles: [StudentRole]
              instructors: ["arn:aws:iam::123456789012:user/teacher"]
            """);
    static final AccountTarget CLASS = new AccountTarget(HOME, null, AccountTarget.Source.HOME);
    static final AccountTarget ALICES_OWN = new AccountTarget(ALICES, "alice", AccountTarget.Source.ROSTER);

    static SentinelEvent.ApiCall call(String account, String arn, String type, String error, String service) {
        return new SentinelEvent.ApiCall("e-1", account, "eu-west-1", AT, "aws.ec2", "RunInstances", error,
                arn == null ? null : new AwsIdentity(arn, type, null), service, List.of(new Created("ec2", "i-1")));
    }

    static CreationCheck.Creation check(String arn, String type) {
        return CreationCheck.check(POLICY, call(HOME, arn, type, null, null), CLASS, "curfew-");
    }

    @Test
    void aStudentsCallTagsOwnerCallerExpiryAtTheNextCurfewAndCreationTime() {
        String arn = "arn:aws:iam::123456789012:user/alice";
        CreationCheck.Creation c = check(arn, "IAMUser");

        assertThat(c.tagged()).isTrue();
        assertThat(c.owner()).isEqualTo("alice");
        assertThat(c.tags()).containsExactly(
                java.util.Map.entry("curfew:owner", "alice"),
                java.util.Map.entry("curfew:created-by", arn),
                java.util.Map.entry("curfew:expires-at", "2026-11-25T17:00:00Z"),
                java.util.Map.entry("curfew:created-at", "2026-11-25T10:00:00Z"));
        assertThat(c.outcome()).isNull();
    }

    @Test
    void aCallAfterCurfewExpiresAtTheNextDaysCurfew() {
        SentinelEvent.ApiCall late = new SentinelEvent.ApiCall("e-1", HOME, "eu-west-1",
                Instant.parse("2026-11-25T19:00:00Z"), "aws.ec2", "RunInstances", null,
                new AwsIdentity("arn:aws:iam::123456789012:user/alice", "IAMUser", null), null, List.of());
        assertThat(CreationCheck.check(POLICY, late, CLASS, null).tags())
                .containsEntry("curfew:expires-at", "2026-11-26T17:00:00Z");
    }

    @Test
    void theInstructorRootAFederatedUserAndAnUnnamedRoleTagNothingAndSayWhy() {
        for (String[] who : new String[][] {
                {"arn:aws:iam::123456789012:user/teacher", "IAMUser"},
                {"arn:aws:iam::123456789012:root", "Root"},
                {"arn:aws:sts::123456789012:federated-user/alice", "FederatedUser"},
                {"arn:aws:sts::123456789012:assumed-role/SomeRole/alice", "AssumedRole"}}) {
            CreationCheck.Creation c = check(who[0], who[1]);
            assertThat(c.tagged()).as(who[0]).isFalse();
            assertThat(c.owner()).as(who[0]).isNull();
            assertThat(c.notAStudent()).as(who[0]).isNotBlank();
            assertThat(c.outcome()).as(who[0]).isEqualTo("not tagged: not a student's (" + c.notAStudent() + ")");
        }
        assertThat(CreationCheck.check(POLICY, call(HOME, null, null, null, null), CLASS, null).notAStudent())
                .isEqualTo("CloudTrail names no caller");
    }

    @Test
    void aFailedCallAServiceOnSomeonesBehalfAndCurfewItselfTagNothing() {
        String alice = "arn:aws:iam::123456789012:user/alice";
        assertThat(CreationCheck.check(POLICY, call(HOME, alice, "IAMUser", "UnauthorizedOperation", null), CLASS,
                null)).satisfies(c -> {
                    assertThat(c.tagged()).isFalse();
                    assertThat(c.outcome()).isEqualTo("skipped: the call failed (UnauthorizedOperation), nothing was "
                            + "created");
                    assertThat(c.owner()).as("still named in the report").isEqualTo("alice");
                });
        assertThat(CreationCheck.check(POLICY, call(HOME, alice, "IAMUser", null, "elasticmapreduce.amazonaws.com"),
                CLASS, null).outcome()).isEqualTo("skipped: made by elasticmapreduce.amazonaws.com on someone's "
                + "behalf");
        String own = "arn:aws:sts::123456789012:assumed-role/curfew-SentinelFunctionRole-1A2B/curfew-sentinel";
        assertThat(CreationCheck.check(POLICY, call(HOME, own, "AssumedRole", null, null), CLASS, "curfew-")
                .outcome()).isEqualTo("skipped: made by Curfew itself (" + own + ")");
    }

    @Test
    void inAStudentsOwnAccountWhatIsCreatedIsTheirsWhoeverCloudTrailNamesExceptCurfewsOwnRole() {
        String admin = "arn:aws:iam::111111111111:user/admin";
        CreationCheck.Creation c = CreationCheck.check(POLICY, call(ALICES, admin, "IAMUser", null, null),
                ALICES_OWN, "curfew-");
        assertThat(c.owner()).isEqualTo("alice");
        assertThat(c.tags()).containsEntry("curfew:owner", "alice").containsEntry("curfew:created-by", admin);

        String curfew = "arn:aws:sts::111111111111:assumed-role/curfew-access/curfew-sentinel";
        assertThat(CreationCheck.check(POLICY, call(ALICES, curfew, "AssumedRole", null, null), ALICES_OWN,
                "curfew-").outcome()).isEqualTo("skipped: made by Curfew itself (" + curfew + ")");
        assertThat(CreationCheck.curfewInEnrolledAccount(curfew, HOME)).as("another account's role").isFalse();
        assertThat(CreationCheck.curfewInEnrolledAccount(
                "arn:aws:sts::111111111111:assumed-role/curfew-access-not/x", ALICES)).isFalse();
    }
}
