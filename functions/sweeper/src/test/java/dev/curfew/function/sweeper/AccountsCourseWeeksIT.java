package dev.curfew.function.sweeper;

import static dev.curfew.function.sweeper.AccountsFixture.ALICE;
import static dev.curfew.function.sweeper.AccountsFixture.BOB;
import static dev.curfew.function.sweeper.AccountsFixture.EU;
import static dev.curfew.function.sweeper.AccountsFixture.HOME;
import static org.assertj.core.api.Assertions.assertThat;

import dev.curfew.aws.AwsClients;
import dev.curfew.aws.testing.FakeSlack;
import dev.curfew.aws.testing.MotoAccounts;
import dev.curfew.aws.testing.MotoTest;
import dev.curfew.aws.testing.Seed;
import dev.curfew.core.budget.CourseWeek;
import dev.curfew.core.spend.RunHistory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.ec2.model.InstanceStateName;

/**
 * Course totals across weeks in the accounts state machine, through its real steps on the moto server: alice has an
 * account of her own. Last week she ran an instance for 1.5 hours in the class account and one for 1.5 hours in her
 * own account (both terminated since: only the sentinel's run records of that week know them), against a course
 * budget of two instance hours; this week an instance of hers runs in her own account. Neither account alone puts
 * her over; their sum does. The first pass of this week closes last week once with the summed figures (3 h), and the
 * course total stops her running instance in the same pass; a replay writes nothing. Before that, an account not
 * swept (bob's) leaves the week open and the summary says so, and what the others carried still counts. A dry run
 * writes nothing.
 */
class AccountsCourseWeeksIT extends MotoTest {
    static final String RESULTS = "it-weeks-results";
    static final String EXECUTION = "arn:aws:states:eu-west-1:123456789012:execution:it-accounts:weeks";

    @TempDir
    Path dir;
    final FakeSlack slack = new FakeSlack();
    AccountStepsHandler handler;
    AwsClients alice;
    String running;
    Instant lastWeek;

    @BeforeEach
    void seed() throws Exception {
        alice = MotoAccounts.clientsIn(moto, EU, ALICE);
        MotoAccounts.putEnrolmentKey(clients);
        clients.secrets().createSecret(b -> b.name("curfew/slack-webhook").secretString(slack.webhookUrl()));
        roster("");
        MotoAccounts.deployRole(alice);
        MotoAccounts.nextSecond();
        clients.s3().createBucket(b -> b.bucket(RESULTS).createBucketConfiguration(c -> c.locationConstraint(EU)));
        running = new Seed(alice).instance(EU, Seed.tags("Name", "lab"));
        Instant now = Instant.now();
        lastWeek = CourseWeek.start(ZoneOffset.UTC, now).minus(Duration.ofDays(3));
        ran(RunHistory.HOME, "i-0aaaaaaaaaaaaaaa1", lastWeek);
        ran(ALICE, "i-0bbbbbbbbbbbbbbb1", lastWeek.plus(Duration.ofHours(5)));
    }

    @AfterEach
    void close() {
        alice.close();
        slack.close();
        if (handler != null) {
            handler.close();
        }
    }

    /** The roster: alice with her account, and {@code more}. */
    void roster(String more) {
        clients.ssm(EU).putParameter(b -> b.name("/curfew/roster").type("String").overwrite(true).value("""
                owner,name,email,slack,account
                alice,Alice,alice@example.edu,,111111111111
                """ + more));
    }

    /** A run of 1.5 hours of alice's as the sentinel records it (in the class account's SSM, by account). */
    void ran(String account, String instance, Instant from) {
        for (RunHistory.Kind kind : RunHistory.Kind.values()) {
            Instant at = kind == RunHistory.Kind.START ? from : from.plus(Duration.ofMinutes(90));
            clients.ssm(EU).putParameter(b -> b.name(RunHistory.name("it", ZoneOffset.UTC, new RunHistory.Transition(
                    account, EU, instance, at, kind, "t3.micro", "alice"))).value(RunHistory.value("t3.micro",
                    "alice")).type("String"));
        }
    }

