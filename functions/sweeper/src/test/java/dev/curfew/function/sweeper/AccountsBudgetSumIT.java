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
 * stopped, and the output says what would be.
 */
class AccountsBudgetSumIT extends MotoTest {
    static final String RESULTS = "it-sum-results";

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
        if (handler == null) {
            handler = AccountsFixture.costExplorerOn(moto, mode, "accounts-spend-policy.yaml", slack, RESULTS);
        }
        rows.clear();
        Map<String, Object> out = AccountsFixture.pass(handler, clients, RESULTS,
                "arn:aws:states:eu-west-1:123456789012:execution:it-accounts:sum-" + input.get("pass"), input,
                new LinkedHashMap<>(), rows);
        return (Map<String, Object>) out.get("budgets");
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

    @Test
    void sixDollarsInEachOfTwoAccountsAgainstTenStopsHerInstancesInBothInTheSamePass() throws Exception {
        Map<String, Object> budgets = budgets("enforce", curfew());

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

    @Test
    void aDryRunRecordsTellsAndStopsNothingButSaysWhatWouldBeStopped() throws Exception {
        Map<String, Object> budgets = budgets("dry-run", curfew());

        assertThat(states()).containsOnly(InstanceStateName.RUNNING);
        assertThat(toldOver()).isEmpty();
        assertThat(overRecord()).isNull();
        assertThat(list(budgets, "over")).containsExactly("alice");
        assertThat(list(budgets, "stops")).hasSize(2).allSatisfy(x -> assertThat(x).contains("would"));
    }
}
