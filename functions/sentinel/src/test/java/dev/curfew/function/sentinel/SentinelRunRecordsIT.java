package dev.curfew.function.sentinel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.curfew.aws.spend.RunRecords;
import dev.curfew.core.spend.RunHistory;
import dev.curfew.core.spend.SpendEstimator;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.ssm.model.Parameter;

/**
 * The deployed sentinel records each instance's runs from EC2's state-change events (running, stopping, stopped,
 * shutting-down, terminated) in SSM, with the owner Curfew recorded at the instance's creation: fed the events of a
 * day (start, stop, start, terminate) in the order AWS sends them, then all again in another order; the records read
 * back through the SDK are what the sweeper's estimate adds up.
 */
class SentinelRunRecordsIT extends Sentinels {
    static final ZoneId AMS = ZoneId.of("Europe/Amsterdam");
    static final String WEEK = "/curfew/curfew/runs/2026-11-23/";

    static Map<String, Object> stateChange(String instance, int n, String state, String time) throws Exception {
        String text = Events.rewritten("sentinel-state-running.json", Events.INSTANCE, instance,
                "a1b2c3d4-0009-4e5f-8a9b-000000000009", String.format("a1b2c3d4-0009-4e5f-8a9b-%012d", n),
                "\"state\": \"running\"", "\"state\": \"" + state + "\"",
                "\"time\": \"2026-11-25T10:00:20Z\"", "\"time\": \"" + time + "\"");
        return handler.handleRequest(Events.parse(json, text), null);
    }

    static Map<String, Object> runInstances(String instance) throws Exception {
        return handler.handleRequest(Events.parse(json, Events.rewritten("sentinel-runinstances.json",
                Events.INSTANCE, instance)), null);
    }

    /** A record's name part for a time: its epoch second. */
    static long at(String time) {
        return Instant.parse(time).getEpochSecond();
    }

    /** Every parameter below the runs path: name to value and version. */
    static Map<String, String> records() {
        Map<String, String> out = new TreeMap<>();
        clients.ssm(EU).getParametersByPathPaginator(b -> b.path("/curfew/curfew/runs").recursive(true))
                .forEach(page -> page.parameters().forEach((Parameter p) -> out.put(p.name(), p.value() + " v"
                        + p.version())));
        return out;
    }

