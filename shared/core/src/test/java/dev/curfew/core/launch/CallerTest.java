package dev.curfew.core.launch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.curfew.core.policy.IdentityRules;
import java.util.List;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CallerTest {
    static final IdentityRules RULES = new IdentityRules(List.of("lab-role"),
            List.of("arn:aws:iam::123456789012:user/teacher", "arn:aws:iam::123456789012:role/Admin"));

    static Caller fromIam(String arn, String account, String sourceIp) {
        return Caller.fromIam(arn, account, sourceIp, RULES);
    }

    @ParameterizedTest
    @CsvSource({
        "arn:aws:iam::123456789012:user/alice,                                          alice",
        "arn:aws:iam::123456789012:user/students/cs101/alice.b,                         alice.b",
        "arn:aws:sts::123456789012:assumed-role/AWSReservedSSO_Student_0a1b2c/bob@uni.edu, bob@uni.edu",
        "arn:aws:sts::123456789012:assumed-role/lab-role/carol,                          carol",
        "arn:aws:iam::123456789012:user/teacher,                                         teacher",
        "arn:aws-cn:iam::123456789012:user/erin,                                         erin",
    })
    void theOwnerIsTheNameAwsVouchesFor(String arn, String owner) {
        Caller c = fromIam(arn, "123456789012", "203.0.113.7");
        assertThat(c.owner()).isEqualTo(owner);
        assertThat(c.arn()).isEqualTo(arn);
        assertThat(c.accountId()).isEqualTo("123456789012");
    }

    @ParameterizedTest
    @CsvSource({
        "arn:aws:sts::123456789012:federated-user/dave,            federated-user, GetFederationToken",
        "arn:aws:sts::123456789012:assumed-role/other-role/alice,  role-not-named, identity.student-roles",
        "arn:aws:iam::123456789012:root,                           root,           root user",
        "arn:aws:sts::123456789012:assumed-role/Admin/alice,       no-named-identity, identity.instructors",
    })
    void whoIsNeitherAStudentNorANamedInstructorIsRefusedWith403SayingWhy(String arn, String code, String says) {
        assertThatThrownBy(() -> fromIam(arn, "123456789012", "203.0.113.7"))
                .isInstanceOfSatisfying(Refusal.class, r -> {
                    assertThat(r.status()).isEqualTo(403);
                    assertThat(r.code()).isEqualTo(code);
                    assertThat(r.getMessage()).contains(says).contains("IAM user").endsWith("Nothing was changed");
                });
    }

    @Test
    void noIdentityIsRefusedWith403() {
        assertThatThrownBy(() -> fromIam(null, null, "203.0.113.7"))
                .isInstanceOf(Refusal.class).hasMessageContaining("no IAM identity")
                .asInstanceOf(InstanceOfAssertFactories.type(Refusal.class))
                .extracting(Refusal::status).isEqualTo(403);
        assertThatThrownBy(() -> fromIam(" ", null, null)).isInstanceOf(Refusal.class);
    }

    @Test
    void unknownArnShapesAreRefused() {
        assertThatThrownBy(() -> fromIam("arn:aws:iam::123456789012:role/admin", null, null))
                .isInstanceOf(Refusal.class).hasMessageContaining("cannot tell who");
        assertThatThrownBy(() -> fromIam("alice", null, null)).isInstanceOf(Refusal.class);
        assertThatThrownBy(() -> fromIam("arn:aws:iam::123456789012:user/al ice", null, null))
                .isInstanceOf(Refusal.class);
    }

    @Test
    void anAccountThatContradictsTheArnIsRefused() {
        assertThatThrownBy(() -> fromIam("arn:aws:iam::123456789012:user/alice", "999999999999", null))
                .isInstanceOf(Refusal.class).hasMessageContaining("does not match");
    }

    @Test
    void sourceCidrIsTheOneAddress() {
        assertThat(fromIam("arn:aws:iam::123456789012:user/a1", null, "203.0.113.7").sourceCidr())
                .isEqualTo("203.0.113.7/32");
        assertThat(fromIam("arn:aws:iam::123456789012:user/a1", null, "2001:DB8::7").sourceCidr())
                .isEqualTo("2001:db8::7/128");
    }

    @Test
    void aMissingOrBadSourceAddressIsRefused() {
        Caller none = fromIam("arn:aws:iam::123456789012:user/a1", null, null);
        assertThatThrownBy(none::sourceCidr).isInstanceOf(Refusal.class).hasMessageContaining("no source address");
        for (String bad : new String[] {"0.0.0.0/0", "203.0.113.300", "example.com", "1.2.3", "::1/0"}) {
            Caller c = fromIam("arn:aws:iam::123456789012:user/a1", null, bad);
            assertThatThrownBy(c::sourceCidr).as(bad).isInstanceOf(Refusal.class)
                    .hasMessageContaining("is not an IP address");
        }
    }
}
