package dev.curfew.function.sentinel;

import static org.assertj.core.api.Assertions.assertThat;

import dev.curfew.aws.spend.RunRecords;
import dev.curfew.aws.testing.FaultProxy;
import dev.curfew.core.spend.RunHistory;
import dev.curfew.core.spend.SpendEstimator;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ec2.model.Tag;

/**
 * Instances of a student's own {@code aws ec2 request-spot-instances}: the owner is recorded at the
 * RequestSpotInstances call (CloudTrail's identity) under the spot request's id, and becomes the owner of the
 * request's instances, which EC2 names (DescribeSpotInstanceRequests, and each instance's
 * {@code SpotInstanceRequestId}), never a tag or a field the caller chose; an owner once recorded is never moved.
 *
 * <p>moto fulfils a spot request at once, and its DescribeSpotInstanceRequests names the instance; but its instances
 * carry no {@code SpotInstanceRequestId}. The handler reaches moto through a {@link FaultProxy} that adds the field
 * to DescribeInstances answers as EC2 does, for the instances the test names with EC2's own answer.
 */
class SentinelSpotRequestsIT extends ProxiedSentinels {
    /** Instance id to its spot request, as EC2 would put it in DescribeInstances. */
    static final Map<String, String> REQUEST_OF = new ConcurrentHashMap<>();
    /** While true, DescribeSpotInstanceRequests answers name no instance (as before EC2 fulfils a request). */
    static volatile boolean unfulfilled;

    @BeforeAll
    static void answerAsEc2() {
        proxy.rewrite(c -> c.name().equals("ec2:DescribeInstances") || c.name().equals(
                        "ec2:DescribeSpotInstanceRequests"),
                body -> {
                    if (body.contains("DescribeSpotInstanceRequestsResponse")) {
                        return unfulfilled ? body.replaceAll("<instanceId>[^<]*</instanceId>", "") : body;
                    }
                    String out = body;
                    for (var e : REQUEST_OF.entrySet()) {
                        String id = "<instanceId>" + e.getKey() + "</instanceId>";
                        out = out.replace(id, id + "<spotInstanceRequestId>" + e.getValue()
                                + "</spotInstanceRequestId>");
                    }
                    return out;
                });
    }

    @BeforeEach
    void forget() {
        REQUEST_OF.clear();
        unfulfilled = false;
        proxy.always(c -> false);
    }

    /** A one-time spot request of alice's through the SDK: its id and its instance, as EC2 names it. */
    static String[] request() {
        String sir = clients.ec2(EU).requestSpotInstances(b -> b.spotPrice("0.05").instanceCount(1)
                .launchSpecification(l -> l.imageId("ami-12c6146b").instanceType("t3.micro")))
                .spotInstanceRequests().get(0).spotInstanceRequestId();
        String instance = clients.ec2(EU).describeSpotInstanceRequests(b -> b.spotInstanceRequestIds(sir))
                .spotInstanceRequests().get(0).instanceId();
        REQUEST_OF.put(instance, sir);
        return new String[] {sir, instance};
    }

    /** The sample RequestSpotInstances event naming {@code sir}, made by the IAM user {@code user}. */
    static Map<String, Object> requestEvent(String sir, String user, int n) throws Exception {
        return requestEvent(List.of(sir), user, n);
    }

    /** The sample RequestSpotInstances event naming each of {@code sirs} (one call of several requests). */
    @SuppressWarnings("unchecked")
    static Map<String, Object> requestEvent(List<String> sirs, String user, int n) throws Exception {
        String sir = sirs.get(0);
        Map<String, Object> e = Events.parse(json, Events.rewritten("sentinel-requestspotinstances.json",
                Events.SPOT_REQUEST, sir, "a1b2c3d4-0005-4e5f-8a9b-000000000005",
                String.format("a1b2c3d4-0005-4e5f-8a9b-%012d", n)));
        Map<String, Object> detail = (Map<String, Object>) e.get("detail");
        Map<String, Object> who = new LinkedHashMap<>((Map<String, Object>) detail.get("userIdentity"));
        who.put("arn", "arn:aws:iam::123456789012:user/" + user);
        who.put("userName", user);
        detail.put("userIdentity", who);
        Map<String, Object> set = (Map<String, Object>) ((Map<String, Object>) detail.get("responseElements"))
                .get("spotInstanceRequestSet");
        List<Map<String, Object>> items = new java.util.ArrayList<>((List<Map<String, Object>>) set.get("items"));
        for (String more : sirs.subList(1, sirs.size())) {
            Map<String, Object> item = new LinkedHashMap<>(items.get(0));
            item.put("spotInstanceRequestId", more);
            items.add(item);
        }
        set.put("items", items);
        return handler.handleRequest(e, null);
    }

