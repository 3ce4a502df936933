package dev.curfew.function.sweeper;

import static org.assertj.core.api.Assertions.assertThat;

import dev.curfew.aws.budget.BudgetRecords;
import dev.curfew.aws.testing.FakeSlack;
import dev.curfew.aws.testing.MotoTest;
import dev.curfew.aws.testing.Seed;
import dev.curfew.core.budget.CourseWeek;
import io.micronaut.json.JsonMapper;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ec2.model.Instance;

/**
 * A deployed sweeper has no spend bean of its own: the budget check weighs Curfew's estimate from what the sweep
 * listed. Three hours after an instance was launched, its owner is over a budget of one instance hour a week and the
 * instance is stopped; an instance launched by nobody on the roster is priced apart and stops nobody.
 */
class BudgetEstimateIT extends MotoTest {
    static final String POLICY = Path.of("src/test/resources/budget-hours-it-policy.yaml").toAbsolutePath()
            .toString();
    final FakeSlack slack = new FakeSlack();

    @BeforeEach
    void seed() {
        clients.secrets().createSecret(b -> b.name("curfew/slack-webhook").secretString(slack.webhookUrl()));
    }

    @AfterEach
    void close() {
        slack.close();
    }

    Map<String, String> states() {
        return clients.ec2(EU).describeInstances().reservations().stream().flatMap(r -> r.instances().stream())
                .collect(Collectors.toMap(Instance::instanceId, i -> i.state().nameAsString()));
    }

    @Test
    void theEstimateFromTheSweepStopsTheStudentOverHerBudget() throws Exception {
        String alice = seed.instance(EU, Seed.tags("curfew:owner", "alice"));
        String nobody = seed.instance(EU, Seed.tags("Name", "untagged"));
        Instant now = Instant.now().plus(Duration.ofHours(3));

        try (SweeperHandler h = Sweepers.handler(moto, "enforce", POLICY, slack, now)) {
            JsonMapper json = h.getApplicationContext().getBean(JsonMapper.class);
            h.handleRequest(Events.scheduled(json, "scheduled-idle-check.json"), null);
        }

        assertThat(states()).containsEntry(alice, "stopped").containsEntry(nobody, "running");
        String week = CourseWeek.key(ZoneOffset.UTC, now);
        BudgetRecords r = new BudgetRecords(clients.ssm(EU), null);
        assertThat(r.over(week)).containsExactly("alice");
        assertThat(r.overRecord(week, "alice").weekInstanceHours()).as("hours in this week, from the launch time")
                .isGreaterThan(1.0).isLessThanOrEqualTo(3.1);
    }
}
