package dev.curfew.function.sentinel;

import static org.assertj.core.api.Assertions.assertThat;

import dev.curfew.aws.sentinel.SentinelAws;
import dev.curfew.aws.testing.FaultProxy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ec2.model.DefaultTargetCapacityType;
import software.amazon.awssdk.services.ec2.model.FleetType;
import software.amazon.awssdk.services.ec2.model.InstanceType;
import software.amazon.awssdk.services.ec2.model.Tag;

/**
 * Instances of a student's own Spot Fleet request ({@code aws ec2 request-spot-fleet}) or EC2 Fleet
 * ({@code aws ec2 create-fleet}): the caller CloudTrail names is recorded as the owner of the fleet's id, and that
 * owner becomes the owner of the fleet's instances, which EC2 names (DescribeSpotFleetInstances,
 * DescribeFleetInstances, the instances of an {@code instant} fleet in CreateFleet's answer, and the {@code aws:}
 * fleet tag EC2 writes on each instance and nobody else can), never a tag or a field the caller chose; a fleet's first
 * recorded owner stands.
 *
 * <p>moto launches a fleet's instances at once and lists them, but writes no fleet tag on them, and answers an unknown
 * fleet id with an empty list where EC2 refuses the call: the test writes the tag as EC2 does at launch (moto takes
 * {@code aws:} keys from anyone; EC2 from nobody), and its {@link FaultProxy} answers an unknown id as EC2 does. The
 * test asserts both gaps.
 */
class SentinelFleetsIT extends ProxiedSentinels {

    /** The sentinel ITs' policy: a cap of one running instance per student, launches outside the limits stopped. */
    static final String CAP_OF_ONE = java.nio.file.Path.of("src/test/resources/sentinel-it-policy.yaml")
            .toAbsolutePath().toString();

    /** The class's handler, under the cap of one (the proxied sentinels' default policy has none to speak of). */
    @BeforeAll
    static void capOfOne() {
        handler.close();
        handler = Sentinels.handler(moto, Map.of("aws.endpoint-url", proxy.endpoint(), "curfew.policy", CAP_OF_ONE));
    }

    @BeforeEach
    void noFaults() {
        proxy.always(c -> false);
    }

    /** A Spot Fleet request of {@code n} t3.micro instances, fulfilled at once by moto; its id. */
    static String spotFleet(int n) {
        return clients.ec2(EU).requestSpotFleet(b -> b.spotFleetRequestConfig(c -> c
                .iamFleetRole("arn:aws:iam::123456789012:role/aws-ec2-spot-fleet-tagging-role")
                .allocationStrategy("lowestPrice").targetCapacity(n)
                .launchSpecifications(l -> l.imageId("ami-12c6146b").instanceType(InstanceType.T3_MICRO))))
                .spotFleetRequestId();
    }

    /** As {@link #spotFleet}, its instances tagged as EC2 tags them. */
    static String taggedSpotFleet(int n) {
        String sfr = spotFleet(n);
        taggedAsEc2Does(SentinelAws.SPOT_FLEET_TAG, sfr, spotFleetInstances(sfr));
        return sfr;
    }

    static List<String> spotFleetInstances(String sfr) {
        return clients.ec2(EU).describeSpotFleetInstances(b -> b.spotFleetRequestId(sfr)).activeInstances().stream()
                .map(i -> i.instanceId()).toList();
    }

    /** What EC2 does at launch and moto does not: the fleet's tag on each of its instances. */
    static void taggedAsEc2Does(String key, String fleet, List<String> instances) {
        for (String i : instances) {
            assertThat(tagsOf(i)).as("moto writes no fleet tag").doesNotContainKey(key);
        }
        clients.ec2(EU).createTags(b -> b.resources(instances).tags(Tag.builder().key(key).value(fleet).build()));
    }

    static Map<String, String> tagsOf(String instance) {
        Map<String, String> out = new java.util.LinkedHashMap<>();
        clients.ec2(EU).describeTags(b -> b.filters(f -> f.name("resource-id").values(instance))).tags()
                .forEach(t -> out.put(t.key(), t.value()));
        return out;
    }