    @Test
    @SuppressWarnings("unchecked")
    void aStudentsSpotRequestMakesItsInstanceAndItsRunsTheirsWhicheverEventComesFirst() throws Exception {
        String[] alice = request();
        // moto leaves the field out; through the proxy the instance names its request, as EC2's instances do
        assertThat(clients.ec2(EU).describeInstances(b -> b.instanceIds(alice[1])).reservations().get(0)
                .instances().get(0).spotInstanceRequestId()).isNull();
        try (var through = new dev.curfew.aws.AwsClients(moto.settingsThrough(proxy, EU, 1))) {
            assertThat(through.ec2(EU).describeInstances(b -> b.instanceIds(alice[1])).reservations().get(0)
                    .instances().get(0).spotInstanceRequestId()).isEqualTo(alice[0]);
        }

        // the instance runs before CloudTrail's RunInstances-like event of the request arrives: no owner yet
        Map<String, Object> first = stateChange(alice[1], 1, "running", "2026-11-25T10:00:20Z");
        assertThat(first.get("run")).asString().contains("owner=null");
        assertThat(first).doesNotContainKey("ownerFrom");

        // alice's RequestSpotInstances: the request's owner, its instance's owner and first start under alice
        Map<String, Object> out = requestEvent(alice[0], "alice", 1);
        assertThat((String) out.get("outcome")).startsWith("tagged");
        assertThat((List<String>) out.get("requestOwnersRecorded")).containsExactly(alice[0]);
        assertThat((List<String>) out.get("ownersRecorded")).containsExactly(alice[1]);
        assertThat(owner(alice[0])).isEqualTo("alice v1");
        assertThat(owner(alice[1])).isEqualTo("alice v1");
        assertThat(((Map<String, Long>) out.get("awsCalls")).get("ec2:DescribeSpotInstanceRequests")).isEqualTo(1L);
        // EC2 tagged only the request: the instance gets the owner tag, so the per-student cap counts it
        assertThat((List<String>) out.get("ownerTagged")).containsExactly(alice[1]);
        assertThat(ownerTag(alice[1])).isEqualTo("alice");

        // the run ends: alice's
        stateChange(alice[1], 2, "stopped", "2026-11-25T12:00:20Z");
        assertThat(record(alice[1], "2026-11-25T12:00:20Z", "end")).isEqualTo("t3.micro alice");

        // the persistent request launches again: EC2 names the request on the new instance, whose first event
        // finds its owner through the request (the request's CloudTrail event came long before)
        String again = clients.ec2(EU).runInstances(b -> b.imageId("ami-12c6146b").instanceType("t3.micro")
                .minCount(1).maxCount(1).instanceMarketOptions(m -> m.marketType("spot"))).instances().get(0)
                .instanceId();
        REQUEST_OF.put(again, alice[0]);
        Map<String, Object> relaunched = stateChange(again, 3, "running", "2026-11-25T13:00:00Z");
        assertThat(relaunched.get("ownerFrom")).isEqualTo(alice[0]);
        assertThat(ownerTag(again)).isEqualTo("alice");
        assertThat(relaunched.get("limits")).asString().contains("owner=alice");
        assertThat(record(again, "2026-11-25T13:00:00Z", "start")).isEqualTo("t3.micro alice");
        assertThat(owner(again)).isEqualTo("alice v1");
        // from then on the instance's own record names its owner
        assertThat(stateChange(again, 4, "stopped", "2026-11-25T14:00:00Z")).doesNotContainKey("ownerFrom");
        assertThat(record(again, "2026-11-25T14:00:00Z", "end")).isEqualTo("t3.micro alice");

        // what the sweeper reads: every hour is alice's, none without an owner
        RunHistory history = RunRecords.read(clients.ssm(EU), "curfew", AMS, Instant.parse("2026-11-25T18:00:00Z"),
                null);
        var spend = SpendEstimator.estimate(List.of(), r -> null, AMS, Instant.parse("2026-11-25T18:00:00Z"), null,
                history);
        assertThat(spend.of("alice")).isNotNull();
        // 10:00:20 to 12:00:20 and 13:00 to 14:00
        assertThat(spend.of("alice").weekInstanceHours()).isCloseTo(3.0, org.assertj.core.api.Assertions.within(1e-6));
        assertThat(history.runs(Instant.parse("2026-11-23T00:00:00Z"), Instant.parse("2026-11-25T18:00:00Z"),
                k -> null)).extracting(RunHistory.Run::owner).containsOnly("alice");
    }

