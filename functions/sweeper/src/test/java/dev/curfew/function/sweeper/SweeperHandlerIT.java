package dev.curfew.function.sweeper;

import static dev.curfew.aws.testing.Seed.tags;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.curfew.aws.testing.MotoTest;
import dev.curfew.core.sweep.AccountGuardException;
import dev.curfew.core.sweep.Outcome;
import io.micronaut.context.ApplicationContext;
import io.micronaut.json.JsonMapper;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.services.ec2.model.InstanceStateName;

/** The deployed handler, fed the sample events of events/, against the moto server. */
class SweeperHandlerIT extends MotoTest {
    SweeperHandler handler;
    String idle;
    String stopped;

    @BeforeEach
    void seed() {
        Instant now = Instant.now().plus(Duration.ofHours(3));
        idle = seed.instance(EU, tags("curfew:owner", "alice"));
        seed.metrics(EU, idle, now.minus(Duration.ofHours(2)), now, 0.5, 100);
        stopped = seed.instance(EU, tags("curfew:owner", "bob"));
        seed.stop(EU, stopped);
    }

    @AfterEach
    void close() {
        if (handler != null) {
            handler.close();
        }
    }

    private SweeperHandler handler(Map<String, Object> extra) {
        Map<String, Object> p = new HashMap<>();
        p.put("aws.endpoint-url", moto.endpoint());
        p.put("aws.region", EU);
        p.put("curfew.regions", EU);
        p.put("curfew.accounts", "123456789012");
        p.put("curfew.now", Instant.now().plus(Duration.ofHours(3)).toString());
        p.put("curfew.policy", java.nio.file.Path.of("src/test/resources/sweeper-it-policy.yaml").toAbsolutePath()
                .toString());
        p.putAll(extra);
        handler = new SweeperHandler(ApplicationContext.builder().properties(p));
        return handler;
    }

    private JsonMapper json() {
        return handler.getApplicationContext().getBean(JsonMapper.class);
    }

    @Test
    @SuppressWarnings("unchecked")
    void curfewEventInDryRunReportsAndChangesNothing() throws Exception {
        SweeperHandler h = handler(Map.of("curfew.mode", "dry-run"));
        Map<String, Object> event = Events.scheduled(json(), "scheduled-curfew.json");

        Map<String, Object> out = h.handleRequest(event, null);

        assertThat(out).containsEntry("pass", "curfew").containsEntry("mode", "dry-run");
        List<Map<String, Object>> rows = (List<Map<String, Object>>) out.get("resources");
        assertThat(rows).hasSize(2);
        assertThat(rows).anySatisfy(r -> assertThat(r).containsEntry("id", idle).containsEntry("decision", "stop")
                .containsEntry("outcome", "would"));
        assertThat(seed.state(EU, idle)).isEqualTo(InstanceStateName.RUNNING);
        assertThat(seed.state(EU, stopped)).isEqualTo(InstanceStateName.STOPPED);
        assertThat((Map<String, Object>) out.get("apiCalls")).containsKeys("ec2:DescribeInstances",
                "cloudwatch:GetMetricData", "sts:GetCallerIdentity");
    }

    @Test
    void idleCheckEventInEnforceStopsTheIdleInstance() throws Exception {
        SweeperHandler h = handler(Map.of("curfew.mode", "enforce"));

        Map<String, Object> out = h.handleRequest(Events.scheduled(json(), "scheduled-idle-check.json"), null);

        assertThat(out).containsEntry("pass", "idle-check").containsEntry("mode", "enforce");
        assertThat(seed.state(EU, idle)).isEqualTo(InstanceStateName.STOPPED);
    }

    @Test
    void snapStartPrimingMakesOneReadOnlyCallAndChangesNothingEvenInEnforce() throws Exception {
        SweeperHandler h = handler(Map.of("curfew.mode", "enforce"));
        SweepService service = h.getApplicationContext().getBean(SweepService.class);

        assertThat(service.priming().prime()).isTrue();

        assertThat(service.calls()).containsOnlyKeys("sts:GetCallerIdentity");
        assertThat(seed.state(EU, idle)).isEqualTo(InstanceStateName.RUNNING);
        assertThat(seed.state(EU, stopped)).isEqualTo(InstanceStateName.STOPPED);
        assertThat(clients.ec2(EU).describeInstances(b -> b.instanceIds(idle, stopped)).reservations().stream()
                .flatMap(r -> r.instances().stream()).flatMap(i -> i.tags().stream()).map(t -> t.key()))
                .containsOnly("curfew:owner");
    }

