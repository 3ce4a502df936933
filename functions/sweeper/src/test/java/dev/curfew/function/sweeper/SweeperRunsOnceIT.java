package dev.curfew.function.sweeper;

import static dev.curfew.aws.testing.Seed.tags;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.curfew.aws.AwsClients;
import dev.curfew.aws.SweepLocks;
import dev.curfew.aws.testing.FakeSlack;
import dev.curfew.aws.testing.MotoServer;
import dev.curfew.aws.testing.Seed;
import dev.curfew.core.plan.CurfewTimes;
import dev.curfew.core.policy.PolicyLoader;
import io.micronaut.context.ApplicationContext;
import io.micronaut.json.JsonMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ec2.model.InstanceStateName;
import software.amazon.awssdk.services.ssm.model.ParameterNotFoundException;

/**
 * Exactly once, even when the event comes twice: two curfew sweeps of one account at once, a curfew event delivered
 * again after its run, a lock left by a run that died, a run that failed, the idle check, and the instructor's
 * summary claimed by another run; through the deployed handler, each run in a context of its own (as separate
 * Lambda sandboxes), against the emulator (EC2, SSM, Secrets Manager, SES) and a local Slack.
 */
class SweeperRunsOnceIT {
    static final String EU = "eu-west-1";
    static final String STACK = "lock-test";
    static final String LEDGER = "/curfew/lock-test/last-summary";
    static final String POLICY = Path.of("src/test/resources/messages-it-policy.yaml").toAbsolutePath().toString();
    static final JsonMapper JSON = JsonMapper.createDefault();
    final MotoServer moto = MotoServer.get();
    final FakeSlack slack = new FakeSlack();
    final List<SweeperHandler> handlers = new ArrayList<>();
    AwsClients clients;
    Seed seed;
    Instant curfew;
    String alice1;
    String bob1;
    String aliceVolume;

    @BeforeEach
    void seed() throws Exception {
        moto.reset();
        slack.clear();
        if (clients != null) {
            clients.close();
        }
        clients = new AwsClients(moto.settings(EU));
        seed = new Seed(clients);
        curfew = Sweepers.nextCurfew(POLICY);
        alice1 = seed.instance(EU, tags("curfew:owner", "alice"));
        bob1 = seed.instance(EU, tags("curfew:owner", "bob"));
        aliceVolume = Sweepers.markedVolume(clients, "alice", curfew); // due before the curfew pass
        clients.ssm(EU).putParameter(b -> b.name(LEDGER).type("String").value("never"));
        Sweepers.messaging(clients, slack);
    }

    @AfterEach
    void close() {
        handlers.forEach(SweeperHandler::close);
        handlers.clear();
        clients.close();
        clients = null;
        slack.close();
    }

    /** A handler in a context of its own, as a Lambda sandbox of the deployed stack (enforce) has. */
    SweeperHandler handler(Map<String, Object> extra) {
        Map<String, Object> p = Sweepers.properties(moto, "enforce", POLICY, slack.apiBase());
        p.put("curfew.now", curfew.plus(Duration.ofMinutes(1)).toString());
        p.put("curfew.stack-name", STACK);
        p.put("curfew.summary-parameter", LEDGER);
        p.putAll(extra);
        SweeperHandler h = new SweeperHandler(ApplicationContext.builder().properties(p));
        handlers.add(h);
        return h;
    }

    static Map<String, Object> run(SweeperHandler h, String pass) throws Exception {
        JsonMapper json = h.getApplicationContext().getBean(JsonMapper.class);
        return h.handleRequest(Events.scheduled(json, "scheduled-" + pass + ".json"), null);
    }

    static String compact(Instant t) {
        return java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(java.time.ZoneOffset.UTC)
                .format(t);
    }

    String lockName() {
        return SweepLocks.prefix(STACK) + "/curfew/" + compact(curfew);
    }

    String parameter(String name) {
        try {
            return clients.ssm(EU).getParameter(b -> b.name(name)).parameter().value();
        } catch (ParameterNotFoundException e) {
            return null;
        }
    }

