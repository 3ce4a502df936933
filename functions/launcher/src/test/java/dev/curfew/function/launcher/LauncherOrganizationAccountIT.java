package dev.curfew.function.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.curfew.aws.AwsClients;
import dev.curfew.aws.PolicySource;
import dev.curfew.aws.accounts.AccountSessions;
import dev.curfew.aws.accounts.OrganizationAccounts;
import dev.curfew.aws.accounts.UnitMembers;
import dev.curfew.aws.launch.AwsLaunchAccounts;
import dev.curfew.aws.testing.MotoTest;
import dev.curfew.aws.testing.MotoTest.OneAccount;
import dev.curfew.core.accounts.AccountTarget;
import dev.curfew.core.enrol.Enrolment;
import dev.curfew.core.policy.Policy;
import io.micronaut.json.JsonMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.organizations.OrganizationsClient;
import software.amazon.awssdk.services.organizations.model.OrganizationFeatureSet;

/**
 * A caller signed in to a member account of the policy's Organization unit (README, "Launch a spot instance"):
 * carol's account is in the unit and in her roster row, so the instance is made there as carol's; the lab account is
 * in the unit but no student has it, so the launch is refused naming it. A second launcher whose policy names a unit
 * that does not exist still serves alice's own account, which the roster names.
 */
@OneAccount
class LauncherOrganizationAccountIT extends MotoTest {
    static final String ALICES = "111111111111";
    static AccountSessions sessions;
    static String carols;
    static String labs;
    static LauncherHandler handler;
    static LauncherHandler brokenUnit;
    static JsonMapper json;
    static Path policy;
    static Path brokenPolicy;

    @BeforeAll
    static void start() throws Exception {
        OrganizationsClient org = clients.organizations();
        org.createOrganization(b -> b.featureSet(OrganizationFeatureSet.ALL));
        String root = org.listRoots().roots().get(0).id();
        String unit = org.createOrganizationalUnit(b -> b.parentId(root).name("class-2026")).organizationalUnit()
                .id();
        carols = org.createAccount(b -> b.accountName("carol").email("carol@school.example.edu"))
                .createAccountStatus().accountId();
        labs = org.createAccount(b -> b.accountName("lab").email("lab@school.example.edu"))
                .createAccountStatus().accountId();
        for (String a : List.of(carols, labs)) {
            org.moveAccount(b -> b.accountId(a).sourceParentId(root).destinationParentId(unit));
        }
        clients.ssm(EU).putParameter(b -> b.name("/curfew/roster").type("String").value("owner,name,email,account\n"
                + "alice,Alice,alice@example.org," + ALICES + "\ncarol,Carol,carol@example.org," + carols + "\n"));
        clients.ssm(EU).putParameter(b -> b.name("/curfew/enrolment-key").type("SecureString")
                .value(Base64.getEncoder().encodeToString(new byte[32])));
        sessions = new AccountSessions(clients, "curfew-test");
        for (String a : List.of(carols, labs, ALICES)) {
            {
                AwsClients c = in(a);
                c.ec2(EU).createKeyPair(b -> b.keyName("my-key"));
            }
        }
        Path dir = Files.createTempDirectory("launcher-org");
        policy = policy(dir, unit);
        brokenPolicy = policy(dir, "ou-zzzz-zzzzzzzz");
        handler = Launchers.handler(moto, Map.of("curfew.policy", policy.toString()));
        brokenUnit = Launchers.handler(moto, Map.of("curfew.policy", brokenPolicy.toString()));
        json = handler.getApplicationContext().getBean(JsonMapper.class);
    }

    static Path policy(Path dir, String unit) throws Exception {
        return Files.writeString(dir.resolve(unit + ".yaml"), """
                course: Cloud Computing 101
                time-zone: Europe/Amsterdam
                curfew: "18:00"
                accounts: ["123456789012"]
                notifications:
                  roster: ssm:/curfew/roster
                launcher:
                  allowed-types: [t3.micro]
                enrolment:
                  organization-unit: %s
                """.formatted(unit));
    }

    @AfterAll
    static void stop() {
        handler.close();
        brokenUnit.close();
        sessions.close();
    }

    /** Clients acting in {@code account} (moto: AssumeRole into the account the role ARN names). */
    static AwsClients in(String account) {
        return sessions.clients(new AccountTarget(account, null, AccountTarget.Source.ORGANIZATION));
    }

