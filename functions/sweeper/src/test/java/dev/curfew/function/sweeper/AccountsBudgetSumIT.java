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
import dev.curfew.core.budget.CourseWeek;
import io.micronaut.context.ApplicationContext;
import io.micronaut.json.JsonMapper;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
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
    static final String ALICE = AccountsFixture.ALICE;
    static final String BOB = AccountsFixture.BOB;
    static final String EU = AccountsFixture.EU;
    static final String RESULTS = "it-sum-results";
    static final String E1 = "arn:aws:states:eu-west-1:123456789012:execution:it-accounts:sum";

    final FakeSlack slack = new FakeSlack();
    final JsonMapper json = JsonMapper.createDefault();
    AwsClients alice;
    AccountStepsHandler handler;
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
        if (handler != null) {
            handler.close();
        }
        alice.close();
        slack.close();
    }

    AccountStepsHandler handler(String mode) {
        Map<String, Object> p = AccountsFixture.properties(moto, mode, "accounts-spend-policy.yaml", slack, RESULTS);
        p.put("curfew.cost-explorer", "on");
        handler = new AccountStepsHandler(ApplicationContext.builder().properties(p));
        return handler;
    }

    /** One pass: the list step, each account's worker (its row as the Map writes it), the summary. */
    @SuppressWarnings("unchecked")
    Map<String, Object> pass(AccountStepsHandler h, Map<String, Object> input, Map<String, Map<String, Object>> rows)
            throws Exception {
        String pass = String.valueOf(input.get("pass"));
        Map<String, Object> listed = h.handleRequest(Map.of("step", "list", "pass", pass, "input", input,
                "execution", E1 + pass), null);
        List<Map<String, Object>> results = new ArrayList<>();
        for (Map<String, Object> target : (List<Map<String, Object>>) listed.get("accounts")) {
            Map<String, Object> in = Map.of("step", "sweep", "pass", pass, "curfew", listed.get("curfew"),
                    "execution", E1 + pass, "target", target);
            Map<String, Object> row = h.handleRequest(in, null);
            rows.put(String.valueOf(target.get("account")), row);
            results.add(Map.of("Input", json.writeValueAsString(in), "Output", json.writeValueAsString(row),
                    "Status", "SUCCEEDED"));
        }
        Map<String, Object> in = AccountsFixture.summaryInput(clients, RESULTS, listed, E1 + pass, results,
                List.of());
        in.put("problems", List.of());
        return h.handleRequest(in, null);
    }

    static Map<String, Object> curfew() {
        return Map.of("pass", "curfew");
    }

    static Map<String, Object> idleCheck() {
        return Map.of("pass", "idle-check", "scheduled", Instant.now().plusSeconds(60).toString());
    }

    String overRecord() {
        try {
            return clients.ssm(EU).getParameter(b -> b.name("/curfew/it/budget/over/"
                    + CourseWeek.key(ZoneOffset.UTC, Instant.now()) + "/alice")).parameter().value();
        } catch (software.amazon.awssdk.services.ssm.model.ParameterNotFoundException e) {
            return null;
        }
    }

    List<String> toldOver() {
        return slack.requests().stream().map(FakeSlack.Request::body).filter(b -> b.contains("over your budget"))
                .toList();
    }

    @Test
    @SuppressWarnings("unchecked")
    void sixDollarsInEachOfTwoAccountsAgainstTenStopsHerInstancesInBothInTheSamePass() throws Exception {
        AccountStepsHandler h = handler("enforce");
        Map<String, Map<String, Object>> rows = new LinkedHashMap<>();

        Map<String, Object> out = pass(h, curfew(), rows);

        // stopped in both accounts by the summed figure, through each one's stop path, in this pass
        assertThat(new Seed(alice).state(EU, inHerAccount)).isEqualTo(InstanceStateName.STOPPED);
        assertThat(seed.state(EU, inTheClassAccount)).isEqualTo(InstanceStateName.STOPPED);
        assertThat((Map<String, Object>) out.get("budgets")).satisfies(b -> {
            assertThat((List<String>) b.get("over")).containsExactly("alice");
            assertThat((List<String>) b.get("stops")).hasSize(2).anySatisfy(x -> assertThat(x)
                    .contains(ALICE).contains(inHerAccount + " done")).anySatisfy(x -> assertThat(x)
                    .contains(AccountsFixture.HOME).contains(inTheClassAccount + " done"));
            assertThat((List<String>) b.get("partial")).singleElement().asString().contains(BOB)
                    .contains("unreachable").contains("not in the sums");
        });
        // neither account's own step found her over ($6.00 of $10.00 each)
        assertThat(String.valueOf(rows.get(ALICE).get("rows"))).doesNotContain("over budget");
        // recorded for the launcher and told once, with the sum
        assertThat(overRecord()).contains("weekDollars=12.0000");
        assertThat(toldOver()).singleElement().asString().contains("$12.00 of your $10.00");

        // the next pass: still over, told no more; what she starts again is stopped by each account's own step
        slack.clear();
        alice.ec2(EU).startInstances(b -> b.instanceIds(inHerAccount));
        rows.clear();
        Map<String, Object> next = pass(h, idleCheck(), rows);
        assertThat(new Seed(alice).state(EU, inHerAccount)).isEqualTo(InstanceStateName.STOPPED);
        assertThat(String.valueOf(rows.get(ALICE).get("rows"))).contains(inHerAccount)
                .contains("$12.00 of your $10.00");
        assertThat((Map<String, Object>) next.get("budgets")).satisfies(b -> {
            assertThat((List<String>) b.get("over")).containsExactly("alice");
            assertThat((List<String>) b.get("stops")).as("each account's own step stopped her").isEmpty();
        });
        assertThat(toldOver()).as("told once a week, not at every pass or in every account").isEmpty();
    }

    @Test
    @SuppressWarnings("unchecked")
    void aDryRunRecordsTellsAndStopsNothingButSaysWhatWouldBeStopped() throws Exception {
        AccountStepsHandler h = handler("dry-run");
        Map<String, Map<String, Object>> rows = new LinkedHashMap<>();

        Map<String, Object> out = pass(h, curfew(), rows);

        assertThat(new Seed(alice).state(EU, inHerAccount)).isEqualTo(InstanceStateName.RUNNING);
        assertThat(seed.state(EU, inTheClassAccount)).isEqualTo(InstanceStateName.RUNNING);
        assertThat(overRecord()).isNull();
        assertThat(toldOver()).isEmpty();
        assertThat((Map<String, Object>) out.get("budgets")).satisfies(b -> {
            assertThat((List<String>) b.get("over")).containsExactly("alice");
            assertThat((List<String>) b.get("stops")).hasSize(2).allSatisfy(x -> assertThat(x).contains("would"));
        });
    }
}