    @Test
    void aDayOfStartsAndStopsIsRecordedOnceWithTheCreatorAsOwnerWhateverTheTagAndAReplayChangesNothing()
            throws Exception {
        // alice launches (CloudTrail names alice) with an owner tag naming bob
        String id = clients.ec2(EU).runInstances(b -> b.imageId("ami-12c6146b").instanceType("t3.micro").minCount(1)
                .maxCount(1).tagSpecifications(t -> t.resourceType("instance").tags(Tag.builder()
                        .key("curfew:owner").value("bob").build()))).instances().get(0).instanceId();
        String base = WEEK + "home/eu-west-1/" + id + "/";
        List<Object[]> day = List.of(
                new Object[]{1, "running", "2026-11-25T10:00:20Z"},
                new Object[]{2, "stopping", "2026-11-25T12:00:00Z"},
                new Object[]{3, "stopped", "2026-11-25T12:00:40Z"},
                new Object[]{4, "running", "2026-11-25T13:00:00Z"},
                new Object[]{5, "shutting-down", "2026-11-25T15:00:00Z"},
                new Object[]{6, "terminated", "2026-11-25T15:00:30Z"});

        // the first running event comes before CloudTrail's RunInstances: nobody is named yet (no tag is believed)
        Map<String, Object> first = stateChange(id, 1, "running", "2026-11-25T10:00:20Z");
        assertThat(first.get("run")).isEqualTo(Map.of("recorded", base + at("2026-11-25T10:00:20Z") + "-start",
                "owner", "null"));
        // CloudTrail's RunInstances by alice: the owner record, and alice's first start at the launch time
        runInstances(id);
        assertThat(clients.ssm(EU).getParameter(b -> b.name("/curfew/curfew/runs/owners/home/eu-west-1/" + id))
                .parameter().value()).isEqualTo("alice");
        for (Object[] e : day.subList(1, day.size())) {
            stateChange(id, (Integer) e[0], (String) e[1], (String) e[2]);
        }
        Map<String, String> written = records();
        assertThat(written).containsEntry(base + at("2026-11-25T10:00:20Z") + "-start", "t3.micro v1")
                .containsEntry(base + at("2026-11-25T12:00:00Z") + "-end", "t3.micro alice v1")
                .containsEntry(base + at("2026-11-25T12:00:40Z") + "-end", "t3.micro alice v1")
                .containsEntry(base + at("2026-11-25T13:00:00Z") + "-start", "t3.micro alice v1")
                .containsEntry(base + at("2026-11-25T15:00:00Z") + "-end", "t3.micro alice v1")
                .containsEntry(base + at("2026-11-25T15:00:30Z") + "-end", "t3.micro alice v1");
        assertThat(written.keySet()).filteredOn(n -> n.startsWith(WEEK)).hasSize(6);
        assertThat(written.values()).noneMatch(v -> v.contains("bob"));

        // EventBridge delivers every event again, in another order, and CloudTrail's too: nothing changes
        List<Object[]> again = new ArrayList<>(day);
        Collections.reverse(again);
        for (Object[] e : again) {
            Map<String, Object> out = stateChange(id, (Integer) e[0], (String) e[1], (String) e[2]);
            assertThat(out).containsKey("run").extractingByKey("run").asString().contains("alreadyRecorded");
        }
        runInstances(id);
        assertThat(records()).isEqualTo(written);

        // what the sweeper reads: 2 h of alice's (10:00:20 to 12:00, 13:00 to 15:00), the instance gone; none of bob's
        Instant now = Instant.parse("2026-11-25T18:00:00Z");
        RunHistory history = RunRecords.read(clients.ssm(EU), "curfew", AMS, now, null);
        assertThat(history.failure()).isNull();
        var spend = SpendEstimator.estimate(List.of(), r -> "bob", AMS, now, null, history);
        assertThat(spend.of("bob")).isNull();
        assertThat(spend.of("alice").weekInstanceHours()).isCloseTo(3 + 59 / 60.0 + 40 / 3600.0, within(1e-6));
    }

    /** The sample RunInstances event, by {@code who}, asking to tag the instance {@code curfew:owner=tagged}. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> runInstances(String instance, Map<String, Object> who, String tagged) throws Exception {
        Map<String, Object> e = Events.parse(json, Events.rewritten("sentinel-runinstances.json", Events.INSTANCE,
                instance));
        Map<String, Object> detail = (Map<String, Object>) e.get("detail");
        if (who != null) {
            detail.put("userIdentity", who);
        }
        Map<String, Object> req = new java.util.LinkedHashMap<>((Map<String, Object>) detail.get("requestParameters"));
        req.put("tagSpecificationSet", Map.of("items", List.of(Map.of("resourceType", "instance", "tags",
                List.of(Map.of("key", "curfew:owner", "value", tagged))))));
        detail.put("requestParameters", req);
        return handler.handleRequest(e, null);
    }

    static String ownerRecord(String id) {
        try {
            return clients.ssm(EU).getParameter(b -> b.name("/curfew/curfew/runs/owners/home/eu-west-1/" + id))
                    .parameter().value();
        } catch (software.amazon.awssdk.services.ssm.model.ParameterNotFoundException e) {
            return null;
        }
    }

    /**
     * The owner of an instance Curfew's launcher made is the one the launcher tagged it with in the call (CloudTrail's
     * record of its request); a student asking for an owner tag in their own call is recorded as themselves.
     */
    @Test
    void theLaunchersOwnerTagNamesTheOwnerAStudentsRequestedTagNeverDoes() throws Exception {
        String byLauncher = clients.ec2(EU).runInstances(b -> b.imageId("ami-12c6146b").instanceType("t3.micro")
                .minCount(1).maxCount(1)).instances().get(0).instanceId();
        String role = "curfew-LauncherFunctionRole-AbC123";
        Map<String, Object> launcher = new java.util.LinkedHashMap<>();
        launcher.put("type", "AssumedRole");
        launcher.put("arn", "arn:aws:sts::123456789012:assumed-role/" + role + "/curfew-launcher");
        launcher.put("accountId", "123456789012");
        launcher.put("sessionContext", Map.of("sessionIssuer", Map.of("type", "Role", "arn",
                "arn:aws:iam::123456789012:role/" + role, "accountId", "123456789012")));
        Map<String, Object> out = runInstances(byLauncher, launcher, "carol");
        assertThat((String) out.get("outcome")).startsWith("skipped: made by Curfew itself");
        assertThat(ownerRecord(byLauncher)).isEqualTo("carol");

        String byAlice = clients.ec2(EU).runInstances(b -> b.imageId("ami-12c6146b").instanceType("t3.micro")
                .minCount(1).maxCount(1)).instances().get(0).instanceId();
        runInstances(byAlice, null, "bob");
        assertThat(ownerRecord(byAlice)).isEqualTo("alice");
    }