    @Test
    void aTrippedBreakerActsOnNothingAndLogsTheLineTheAlarmCounts() throws Exception {
        List<String> logged = new java.util.concurrent.CopyOnWriteArrayList<>();
        var probe = new org.apache.logging.log4j.core.appender.AbstractAppender("breaker-probe", null, null, true,
                org.apache.logging.log4j.core.config.Property.EMPTY_ARRAY) {
            @Override
            public void append(org.apache.logging.log4j.core.LogEvent e) {
                logged.add(e.getMessage().getFormattedMessage());
            }
        };
        probe.start();
        var logger = (org.apache.logging.log4j.core.Logger) org.apache.logging.log4j.LogManager
                .getLogger(SweepService.class);
        logger.addAppender(probe);
        try {
            SweeperHandler h = handler(Map.of("curfew.mode", "enforce", "curfew.policy", java.nio.file.Path.of(
                    "src/test/resources/sweeper-it-breaker-policy.yaml").toAbsolutePath().toString()));

            h.handleRequest(Events.scheduled(json(), "scheduled-idle-check.json"), null);

            assertThat(seed.state(EU, idle)).isEqualTo(InstanceStateName.RUNNING);
            assertThat(logged).anySatisfy(l -> assertThat(l).startsWith(SweepService.BREAKER_TRIPPED + ": 1 "));
        } finally {
            logger.removeAppender(probe);
        }
    }