    /** The emails SES accepted ("to: subject", sorted), from moto's whole state (some MB: EC2's default AMIs). */
    @SuppressWarnings("unchecked")
    List<String> emails() throws java.io.IOException {
        Map<String, Object> ses = (Map<String, Object>) JSON.readValue(moto.data(), Map.class).get("ses");
        List<Map<String, Object>> m = ses == null || ses.get("Message") == null ? List.of()
                : (List<Map<String, Object>>) ses.get("Message");
        return m.stream().map(e -> ((List<?>) ((Map<?, ?>) e.get("destinations")).get("ToAddresses")).get(0) + ": "
                + e.get("subject")).sorted().toList();
    }

    long snapshotsOf(String volume) {
        return clients.ec2(EU).describeSnapshots(b -> b.filters(f -> f.name("volume-id").values(volume)))
                .snapshots().stream().filter(s -> volume.equals(s.volumeId())).count();
    }

    boolean volumeExists(String volume) {
        return clients.ec2(EU).describeVolumes().volumes().stream().anyMatch(v -> v.volumeId().equals(volume));
    }

    /** What a curfew pass leaves behind, free of the ids a seed makes: states, snapshots, messages. */
    Map<String, Object> outcome() throws java.io.IOException {
        Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("alice1", seed.state(EU, alice1));
        m.put("bob1", seed.state(EU, bob1));
        m.put("volume there", volumeExists(aliceVolume));
        m.put("snapshots of the volume", snapshotsOf(aliceVolume));
        m.put("slack posts", slack.requests("/hook").size());
        m.put("slack summaries", slack.requests("/hook").stream().filter(r -> r.body().contains("Curfew summary"))
                .count());
        m.put("emails", emails());
        m.put("ledger", parameter(LEDGER));
        return m;
    }

    @Test
    @SuppressWarnings("unchecked")
    void twoSweepsOfTheSameAccountAtOnceOneActsTheOtherStandsAsideAndTheEndIsThatOfOneSweep() throws Exception {
        // what one sweep alone does to this account
        run(handler(Map.of()), "curfew");
        Map<String, Object> alone = outcome();
        assertThat(alone).containsEntry("alice1", InstanceStateName.TERMINATED)
                .containsEntry("snapshots of the volume", 1L).containsEntry("volume there", false)
                .containsEntry("slack summaries", 1L).containsEntry("ledger", curfew.toString());
        assertThat((List<String>) alone.get("emails")).hasSize(3);

        // the same account again, and two sweeps of it started at the same moment
        handlers.forEach(SweeperHandler::close);
        handlers.clear();
        seed();
        SweeperHandler first = handler(Map.of());
        SweeperHandler second = handler(Map.of());
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        List<Map<String, Object>> outs = new ArrayList<>();
        try {
            List<Future<Map<String, Object>>> runs = new ArrayList<>();
            for (SweeperHandler h : List.of(first, second)) {
                runs.add(pool.submit(() -> {
                    go.await();
                    return run(h, "curfew");
                }));
            }
            go.countDown();
            for (Future<Map<String, Object>> f : runs) {
                outs.add(f.get(120, TimeUnit.SECONDS));
            }
        } finally {
            pool.shutdownNow();
        }

        List<Map<String, Object>> acted = outs.stream().filter(o -> !o.containsKey("stoodAside")).toList();
        List<Map<String, Object>> aside = outs.stream().filter(o -> o.containsKey("stoodAside")).toList();
        assertThat(acted).as("one acts").hasSize(1);
        assertThat(aside).as("the other stands aside").singleElement().satisfies(o -> {
            // it found the other run still at work: the two really overlapped
            assertThat(o.get("stoodAside")).asString().startsWith("another curfew sweep of account 123456789012 "
                    + "for the curfew of " + curfew + " holds the lock since ").endsWith("nothing was done or sent");
            assertThat(o).containsEntry("pass", "curfew").containsEntry("mode", "enforce")
                    .containsEntry("course", "Cloud Computing 101").containsEntry("lock", lockName())
                    .doesNotContainKeys("resources", "notifications");
        });
        assertThat(acted.get(0).get("lock")).asString().startsWith(lockName() + ": kept until ");
        assertThat(outcome()).as("the end state and the messages of one sweep").isEqualTo(alone);
        assertThat(parameter(lockName())).endsWith(" finished");
    }

