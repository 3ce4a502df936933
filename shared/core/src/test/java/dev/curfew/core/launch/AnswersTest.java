package dev.curfew.core.launch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.curfew.core.policy.Policy;
import dev.curfew.core.policy.PolicyLoader;
import dev.curfew.core.testing.Policies;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AnswersTest {
    static final Instant NOW = Instant.parse("2026-11-25T10:00:00Z");

    static final Policy ENFORCE = Policies.course("mode: enforce\n");

    @Test
    void theFullLaunchMessage() {
        Caller alice = Caller.fromIam("arn:aws:iam::123456789012:user/alice", "123456789012", "203.0.113.7",
                dev.curfew.core.policy.IdentityRules.defaults());
        LaunchRequest req = new LaunchRequest("t3.micro", 2, "alice-key", "eu-west-1");
        ZoneChoice choice = ZoneChoice.choose(List.of(
                new SpotPrice("eu-west-1a", "t3.micro", "Linux/UNIX", new BigDecimal("0.004100"), NOW.minusSeconds(900)),
                new SpotPrice("eu-west-1b", "t3.micro", "Linux/UNIX", new BigDecimal("0.003800"), NOW.minusSeconds(90))),
                "t3.micro", new BigDecimal("0.05"), NOW);
        CloudInstance i = new CloudInstance("i-0abc1234def567890", "eu-west-1", "eu-west-1b", "t3.micro", "pending",
                "spot", NOW, null, null, "alice-key", List.of("sg-1"), Map.of());
        Map<String, Object> out = Answers.launched(new Answers.Launched(alice, i, req, choice, NOW,
                NOW.plusSeconds(7200), "54.1.2.3", "ec2-user", "sg-1", "203.0.113.7/32",
                "https://abc.lambda-url.eu-west-1.on.aws"), ENFORCE);

        assertThat(out.get("message")).isEqualTo("""
                Launched i-0abc1234def567890 (t3.micro, one-time spot) for alice in eu-west-1b.
                Price: $0.0038/h spot (you pay at most $0.05/h, the course's cap); on-demand is $0.0114/h, so 67% \
                less (AWS EC2 On-Demand pricing, Linux/UNIX, shared tenancy \
                (https://aws.amazon.com/ec2/pricing/on-demand/), as of 2026-11-25).
                Cleanup: It expires at 2026-11-25T12:00:00Z (Wed 25 Nov 13:00 Europe/Amsterdam); Curfew's first sweep \
                after that will terminate it, at the curfew (Wed 25 Nov 18:00 Europe/Amsterdam) at the latest. AWS \
                may also reclaim a spot instance at any time, with two minutes' notice; it is then terminated.
                SSH, open to 203.0.113.7/32 only:
                  ssh -i ~/.ssh/alice-key.pem ec2-user@54.1.2.3
                Done early? Terminate it: awscurl --service lambda --region eu-west-1 -X DELETE \
                https://abc.lambda-url.eu-west-1.on.aws/instances/i-0abc1234def567890""");
        assertThat(out).containsEntry("zone", "eu-west-1b").containsEntry("expiresAt", "2026-11-25T12:00:00Z");
    }

    @Test
    void whenTheCurfewComesBeforeTheExpiryTheAnswerSaysSo() {
        Instant late = Instant.parse("2026-11-25T16:30:00Z"); // 17:30 in Amsterdam
        assertThat(Answers.cleanup(ENFORCE, late, late.plusSeconds(4 * 3600))).isEqualTo(
                "It expires at 2026-11-25T20:30:00Z (Wed 25 Nov 21:30 Europe/Amsterdam); the curfew comes first: "
                        + "Curfew's sweep at Wed 25 Nov 18:00 Europe/Amsterdam (2026-11-25T17:00:00Z) will terminate "
                        + "it. AWS may also reclaim a spot instance at any time, with two minutes' notice; it is then "
                        + "terminated.");
    }

    @Test
    void inDryRunTheAnswerDoesNotPromiseACleanup() {
        Policy dry = Policies.course("mode: dry-run\n");
        assertThat(Answers.cleanup(dry, NOW, NOW.plusSeconds(3600)))
                .contains("Curfew runs in dry-run in this account and will not terminate it")
                .contains("terminate it yourself");
    }

    @Test
    void withTheForgottenRuleOffTheAnswerSaysSo() {
        Policy off = Policies.course("mode: enforce\nrules:\n  ec2-forgotten:\n    enabled: false\n");
        assertThat(Answers.cleanup(off, NOW, NOW.plusSeconds(3600))).contains("ec2-forgotten rule is off");
    }

    @Test
    void pricesAreComparedWithTheBundledOnDemandTable() {
        Map<String, Object> p = Answers.price(new BigDecimal("0.0031"), new BigDecimal("0.05"), "us-east-1",
                "t3.micro");
        assertThat(p).containsEntry("onDemandPerHour", "0.0104").containsEntry("savingPercent", 70)
                .containsEntry("onDemandRegion", "us-east-1");
        assertThat(Answers.priceSentence(p, "us-east-1")).startsWith("$0.0031/h spot (you pay at most $0.05/h, the "
                + "course's cap); on-demand is $0.0104/h, so 70% less (AWS EC2 On-Demand pricing");

        Map<String, Object> elsewhere = Answers.price(new BigDecimal("0.004"), new BigDecimal("0.05"), "ap-south-1",
                "t3.small");
        assertThat(Answers.priceSentence(elsewhere, "ap-south-1")).contains("on-demand is $0.0208/h in us-east-1");

        Map<String, Object> unknown = Answers.price(new BigDecimal("0.3"), new BigDecimal("0.5"), "eu-west-1",
                "r7i.large");
        assertThat(Answers.priceSentence(unknown, "eu-west-1"))
                .isEqualTo("$0.30/h spot (you pay at most $0.50/h, the course's cap); Curfew's table has no on-demand "
                        + "price for this type.");
    }

    @Test
    void theBundledTableCoversTheDefaultPolicysTypes() {
        for (String t : PolicyLoader.bundledDefault(List.of()).launcher().allowedTypes()) {
            assertThat(OnDemandPrices.lookup("us-east-1", t)).as(t).isPresent();
            assertThat(OnDemandPrices.lookup("eu-west-1", t)).as(t).get()
                    .satisfies(q -> assertThat(q.exact("eu-west-1")).isTrue());
        }
    }

    @Test
    void sshCommandsQuoteOddKeyNames() {
        assertThat(Answers.sshCommand("my key", "ec2-user", "1.2.3.4")).isEqualTo("ssh -i ~/.ssh/'my key.pem' "
                + "ec2-user@1.2.3.4");
        assertThat(Answers.sshUser("ssm:/aws/service/canonical/ubuntu/server/24.04/stable/current/amd64/hvm/ebs-gp3/"
                + "ami-id")).isEqualTo("ubuntu");
        assertThat(Answers.sshUser("ami-0123456789abcdef0")).isEqualTo("ec2-user");
    }

    @Test
    void aRefusalIsAnErrorCodeAStatusAndAMessage() {
        Map<String, Object> m = Answers.refusal(new Refusal(429, "too-many-instances", "over", Map.of("maxRunning", 2)));
        assertThat(m).containsExactly(Map.entry("error", "too-many-instances"), Map.entry("status", 429),
                Map.entry("message", "over"), Map.entry("maxRunning", 2));
    }
}