    /**
     * A RunInstances event reads each instance once (DescribeInstances, after the tagging): the owner record, the
     * first run's start and the launch limits all use that one view; the owner's running count is the other call.
     */
    @Test
    @SuppressWarnings("unchecked")
    void aRunInstancesEventReadsEachInstanceOnce() throws Exception {
        List<String> ids = clients.ec2(EU).runInstances(b -> b.imageId("ami-12c6146b").instanceType("t3.micro")
                .minCount(2).maxCount(2)).instances().stream().map(i -> i.instanceId()).toList();
        Map<String, Object> e = Events.parse(json, Events.rewritten("sentinel-runinstances.json", Events.INSTANCE,
                ids.get(0)));
        Map<String, Object> set = (Map<String, Object>) ((Map<String, Object>) ((Map<String, Object>) e.get("detail"))
                .get("responseElements")).get("instancesSet");
        List<Object> items = new ArrayList<>((List<Object>) set.get("items"));
        Map<String, Object> second = new java.util.LinkedHashMap<>((Map<String, Object>) items.get(0));
        second.put("instanceId", ids.get(1));
        items.add(second);
        set.put("items", items);

        Map<String, Object> out = handler.handleRequest(e, null);

        assertThat((List<String>) out.get("ownersRecorded")).containsExactlyElementsOf(ids);
        assertThat((Map<String, Object>) out.get("limits")).containsOnlyKeys(ids);
        Map<String, Long> calls = (Map<String, Long>) out.get("awsCalls");
        // per instance: its one view, and alice's running count for the cap (on main: two views each, 6 calls)
        assertThat(calls.get("ec2:DescribeInstances")).isEqualTo(2L * ids.size());
        assertThat(ownerRecord(ids.get(0))).isEqualTo("alice");
        assertThat(ownerRecord(ids.get(1))).isEqualTo("alice");
    }

    @Test
    void aStateThatNeitherStartsNorEndsARunRecordsNothingAndAReadThatFailsSaysWhy() throws Exception {
        String id = clients.ec2(EU).runInstances(b -> b.imageId("ami-12c6146b").instanceType("t3.micro").minCount(1)
                .maxCount(1)).instances().get(0).instanceId();
        Map<String, Object> out = stateChange(id, 7, "pending", "2026-11-25T09:59:50Z");
        assertThat((String) out.get("outcome")).startsWith("ignored: state pending");
        assertThat(records()).isEmpty();
        // an unreachable SSM endpoint: the history says why, and the estimate goes on without it
        try (var broken = software.amazon.awssdk.services.ssm.SsmClient.builder()
                .endpointOverride(java.net.URI.create("http://127.0.0.1:9"))
                .region(software.amazon.awssdk.regions.Region.EU_WEST_1)
                .httpClient(software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient.create())
                .credentialsProvider(software.amazon.awssdk.auth.credentials.StaticCredentialsProvider.create(
                        software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create("x", "y")))
                .overrideConfiguration(c -> c.retryStrategy(software.amazon.awssdk.retries.DefaultRetryStrategy
                        .doNotRetry())).build()) {
            RunHistory h = RunRecords.read(broken, "curfew", AMS, Instant.parse("2026-11-25T18:00:00Z"), null);
            assertThat(h.failure()).contains("/curfew/curfew/runs/2026-11-23");
            assertThat(SpendEstimator.estimate(List.of(), r -> null, AMS, Instant.parse("2026-11-25T18:00:00Z"),
                    null, h).note()).contains("could not be read");
        }
    }
}
