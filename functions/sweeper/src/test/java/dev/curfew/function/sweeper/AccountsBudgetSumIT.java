package dev.curfew.function.sweeper;

import static dev.curfew.aws.testing.MotoServer.costDay;
import static dev.curfew.aws.testing.MotoServer.costGroup;
import static dev.curfew.aws.testing.MotoServer.costResult;
import static dev.curfew.aws.testing.Seed.tags;
import static dev.curfew.function.sweeper.AccountsFixture.ALICE;
import static dev.curfew.function.sweeper.AccountsFixture.BOB;
import static dev.curfew.function.sweeper.AccountsFixture.EU;
import static org.assertj.core.api.Assertions.assertThat;

import dev.curfew.aws.AwsClients;
import dev.curfew.aws.testing.FakeSlack;
import dev.curfew.aws.testing.MotoTest;
import dev.curfew.aws.testing.Seed;
import java.time.Instant;
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
 * A student's budget is theirs across the accounts of a pass, on the moto server: alice spends $6.00 in the class
 * account (her instance there, by the owner tag) and $6.00 in her own account (Cost Explorer's figures, asked once by
 * each list step), against a $10.00 budget; bob is enrolled without his role (not reached). Neither account's own step
 * finds her over. The summary step adds the accounts up ($12.00), records her over budget, tells her once, stops her
 * running instances in both accounts through each account's stop path, and says the sum is partial (bob's account);
 * the next pass stops what she starts again and tells her nothing more. In dry-run nothing is recorded, told or
 * stopped, and the output says what would be. The budget step only weighs, records and tells; each account's stops
 * run in their own stop step, and the class page and the summary are made after them: her instances show as stopped,
 * a stop that could not be made is said while the others are made, and a retried step tells and stops nothing twice.
 */
class AccountsBudgetSumIT extends MotoTest {
    static final String RESULTS = "it-sum-results";
    static final String PAGES = "it-sum-pages";

    /** The steps of the test's mode, each account's row of the last pass (by account), and Slack. */
    AccountStepsHandler handler;
    final Map<String, Map<String, Object>> rows = new LinkedHashMap<>();
    final FakeSlack slack = new FakeSlack();
    /** Alice's own account, and her instances in it and in the class account. */
    AwsClients alice;
    String inHerAccount;
    String inTheClassAccount;

    @BeforeEach
    void seed() {
        alice = AccountsFixture.enrolAlice(moto, clients, slack);
        clients.s3().createBucket(b -> b.bucket(RESULTS).createBucketConfiguration(c -> c.locationConstraint(EU)));
        clients.s3().createBucket(b -> b.bucket(PAGES).createBucketConfiguration(c -> c.locationConstraint(EU)));
        inHerAccount = new Seed(alice).instance(EU, tags("Name", "lab"));
        inTheClassAccount = seed.instance(EU, tags("Name", "lab", "curfew:owner", "alice"));
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        // each list step asks twice, in order: by linked account, then the class account by owner tag
        String byAccount = costResult(costDay(today, costGroup(ALICE, "6.00")));
        String byOwner = costResult(costDay(today, costGroup("curfew:owner$alice", "6.00")));
        moto.costExplorerAnswers(byAccount, byOwner, byAccount, byOwner);
    }

    @AfterEach
    void close() {
        alice.close();
        slack.close();
        handler.close();
    }

    /** One pass in {@code mode}; returns what the summary step says of the budgets. */
    @SuppressWarnings("unchecked")
    Map<String, Object> budgets(String mode, Map<String, Object> input) throws Exception {
        return (Map<String, Object>) pass(mode, input, () -> { }).summary().get("budgets");
    }

    /** One pass in {@code mode}, {@code beforeStops} run between the budget step and the stops. */
    AccountsFixture.Pass pass(String mode, Map<String, Object> input, Runnable beforeStops) throws Exception {
        if (handler == null) {
            handler = AccountsFixture.costExplorerOn(moto, mode, "accounts-spend-policy.yaml", slack, RESULTS,
                    "curfew.page-bucket", PAGES);
        }
        rows.clear();
        AccountsFixture.Pass p = AccountsFixture.run(handler, clients, RESULTS,
                "arn:aws:states:eu-west-1:123456789012:execution:it-accounts:sum-" + input.get("pass"), input,
                beforeStops);
        rows.putAll(p.rows());
        return p;
    }

    /** What the class page in the bucket says (one page per curfew day). */
    String page() {
        var listed = clients.s3().listObjectsV2(b -> b.bucket(PAGES).prefix("class-page/")).contents();
        assertThat(listed).hasSize(1);
        return clients.s3().getObjectAsBytes(b -> b.bucket(PAGES).key(listed.get(0).key())).asUtf8String();
    }