    static APIGatewayV2HTTPResponse launch(LauncherHandler h, String account, String user) throws Exception {
        APIGatewayV2HTTPEvent e = Events.read(json, "launcher-launch.json");
        e.getRequestContext().getAuthorizer().getIam().setUserArn("arn:aws:iam::" + account + ":user/" + user);
        e.getRequestContext().getAuthorizer().getIam().setAccountId(account);
        e.setBody(LauncherStudentAccountIT.LAUNCH);
        return h.handleRequest(e, null);
    }

    @Test
    void aMemberAccountTheRosterGivesCarolGetsTheInstanceThereAsCarols() throws Exception {
        Account homeBefore = Account.read(clients);

        APIGatewayV2HTTPResponse r = launch(handler, carols, "admin");

        assertThat(r.getStatusCode()).as(r.getBody()).isEqualTo(201);
        Map<String, Object> out = LauncherStudentAccountIT.body(r);
        assertThat(out).containsEntry("owner", "carol").containsEntry("account", carols);
        String id = (String) out.get("instanceId");
        {
            AwsClients c = in(carols);
            Instance i = c.ec2(EU).describeInstances(b -> b.instanceIds(id)).reservations().get(0).instances()
                    .get(0);
            assertThat(i.tags()).extracting(Tag::key, Tag::value)
                    .contains(org.assertj.core.groups.Tuple.tuple("curfew:owner", "carol"));
        }
        assertThat(Account.read(clients)).as("the class account").isEqualTo(homeBefore);
    }

    @Test
    void aMemberAccountNoStudentHasIsRefusedNamingItAndNothingIsMade() throws Exception {
        {
            AwsClients lab = in(labs);
            Account before = Account.read(lab);

            APIGatewayV2HTTPResponse r = launch(handler, labs, "carol");

            assertThat(r.getStatusCode()).as(r.getBody()).isEqualTo(403);
            Map<String, Object> out = LauncherStudentAccountIT.body(r);
            assertThat(out).containsEntry("error", "account-has-no-student").containsEntry("account", labs);
            assertThat((String) out.get("message")).contains("account " + labs, "Organization unit");
            assertThat(Account.read(lab)).isEqualTo(before);
        }
    }

    @Test
    void aUnitThatCannotBeListedLeavesTheRostersOwnAccountsServed() throws Exception {
        APIGatewayV2HTTPResponse r = launch(brokenUnit, ALICES, "alice");

        assertThat(r.getStatusCode()).as(r.getBody()).isEqualTo(201);
        assertThat(LauncherStudentAccountIT.body(r)).containsEntry("owner", "alice").containsEntry("account", ALICES);
    }

    @Test
    void aMemberAccountIsReachedAsTheUnitsWithTheOrganizationsExternalIdAndABrokenUnitLeavesTheRoster() {
        List<String> log = new java.util.ArrayList<>();
        AwsLaunchAccounts accounts = new AwsLaunchAccounts(sessions, null, new UnitMembers(new OrganizationAccounts(
                clients), java.time.Clock.systemUTC(), UnitMembers.TTL), log::add);
        Policy p = PolicySource.load(policy.toString(), List.of(), clients);

        AccountTarget carol = accounts.targetOf(p, carols).orElseThrow();

        assertThat(carol).isEqualTo(new AccountTarget(carols, "carol", AccountTarget.Source.ORGANIZATION));
        assertThat(sessions.externalId(carol)).isEqualTo(Enrolment.externalId(new byte[32],
                AccountSessions.ORGANIZATION_SUBJECT));
        assertThat(accounts.targetOf(p, labs)).contains(new AccountTarget(labs, null,
                AccountTarget.Source.ORGANIZATION));
        assertThat(accounts.targetOf(p, "999999999999")).isEmpty();
        assertThat(log).isEmpty();

        Policy broken = PolicySource.load(brokenPolicy.toString(), List.of(), clients);
        assertThat(accounts.targetOf(broken, ALICES)).contains(new AccountTarget(ALICES, "alice",
                AccountTarget.Source.ROSTER));
        assertThat(log).singleElement().asString().contains("ou-zzzz-zzzzzzzz", "account " + ALICES);
    }
}