    @Test
    void theSameCurfewEventDeliveredAgainAfterItsRunFinishedStandsAsideAndChangesNothing() throws Exception {
        Instant yesterday = CurfewTimes.latest(PolicyLoader.load(Files.readString(Path.of(POLICY)), "t"),
                curfew.minusSeconds(1));
        String yesterdays = lockName().replace(compact(curfew), compact(yesterday));
        clients.ssm(EU).putParameter(b -> b.name(yesterdays).type("String").value("yesterday finished"));

        Map<String, Object> out = run(handler(Map.of()), "curfew");
        assertThat(parameter(yesterdays)).as("the lock of the curfew before, kept then, is gone").isNull();
        assertThat(out).doesNotContainKey("stoodAside");
        Map<String, Object> after = outcome();
        // the summary was claimed, recorded, and the claim released after the ledger was written
        assertThat(after).containsEntry("slack summaries", 1L).containsEntry("ledger", curfew.toString());
        assertThat(parameter(LEDGER + "-sending")).isNull();
        String kept = parameter(lockName());
        bob1 = seed.instance(EU, tags("curfew:owner", "bob")); // would be terminated by a second sweep

        Map<String, Object> again = run(handler(Map.of()), "curfew");

        assertThat(again.get("stoodAside")).asString().startsWith("the curfew sweep of account 123456789012 for "
                + "the curfew of " + curfew + " finished at ").contains("its lock is kept until");
        assertThat(seed.state(EU, bob1)).isEqualTo(InstanceStateName.RUNNING);
        after.put("bob1", InstanceStateName.RUNNING);
        assertThat(outcome()).as("no second snapshot, no message").isEqualTo(after);
        assertThat(parameter(lockName())).isEqualTo(kept);
    }

    @Test
    void aLockLeftByARunThatDiedStandsTheNextRunAsideUntilItLapsesThenItIsTakenOver() throws Exception {
        clients.ssm(EU).putParameter(b -> b.name(lockName()).type("String").value("run-that-died"));

        Map<String, Object> blocked = run(handler(Map.of()), "curfew");
        assertThat(blocked.get("stoodAside")).asString().startsWith("another curfew sweep of account "
                + "123456789012 for the curfew of " + curfew + " holds the lock since ");
        assertThat(seed.state(EU, alice1)).isEqualTo(InstanceStateName.RUNNING);
        assertThat(slack.requests()).isEmpty();
        assertThat(emails()).isEmpty();

        Thread.sleep(1_500); // a lifetime of one second has passed
        Map<String, Object> out = run(handler(Map.of("curfew.sweeper.lock-seconds", "1")), "curfew");

        assertThat(out).doesNotContainKey("stoodAside");
        assertThat(out.get("lock")).asString().startsWith(lockName() + " (took over a lapsed lock written at ");
        assertThat(seed.state(EU, alice1)).isEqualTo(InstanceStateName.TERMINATED);
        assertThat(parameter(SweepLocks.prefix(STACK) + "-taken/run-that-died")).isNotNull();
        assertThat(parameter(lockName())).isNotEqualTo("run-that-died").endsWith(" finished");
    }

    @Test
    void aRunThatFailedReleasesItsLockSoThatTheRetryRuns() throws Exception {
        SweeperHandler failing = handler(Map.of("curfew.test.sweep-fails", "true"));
        assertThatThrownBy(() -> run(failing, "curfew")).hasMessageContaining("the sweep failed half-way");
        assertThat(parameter(lockName())).as("released").isNull();

        Map<String, Object> retry = run(handler(Map.of()), "curfew");

        assertThat(retry).doesNotContainKey("stoodAside");
        assertThat(seed.state(EU, alice1)).isEqualTo(InstanceStateName.TERMINATED);
    }

    @Test
    void theIdleCheckHoldsItsLockWhileItRunsAndReleasesItAtTheEnd() throws Exception {
        String lock = SweepLocks.prefix(STACK) + "/idle-check";
        clients.ssm(EU).putParameter(b -> b.name(lock).type("String").value("an-idle-check-at-work"));
        assertThat(run(handler(Map.of()), "idle-check").get("stoodAside")).asString()
                .startsWith("another idle check of account 123456789012 holds the lock since ");
        clients.ssm(EU).deleteParameter(b -> b.name(lock));

        Map<String, Object> out = run(handler(Map.of()), "idle-check");
        Map<String, Object> next = run(handler(Map.of()), "idle-check");

        assertThat(out.get("lock")).asString().isEqualTo(lock + ": released at the end (a repeated idle check only "
                + "finds what is idle now)");
        assertThat(next).doesNotContainKey("stoodAside");
        assertThat(parameter(lock)).isNull();
    }

