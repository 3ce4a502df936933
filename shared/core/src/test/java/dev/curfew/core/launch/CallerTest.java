package dev.curfew.core.launch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CallerTest {

    @ParameterizedTest
    @CsvSource({
        "arn:aws:iam::123456789012:user/alice,                                          alice",
        "arn:aws:iam::123456789012:user/students/cs101/alice.b,                         alice.b",
        "arn:aws:sts::123456789012:assumed-role/AWSReservedSSO_Student_0a1b2c/bob@uni.edu, bob@uni.edu",
        "arn:aws:sts::123456789012:assumed-role/lab-role/carol,                          carol",
        "arn:aws:sts::123456789012:federated-user/dave,                                  dave",
        "arn:aws:iam::123456789012:root,                                                 root",
        "arn:aws-cn:iam::123456789012:user/erin,                                         erin",
    })
    void theOwnerIsTheUserNameOrTheRoleSessionName(String arn, String owner) {
        Caller c = Caller.fromIam(arn, "123456789012", "203.0.113.7");
        assertThat(c.owner()).isEqualTo(owner);
        assertThat(c.arn()).isEqualTo(arn);
        assertThat(c.accountId()).isEqualTo("123456789012");
    }

    @Test
    void noIdentityIsRefusedWith403() {
        assertThatThrownBy(() -> Caller.fromIam(null, null, "203.0.113.7"))
                .isInstanceOf(Refusal.class).hasMessageContaining("no IAM identity")
                .asInstanceOf(InstanceOfAssertFactories.type(Refusal.class))
                .extracting(Refusal::status).isEqualTo(403);
        assertThatThrownBy(() -> Caller.fromIam(" ", null, null)).isInstanceOf(Refusal.class);
    }

    @Test
    void unknownArnShapesAreRefused() {
        assertThatThrownBy(() -> Caller.fromIam("arn:aws:iam::123456789012:role/admin", null, null))
                .isInstanceOf(Refusal.class).hasMessageContaining("cannot tell who");
        assertThatThrownBy(() -> Caller.fromIam("alice", null, null)).isInstanceOf(Refusal.class);
        assertThatThrownBy(() -> Caller.fromIam("arn:aws:iam::123456789012:user/al ice", null, null))
                .isInstanceOf(Refusal.class);
    }

    @Test
    void anAccountThatContradictsTheArnIsRefused() {
        assertThatThrownBy(() -> Caller.fromIam("arn:aws:iam::123456789012:user/alice", "999999999999", null))
                .isInstanceOf(Refusal.class).hasMessageContaining("does not match");
    }

    @Test
    void sourceCidrIsTheOneAddress() {
        assertThat(Caller.fromIam("arn:aws:iam::123456789012:user/a1", null, "203.0.113.7").sourceCidr())
                .isEqualTo("203.0.113.7/32");
        assertThat(Caller.fromIam("arn:aws:iam::123456789012:user/a1", null, "2001:DB8::7").sourceCidr())
                .isEqualTo("2001:db8::7/128");
    }

    @Test
    void aMissingOrBadSourceAddressIsRefused() {
        Caller none = Caller.fromIam("arn:aws:iam::123456789012:user/a1", null, null);
        assertThatThrownBy(none::sourceCidr).isInstanceOf(Refusal.class).hasMessageContaining("no source address");
        for (String bad : new String[] {"0.0.0.0/0", "203.0.113.300", "example.com", "1.2.3", "::1/0"}) {
            Caller c = Caller.fromIam("arn:aws:iam::123456789012:user/a1", null, bad);
            assertThatThrownBy(c::sourceCidr).as(bad).isInstanceOf(Refusal.class)
                    .hasMessageContaining("is not an IP address");
        }
    }
}
