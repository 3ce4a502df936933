package dev.curfew.function.sweeper;

import static dev.curfew.aws.testing.MotoServer.costDay;
import static dev.curfew.aws.testing.MotoServer.costGroup;
import static dev.curfew.aws.testing.MotoServer.costResult;
import static dev.curfew.aws.testing.Seed.tags;
import static org.assertj.core.api.Assertions.assertThat;

import dev.curfew.aws.AwsClients;
import dev.curfew.aws.testing.FakeSlack;
import dev.curfew.aws.testing.MotoTest;
import dev.curfew.aws.testing.Seed;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ec2.model.InstanceStateName;

/**
 * Spend, budgets and the class page in the accounts state machine's curfew pass, on the moto server: the class account
 * (erin's instance) and alice's own account (a running instance and a kept one), bob enrolled without his role. Cost
 * Explorer is on: the list step asks it once for the pass (by linked account: alice's account billed $12.00; by owner
 * tag in the class account: erin $3.00) and hands each worker its own account's figures. Alice is over her $10.00:
 * in enforce her running instance is stopped in her account (never terminated; the kept one runs on), she is
 * recorded over budget for the launcher and told once; in dry-run nothing changes. The summary has every student's
 * spend and a link to one class page of every account, bob's listed as not reached.
 */
class AccountsSpendIT extends MotoTest {
    static final String HOME = AccountsFixture.HOME;
    static final String ALICE = AccountsFixture.ALICE;
    static final String BOB = AccountsFixture.BOB;
    static final String RESULTS = "it-spend-results";
    static final String PAGES = "it-spend-pages";
    static final String E1 = "arn:aws:states:eu-west-1:123456789012:execution:it-accounts:spend";

    AccountStepsHandler handler;
    /** The list step's answer of the last pass. */
    Map<String, Object> listed;
    final FakeSlack slack = new FakeSlack();
    AwsClients alice;
    String aliceLab;
    String aliceKept;
    String erinLab;

    @BeforeEach
    void seed() {
        alice = AccountsFixture.enrolAlice(moto, clients, slack, "erin,Erin,erin@example.edu,,");
        clients.s3().createBucket(b -> b.bucket(RESULTS).createBucketConfiguration(c -> c.locationConstraint(EU)));
        clients.s3().createBucket(b -> b.bucket(PAGES).createBucketConfiguration(c -> c.locationConstraint(EU)));
        Seed inAlice = new Seed(alice);
        aliceLab = inAlice.instance(EU, tags("Name", "lab"));
        aliceKept = inAlice.instance(EU, tags("Name", "kept", "curfew:keep",
                LocalDate.now(ZoneOffset.UTC).plusDays(2).toString()));
        erinLab = seed.instance(EU, tags("Name", "lab", "curfew:owner", "erin"));
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        // the list step's two requests, in order: by linked account, then the class account by owner tag
        moto.costExplorerAnswers(costResult(costDay(today, costGroup(ALICE, "12.00"), costGroup(BOB, "0.50"))),
                costResult(costDay(today, costGroup("curfew:owner$erin", "3.00"))));
    }

    @AfterEach
    void close() {
        handler.close();
        alice.close();
        slack.close();
    }

    AccountStepsHandler handler(String mode) {
        handler = AccountsFixture.costExplorerOn(moto, mode, "accounts-spend-policy.yaml", slack, RESULTS,
                "curfew.page-bucket", PAGES);
        return handler;
    }

    /** The whole curfew pass: the list step, each account's worker (rows as the Map writes them), the summary. */
    Map<String, Object> curfewPass(String mode, Map<String, Map<String, Object>> rows) throws Exception {
        listed = new LinkedHashMap<>();
        return AccountsFixture.pass(handler(mode), clients, RESULTS, E1, Map.of("pass", "curfew"), listed, rows);
    }

    String overRecord() {
        return AccountsFixture.overRecord(clients, "alice");
    }

    List<String> slackBodies(String containing) {
        return slack.requests().stream().map(FakeSlack.Request::body).filter(b -> b.contains(containing)).toList();
    }