    @Test
    void theCurfewRunDeletesTheSentinelsRecordsOlderThanTheRetentionAndADryRunDeletesNone() throws Exception {
        String told = dev.curfew.aws.sentinel.SentinelAws.limitsToldName(STACK, EU, "i-0123456789abcdef0", "type");
        String interruption = dev.curfew.aws.sentinel.SentinelAws.interruptionToldName(STACK, EU, "i-0123");
        String welcomed = dev.curfew.aws.sentinel.SentinelAws.welcomedPrefix(STACK) + "alice";
        String runRecord = dev.curfew.core.spend.RunHistory.prefix(STACK) + "2026-11-23/home/eu-west-1/i-0123/1-start";
        for (String name : List.of(told, interruption, welcomed, runRecord)) {
            clients.ssm(EU).putParameter(b -> b.name(name).type("String").value("told"));
        }
        Thread.sleep(1_100); // SSM dates a parameter to the second: now it is older than a retention of 0 days

        run(handler(Map.of("curfew.mode", "dry-run", "curfew.sweeper.told-retention-days", "0")), "curfew");
        assertThat(parameter(told)).as("a dry run deletes nothing").isEqualTo("told");
        run(handler(Map.of()), "idle-check");
        assertThat(parameter(told)).as("only the curfew pass prunes").isEqualTo("told");
        run(handler(Map.of()), "curfew");
        assertThat(parameter(told)).as("30 days by default: kept").isEqualTo("told");
        clients.ssm(EU).deleteParameter(b -> b.name(lockName()));

        run(handler(Map.of("curfew.sweeper.told-retention-days", "0")), "curfew");

        assertThat(parameter(told)).isNull();
        assertThat(parameter(interruption)).isNull();
        assertThat(parameter(welcomed)).as("welcomes are one per owner: kept").isEqualTo("told");
        assertThat(parameter(runRecord)).as("run records: 35 days at least (weeks over are closed from them)")
                .isEqualTo("told");
    }

    @Test
    void aDryRunTakesNoLockAndSaysSo() throws Exception {
        Map<String, Object> out = run(handler(Map.of("curfew.mode", "dry-run")), "curfew");

        assertThat(out).containsEntry("lock", "none: a dry run writes nothing, not even a lock");
        assertThat(parameter(lockName())).isNull();
    }

    @Test
    @SuppressWarnings("unchecked")
    void whileAnotherRunIsSendingTheSummaryItIsNotSentAgainButTheOwnersStillHear() throws Exception {
        // another run read the same old ledger and claimed the summary a moment ago (it is sending it now)
        clients.ssm(EU).putParameter(b -> b.name(LEDGER + "-sending").type("String").value(curfew + " other-run"));

        Map<String, Object> out = run(handler(Map.of()), "curfew");

        List<Map<String, Object>> deliveries = (List<Map<String, Object>>) ((Map<String, Object>) out
                .get("notifications")).get("deliveries");
        assertThat(deliveries).filteredOn(d -> "summary".equals(d.get("message"))).singleElement().satisfies(d -> {
            assertThat(d).containsEntry("status", "skipped");
            assertThat(d.get("detail")).asString().startsWith("another run is sending the summary for the curfew of ")
                    .endsWith("(" + LEDGER + "-sending)");
        });
        assertThat(slack.requests("/hook")).noneMatch(r -> r.body().contains("Curfew summary"));
        assertThat(emails()).noneMatch(e -> e.contains("summary"));
        assertThat(emails()).anyMatch(e -> e.startsWith("alice@example.edu: "));
        assertThat(parameter(LEDGER)).isEqualTo("never");
        assertThat(parameter(LEDGER + "-sending")).as("the other run's claim").isEqualTo(curfew + " other-run");
    }
}
