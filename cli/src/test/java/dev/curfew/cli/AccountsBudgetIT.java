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
 * {@code curfew plan|apply --accounts all} with budgets, on the moto server: alice runs an instance in the class
 * account and one in her own account (3 h each by {@code --now}), erin one in the class account; the course budget is
 * 5 instance hours. Only added up is alice over it: {@code plan} shows her summed spend and changes nothing;
 * {@code apply} stops her instances in her own account and in the class account (never terminates them); the page has
 * every account.
 */
class AccountsBudgetIT extends CurfewRuns {
    AwsClients alice;
    Path dir;
    Path roster;
    Path policy;
    String now = Instant.now().plusSeconds(3 * 3600).toString();
    String aliceOwn;
    String aliceClass;
    String erinClass;

    @BeforeEach
    void setUp() throws Exception {
        alice = MotoAccounts.clientsIn(moto, EU, MotoAccounts.ALICE);
        MotoAccounts.putEnrolmentKey(clients);
        MotoAccounts.deployRole(alice);
        MotoAccounts.nextSecond();
        aliceOwn = new Seed(alice).instance(EU, tags("Name", "lab"));
        aliceClass = seed.instance(EU, tags("Name", "class-lab", "curfew:owner", "alice"));
        erinClass = seed.instance(EU, tags("Name", "class-lab", "curfew:owner", "erin"));
        dir = Files.createTempDirectory("curfew-accounts");
        roster = Files.writeString(dir.resolve("roster.csv"), """
                owner,name,email,account
                alice,Alice,alice@example.edu,111111111111
                erin,Erin,erin@example.edu,
                """);
        policy = Files.writeString(dir.resolve("policy.yaml"), """
                accounts: ["123456789012"]
                time-zone: UTC
                rules: {ec2-idle: {enabled: false}, ec2-forgotten: {enabled: false}, ec2-stopped: {enabled: false}}
                budgets: {course: 5h}
                """);
    }

    @AfterEach
    void tearDown() {
        alice.close();
    }

    @Override
    List<String> options() {
        return List.of("--endpoint-url", moto.endpoint(), "--region", EU, "--regions", EU, "--roster",
                roster.toString(), "--policy", policy.toString(), "--now", now, "--stack", "curfew-it");
    }

    @Test
    void planShowsAlicesSpendSummedOverBothAccountsAgainstHerBudgetAndChangesNothing() throws Exception {
        Path page = dir.resolve("class.html");
        assertThat(curfew("plan", "--accounts", "all", "--html", page.toString())).as(err).isZero();

        assertThat(out).contains("== spend (name, owner: this week / in total / instance hours this week")
                .containsPattern("Alice, alice: \\$\\d+\\.\\d\\d / \\$\\d+\\.\\d\\d, 6\\.0 h of 5 h / 6\\.0 h, "
                        + "estimate, OVER BUDGET")
                .containsPattern("Erin, erin: \\$\\d+\\.\\d\\d / \\$\\d+\\.\\d\\d, 3\\.0 h of 5 h / 3\\.0 h, "
                        + "estimate\\n")
                .containsPattern(aliceOwn + " \\(lab\\) +eu-west-1 +alice .*stop \\(dry-run\\)")
                .contains("== budget stops by the sum across the accounts, account ")
                .containsPattern(aliceClass + " \\(class-lab\\) +eu-west-1 +alice .*stop \\(dry-run\\)")
                .doesNotContainPattern(erinClass + " .*stop")
                .endsWith("2 accounts: 2 swept\n");
        assertThat(new Seed(alice).state(EU, aliceOwn)).isEqualTo(InstanceStateName.RUNNING);
        assertThat(seed.state(EU, aliceClass)).isEqualTo(InstanceStateName.RUNNING);
        assertThat(Files.readString(page)).contains("<b>Alice</b>").contains("<b>Erin</b>")
                .contains("account " + MotoAccounts.ALICE).contains("6.0 h of 5 h").contains("over budget")
                .contains("2 accounts");

        assertThat(curfew("plan", "--accounts", "all", "--json")).as(err).isZero();
        JsonNode spend = new ObjectMapper().readTree(out).get("spend");
        assertThat(spend).hasSize(2);
        assertThat(spend.get(0).get("student").asText()).isEqualTo("alice");
        assertThat(spend.get(0).get("totalHours").asDouble()).isBetween(5.9, 6.1);
        assertThat(spend.get(0).get("courseLimit").asText()).isEqualTo("5h");
        assertThat(spend.get(0).get("overBudget").asBoolean()).isTrue();
        assertThat(spend.get(1).get("overBudget").asBoolean()).isFalse();
        assertThat(new ObjectMapper().readTree(out).get("budgetStops")).hasSize(1);
    }

    /** Bad input first: named, exit 2, nothing read or changed; then apply stops alice by the sum. */
    @Test
    void applyStopsAliceOverHerBudgetByTheSumInHerOwnAccountNeverTerminatingItAndBadInputChangesNothing() {
        assertThat(curfew("apply", "--accounts", "all", "--html", "/no/such/dir/class.html")).isEqualTo(2);
        assertThat(err).contains("--html /no/such/dir/class.html: the directory /no/such/dir does not exist");
        assertThat(curfew("apply", "--accounts", "all,111111111111")).isEqualTo(2);
        assertThat(err).contains("--accounts \"all,111111111111\": all sweeps every account and is given alone");
        assertThat(curfew("apply", "--accounts", "everyone")).isEqualTo(2);
        assertThat(err).contains("\"everyone\" is not an AWS account id");
        assertThat(out).isEmpty();
        assertThat(new Seed(alice).state(EU, aliceOwn)).isEqualTo(InstanceStateName.RUNNING);

        assertThat(curfew("apply", "--accounts", "all")).as(err).isZero();
        assertThat(out).containsPattern(aliceOwn + " \\(lab\\) +eu-west-1 +alice .*stop - done");
        assertThat(new Seed(alice).state(EU, aliceOwn)).isEqualTo(InstanceStateName.STOPPED);
        assertThat(out).containsPattern(aliceClass + " \\(class-lab\\) +eu-west-1 +alice .*stop - done");
        assertThat(seed.state(EU, aliceClass)).as("stopped by the sum in the class account too")
                .isEqualTo(InstanceStateName.STOPPED);
        assertThat(seed.state(EU, erinClass)).as("erin is under her budget").isEqualTo(InstanceStateName.RUNNING);
    }
}
