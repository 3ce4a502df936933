package dev.curfew.function.sentinel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.curfew.aws.accounts.AccountSessions;
import dev.curfew.aws.testing.MotoTest;
import dev.curfew.core.accounts.AccountTarget;
import io.micronaut.json.JsonMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.organizations.OrganizationsClient;
import software.amazon.awssdk.services.organizations.model.OrganizationFeatureSet;

/**
 * Events forwarded from the member accounts of the policy's Organization unit (README, "Students' own accounts
 * (enrolment)"): carol's account is in the unit and on the roster, the lab account is in the unit only; alice's own
 * account 111111111111 is on the roster only.
 */
class SentinelOrganizationAccountIT extends MotoTest {
    static final String ALICES = "111111111111";
    static Path dir;
    SentinelHandler handler;
    JsonMapper json;
    AccountSessions sessions;
    String unit;
    String carols;
    String labs;

    @BeforeAll
    static void start() throws Exception {
        dir = Files.createTempDirectory("sentinel-org");
    }

    @BeforeEach
    void organization() {
        OrganizationsClient org = clients.organizations();
        org.createOrganization(b -> b.featureSet(OrganizationFeatureSet.ALL));
        String root = org.listRoots().roots().get(0).id();
        unit = org.createOrganizationalUnit(b -> b.parentId(root).name("class-2026")).organizationalUnit().id();
        carols = org.createAccount(b -> b.accountName("carol").email("carol@school.example.edu"))
                .createAccountStatus().accountId();
        labs = org.createAccount(b -> b.accountName("lab").email("lab@school.example.edu"))
                .createAccountStatus().accountId();
        for (String a : new String[] {carols, labs}) {
            org.moveAccount(b -> b.accountId(a).sourceParentId(root).destinationParentId(unit));
        }
        clients.ssm(EU).putParameter(b -> b.name("/curfew/roster").type("String").value("owner,name,email,account\n"
                + "alice,Alice A,alice@example.edu," + ALICES + "\ncarol,Carol C,carol@example.edu," + carols + "\n"));
        clients.ssm(EU).putParameter(b -> b.name(AccountSessions.KEY_PARAMETER).type("SecureString")
                .value(Base64.getEncoder().encodeToString("0123456789abcdef0123456789abcdef".getBytes())));
        sessions = new AccountSessions(clients, "curfew-test");
    }

    @AfterEach
    void close() {
        if (handler != null) {
            handler.close();
        }
        sessions.close();
    }

    void handler(String organizationUnit) throws Exception {
        Path policy = dir.resolve("policy-" + organizationUnit + ".yaml");
        Files.writeString(policy, Files.readString(Path.of("src/test/resources/sentinel-enrolled-policy.yaml"))
                + "enrolment:\n  organization-unit: " + organizationUnit + "\n");
        handler = Sentinels.handler(moto, Map.of("curfew.policy", policy.toString(), "curfew.mode", "enforce"));
        json = handler.getApplicationContext().getBean(JsonMapper.class);
    }

    Ec2Client ec2In(String account) {
        return sessions.clients(new AccountTarget(account, null, AccountTarget.Source.ORGANIZATION)).ec2(EU);
    }

    /** The forwarded RunInstances sample (CloudTrail naming the IAM user bob of the event's account). */
    Map<String, Object> forwarded(String instance, String account) throws Exception {
        return handler.handleRequest(Events.parse(json, Events.rewritten("sentinel-runinstances-forwarded.json",
                Events.INSTANCE, instance, ALICES, account)), null);
    }

    static Map<String, String> tags(Ec2Client ec2, String id) {
        Map<String, String> out = new LinkedHashMap<>();
        ec2.describeInstances(b -> b.instanceIds(id)).reservations().get(0).instances().get(0).tags()
                .forEach((Tag t) -> out.put(t.key(), t.value()));
        return out;
    }

    static String run(Ec2Client ec2) {
        return ec2.runInstances(b -> b.imageId("ami-12c6146b").instanceType("t3.micro").minCount(1).maxCount(1))
                .instances().get(0).instanceId();
    }

    @Test
    void aMemberAccountIsTheRostersStudentsOrTaggedByTheCallersIdentityAndTheUnitIsListedOnceWhileWarm()
            throws Exception {
        handler(unit);
        String carolsInstance = run(ec2In(carols));
        String labsInstance = run(ec2In(labs));

        Map<String, Object> carol = forwarded(carolsInstance, carols);
        Map<String, Object> lab = forwarded(labsInstance, labs);

        assertThat(carol).doesNotContainKey("refused").containsEntry("account", carols)
                .containsEntry("accountOf", "carol").containsEntry("owner", "carol");
        assertThat(tags(ec2In(carols), carolsInstance)).containsEntry("curfew:owner", "carol")
                .containsEntry("curfew:created-at", "2026-11-25T10:00:00Z");
        assertThat(lab).doesNotContainKey("refused").containsEntry("account", labs)
                .containsEntry("accountOf", "Organization account").containsEntry("owner", "bob");
        assertThat(tags(ec2In(labs), labsInstance)).as("nobody's account: the caller's identity, as at home")
                .containsEntry("curfew:owner", "bob")
                .containsEntry("curfew:created-by", "arn:aws:iam::" + labs + ":user/bob");
        assertThat(clients.ec2(EU).describeInstances().reservations()).isEmpty();
        assertThat(calls(carol)).containsEntry("organizations:ListAccountsForParent", 1L);
        assertThat(calls(lab)).as("the unit's members are kept while the function is warm")
                .doesNotContainKey("organizations:ListAccountsForParent");
    }

    @Test
    void aUnitThatCannotBeListedLeavesTheRostersAccountsServedAndFailsTheEventOfAnyOtherNamingTheUnit()
            throws Exception {
        handler("ou-zzzz-zzzzzzzz");
        String alicesInstance = run(ec2In(ALICES));
        String labsInstance = run(ec2In(labs));

        Map<String, Object> alice = forwarded(alicesInstance, ALICES);

        assertThat(alice).containsEntry("accountOf", "alice").containsEntry("owner", "alice");
        assertThat(String.valueOf(alice.get("notes"))).contains("ou-zzzz-zzzzzzzz", "could not be listed");
        assertThat(tags(ec2In(ALICES), alicesInstance)).containsEntry("curfew:owner", "alice");
        assertThatThrownBy(() -> forwarded(labsInstance, labs)).hasMessageContaining("ou-zzzz-zzzzzzzz");
        assertThat(tags(ec2In(labs), labsInstance)).isEmpty();
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> calls(Map<String, Object> out) {
        return (Map<String, Object>) out.get("awsCalls");
    }
}