    /**
     * A tag naming someone else: a fleet's launch template or specification tags its instances through the fleet's
     * service role, not the student, so the student's IAM denial of {@code curfew:*} tags does not stop it.
     */
    static void forged(String instance, String owner) {
        clients.ec2(EU).createTags(b -> b.resources(instance).tags(Tag.builder().key("curfew:owner").value(owner)
                .build()));
    }

    static String launchTemplate(String name) {
        return clients.ec2(EU).createLaunchTemplate(b -> b.launchTemplateName(name).launchTemplateData(d -> d
                .imageId("ami-12c6146b").instanceType(InstanceType.T3_MICRO))).launchTemplate().launchTemplateId();
    }

    static software.amazon.awssdk.services.ec2.model.CreateFleetResponse fleet(String template, FleetType type,
                                                                               int n) {
        return clients.ec2(EU).createFleet(b -> b.type(type)
                .launchTemplateConfigs(c -> c.launchTemplateSpecification(s -> s.launchTemplateId(template)
                        .version("1")))
                .targetCapacitySpecification(t -> t.totalTargetCapacity(n).defaultTargetCapacityType(
                        DefaultTargetCapacityType.ON_DEMAND)));
    }

    /** The sample RequestSpotFleet event naming {@code sfr}, made by the IAM user {@code user}. */
    static Map<String, Object> spotFleetEvent(String sfr, String user, int n) throws Exception {
        return spotFleetEvent(handler, sfr, user, n);
    }

    static Map<String, Object> spotFleetEvent(SentinelHandler to, String sfr, String user, int n) throws Exception {
        return to.handleRequest(Events.parse(json, Events.rewritten("sentinel-requestspotfleet.json",
                Events.SPOT_FLEET, sfr, "a1b2c3d4-0011-4e5f-8a9b-000000000011",
                String.format("a1b2c3d4-0011-4e5f-8a9b-%012d", n), "user/alice", "user/" + user,
                "\"userName\": \"alice\"", "\"userName\": \"" + user + "\"")), null);
    }

    /**
     * The sample CreateFleet event naming {@code fleetId}, made by {@code user}; EC2's answer names {@code instances}
     * (an {@code instant} fleet: none is empty text, as CloudTrail writes an empty set), or, for null, the fleet id
     * alone (a {@code maintain} or {@code request} fleet: no {@code fleetInstanceSet}, no {@code errorSet}).
     */
    @SuppressWarnings("unchecked")
    static Map<String, Object> fleetEvent(String fleetId, List<String> instances, String user, int n)
            throws Exception {
        Map<String, Object> e = Events.parse(json, Events.rewritten("sentinel-createfleet.json", Events.FLEET,
                fleetId, "a1b2c3d4-0012-4e5f-8a9b-000000000012", String.format("a1b2c3d4-0012-4e5f-8a9b-%012d", n),
                "user/alice", "user/" + user, "\"userName\": \"alice\"", "\"userName\": \"" + user + "\""));
        Map<String, Object> answer = (Map<String, Object>) ((Map<String, Object>) ((Map<String, Object>) e
                .get("detail")).get("responseElements")).get("CreateFleetResponse");
        if (instances == null) {
            answer.remove("fleetInstanceSet");
            answer.remove("errorSet");
        } else {
            answer.put("fleetInstanceSet", instances.isEmpty() ? "" : Map.of("item", List.of(Map.of("lifecycle",
                    "on-demand", "instanceType", "t3.micro", "instanceIds", Map.of("item", instances)))));
        }
        return handler.handleRequest(e, null);
    }

