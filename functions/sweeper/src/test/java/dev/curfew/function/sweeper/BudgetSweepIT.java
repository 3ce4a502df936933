package dev.curfew.function.sweeper;

import static org.assertj.core.api.Assertions.assertThat;

import dev.curfew.aws.budget.BudgetRecords;
import dev.curfew.aws.testing.FakeSlack;
import dev.curfew.aws.testing.MotoTest;
import dev.curfew.aws.testing.Seed;
import dev.curfew.core.budget.CourseWeek;
import dev.curfew.core.budget.SpendSource;
import dev.curfew.core.spend.Spend;
import io.micronaut.json.JsonMapper;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ec2.model.Instance;

/**
 * Budgets in the sweeper on the emulator: at 100 % a student's running instances are stopped through the instance
 * stop path (never terminated; a kept one stays up), they are recorded over budget for the launcher, and the 50/80/100
 * messages go once a week; in dry-run nothing changes and nothing is recorded.
 */
class BudgetSweepIT extends MotoTest {
    static final String POLICY = Path.of("src/test/resources/budget-it-policy.yaml").toAbsolutePath().toString();
    static final Instant NOW = Instant.now();
    final FakeSlack slack = new FakeSlack();
    String aliceRunning;
    String aliceKept;
    String bob;
    String carol;

    /** alice is over her $10.00, carol at 85 %, bob at 20 %. */
    final SpendSource spend = (inventory, policy, now) -> {
        Instant week = CourseWeek.start(policy.timeZone(), now);
        return List.of(new Spend("alice", week, 10.50, 10.50, 60, 60, Spend.Source.ESTIMATE),
                new Spend("carol", week, 8.50, 8.50, 50, 50, Spend.Source.ESTIMATE),
                new Spend("bob", week, 2.00, 2.00, 10, 10, Spend.Source.ESTIMATE));
    };

    @BeforeEach
    void seed() {
        clients.secrets().createSecret(b -> b.name("curfew/slack-webhook").secretString(slack.webhookUrl()));
        aliceRunning = seed.instance(EU, Seed.tags("curfew:owner", "alice"));
        aliceKept = seed.instance(EU, Seed.tags("curfew:owner", "alice", "curfew:keep",
                NOW.atZone(ZoneOffset.UTC).toLocalDate().plusDays(2).toString()));
        bob = seed.instance(EU, Seed.tags("curfew:owner", "bob"));
        carol = seed.instance(EU, Seed.tags("curfew:owner", "carol"));
    }

    @AfterEach
    void close() {
        slack.close();
    }

    SweeperHandler handler(String mode) {
        return Sweepers.handler(moto, mode, POLICY, slack, NOW, spend);
    }

    Map<String, String> states() {
        return clients.ec2(EU).describeInstances().reservations().stream().flatMap(r -> r.instances().stream())
                .collect(Collectors.toMap(Instance::instanceId, i -> i.state().nameAsString()));
    }

    List<String> budgetMessages() {
        return slack.requests().stream().map(FakeSlack.Request::body).filter(b -> b.contains("of your budget"))
                .toList();
    }

    List<String> records() {
        return clients.ssm(EU).getParametersByPath(b -> b.path("/curfew/budget").recursive(true))
                .parameters().stream().map(x -> x.name()).sorted().toList();
    }

    @Test
    void inDryRunNothingIsStoppedRecordedOrToldAndInEnforceTheOverBudgetStudentIsStoppedOnce() throws Exception {
        Map<String, String> before = states();
        try (SweeperHandler h = handler("dry-run")) {
            JsonMapper json = h.getApplicationContext().getBean(JsonMapper.class);
            Map<String, Object> out = h.handleRequest(Events.scheduled(json, "scheduled-idle-check.json"), null);
            assertThat(String.valueOf(out.get("resources"))).as("it says what it would do")
                    .contains(aliceRunning).contains("over budget: this week: $10.50 of your $10.00");
        }
        assertThat(states()).isEqualTo(before);
        assertThat(records()).as("a dry run records nothing").isEmpty();
        assertThat(budgetMessages()).isEmpty();

        try (SweeperHandler h = handler("enforce")) {
            JsonMapper json = h.getApplicationContext().getBean(JsonMapper.class);
            h.handleRequest(Events.scheduled(json, "scheduled-idle-check.json"), null);
            Map<String, String> after = states();
            assertThat(after).containsEntry(aliceRunning, "stopped").containsEntry(aliceKept, "running")
                    .containsEntry(bob, "running").containsEntry(carol, "running");
            assertThat(after.values()).doesNotContain("terminated", "shutting-down");
            Map<String, String> tags = clients.ec2(EU).describeTags(b -> b.filters(f -> f.name("resource-id")
                    .values(aliceRunning))).tags().stream().collect(Collectors.toMap(t -> t.key(), t -> t.value()));
            assertThat(tags.get("curfew:action")).as("the action record of the stop path").startsWith("stop@");

            String week = CourseWeek.key(ZoneOffset.UTC, NOW);
            BudgetRecords r = new BudgetRecords(clients.ssm(EU), null);
            assertThat(r.over(week)).containsExactly("alice");
            assertThat(r.overRecord(week, "ALICE").weekDollars()).isEqualTo(10.50);
            assertThat(r.told(week)).containsExactlyInAnyOrder("alice/50", "alice/80", "alice/100", "carol/50",
                    "carol/80");
            List<String> told = budgetMessages();
            assertThat(told).hasSize(2);
            assertThat(String.join("\n", told)).contains("You are over your budget")
                    .contains("this week: $10.50 of your $10.00").contains("You have used 80 % of your budget")
                    .contains("this week: $8.50 of your $10.00");

            // the curfew pass of the same week tells nobody again
            h.handleRequest(Events.scheduled(json, "scheduled-curfew.json"), null);
            assertThat(budgetMessages()).hasSize(2);
            assertThat(states().values()).doesNotContain("terminated", "shutting-down");
        }
    }
}