    /** What the class page in the bucket says (one page per curfew day). */
    String page() {
        var listed = clients.s3().listObjectsV2(b -> b.bucket(PAGES).prefix("class-page/")).contents();
        assertThat(listed).hasSize(1);
        return clients.s3().getObjectAsBytes(b -> b.bucket(PAGES).key(listed.get(0).key())).asUtf8String();
    }

    @Test
    @SuppressWarnings("unchecked")
    void overHerBudgetAliceIsStoppedInHerOwnAccountToldOnceAndEveryoneIsOnTheSummaryAndThePage() throws Exception {
        Map<String, Map<String, Object>> rows = new LinkedHashMap<>();

        Map<String, Object> out = curfewPass("enforce", rows);

        // each worker carried its own account's billed figure, asked once by the list step
        assertThat((List<Map<String, Object>>) rows.get(ALICE).get("spend")).singleElement().satisfies(s -> assertThat(s)
                .containsEntry("student", "alice").containsEntry("weekDollars", 12.0)
                .containsEntry("source", "COST_EXPLORER"));
        assertThat((List<Map<String, Object>>) rows.get(HOME).get("spend")).anySatisfy(s -> assertThat(s)
                .containsEntry("student", "erin").containsEntry("weekDollars", 3.0));
        assertThat(rows.get(BOB)).containsEntry("status", "UNREACHABLE").doesNotContainKey("spend");
        // over budget: stopped through the stop path in her own account, never terminated; the kept one runs on
        Seed inAlice = new Seed(alice);
        assertThat(inAlice.state(EU, aliceLab)).isEqualTo(InstanceStateName.STOPPED);
        assertThat(inAlice.state(EU, aliceKept)).isEqualTo(InstanceStateName.RUNNING);
        assertThat(seed.state(EU, erinLab)).isEqualTo(InstanceStateName.RUNNING);
        // recorded for the launcher in the class account, under her roster name
        assertThat(overRecord()).contains("weekDollars=12.0000").contains("source=cost-explorer");
        assertThat(slackBodies("over your budget")).singleElement().satisfies(b -> assertThat(b)
                .contains("$12.00 of your $10.00"));
        // the summary: every student's spend, and the link to one page of every account
        assertThat(slackBodies("Curfew summary")).singleElement().satisfies(b -> assertThat(b)
                .contains("$12.00 of $10.00").contains("$3.00 of $10.00").contains("Open the class page")
                .contains(PAGES + "/class-page/"));
        // nothing failed; bob's account not reached leaves the budgets' sums partial, and the summary says so
        assertThat((List<String>) ((Map<String, Object>) out.get("notifications")).get("problems")).singleElement()
                .asString().startsWith("spend: The budgets' sums are partial: account " + BOB);
        String page = page();
        assertThat(page).contains("Alice").contains("Erin").contains("Bob").contains("$12.00").contains("$3.00")
                .contains("account " + ALICE).contains(BOB).contains("unreachable");

        // her account's worker again (a retry): still over budget, she is not told a second time
        slack.clear();
        assertThat(handler.handleRequest(Map.of("step", "sweep", "pass", "curfew", "curfew", listed.get("curfew"),
                "execution", E1, "target", ((List<Object>) listed.get("accounts")).get(1)), null))
                .containsEntry("status", "SWEPT");
        assertThat(slackBodies("over your budget")).isEmpty();
        assertThat(overRecord()).isNotNull();
    }

    @Test
    void aDryRunChangesNothingYetShowsTheSpendAndWritesThePage() throws Exception {
        Map<String, Map<String, Object>> rows = new LinkedHashMap<>();

        curfewPass("dry-run", rows);

        assertThat(new Seed(alice).state(EU, aliceLab)).isEqualTo(InstanceStateName.RUNNING);
        assertThat(overRecord()).isNull();
        assertThat(String.valueOf(rows.get(ALICE).get("rows"))).contains(aliceLab).contains("over budget");
        assertThat(slackBodies("over your budget")).isEmpty();
        assertThat(slackBodies("Curfew summary")).singleElement().satisfies(b -> assertThat(b)
                .contains("$12.00 of $10.00"));
        assertThat(page()).contains("Alice").contains("$12.00");
    }
}