    @Test
    @SuppressWarnings("unchecked")
    void aStudentsSpotFleetMakesItsInstancesAndTheirRunsTheirsWhateverTagAnotherWrites() throws Exception {
        String sfr = spotFleet(2);
        List<String> ids = spotFleetInstances(sfr);
        assertThat(ids).hasSize(2);
        taggedAsEc2Does(SentinelAws.SPOT_FLEET_TAG, sfr, ids);

        // alice's RequestSpotFleet: the fleet's owner, its instances' owner, first start and owner tag are alice's
        Map<String, Object> out = spotFleetEvent(sfr, "alice", 1);
        assertThat((String) out.get("outcome")).startsWith("tagged");
        assertThat((List<String>) out.get("fleetOwnersRecorded")).containsExactly(sfr);
        assertThat((List<String>) out.get("ownersRecorded")).containsExactlyElementsOf(ids);
        assertThat(((Map<String, Long>) out.get("awsCalls")).get("ec2:DescribeSpotFleetInstances")).isEqualTo(1L);
        assertThat(owner(sfr)).isEqualTo("alice v1");
        for (String i : ids) {
            assertThat(owner(i)).isEqualTo("alice v1");
            assertThat(launchStart(i)).isEqualTo("t3.micro alice");
            assertThat(ownerTag(i)).isEqualTo("alice");
        }
        // their running events came first, without an owner: the cap (1) is checked here, and two is over it; the
        // fleet would replace an instance stopped for it, so alice is told what to change in the fleet, nothing stops
        assertThat((Map<String, Map<String, Object>>) out.get("limits")).containsOnlyKeys(ids).allSatisfy((id, v) -> {
            assertThat(v).containsEntry("owner", "alice").containsEntry("action", "notify")
                    .containsEntry("fleet", sfr).doesNotContainKey("done");
            assertThat((List<String>) v.get("breaches")).anySatisfy(b -> assertThat(b).contains("has 2 running"));
            assertThat((String) v.get("note")).contains("cancel-spot-fleet-requests");
        });
        assertThat(out.get("messages")).asString().contains("launch-limits").contains("to=alice");
        for (String i : ids) {
            assertThat(clients.ec2(EU).describeInstances(b -> b.instanceIds(i)).reservations().get(0).instances()
                    .get(0).state().nameAsString()).isEqualTo("running");
        }

        // the fleet launches a replacement later, its template naming carol as owner before its first event: the
        // instance's owner comes from its fleet (EC2's tag), and carol's tag is corrected
        String later = clients.ec2(EU).runInstances(b -> b.imageId("ami-12c6146b").instanceType("t3.micro")
                .minCount(1).maxCount(1)).instances().get(0).instanceId();
        taggedAsEc2Does(SentinelAws.SPOT_FLEET_TAG, sfr, List.of(later));
        forged(later, "carol");
        Map<String, Object> started = stateChange(later, 2, "running", "2026-11-25T13:00:00Z");
        assertThat(started.get("ownerFrom")).isEqualTo(sfr);
        assertThat(record(later, "2026-11-25T13:00:00Z", "start")).isEqualTo("t3.micro alice");
        assertThat(owner(later)).isEqualTo("alice v1");
        assertThat(ownerTag(later)).isEqualTo("alice");
        assertThat((List<Map<String, String>>) started.get("ownerTagCorrected")).containsExactly(Map.of("instance",
                later, "was", "carol", "now", "alice"));

        // carol's name written over alice's tag on an instance of the first launch moves nothing either
        forged(ids.get(0), "carol");
        stateChange(ids.get(0), 3, "stopped", "2026-11-25T14:00:00Z");
        assertThat(record(ids.get(0), "2026-11-25T14:00:00Z", "end")).isEqualTo("t3.micro alice");
        assertThat(owner(ids.get(0))).isEqualTo("alice v1");
        assertThat(ownerTag(ids.get(0))).isEqualTo("alice");
    }

