package dev.curfew.aws.accounts;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.iam.model.IamException;
import software.amazon.awssdk.services.sts.model.StsException;

/** How an error reaching an enrolled account is told, without AWS. */
class AccountSweepsTest {
    private static StsException sts(String code) {
        return (StsException) StsException.builder().awsErrorDetails(AwsErrorDetails.builder().errorCode(code)
                .errorMessage("User: arn:aws:sts::123456789012:assumed-role/x/curfew-sweeper is not authorized")
                .build()).build();
    }

    @Test
    void aRefusedRoleIsUnreachableEvenWhenTheSdkWrapsTheRefusal() {
        String direct = AccountSweeps.unreachable("111111111111", sts("AccessDenied"));
        assertThat(direct).startsWith("Curfew can no longer reach account 111111111111: AccessDenied: User: ");
        assertThat(AccountSweeps.unreachable("111111111111", SdkClientException.create("Unable to load credentials",
                sts("AccessDenied")))).isEqualTo(direct);
    }

    @Test
    void aMissingRoleIsNotDeployed() {
        IamException e = (IamException) IamException.builder().awsErrorDetails(AwsErrorDetails.builder()
                .errorCode("NoSuchEntity").errorMessage("The role with name curfew-access cannot be found.").build())
                .build();
        assertThat(AccountSweeps.unreachable("222222222222", e)).isEqualTo("Curfew can no longer reach account "
                + "222222222222: the curfew-access role is not deployed (NoSuchEntity: The role with name "
                + "curfew-access cannot be found.)");
    }

    @Test
    void anyOtherErrorIsNotAReachProblem() {
        assertThat(AccountSweeps.unreachable("111111111111", sts("Throttling"))).isNull();
        assertThat(AccountSweeps.unreachable("111111111111", new IllegalStateException("no enrolment key"))).isNull();
    }

    @Test
    void anEnrolledAccountsPolicyListsThatAccountAloneAndKeepsEverythingElse() throws Exception {
        dev.curfew.core.policy.Policy p = dev.curfew.core.policy.PolicyLoader.load("""
                course: Many accounts
                accounts: ["123456789012"]
                regions: [eu-west-1, us-east-1]
                mode: enforce
                exemptions: {allow-list: [bastion]}
                """, "test");
        dev.curfew.core.policy.Policy q = AccountSweeps.forAccount(p, "111111111111");
        assertThat(q.accounts()).containsExactly("111111111111");
        for (java.lang.reflect.RecordComponent c : dev.curfew.core.policy.Policy.class.getRecordComponents()) {
            if (!c.getName().equals("accounts")) {
                assertThat(c.getAccessor().invoke(q)).as(c.getName()).isEqualTo(c.getAccessor().invoke(p));
            }
        }
    }

    @Test
    void anAccountWhoseRegionCouldNotBeListedHasItsSpendMissingFromTheSums() {
        dev.curfew.core.accounts.AccountTarget t = new dev.curfew.core.accounts.AccountTarget("111111111111", "alice",
                dev.curfew.core.accounts.AccountTarget.Source.ROSTER);
        java.util.function.Function<java.util.Map<String, String>, dev.curfew.core.accounts.AccountRun> run = errors ->
                dev.curfew.core.accounts.AccountRun.swept(t, new dev.curfew.core.report.SweepReport("C",
                        "111111111111", "enforce", java.time.Instant.parse("2026-12-01T18:00:00Z"), 10,
                        java.util.List.of("eu-west-1", "us-east-1"), errors, "passed",
                        new dev.curfew.core.plan.Plan.Breaker(false, 0, 100), java.util.List.of(), java.util.Map.of()))
                        .withFigures(new dev.curfew.core.accounts.AccountFigures(java.util.List.of(), null,
                                java.util.List.of()));
        assertThat(AccountSweeps.spendMissing(run.apply(java.util.Map.of()))).isFalse();
        // a region whose listing failed: what runs there is not in the figures, so nobody may be cleared by them
        assertThat(AccountSweeps.spendMissing(run.apply(java.util.Map.of("us-east-1", "ThrottlingException"))))
                .isTrue();
    }
}