    List<String> summaries() {
        return slack.requests().stream().map(FakeSlack.Request::body).filter(b -> b.contains("Curfew summary"))
                .toList();
    }

    @SuppressWarnings("unchecked")
    static List<String> list(Map<String, Object> budgets, String key) {
        return (List<String>) budgets.get(key);
    }

    static Map<String, Object> curfew() {
        return Map.of("pass", "curfew");
    }

    static Map<String, Object> idleCheck() {
        return Map.of("pass", "idle-check", "scheduled", Instant.now().plusSeconds(60).toString());
    }

    String overRecord() {
        return AccountsFixture.overRecord(clients, "alice");
    }

    /** Her instance in her own account, and hers in the class account. */
    List<InstanceStateName> states() {
        return List.of(new Seed(alice).state(EU, inHerAccount), seed.state(EU, inTheClassAccount));
    }

    List<String> toldOver() {
        return slack.requests().stream().map(FakeSlack.Request::body).filter(b -> b.contains("over your budget"))
                .toList();
    }

    /**
     * Also: the budget step stops nothing, and the class page and the summary, made after the stops, show her two
     * instances as stopped, not as running (neither account's own step stopped them). Step Functions retries a step
     * that failed, and a Map's child may run twice: the budget step and each stop again tell nobody a second time and
     * stop nothing twice (the told records; the stop path acts only on what still runs).
     */
    @Test
    @SuppressWarnings("unchecked")
    void sixDollarsInEachOfTwoAccountsAgainstTenStopsHerInstancesInBothInTheSamePass() throws Exception {
        AccountsFixture.Pass p = pass("enforce", curfew(), () -> { });
        Map<String, Object> budgets = (Map<String, Object>) p.summary().get("budgets");

        // stopped in both accounts by the summed figure, through each one's stop path, in this pass
        assertThat(states()).containsOnly(InstanceStateName.STOPPED);
        assertThat(list(budgets, "over")).containsExactly("alice");
        assertThat(list(budgets, "stops")).hasSize(2)
                .anySatisfy(x -> assertThat(x).contains(ALICE).contains(inHerAccount + " done"))
                .anySatisfy(x -> assertThat(x).contains(AccountsFixture.HOME).contains(inTheClassAccount + " done"));
        assertThat(list(budgets, "partial")).singleElement().asString().contains(BOB).contains("unreachable")
                .contains("not in the sums");
        // neither account's own step found her over ($6.00 of $10.00 each)
        assertThat(String.valueOf(rows.get(ALICE).get("rows"))).doesNotContain("over budget");
        // recorded for the launcher and told once, with the sum
        assertThat(overRecord()).contains("weekDollars=12.0000");
        assertThat(toldOver()).singleElement().asString().contains("$12.00 of your $10.00");
        // the budget step stopped nothing: it handed one stop per account to the stops' Map, made after it
        assertThat(p.weighed()).containsEntry("stopping", true);
        assertThat(p.stopped()).hasSize(2).allSatisfy(x -> assertThat((List<Object>) x.get("rows"))
                .singleElement().satisfies(r -> assertThat((Map<String, Object>) r).containsEntry("outcome", "done")));
        // the page and the summary, made after the stops, show them stopped
        String page = page();
        assertThat(page).contains("<b>0</b><span>running now</span>")
                .contains("<b>2</b><span>stopped or removed by the last run</span>");
        assertThat(page.split(java.util.regex.Pattern.quote(BudgetStops.STOPPED), -1)).hasSize(3);
        assertThat(summaries()).singleElement().satisfies(b -> assertThat(b).contains("2 done")
                .doesNotContain("Budget stops not made"));

        // the budget step and each stop again (a retry): nobody told twice, nothing stopped twice
        Map<String, Object> again = handler.handleRequest(p.budgetsIn(), null);
        List<Map<String, Object>> stoppedAgain = new java.util.ArrayList<>();
        for (Map<String, Object> in : p.stopIns()) {
            stoppedAgain.add(handler.handleRequest(in, null));
        }
        assertThat(again).containsEntry("stopping", true);
        assertThat((Map<String, Object>) again.get("counts")).containsEntry("over", 1);
        assertThat(toldOver()).as("told once").hasSize(1);
        assertThat(stoppedAgain).hasSize(2).allSatisfy(x -> assertThat(x).containsEntry("status", "SWEPT")
                .containsEntry("rows", List.of()));
        assertThat(states()).containsOnly(InstanceStateName.STOPPED);

        // the next pass: still over, told no more; what she starts again is stopped by each account's own step
        slack.clear();
        alice.ec2(EU).startInstances(b -> b.instanceIds(inHerAccount));
        Map<String, Object> next = budgets("enforce", idleCheck());
        assertThat(new Seed(alice).state(EU, inHerAccount)).isEqualTo(InstanceStateName.STOPPED);
        assertThat(String.valueOf(rows.get(ALICE).get("rows"))).contains(inHerAccount)
                .contains("$12.00 of your $10.00");
        assertThat(list(next, "over")).containsExactly("alice");
        // each account's own step stopped her; the summary looks again (a retried summary must not skip a stop its
        // failed first attempt never made) and finds nothing left to stop
        assertThat(list(next, "stops")).as("each account's own step stopped her").isNotEmpty()
                .allSatisfy(line -> assertThat(String.valueOf(line)).endsWith("nothing running to stop"));
        assertThat(toldOver()).as("told once a week, not at every pass or in every account").isEmpty();
    }