    @Test
    @SuppressWarnings("unchecked")
    void anEc2FleetOfEitherTypeIsItsCallersAndAReplayWritesNothingTwice() throws Exception {
        String template = launchTemplate("lab-fleets");
        // a maintain fleet: EC2 lists its instances (DescribeFleetInstances)
        String maintain = fleet(template, FleetType.MAINTAIN, 1).fleetId();
        List<String> kept = clients.ec2(EU).describeFleetInstances(b -> b.fleetId(maintain)).activeInstances()
                .stream().map(i -> i.instanceId()).toList();
        assertThat(kept).hasSize(1);
        taggedAsEc2Does(SentinelAws.FLEET_TAG, maintain, kept);
        Map<String, Object> bobs = fleetEvent(maintain, null, "bob", 11);
        assertThat((List<String>) bobs.get("fleetOwnersRecorded")).containsExactly(maintain);
        assertThat((List<String>) bobs.get("ownersRecorded")).containsExactlyElementsOf(kept);
        assertThat(((Map<String, Long>) bobs.get("awsCalls")).get("ec2:DescribeFleetInstances")).isEqualTo(1L);
        assertThat(owner(maintain)).isEqualTo("bob v1");
        assertThat(owner(kept.get(0))).isEqualTo("bob v1");
        assertThat(launchStart(kept.get(0))).isEqualTo("t3.micro bob");
        assertThat(ownerTag(kept.get(0))).isEqualTo("bob");

        // an instant fleet: EC2's answer names its instances, which are tagged as RunInstances' are; nothing is listed
        var instant = fleet(template, FleetType.INSTANT, 2);
        List<String> now = new ArrayList<>();
        instant.instances().forEach(i -> now.addAll(i.instanceIds()));
        assertThat(now).hasSize(2);
        taggedAsEc2Does(SentinelAws.FLEET_TAG, instant.fleetId(), now);
        Map<String, Object> carols = fleetEvent(instant.fleetId(), now, "carol", 12);
        assertThat((Map<String, Map<String, String>>) carols.get("tagged")).containsOnlyKeys(now)
                .allSatisfy((id, t) -> assertThat(t).containsEntry("curfew:owner", "carol"));
        assertThat((List<String>) carols.get("fleetOwnersRecorded")).containsExactly(instant.fleetId());
        assertThat((List<String>) carols.get("ownersRecorded")).containsExactlyElementsOf(now);
        assertThat((Map<String, Long>) carols.get("awsCalls")).doesNotContainKey("ec2:DescribeFleetInstances");
        // two running for carol, over the cap (1): checked here, told, nothing stopped (the fleet's, not the instance)
        assertThat((Map<String, Map<String, Object>>) carols.get("limits")).containsOnlyKeys(now).allSatisfy((id, v) ->
                assertThat(v).containsEntry("owner", "carol").containsEntry("action", "notify")
                        .containsEntry("fleet", instant.fleetId()).doesNotContainKey("done"));
        for (String i : now) {
            assertThat(owner(i)).isEqualTo("carol v1");
            assertThat(launchStart(i)).isEqualTo("t3.micro carol");
        }

        // the same event delivered again: every record and tag is there already, nothing is written or told twice
        Map<String, Object> again = fleetEvent(instant.fleetId(), now, "carol", 12);
        assertThat(again).doesNotContainKeys("fleetOwnersRecorded", "messages", "unrecorded");
        assertThat((List<String>) again.get("fleetOwnersAlreadyRecorded")).containsExactly(instant.fleetId());
        assertThat((List<String>) again.get("ownersAlreadyRecorded")).containsExactlyElementsOf(now);
        assertThat((List<String>) again.get("ownersRecorded")).isEmpty();
        assertThat((Map<String, Map<String, String>>) again.get("tagged")).allSatisfy((id, t) -> assertThat(t)
                .isEmpty());
        // bob's CreateFleet answered with carol's fleet (her client token repeated): the first owner stands
        Map<String, Object> claimed = fleetEvent(instant.fleetId(), now, "bob", 13);
        assertThat(claimed.get("owner")).isEqualTo("bob");
        assertThat((List<String>) claimed.get("fleetOwnersAlreadyRecorded")).containsExactly(instant.fleetId());
        assertThat(owner(instant.fleetId())).isEqualTo("carol v1");
        for (String i : now) {
            assertThat(owner(i)).isEqualTo("carol v1");
            assertThat(launchStart(i)).isEqualTo("t3.micro carol");
            assertThat(ownerTag(i)).isEqualTo("carol");
        }

        // dave's name written on one of carol's instances: its run still ends as carol's
        forged(now.get(0), "dave");
        stateChange(now.get(0), 14, "terminated", "2026-11-25T15:00:00Z");
        assertThat(record(now.get(0), "2026-11-25T15:00:00Z", "end")).isEqualTo("t3.micro carol");
    }

