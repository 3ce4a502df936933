package dev.curfew.function.launcher;

import static dev.curfew.aws.testing.MotoAccounts.ALICE;
import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.curfew.aws.AwsClients;
import dev.curfew.aws.testing.MotoAccounts;
import dev.curfew.aws.testing.MotoTest;
import dev.curfew.aws.testing.MotoTest.OneAccount;
import dev.curfew.core.launch.JsonBody;
import io.micronaut.json.JsonMapper;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.iam.IamClient;

/**
 * A student calling the deployed launcher from their own enrolled account (README, "Launch a spot instance"): the
 * Function URL's request context names a principal of that account, the roster (an SSM parameter, as deployed) names
 * the account in alice's row, and the instance, its security group and its tags are made in alice's account through
 * the curfew-access role (moto: AssumeRole into that account). An account the roster does not name is refused and
 * nothing is made anywhere.
 */
@OneAccount
class LauncherStudentAccountIT extends MotoTest {
    static final String STRANGERS = "999999999999";
    static AwsClients alices;
    static AwsClients strangers;
    static LauncherHandler handler;
    static JsonMapper json;
    /** A user alice made in her own account, named as she pleased (the name of another student, even). */
    static String aliceUser;

    @BeforeAll
    static void start() {
        clients.ssm(EU).putParameter(b -> b.name("/curfew/roster").type("String")
                .value("owner,name,email,account\nalice,Alice,alice@example.org," + ALICE + "\nbob,Bob,,\n"));
        clients.ssm(EU).putParameter(b -> b.name("/curfew/enrolment-key").type("SecureString")
                .value(Base64.getEncoder().encodeToString(new byte[32])));
        alices = MotoAccounts.clientsIn(moto, EU, ALICE);
        strangers = MotoAccounts.clientsIn(moto, EU, STRANGERS);
        for (AwsClients c : List.of(alices, strangers, clients)) {
            c.ec2(EU).createKeyPair(b -> b.keyName("my-key"));
        }
        try (IamClient iam = IamClient.builder().endpointOverride(alices.settings().endpoint())
                .region(software.amazon.awssdk.regions.Region.AWS_GLOBAL)
                .credentialsProvider(alices.settings().credentials()).build()) {
            aliceUser = iam.createUser(b -> b.userName("bob")).user().arn();
        }
        handler = Launchers.handler(moto, Map.of("curfew.roster", "ssm:/curfew/roster"));
        json = handler.getApplicationContext().getBean(JsonMapper.class);
    }

    @AfterAll
    static void stop() {
        handler.close();
        for (AwsClients c : List.of(alices, strangers)) {
            c.close();
        }
    }

    static APIGatewayV2HTTPResponse call(String file, String arn, String account, String body) throws Exception {
        APIGatewayV2HTTPEvent e = Events.read(json, file);
        e.getRequestContext().getAuthorizer().getIam().setUserArn(arn);
        e.getRequestContext().getAuthorizer().getIam().setAccountId(account);
        if (body != null) {
            e.setBody(body);
        }
        return handler.handleRequest(e, null);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> body(APIGatewayV2HTTPResponse r) {
        return (Map<String, Object>) JsonBody.parse(r.getBody());
    }

    static final String LAUNCH = "{\"instanceType\": \"t3.micro\", \"hours\": 1, \"keyName\": \"my-key\"}";

    @Test
    void aLaunchFromAliceOwnAccountMakesTheInstanceThereAsAlicesAndNothingInTheClassAccount() throws Exception {
        assertThat(aliceUser).isEqualTo("arn:aws:iam::" + ALICE + ":user/bob");
        Account homeBefore = Account.read(clients);

        APIGatewayV2HTTPResponse r = call("launcher-launch.json", aliceUser, ALICE, LAUNCH);

        assertThat(r.getStatusCode()).as(r.getBody()).isEqualTo(201);
        Map<String, Object> out = body(r);
        assertThat(out).containsEntry("owner", "alice").containsEntry("account", ALICE);
        assertThat((String) out.get("message")).contains("in your own account " + ALICE);
        String id = (String) out.get("instanceId");

        Instance i = alices.ec2(EU).describeInstances(b -> b.instanceIds(id)).reservations().get(0).instances().get(0);
        assertThat(i.instanceLifecycleAsString()).isEqualTo("spot");
        assertThat(i.keyName()).isEqualTo("my-key");
        assertThat(i.tags()).extracting(Tag::key, Tag::value).contains(
                org.assertj.core.groups.Tuple.tuple("curfew:owner", "alice"),
                org.assertj.core.groups.Tuple.tuple("curfew:created-by", aliceUser));
        String group = ((Map<String, String>) out.get("ssh")).get("securityGroupId");
        assertThat(alices.ec2(EU).describeSecurityGroups(b -> b.groupIds(group)).securityGroups())
                .singleElement().satisfies(g -> assertThat(g.groupName()).startsWith("curfew-ssh-alice-"));
        assertThat(Account.read(clients)).as("the class account").isEqualTo(homeBefore);

        // listed as alice's, whoever of her account asks
        APIGatewayV2HTTPResponse list = call("launcher-list.json", "arn:aws:iam::" + ALICE + ":user/carol", ALICE,
                null);
        assertThat(list.getStatusCode()).as(list.getBody()).isEqualTo(200);
        assertThat(body(list)).containsEntry("owner", "alice").containsEntry("account", ALICE);
        assertThat((List<Map<String, Object>>) body(list).get("instances")).extracting(m -> m.get("instanceId"))
                .containsExactly(id);
    }

    @Test
    void withoutARosterToReadNobodyCanTellWhoseTheAccountIsAndNothingIsMade() throws Exception {
        String roster = clients.ssm(EU).getParameter(b -> b.name("/curfew/roster")).parameter().value();
        Account alicesBefore = Account.read(alices);
        Account homeBefore = Account.read(clients);
        clients.ssm(EU).deleteParameter(b -> b.name("/curfew/roster"));
        try {
            APIGatewayV2HTTPResponse r = call("launcher-launch.json", aliceUser, ALICE, LAUNCH);
            assertThat(r.getStatusCode()).as(r.getBody()).isEqualTo(500);
            assertThat(body(r)).containsEntry("error", "internal-error");
            assertThat(r.getBody()).doesNotContain("ParameterNotFound");
        } finally {
            clients.ssm(EU).putParameter(b -> b.name("/curfew/roster").type("String").value(roster));
        }
        assertThat(Account.read(alices)).isEqualTo(alicesBefore);
        assertThat(Account.read(clients)).isEqualTo(homeBefore);
    }

    @Test
    void aCallerOfAnAccountNoStudentHasIsRefusedAndNothingIsMadeAnywhere() throws Exception {
        Account homeBefore = Account.read(clients);
        Account alicesBefore = Account.read(alices);
        Account strangersBefore = Account.read(strangers);

        APIGatewayV2HTTPResponse r = call("launcher-launch.json", "arn:aws:iam::" + STRANGERS + ":user/alice",
                STRANGERS, LAUNCH);

        assertThat(r.getStatusCode()).as(r.getBody()).isEqualTo(403);
        assertThat(body(r)).containsEntry("error", "account-not-enrolled").containsEntry("account", STRANGERS);
        assertThat((String) body(r).get("message")).contains("account " + STRANGERS + " is not enrolled");
        assertThat(Account.read(clients)).isEqualTo(homeBefore);
        assertThat(Account.read(alices)).isEqualTo(alicesBefore);
        assertThat(Account.read(strangers)).isEqualTo(strangersBefore);
    }
}