    @Test
    @SuppressWarnings("unchecked")
    void aRequestIdNamingAnotherStudentsRequestMovesNoOwnership() throws Exception {
        String[] alice = request();
        // alice's event comes before EC2 fulfils her request: it records the request's owner only
        unfulfilled = true;
        Map<String, Object> alices = requestEvent(alice[0], "alice", 11);
        unfulfilled = false;
        assertThat(alices).doesNotContainKey("ownersRecorded");
        assertThat(owner(alice[0])).isEqualTo("alice v1");
        assertThat(owner(alice[1])).isNull();

        // an event by bob naming alice's request (her client token repeated): the instance, its launch-time start
        // and its owner tag are alice's
        Map<String, Object> bobs = requestEvent(alice[0], "bob", 12);
        assertThat(bobs.get("owner")).isEqualTo("bob");
        assertThat((List<String>) bobs.get("requestOwnersAlreadyRecorded")).containsExactly(alice[0]);
        assertThat(bobs).doesNotContainKey("requestOwnersRecorded");
        assertThat(owner(alice[0])).isEqualTo("alice v1");
        assertThat(owner(alice[1])).isEqualTo("alice v1");
        assertThat(launchStart(alice[1])).isEqualTo("t3.micro alice");
        assertThat(ownerTag(alice[1])).isEqualTo("alice");
        assertThat(clients.ec2(EU).describeTags(b -> b.filters(f -> f.name("resource-id").values(alice[0])))
                .tags()).filteredOn(t -> t.key().equals("curfew:owner")).extracting(t -> t.value())
                .containsExactly("alice");

        // carol's run-instances --instance-market-options (a RunInstances call) is hers, tagged as alice's and
        // claiming alice's request in DescribeInstances: the instance's own record stands
        String carols = clients.ec2(EU).runInstances(b -> b.imageId("ami-12c6146b").instanceType("t3.micro")
                .minCount(1).maxCount(1).instanceMarketOptions(m -> m.marketType("spot"))
                .tagSpecifications(t -> t.resourceType("instance").tags(Tag.builder().key("curfew:owner")
                        .value("alice").build()))).instances().get(0).instanceId();
        Map<String, Object> e = Events.parse(json, Events.rewritten("sentinel-runinstances.json", Events.INSTANCE,
                carols, "user/alice", "user/carol", "\"userName\": \"alice\"", "\"userName\": \"carol\""));
        Map<String, Object> run = handler.handleRequest(e, null);
        assertThat(run.get("owner")).isEqualTo("carol");
        assertThat((List<String>) run.get("ownersRecorded")).containsExactly(carols);
        assertThat(owner(carols)).isEqualTo("carol v1");
        REQUEST_OF.put(carols, alice[0]);
        Map<String, Object> started = stateChange(carols, 13, "running", "2026-11-25T10:00:20Z");
        assertThat(started).doesNotContainKey("ownerFrom");
        assertThat(record(carols, "2026-11-25T10:00:20Z", "start")).isEqualTo("t3.micro carol");
        assertThat(owner(carols)).isEqualTo("carol v1");
        // her tag naming alice is written over with the owner recorded
        assertThat(ownerTag(carols)).isEqualTo("carol");

        // an instance of a request nobody recorded (made before the sentinel ran, or not a student's) stays unowned
        String[] unknown = request();
        Map<String, Object> unowned = stateChange(unknown[1], 14, "running", "2026-11-25T10:00:20Z");
        assertThat(unowned.get("run")).asString().contains("owner=null");
        assertThat(owner(unknown[1])).isNull();
    }