    @Test
    @SuppressWarnings("unchecked")
    void aFleetEc2NoLongerKnowsLeavesOutOnlyItself() throws Exception {
        String goneSpot = "sfr-0feed000-0000-4000-8000-000000000001";
        String goneFleet = "fleet-0feed000-0000-4000-8000-000000000002";
        // moto lists nothing for an id it does not know; EC2 refuses the call
        assertThat(clients.ec2(EU).describeSpotFleetInstances(b -> b.spotFleetRequestId(goneSpot)).activeInstances())
                .isEmpty();
        assertThat(clients.ec2(EU).describeFleetInstances(b -> b.fleetId(goneFleet)).activeInstances()).isEmpty();
        proxy.unknown("ec2:DescribeSpotFleetInstances", goneSpot, "InvalidSpotFleetRequestId.NotFound");
        proxy.unknown("ec2:DescribeFleetInstances", goneFleet, "InvalidFleetId.NotFound");

        for (var out : List.of(spotFleetEvent(goneSpot, "alice", 21), fleetEvent(goneFleet, null, "alice", 22))) {
            assertThat(out).doesNotContainKeys("unrecorded", "ownersRecorded");
            assertThat((String) out.get("outcome")).startsWith("tagged");
            assertThat((List<String>) out.get("fleetsUnknown")).hasSize(1);
        }
        assertThat(owner(goneSpot)).isEqualTo("alice v1");
        assertThat(owner(goneFleet)).isEqualTo("alice v1");
    }

    @Test
    @SuppressWarnings("unchecked")
    void anOwnerRecordSsmRefusesFailsTheInvocationAfterTheRestAndTheRetryWritesOnlyWhatIsMissing() throws Exception {
        String sfr = taggedSpotFleet(2);
        List<String> ids = spotFleetInstances(sfr);
        String refused = "/curfew/curfew/runs/owners/home/eu-west-1/" + ids.get(0);
        proxy.always(c -> c.name().equals("ssm:PutParameter") && c.body().contains(refused + "\""),
                FaultProxy.Fault.SERVER_ERROR);

        Throwable failed = org.assertj.core.api.Assertions.catchThrowable(() -> spotFleetEvent(sfr, "dave", 31));

        assertThat(failed).isInstanceOf(SentinelService.UnrecordedException.class).hasMessageContaining(ids.get(0));
        Map<String, Object> first = ((SentinelService.UnrecordedException) failed).result();
        assertThat((List<String>) first.get("unrecorded")).hasSize(1);
        assertThat(first.get("messages")).asString().contains("welcome");
        assertThat((List<String>) first.get("fleetOwnersRecorded")).containsExactly(sfr);
        assertThat((List<String>) first.get("ownersRecorded")).containsExactly(ids.get(1));
        assertThat(owner(sfr)).isEqualTo("dave v1");
        assertThat(owner(ids.get(0))).isNull();
        assertThat(owner(ids.get(1))).isEqualTo("dave v1");
        assertThat(ownerTag(ids.get(1))).isEqualTo("dave");

        // Lambda's retry: only what is missing is written, and dave is not welcomed again; with both instances his
        // now, he is over the cap (1) and told so
        proxy.always(c -> false);
        Map<String, Object> again = spotFleetEvent(sfr, "dave", 31);
        assertThat(again).doesNotContainKeys("unrecorded", "fleetOwnersRecorded");
        assertThat((List<Map<String, String>>) again.get("messages")).extracting(m -> m.get("kind"))
                .containsExactly("launch-limits", "launch-limits");
        assertThat((List<String>) again.get("fleetOwnersAlreadyRecorded")).containsExactly(sfr);
        assertThat((List<String>) again.get("ownersRecorded")).containsExactly(ids.get(0));
        assertThat((List<String>) again.get("ownersAlreadyRecorded")).containsExactly(ids.get(1));
        assertThat(owner(ids.get(0))).isEqualTo("dave v1");
        assertThat(launchStart(ids.get(0))).isEqualTo("t3.micro dave");
        assertThat(ownerTag(ids.get(0))).isEqualTo("dave");
    }

