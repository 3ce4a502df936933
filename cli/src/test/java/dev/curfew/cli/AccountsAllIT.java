package dev.curfew.cli;

import static dev.curfew.aws.testing.Seed.tags;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.curfew.aws.AwsClients;
import dev.curfew.aws.testing.MotoAccounts;
import dev.curfew.aws.testing.Seed;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ec2.model.InstanceStateName;

/**
 * {@code curfew plan|apply --accounts all} on the moto server: the class account, alice's own account (enrolled, the
 * role deployed) and bob's (the role not deployed), as the instructor types it.
 */
class AccountsAllIT extends CurfewRuns {
    AwsClients alice;
    Path roster;
    Path policy;
    String now = Instant.now().plusSeconds(3 * 3600).toString();
    String lab;
    String mine;

    @BeforeEach
    void setUp() throws Exception {
        alice = MotoAccounts.clientsIn(moto, EU, "111111111111");
        MotoAccounts.putEnrolmentKey(clients);
        mine = new Seed(alice).instance(EU, tags("Name", "my-own-server"));
        MotoAccounts.deployRole(alice);
        MotoAccounts.nextSecond();
        lab = new Seed(alice).instance(EU, tags("Name", "lab"));
        roster = Files.createTempFile("roster", ".csv");
        Files.writeString(roster, """
                owner,name,email,account
                alice,Alice,alice@example.edu,111111111111
                bob,Bob,bob@example.edu,222222222222
                """);
        policy = Files.createTempFile("policy", ".yaml");
        Files.writeString(policy, """
                accounts: ["123456789012"]
                rules: {ec2-idle: {enabled: false}, ec2-forgotten: {max-lifetime: 1h}}
                """);
    }

    @AfterEach
    void tearDown() throws Exception {
        alice.close();
        Files.deleteIfExists(roster);
        Files.deleteIfExists(policy);
    }

    @Override
    List<String> options() {
        return List.of("--endpoint-url", moto.endpoint(), "--region", EU, "--regions", EU, "--roster",
                roster.toString(), "--policy", policy.toString(), "--now", now);
    }

    @Test
    void planThenApplyEveryAccountBobsMissingRoleIsHisLineAndTheExitCode() throws Exception {
        assertThat(curfew("plan", "--accounts", "all", "--account-threads", "2")).as(err).isEqualTo(1);
        assertThat(out.lines().filter(l -> l.startsWith("== "))).containsExactly(
                "== account 123456789012, class account: swept",
                "== account 111111111111 (alice), student's own account: swept",
                "== account 222222222222 (bob), student's own account: unreachable",
                "== spend (name, owner: this week / in total / instance hours this week, source; every account "
                        + "together)");
        assertThat(out).contains("Curfew can no longer reach account 222222222222: the curfew-access role is not "
                + "deployed").contains("3 accounts: 2 swept, 1 unreachable")
                .containsPattern(lab + " \\(lab\\) +eu-west-1 +alice .*terminate \\(dry-run\\)")
                .contains("out of scope: created");
        assertThat(new Seed(alice).state(EU, lab)).isEqualTo(InstanceStateName.RUNNING);

        assertThat(curfew("plan", "--accounts", "all", "--json")).isEqualTo(1);
        JsonNode accounts = new ObjectMapper().readTree(out).get("accounts");
        assertThat(accounts).hasSize(3);
        assertThat(accounts.get(1).get("owner").asText()).isEqualTo("alice");
        assertThat(accounts.get(1).get("report").get("account").asText()).isEqualTo("111111111111");
        assertThat(accounts.get(2).get("status").asText()).isEqualTo("unreachable");
        assertThat(accounts.get(2).get("report").isNull()).isTrue();

        assertThat(curfew("apply", "--accounts", "all")).isEqualTo(1);
        assertThat(new Seed(alice).state(EU, lab)).isEqualTo(InstanceStateName.TERMINATED);
        assertThat(new Seed(alice).state(EU, mine)).as("from before enrolment").isEqualTo(InstanceStateName.RUNNING);

        Files.writeString(roster, "owner,name,email,account\nalice,Alice,alice@example.edu,111111111111\n");
        assertThat(curfew("plan", "--accounts", "all")).as(out + err).isZero();
        assertThat(out).endsWith("2 accounts: 2 swept\n");
    }

    @Test
    void anOrganizationUnitThatCannotBeListedHidesNoOtherAccountAndIsNamedInTheReportAndTheExitCode()
            throws Exception {
        Files.writeString(roster, "owner,name,email,account\nalice,Alice,alice@example.edu,111111111111\n");
        Files.writeString(policy, """
                accounts: ["123456789012"]
                rules: {ec2-idle: {enabled: false}, ec2-forgotten: {max-lifetime: 1h}}
                enrolment: {organization-unit: ou-zzzz-zzzzzzzz}
                """);

        assertThat(curfew("plan", "--accounts", "all")).as(err).isEqualTo(1);

        assertThat(out.lines().filter(l -> l.startsWith("== "))).hasSize(4).startsWith(
                "== account 123456789012, class account: swept",
                "== account 111111111111 (alice), student's own account: swept");
        assertThat(out.lines().filter(l -> l.startsWith("== ")).toList().get(2)).startsWith("== not swept: the "
                + "Organization unit's accounts were not swept: enrolment.organization-unit \"ou-zzzz-zzzzzzzz\": ");
        assertThat(out).containsPattern(lab + " \\(lab\\) +eu-west-1 +alice .*terminate \\(dry-run\\)")
                .contains("2 accounts: 2 swept; 1 problem kept accounts out of the sweep");
        assertThat(err).contains("ou-zzzz-zzzzzzzz");

        assertThat(curfew("plan", "--accounts", "all", "--json")).isEqualTo(1);
        JsonNode json = new ObjectMapper().readTree(out);
        assertThat(json.get("accounts")).hasSize(2);
        assertThat(json.get("problems")).singleElement().satisfies(p -> assertThat(p.asText())
                .contains("ou-zzzz-zzzzzzzz"));
    }
}