    @Test
    @SuppressWarnings("unchecked")
    void aRequestEc2NoLongerKnowsLeavesOutOnlyThatOne() throws Exception {
        String[] alice = request();
        // EC2 refuses a DescribeSpotInstanceRequests naming an id it does not know, the others with it
        String gone = "sir-0feed0001";
        proxy.unknown("ec2:DescribeSpotInstanceRequests", gone, "InvalidSpotInstanceRequestID.NotFound");

        Map<String, Object> out = requestEvent(List.of(gone, alice[0]), "alice", 21);

        assertThat(out).doesNotContainKey("unrecorded");
        assertThat((List<String>) out.get("requestOwnersRecorded")).containsExactly(gone, alice[0]);
        assertThat((List<String>) out.get("ownersRecorded")).containsExactly(alice[1]);
        assertThat(owner(alice[1])).isEqualTo("alice v1");
        assertThat(launchStart(alice[1])).isEqualTo("t3.micro alice");
    }

    @Test
    @SuppressWarnings("unchecked")
    void anOwnerRecordSsmRefusesFailsTheInvocationAndTheRetryWritesOnlyWhatIsMissing() throws Exception {
        String[] one = request();
        String[] two = request();
        String ownerOfOne = "/curfew/curfew/runs/owners/home/eu-west-1/" + one[0];
        proxy.clearCounts();
        proxy.always(c -> c.name().equals("ssm:PutParameter") && c.body().contains(ownerOfOne),
                FaultProxy.Fault.SERVER_ERROR);
        proxy.refuse("ec2:DescribeSpotInstanceRequests", two[0], 1);

        Throwable failed = org.assertj.core.api.Assertions.catchThrowable(() -> requestEvent(List.of(one[0], two[0]),
                "dave", 31));

        assertThat(failed).isInstanceOf(SentinelService.UnrecordedException.class)
                .hasMessageContaining(one[0]);
        Map<String, Object> first = ((SentinelService.UnrecordedException) failed).result();
        assertThat((List<String>) first.get("unrecorded")).hasSize(2);
        assertThat(first.get("messages")).asString().contains("welcome");
        assertThat(owner(one[0])).isNull();
        assertThat(owner(two[0])).isEqualTo("dave v1");
        assertThat(owner(two[1])).isNull();

        // Lambda's retry: only what is missing is written, and dave is not welcomed again
        proxy.always(c -> false);
        Map<String, Object> again = requestEvent(List.of(one[0], two[0]), "dave", 31);
        assertThat(again).doesNotContainKey("unrecorded").doesNotContainKey("messages");
        assertThat((List<String>) again.get("requestOwnersRecorded")).containsExactly(one[0]);
        assertThat((List<String>) again.get("requestOwnersAlreadyRecorded")).containsExactly(two[0]);
        assertThat((List<String>) again.get("ownersRecorded")).containsExactly(one[1], two[1]);
        assertThat(owner(one[0])).isEqualTo("dave v1");
        assertThat(owner(two[0])).isEqualTo("dave v1");
        assertThat(launchStart(one[1])).isEqualTo("t3.micro dave");
        assertThat(launchStart(two[1])).isEqualTo("t3.micro dave");
        assertThat(ownerTag(two[1])).isEqualTo("dave");
    }
}