    @Test
    @SuppressWarnings("unchecked")
    void anInstantFleetsInstancesGetTheRecordedOwnersTagOverAnotherAndAnInstantFleetOfNoneIsNotListed()
            throws Exception {
        var instant = fleet(launchTemplate("lab-instant"), FleetType.INSTANT, 1);
        List<String> now = new ArrayList<>();
        instant.instances().forEach(i -> now.addAll(i.instanceIds()));
        taggedAsEc2Does(SentinelAws.FLEET_TAG, instant.fleetId(), now);
        // the fleet's launch template named carol (written by the fleet's role, not the student's)
        forged(now.get(0), "carol");

        Map<String, Object> out = fleetEvent(instant.fleetId(), now, "erin", 41);

        assertThat(owner(now.get(0))).isEqualTo("erin v1");
        assertThat(ownerTag(now.get(0))).isEqualTo("erin");
        assertThat((List<Map<String, String>>) out.get("ownerTagCorrected")).containsExactly(Map.of("instance",
                now.get(0), "was", "carol", "now", "erin"));
        assertThat((Map<String, Map<String, Object>>) out.get("limits")).containsOnlyKeys(now)
                .allSatisfy((id, v) -> assertThat(v).containsEntry("owner", "erin"));

        // an instant fleet that launched nothing: EC2's answer says so (its sets, empty); nothing is listed or fails
        String none = "fleet-0feed000-0000-4000-8000-000000000003";
        Map<String, Object> empty = fleetEvent(none, List.of(), "erin", 42);
        assertThat(empty).doesNotContainKeys("unrecorded", "fleetsUnknown", "limits");
        assertThat((List<String>) empty.get("fleetOwnersRecorded")).containsExactly(none);
        assertThat((Map<String, Long>) empty.get("awsCalls")).doesNotContainKey("ec2:DescribeFleetInstances");
    }

    @Test
    @SuppressWarnings("unchecked")
    void anEc2FleetsLaterInstanceGetsItsOwnerFromTheFleetTagAndIsOnlyToldOfTheCap() throws Exception {
        String maintain = fleet(launchTemplate("lab-later"), FleetType.MAINTAIN, 1).fleetId();
        List<String> kept = clients.ec2(EU).describeFleetInstances(b -> b.fleetId(maintain)).activeInstances()
                .stream().map(i -> i.instanceId()).toList();
        taggedAsEc2Does(SentinelAws.FLEET_TAG, maintain, kept);
        fleetEvent(maintain, null, "frank", 51);

        // an instance the fleet launches later (a replacement) has no owner record of its own
        String later = clients.ec2(EU).runInstances(b -> b.imageId("ami-12c6146b").instanceType("t3.micro")
                .minCount(1).maxCount(1)).instances().get(0).instanceId();
        taggedAsEc2Does(SentinelAws.FLEET_TAG, maintain, List.of(later));
        assertThat(owner(later)).isNull();

        Map<String, Object> started = stateChange(later, 52, "running", "2026-11-25T16:00:00Z");

        assertThat(started.get("ownerFrom")).isEqualTo(maintain);
        assertThat(owner(later)).isEqualTo("frank v1");
        assertThat(ownerTag(later)).isEqualTo("frank");
        assertThat(record(later, "2026-11-25T16:00:00Z", "start")).isEqualTo("t3.micro frank");
        // frank now has two running (cap 1): a maintain fleet would replace the instance stopped for it, and the
        // replacement breach again; frank is told what to change in the fleet, and the instance runs on
        Map<String, Object> v = ((Map<String, Map<String, Object>>) started.get("limits")).get(later);
        assertThat(v).containsEntry("owner", "frank").containsEntry("action", "notify").containsEntry("fleet", maintain)
                .doesNotContainKey("done");
        assertThat((String) v.get("note")).contains("modify-fleet").contains("delete-fleets");
        assertThat(started.get("messages")).asString().contains("launch-limits").contains("to=frank");
        assertThat(clients.ec2(EU).describeInstances(b -> b.instanceIds(later)).reservations().get(0).instances()
                .get(0).state().nameAsString()).isEqualTo("running");
    }

