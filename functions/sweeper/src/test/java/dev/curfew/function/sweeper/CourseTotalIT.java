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
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ssm.model.Parameter;

/**
 * The course total counts earlier weeks: alice's instance of last week ran three hours and was terminated (only the
 * sentinel's run records of that week know it). The first pass of this week closes last week, keeping her figures,
 * and her course total (3 h and this week's minutes) is over her two-hour course budget: her running instance is
 * stopped. The same pass again writes nothing new, and pruning the budget records of past weeks keeps them.
 */
class CourseTotalIT extends MotoTest {
    static final String POLICY = Path.of("src/test/resources/course-budget-it-policy.yaml").toAbsolutePath()
            .toString();

    /** A run start or end as the sentinel records it. */
    void recorded(String instance, Instant at, RunHistory.Kind kind, String owner) {
        clients.ssm(EU).putParameter(b -> b.name(RunHistory.name(null, ZoneOffset.UTC, new RunHistory.Transition(
                RunHistory.HOME, EU, instance, at, kind, "t3.micro", owner))).value(RunHistory.value("t3.micro", owner))
                .type("String"));
    }

    /** Every record below /curfew/budget/spent, name to version. */
    Map<String, Long> kept() {
        Map<String, Long> m = new TreeMap<>();
        for (var page : clients.ssm(EU).getParametersByPathPaginator(b -> b.path("/curfew/budget/spent")
                .recursive(true))) {
            page.parameters().forEach((Parameter p) -> m.put(p.name() + "=" + p.value(), p.version()));
        }
        return m;
    }

    @Test
    void withStudentsOwnAccountsEnrolledTheSweeperReadsTheKeptWeeksButClosesNone() throws Exception {
        Instant now = Instant.now().plus(Duration.ofMinutes(10));
        Instant lastWeek = CourseWeek.start(ZoneOffset.UTC, now).minus(Duration.ofDays(3));
        recorded("i-0aaaaaaaaaaaaaaa1", lastWeek, RunHistory.Kind.START, "alice");
        recorded("i-0aaaaaaaaaaaaaaa1", lastWeek.plus(Duration.ofHours(3)), RunHistory.Kind.END, "alice");

        // recorded over budget by the state machine's sum (her own account's spend is not in this account's)
        String week = CourseWeek.key(ZoneOffset.UTC, now);
        BudgetRecords records = new BudgetRecords(clients.ssm(EU), null);
        records.markOver(week, "alice", new dev.curfew.core.spend.Spend("alice", CourseWeek.start(ZoneOffset.UTC, now),
                12.0, 12.0, 5.0, 5.0, dev.curfew.core.spend.Spend.Source.ESTIMATE));
        try (SweeperHandler h = Sweepers.handler(moto, "enforce", POLICY, new FakeSlack(), now,
                Map.of("curfew.student-accounts", "enrolled"))) {
            JsonMapper json = h.getApplicationContext().getBean(JsonMapper.class);
            h.handleRequest(Events.scheduled(json, "scheduled-idle-check.json"), null);

            assertThat(kept()).as("the state machine closes the weeks with every account's figures").isEmpty();
            assertThat(records.overRecord(week, "alice")).as("one account's spend never clears the sum's record")
                    .isNotNull();
        }
    }

    @Test
    void lastWeeksRunsCountInTheCourseTotalAndAReplayWritesNothing() throws Exception {
        String running = seed.instance(EU, Seed.tags("curfew:owner", "alice"));
        Instant now = Instant.now().plus(Duration.ofMinutes(10));
        Instant lastWeek = CourseWeek.start(ZoneOffset.UTC, now).minus(Duration.ofDays(3));
        recorded("i-0aaaaaaaaaaaaaaa1", lastWeek, RunHistory.Kind.START, "alice");
        recorded("i-0aaaaaaaaaaaaaaa1", lastWeek.plus(Duration.ofHours(3)), RunHistory.Kind.END, "alice");

        try (SweeperHandler h = Sweepers.handler(moto, "enforce", POLICY, new FakeSlack(), now)) {
            JsonMapper json = h.getApplicationContext().getBean(JsonMapper.class);
            h.handleRequest(Events.scheduled(json, "scheduled-idle-check.json"), null);
            Map<String, Long> first = kept();

            String week = CourseWeek.key(ZoneOffset.UTC, now);
            assertThat(new BudgetRecords(clients.ssm(EU), null).overRecord(week, "alice").totalInstanceHours())
                    .as("last week's 3 hours and this week's run").isGreaterThan(3.0).isLessThan(3.5);
            assertThat(clients.ec2(EU).describeInstances(b -> b.instanceIds(running)).reservations().get(0)
                    .instances().get(0).state().nameAsString()).isEqualTo("stopped");
            String closed = CourseWeek.key(ZoneOffset.UTC, lastWeek);
            assertThat(first.keySet()).anySatisfy(k -> assertThat(k).startsWith("/curfew/budget/spent/" + closed
                    + "/alice=dollars=0.0").endsWith(" hours=3.000000"))
                    .contains("/curfew/budget/spent/" + closed + "/_closed=students=1");

            h.handleRequest(Events.scheduled(json, "scheduled-idle-check.json"), null);
            assertThat(kept()).as("the same pass again writes nothing").isEqualTo(first).allSatisfy((k, v) ->
                    assertThat(v).isEqualTo(1L));
            // the curfew pass deletes the budget records of past weeks, never the kept figures
            new BudgetRecords(clients.ssm(EU), null).prune(CourseWeek.key(ZoneOffset.UTC, now.plus(Duration.ofDays(
                    70))));
            assertThat(kept()).isEqualTo(first);
        }
    }
}