    /** One curfew pass of the state machine's steps in {@code mode}: the summary step's answer. */
    Map<String, Object> pass(String mode) throws Exception {
        if (handler == null) {
            Path policy = dir.resolve("policy.yaml");
            Files.writeString(policy, """
                    course: Course weeks
                    time-zone: UTC
                    curfew: "18:00"
                    regions: [eu-west-1]
                    rules:
                      ec2-idle: {enabled: false}
                      ec2-forgotten: {enabled: false}
                      ec2-stopped: {enabled: false}
                    budgets:
                      course: 2h
                      course-start: %s
                    notifications:
                      roster: ssm:/curfew/roster
                      slack: {webhook-secret: curfew/slack-webhook}
                      instructor: {name: Dr Who}
                    """.formatted(CourseWeek.key(ZoneOffset.UTC, lastWeek)));
            Map<String, Object> p = Sweepers.properties(moto, mode, policy.toString(), slack.apiBase());
            p.put("curfew.accounts", HOME);
            p.put("curfew.stack-name", "it");
            p.put("curfew.accounts.results-bucket", RESULTS);
            handler = new AccountStepsHandler(io.micronaut.context.ApplicationContext.builder().properties(p));
        }
        return AccountsFixture.pass(handler, clients, RESULTS, EXECUTION, Map.of("pass", "curfew"),
                new LinkedHashMap<>(), new LinkedHashMap<>());
    }

    /** Every kept record of stack "it", name=value to version. */
    Map<String, Long> kept() {
        Map<String, Long> m = new TreeMap<>();
        for (var page : clients.ssm(EU).getParametersByPathPaginator(b -> b.path("/curfew/it/budget/spent")
                .recursive(true))) {
            page.parameters().forEach(p -> m.put(p.name() + "=" + p.value(), p.version()));
        }
        return m;
    }

    String week() {
        return CourseWeek.key(ZoneOffset.UTC, lastWeek);
    }

    @Test
    @SuppressWarnings("unchecked")
    void lastWeekSummedAcrossHerAccountsIsKeptOnceAndStopsHerThisWeek() throws Exception {
        // first with bob's account in the pass, his role not deployed: unreachable
        roster("bob,Bob,bob@example.edu,,222222222222\n");
        Map<String, Object> out = pass("enforce");

        assertThat(kept()).as("no week is closed without every account's figures").isEmpty();
        assertThat(String.valueOf(((Map<String, Object>) out.get("notifications")).get("problems")))
                .contains("the week of " + week() + " is not closed").contains(BOB).contains("unreachable");
        // what the accounts that reported carried still counts (at least 3 h): over her course budget, stopped in
        // this very pass
        assertThat(new Seed(alice).state(EU, running)).isEqualTo(InstanceStateName.STOPPED);

        // every account swept: the week is closed once, with the sum of both accounts (1.5 h + 1.5 h)
        roster("");
        alice.ec2(EU).startInstances(b -> b.instanceIds(running));
        pass("enforce");
        Map<String, Long> first = kept();
        assertThat(first).hasSize(2).containsKey("/curfew/it/budget/spent/" + week() + "/_closed=students=1");
        assertThat(first.keySet()).anySatisfy(k -> assertThat(k).startsWith("/curfew/it/budget/spent/" + week()
                + "/alice=dollars=").endsWith(" hours=3.000000"));
        assertThat(new Seed(alice).state(EU, running)).isEqualTo(InstanceStateName.STOPPED);
        assertThat(AccountsFixture.overRecord(clients, "alice")).contains("totalHours=3.");

        alice.ec2(EU).startInstances(b -> b.instanceIds(running));
        pass("enforce");
        assertThat(kept()).as("a replay closes nothing twice").isEqualTo(first)
                .allSatisfy((k, v) -> assertThat(v).isEqualTo(1L));
        assertThat(new Seed(alice).state(EU, running)).as("still over by the kept week")
                .isEqualTo(InstanceStateName.STOPPED);
    }

    @Test
    @SuppressWarnings("unchecked")
    void aDryRunWritesNothingAndSaysWhoWouldBeOver() throws Exception {
        Map<String, Object> out = pass("dry-run");

        assertThat(kept()).isEmpty();
        assertThat(AccountsFixture.overRecord(clients, "alice")).isNull();
        assertThat(new Seed(alice).state(EU, running)).isEqualTo(InstanceStateName.RUNNING);
        assertThat((java.util.List<String>) ((Map<String, Object>) out.get("budgets")).get("over"))
                .containsExactly("alice");
    }
}