    /**
     * Her own account cannot be reached when its stop runs (its role removed after the budget step): that stop is
     * said, in the summary step's answer, the summary and the page, and the class account's stop is made all the
     * same.
     */
    @Test
    @SuppressWarnings("unchecked")
    void oneAccountsStopThatFailsIsSaidAndTheOthersAreStillMade() throws Exception {
        AccountsFixture.Pass p = pass("enforce", curfew(), () -> alice.iam().deleteRole(b -> b.roleName(
                dev.curfew.core.enrol.Enrolment.ROLE_NAME)));

        assertThat(seed.state(EU, inTheClassAccount)).isEqualTo(InstanceStateName.STOPPED);
        assertThat(new Seed(alice).state(EU, inHerAccount)).isEqualTo(InstanceStateName.RUNNING);
        Map<String, Object> budgets = (Map<String, Object>) p.summary().get("budgets");
        assertThat(list(budgets, "notMade")).singleElement().asString().contains("account " + ALICE)
                .contains("unreachable");
        assertThat(list(budgets, "stops")).hasSize(2)
                .anySatisfy(x -> assertThat(x).contains(AccountsFixture.HOME).contains(inTheClassAccount + " done"));
        assertThat(summaries()).singleElement().satisfies(b -> assertThat(b).contains("Budget stops not made")
                .contains(ALICE));
        assertThat(page()).contains("account " + ALICE + " ([alice] over budget): unreachable");
    }

    @Test
    @SuppressWarnings("unchecked")
    void aDryRunRecordsTellsAndStopsNothingButSaysWhatWouldBeStopped() throws Exception {
        AccountsFixture.Pass p = pass("dry-run", curfew(), () -> { });
        Map<String, Object> budgets = (Map<String, Object>) p.summary().get("budgets");

        assertThat(states()).containsOnly(InstanceStateName.RUNNING);
        assertThat(toldOver()).isEmpty();
        assertThat(overRecord()).isNull();
        assertThat(list(budgets, "over")).containsExactly("alice");
        assertThat(list(budgets, "stops")).hasSize(2).allSatisfy(x -> assertThat(x).contains("would"));

        // an execution started before the budget step was its own reaches the summary without budgets: the summary
        // weighs them and makes the stops itself, as it did then
        Map<String, Object> started = new LinkedHashMap<>(p.budgetsIn());
        started.put("step", "summary");
        Map<String, Object> weighedHere = (Map<String, Object>) handler.handleRequest(started, null).get("budgets");
        assertThat(list(weighedHere, "over")).containsExactly("alice");
        assertThat(list(weighedHere, "stops")).hasSize(2).allSatisfy(x -> assertThat(x).contains("would"));
        assertThat(states()).containsOnly(InstanceStateName.RUNNING);

        // the budget step's answer cannot be read back: the summary says so, and still says the stops
        Map<String, Object> lost = new LinkedHashMap<>(p.weighed());
        lost.put("answer", Map.of("Bucket", RESULTS, "Key", "stops/gone.budgets.json"));
        started.put("budgets", lost);
        Map<String, Object> unread = (Map<String, Object>) handler.handleRequest(started, null).get("budgets");
        assertThat(list(unread, "notMade")).anySatisfy(x -> assertThat(x).contains("answer could not be read")
                .contains("stops/gone.budgets.json"));
        assertThat(list(unread, "over")).isEmpty();
        assertThat(list(unread, "stops")).hasSize(2);
    }
}