    @Test
    @SuppressWarnings("unchecked")
    void aFleetListingThatFailsFailsTheInvocationAfterTheRestAndTheRetryCompletesIt() throws Exception {
        String sfr = taggedSpotFleet(1);
        List<String> ids = spotFleetInstances(sfr);
        proxy.always(c -> c.name().equals("ec2:DescribeSpotFleetInstances"), FaultProxy.Fault.SERVER_ERROR);

        Throwable failed = org.assertj.core.api.Assertions.catchThrowable(() -> spotFleetEvent(sfr, "gina", 61));

        assertThat(failed).isInstanceOf(SentinelService.UnrecordedException.class).hasMessageContaining(sfr);
        Map<String, Object> first = ((SentinelService.UnrecordedException) failed).result();
        assertThat((List<String>) first.get("unrecorded")).hasSize(1);
        assertThat((List<String>) first.get("fleetOwnersRecorded")).containsExactly(sfr);
        assertThat(first.get("messages")).asString().contains("welcome");
        assertThat(owner(sfr)).isEqualTo("gina v1");
        assertThat(owner(ids.get(0))).isNull();

        proxy.always(c -> false);
        Map<String, Object> again = spotFleetEvent(sfr, "gina", 61);
        assertThat(again).doesNotContainKeys("unrecorded", "messages", "fleetOwnersRecorded");
        assertThat((List<String>) again.get("ownersRecorded")).containsExactlyElementsOf(ids);
        assertThat(owner(ids.get(0))).isEqualTo("gina v1");
        assertThat(ownerTag(ids.get(0))).isEqualTo("gina");
    }

    @Test
    @SuppressWarnings("unchecked")
    void anInstanceGoingAwayIsNotTaggedSoARefusedTagCannotFailItsEnd() throws Exception {
        String sfr = taggedSpotFleet(1);
        List<String> ids = spotFleetInstances(sfr);
        spotFleetEvent(sfr, "hana", 71);
        clients.ec2(EU).deleteTags(b -> b.resources(ids.get(0)).tags(Tag.builder().key("curfew:owner").build()));
        proxy.always(c -> c.name().equals("ec2:CreateTags"), FaultProxy.Fault.SERVER_ERROR);

        Map<String, Object> out = stateChange(ids.get(0), 72, "terminated", "2026-11-25T17:00:00Z");

        assertThat(out).doesNotContainKeys("unrecorded", "ownerTagged", "ownerTagCorrected");
        assertThat(record(ids.get(0), "2026-11-25T17:00:00Z", "end")).isEqualTo("t3.micro hana");
        assertThat(ownerTag(ids.get(0))).isNull();
    }

    @Test
    @SuppressWarnings("unchecked")
    void inDryRunAFleetsInstancesAreCheckedAsTheCallersAndNothingIsRecorded() throws Exception {
        String sfr = taggedSpotFleet(2);
        List<String> ids = spotFleetInstances(sfr);

        Map<String, Object> out;
        try (SentinelHandler dry = Sentinels.handler(moto, Map.of("aws.endpoint-url", proxy.endpoint(),
                "curfew.policy", CAP_OF_ONE, "curfew.mode", "dry-run"))) {
            out = spotFleetEvent(dry, sfr, "ivan", 81);
        }

        assertThat((Map<String, Map<String, Object>>) out.get("limits")).containsOnlyKeys(ids)
                .allSatisfy((id, v) -> assertThat(v).containsEntry("owner", "ivan"));
        assertThat(out).doesNotContainKeys("fleetOwnersRecorded", "ownersRecorded", "unrecorded");
        assertThat(owner(sfr)).isNull();
        for (String i : ids) {
            assertThat(owner(i)).isNull();
            assertThat(ownerTag(i)).isNull();
        }
    }
}
