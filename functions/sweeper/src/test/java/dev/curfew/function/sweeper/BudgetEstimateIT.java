package dev.curfew.function.sweeper;

import static org.assertj.core.api.Assertions.assertThat;

import dev.curfew.aws.budget.BudgetRecords;
import dev.curfew.aws.testing.FakeSlack;
import dev.curfew.aws.testing.MotoTest;
import dev.curfew.aws.testing.Seed;
import dev.curfew.core.budget.CourseWeek;
import dev.curfew.core.spend.RunHistory;
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

    /** A run start or end as the sentinel records it (SentinelRunRecordsIT writes them from events). */
    void recorded(String instance, Instant at, RunHistory.Kind kind, String owner) {
        clients.ssm(EU).putParameter(b -> b.name(RunHistory.name(null, ZoneOffset.UTC, new RunHistory.Transition(
                RunHistory.HOME, EU, instance, at, kind, "t3.micro", owner))).value(RunHistory.value("t3.micro", owner))
                .type("String"));
    }

    /**
     * Alice ran an instance for 40 minutes and terminated it, and ran another for 40 minutes, stopped it and started
     * it again 10 minutes ago: EC2 shows only those 10 minutes, the sentinel's records the rest. 90 minutes are over
     * her hour, and the running instance is stopped.
     */
    @Test
    void stoppingAndStartingOrTerminatingDoesNotDodgeTheBudget() throws Exception {
        String running = seed.instance(EU, Seed.tags("curfew:owner", "alice"));
        Instant launched = Instant.now();
        Instant now = launched.plus(Duration.ofMinutes(10));
        Instant week = CourseWeek.start(ZoneOffset.UTC, now);
        if (now.minus(Duration.ofMinutes(100)).isBefore(week)) {
            now = week.plus(Duration.ofMinutes(110)); // early on Monday: the runs are this week's all the same
        }
        String gone = "i-0aaaaaaaaaaaaaaa1";
        recorded(gone, now.minus(Duration.ofMinutes(100)), RunHistory.Kind.START, "alice");
        recorded(gone, now.minus(Duration.ofMinutes(60)), RunHistory.Kind.END, "alice");
        recorded(running, now.minus(Duration.ofMinutes(55)), RunHistory.Kind.START, "alice");
        recorded(running, now.minus(Duration.ofMinutes(15)), RunHistory.Kind.END, "alice");

        try (SweeperHandler h = Sweepers.handler(moto, "enforce", POLICY, slack, now)) {
            JsonMapper json = h.getApplicationContext().getBean(JsonMapper.class);
            h.handleRequest(Events.scheduled(json, "scheduled-idle-check.json"), null);
        }

        assertThat(states()).containsEntry(running, "stopped");
        String key = CourseWeek.key(ZoneOffset.UTC, now);
        BudgetRecords r = new BudgetRecords(clients.ssm(EU), null);
        assertThat(r.over(key)).containsExactly("alice");
        double current = Duration.between(launched, now).toSeconds() / 3600.0;
        assertThat(r.overRecord(key, "alice").weekInstanceHours()).as("the recorded 80 minutes and the current run")
                .isCloseTo(current + 80 / 60.0, org.assertj.core.api.Assertions.within(0.02));
    }
}