    /** A bucket in the home region holding {@code objects} objects, tagged as a student's with an empty mark due. */
    private void dueStudentBucket(String name, Map<String, String> objects) {
        var s3 = clients.s3();
        s3.createBucket(b -> b.bucket(name).createBucketConfiguration(c -> c.locationConstraint(EU)));
        objects.forEach((k, v) -> s3.putObject(b -> b.bucket(name).key(k),
                software.amazon.awssdk.core.sync.RequestBody.fromString(v)));
        String due = "empty@" + Instant.now().minus(Duration.ofDays(1)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        s3.putBucketTagging(b -> b.bucket(name).tagging(t -> t.tagSet(
                software.amazon.awssdk.services.s3.model.Tag.builder().key("curfew:owner").value("instructor").build(),
                software.amazon.awssdk.services.s3.model.Tag.builder().key("curfew:pending").value(due).build())));
    }

    private List<String> keys(String bucket) {
        return clients.s3().listObjectsV2(b -> b.bucket(bucket)).contents().stream()
                .map(software.amazon.awssdk.services.s3.model.S3Object::key).toList();
    }

    @Test
    @SuppressWarnings("unchecked")
    void theBucketsHoldingThePolicyAndTheRosterAreNeverEmptiedWhateverTheirTags() throws Exception {
        // the sentinel (or anyone) gave both an owner, and a due mark: as student buckets they would be emptied now
        dueStudentBucket("curfew-config", Map.of("policy.yaml", java.nio.file.Files.readString(java.nio.file.Path.of(
                "src/test/resources/sweeper-it-policy.yaml"))));
        dueStudentBucket("curfew-people", Map.of("roster.csv", "owner,name,email\nalice,Alice,alice@example.org\n"));
        dueStudentBucket("lab-alice", Map.of("data.csv", "1,2,3")); // the same tags on a student's bucket
        SweeperHandler h = handler(Map.of("curfew.mode", "enforce", "curfew.policy", "s3://curfew-config/policy.yaml",
                "curfew.roster", "s3://curfew-people/roster.csv"));

        Map<String, Object> out = h.handleRequest(Events.scheduled(json(), "scheduled-curfew.json"), null);

        Map<String, Map<String, Object>> rows = new HashMap<>();
        ((List<Map<String, Object>>) out.get("resources")).forEach(r -> rows.put(String.valueOf(r.get("id")), r));
        assertThat(rows.get("lab-alice")).containsEntry("decision", "empty").containsEntry("outcome", "done");
        assertThat(keys("lab-alice")).as("a student's bucket with the same tags is emptied").isEmpty();
        assertThat(rows.get("curfew-config")).containsEntry("decision", "skip")
                .containsEntry("reason", "never touched: it holds Curfew's policy");
        assertThat(rows.get("curfew-people")).containsEntry("decision", "skip")
                .containsEntry("reason", "never touched: it holds the roster");
        assertThat(keys("curfew-config")).containsExactly("policy.yaml");
        assertThat(keys("curfew-people")).containsExactly("roster.csv");

        Map<String, Object> next = h.handleRequest(Events.scheduled(json(), "scheduled-curfew.json"), null);
        assertThat(next).as("the next sweep still reads its policy").containsEntry("mode", "enforce")
                .containsEntry("course", "Handler tests");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Map<String, Object>> rowsOf(Map<String, Object> out) {
        Map<String, Map<String, Object>> rows = new HashMap<>();
        ((List<Map<String, Object>>) out.get("resources")).forEach(r -> rows.put(String.valueOf(r.get("id")), r));
        return rows;
    }

    @Test
    void theInvocationsRemainingTimeBoundsEmptyingBucketsButNeverTheInstances() throws Exception {
        dueStudentBucket("lab-alice", Map.of("data.csv", "1,2,3"));
        SweeperHandler h = handler(Map.of("curfew.mode", "enforce"));

        // less time left than the margin kept for the report and the messages: none for emptying
        Map<String, Object> out = h.handleRequest(Events.scheduled(json(), "scheduled-curfew.json"),
                LambdaContexts.remaining(30_000));

        assertThat(seed.state(EU, idle)).isEqualTo(InstanceStateName.STOPPED);
        assertThat(rowsOf(out).get(idle)).containsEntry("outcome", "done");
        assertThat(rowsOf(out).get("lab-alice")).containsEntry("decision", "empty")
                .containsEntry("outcome", "deferred").containsEntry("detail", Outcome.NOT_STARTED);
        assertThat(keys("lab-alice")).containsExactly("data.csv");

        // the next run (the next curfew's: this curfew's lock, kept by the run that finished, is gone by then) has
        // its own context, with time to spare: the bucket, still marked, is emptied
        clients.ssm(EU).getParametersByPath(b -> b.path(dev.curfew.aws.SweepLocks.prefix(null)).recursive(true))
                .parameters().forEach(l -> clients.ssm(EU).deleteParameter(b -> b.name(l.name())));
        Map<String, Object> next = h.handleRequest(Events.scheduled(json(), "scheduled-curfew.json"),
                LambdaContexts.remaining(300_000));

        assertThat(rowsOf(next).get("lab-alice")).containsEntry("decision", "empty").containsEntry("outcome", "done");
        assertThat(keys("lab-alice")).isEmpty();
    }

    @Test
    void primingThatCannotReachAwsIsLoggedAndDoesNotFailTheSnapshot() throws Exception {
        SweeperHandler h = handler(Map.of("aws.endpoint-url", "http://127.0.0.1:9"));
        SweepService service = h.getApplicationContext().getBean(SweepService.class);

        assertThat(service.priming().prime()).isFalse();
    }

    @Test
    void enforceInAnUnlistedAccountFailsTheInvocationAndChangesNothing() throws Exception {
        SweeperHandler h = handler(Map.of("curfew.mode", "enforce", "curfew.accounts", "999999999999"));

        List<String> printed = Stdout.capture(() -> assertThatThrownBy(() -> h.handleRequest(
                Events.scheduled(json(), "scheduled-curfew.json"), null)).isInstanceOf(AccountGuardException.class));

        assertThat(seed.state(EU, idle)).isEqualTo(InstanceStateName.RUNNING);
        // the scheduler keeps nothing of a failed run: its log says what failed
        assertThat(Stdout.jsonLines(printed)).singleElement().satisfies(l -> {
            assertThat(l).containsEntry("log", RunLog.FAILED).containsEntry("pass", "curfew")
                    .containsEntry("error", "AccountGuardException");
            assertThat(String.valueOf(l.get("message"))).contains("account guard").contains("999999999999");
        });
    }

    @Test
    @SuppressWarnings("unchecked")
    void eachRunLogsItsWholeReportAsOneJsonLineAndItsMetricsAsOneEmfLine() throws Exception {
        SweeperHandler h = handler(Map.of("curfew.mode", "enforce", "curfew.stack-name", "curfew-class"));

        Map<String, Object>[] returned = new Map[1];
        List<String> printed = Stdout.capture(() -> returned[0] = h.handleRequest(
                Events.scheduled(json(), "scheduled-idle-check.json"), null));

        assertThat(seed.state(EU, idle)).isEqualTo(InstanceStateName.STOPPED);
        List<Map<String, Object>> lines = Stdout.jsonLines(printed);
        assertThat(lines).hasSize(2);
        Map<String, Object> report = lines.get(0);
        assertThat(report).containsEntry("log", RunLog.REPORT).containsEntry("pass", "idle-check");
        Object expected = dev.curfew.core.launch.JsonBody.parse(dev.curfew.core.report.Json.write(returned[0]),
                8 << 20);
        report.remove("log");
        assertThat(report).as("every outcome the handler returns").isEqualTo(expected);
        assertThat((List<Map<String, Object>>) report.get("resources")).anySatisfy(r -> assertThat(r)
                .containsEntry("id", idle).containsEntry("outcome", "done"));

        Map<String, Object> emf = lines.get(1);
        Map<String, Object> directive = ((List<Map<String, Object>>) ((Map<String, Object>) emf.get("_aws"))
                .get("CloudWatchMetrics")).get(0);
        assertThat(directive).containsEntry("Namespace", "Curfew/curfew-class");
        assertThat(emf).containsEntry("Pass", "idle-check").containsEntry("ActionsDone", java.math.BigDecimal.ONE)
                .containsEntry("ActionsFailed", java.math.BigDecimal.ZERO)
                .containsEntry("RegionsFailed", java.math.BigDecimal.ZERO);
    }

    @Test
    void aBadPolicyOverrideFailsWithItsNameAndChangesNothing() throws Exception {
        SweeperHandler h = handler(Map.of("curfew.mode", "enforce", "curfew.time-zone", "Mars/Olympus"));

        assertThatThrownBy(() -> h.handleRequest(Events.scheduled(json(), "scheduled-curfew.json"), null))
                .hasMessageContaining("time-zone (from CURFEW_TIME_ZONE): \"Mars/Olympus\" is not a time zone");
        assertThat(seed.state(EU, idle)).isEqualTo(InstanceStateName.RUNNING);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "{\"detail-type\": \"EC2 Instance State-change Notification\", \"source\": \"aws.ec2\", \"detail\": {}}",
        "{\"detail-type\": \"Scheduled Event\", \"source\": \"my.app\", \"detail\": {}}",
        "{\"detail-type\": \"Scheduled Event\", \"source\": \"aws.scheduler\", \"detail\": {\"pass\": \"nuke\"}}",
        "{\"source\": \"aws.scheduler\"}",
        "{\"detail-type\": \"Scheduled Event\", \"source\": \"aws.scheduler\", \"detail\": \"curfew\"}",
        "{\"detail-type\": \"Scheduled Event\", \"source\": [\"aws.scheduler\"], \"detail\": {}}"
    })
    void foreignOrMalformedEventsAreRefusedAndChangeNothing(String event) throws Exception {
        SweeperHandler h = handler(Map.of("curfew.mode", "enforce"));

        assertThatThrownBy(() -> h.handleRequest(Events.scheduledFromText(json(), event), null))
                .isInstanceOf(IllegalArgumentException.class)
                .message().containsAnyOf("detail-type is", "source is", "detail.pass is", "detail is");
        assertThat(seed.state(EU, idle)).isEqualTo(InstanceStateName.RUNNING);
        assertThat(seed.state(EU, stopped)).isEqualTo(InstanceStateName.STOPPED);
    }
}
