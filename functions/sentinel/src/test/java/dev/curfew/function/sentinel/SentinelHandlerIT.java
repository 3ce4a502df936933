package dev.curfew.function.sentinel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.curfew.core.sentinel.BadEventException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.ec2.model.TagDescription;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * The deployed handler, fed the sample events of events/ with their ids rewritten to resources made first in the
 * moto server; the tags that result are read back through the SDK.
 */
class SentinelHandlerIT extends Sentinels {
    static final String ALICE = "arn:aws:iam::123456789012:user/alice";
    static final String BOB = "arn:aws:sts::123456789012:assumed-role/StudentRole/bob";
    /** The next curfew after the samples' call time (10:00Z on 25 November): 18:00 in Amsterdam. */
    static final String EXPIRES = "2026-11-25T17:00:00Z";
    static LogMessenger messages;

    @BeforeAll
    static void start() {
        messages = handler.getApplicationContext().getBean(LogMessenger.class);
    }

    @BeforeEach
    void account() {
        messages.clear();
    }

    static String runInstance(String type, Tag... tags) {
        return ec2().runInstances(b -> {
            b.imageId("ami-12c6146b").instanceType(type).minCount(1).maxCount(1);
            if (tags.length > 0) {
                b.tagSpecifications(t -> t.resourceType("instance").tags(tags));
            }
        }).instances().get(0).instanceId();
    }

    static Map<String, String> tags(String id) {
        Map<String, String> out = new LinkedHashMap<>();
        for (TagDescription t : ec2().describeTags(b -> b.filters(Filter.builder().name("resource-id").values(id)
                .build())).tags()) {
            out.put(t.key(), t.value());
        }
        return out;
    }

    static Map<String, Object> handle(SentinelHandler h, String file, String... fromTo) throws Exception {
        return h.handleRequest(Events.parse(json, Events.rewritten(file, fromTo)), null);
    }

    static Map<String, Object> handle(String file, String... fromTo) throws Exception {
        return handle(handler, file, fromTo);
    }

    static void assertCreatedByAlice(Map<String, String> tags) {
        assertThat(tags).containsEntry("curfew:owner", "alice").containsEntry("curfew:created-by", ALICE)
                .containsEntry("curfew:expires-at", EXPIRES);
    }

    @Test
    void runInstancesTagsTheInstanceWelcomesItsOwnerOnceAndARepeatChangesNothing() throws Exception {
        String id = runInstance("t3.micro");

        Map<String, Object> out = handle("sentinel-runinstances.json", Events.INSTANCE, id);

        assertCreatedByAlice(tags(id));
        assertThat(out).containsEntry("outcome", "tagged 1 resource(s)");
        assertThat(messages.sent()).singleElement().satisfies(m -> {
            assertThat(m.kind()).isEqualTo("welcome");
            assertThat(m.to()).isEqualTo("alice");
            assertThat(m.text()).contains("18:00").contains("curfew:keep=YYYY-MM-DD").contains(id);
        });

        assertThat(clients.ssm(EU).getParameter(b -> b.name("/curfew/curfew/welcomed/alice")).parameter().value())
                .as("the first welcome is recorded under the stack's name").isEqualTo("2026-11-25T10:00:00Z");

        Map<String, Object> again = handle("sentinel-runinstances.json", Events.INSTANCE, id);
        assertCreatedByAlice(tags(id));
        assertThat(again.get("tagged")).isEqualTo(Map.of(id, Map.of()));
        assertThat(messages.sent()).hasSize(1);
    }

    @Test
    void anExistingOwnerIsNeverOverwritten() throws Exception {
        String id = runInstance("t3.micro", Tag.builder().key("curfew:owner").value("carol").build());

        handle("sentinel-runinstances.json", Events.INSTANCE, id);

        assertThat(tags(id)).containsEntry("curfew:owner", "carol").containsEntry("curfew:created-by", ALICE)
                .containsEntry("curfew:expires-at", EXPIRES);
    }

    @Test
    void createVolumeThroughARoleThePolicyNamesIsOwnedByTheRoleSession() throws Exception {
        String vol = ec2().createVolume(b -> b.size(8).availabilityZone("eu-west-1a")).volumeId();
        java.nio.file.Path named = java.nio.file.Files.createTempFile("sentinel-roles-", ".yaml");
        java.nio.file.Files.writeString(named, "time-zone: Europe/Amsterdam\nidentity:\n  student-roles: [StudentRole]\n");
        try (SentinelHandler h = Sentinels.handler(moto, Map.of("curfew.policy", named.toString()))) {
            handle(h, "sentinel-createvolume.json", Events.VOLUME, vol);
            assertThat(h.getApplicationContext().getBean(LogMessenger.class).sent())
                    .extracting(SentinelMessage::to).containsExactly("bob");
        } finally {
            java.nio.file.Files.deleteIfExists(named);
        }

        assertThat(tags(vol)).containsEntry("curfew:owner", "bob").containsEntry("curfew:created-by", BOB)
                .containsEntry("curfew:expires-at", EXPIRES);
    }

    @Test
    void createVolumeThroughARoleThePolicyDoesNotNameIsNobodysAndTagsNothing() throws Exception {
        String vol = ec2().createVolume(b -> b.size(8).availabilityZone("eu-west-1a")).volumeId();

        Map<String, Object> out = handle("sentinel-createvolume.json", Events.VOLUME, vol);

        assertThat((String) out.get("outcome")).startsWith("not tagged: not a student's")
                .contains("identity.student-roles");
        assertThat(tags(vol)).isEmpty();
        assertThat(messages.sent()).isEmpty();
    }

    @Test
    void createBucketMergesWithTheTagsTheBucketHas() throws Exception {
        var s3 = clients.s3();
        s3.createBucket(b -> b.bucket(Events.BUCKET).createBucketConfiguration(c -> c.locationConstraint(EU)));
        s3.putBucketTagging(b -> b.bucket(Events.BUCKET).tagging(t -> t.tagSet(
                software.amazon.awssdk.services.s3.model.Tag.builder().key("project").value("lab3").build())));

        handle("sentinel-createbucket.json");

        Map<String, String> tags = new LinkedHashMap<>();
        s3.getBucketTagging(b -> b.bucket(Events.BUCKET)).tagSet().forEach(t -> tags.put(t.key(), t.value()));
        assertThat(tags).containsEntry("project", "lab3");
        assertCreatedByAlice(tags);
    }

    @Test
    void createBucketWithoutTagsGetsTheOwnerTags() throws Exception {
        var s3 = clients.s3();
        s3.createBucket(b -> b.bucket("lab-alice-2").createBucketConfiguration(c -> c.locationConstraint(EU)));

        handle("sentinel-createbucket.json", Events.BUCKET, "lab-alice-2");

        Map<String, String> tags = new LinkedHashMap<>();
        s3.getBucketTagging(b -> b.bucket("lab-alice-2")).tagSet().forEach(t -> tags.put(t.key(), t.value()));
        assertCreatedByAlice(tags);
    }

    static Map<String, String> bucketTags(String bucket) {
        Map<String, String> tags = new LinkedHashMap<>();
        try {
            clients.s3().getBucketTagging(b -> b.bucket(bucket)).tagSet().forEach(t -> tags.put(t.key(), t.value()));
        } catch (S3Exception e) {
            assertThat(e.awsErrorDetails().errorCode()).isEqualTo("NoSuchTagSet");
        }
        return tags;
    }

    @Test
    @SuppressWarnings("unchecked")
    void theBucketsHoldingThePolicyAndTheRosterAreNeverTagged() throws Exception {
        var s3 = clients.s3();
        for (String b : List.of("curfew-config", "curfew-people", "lab-alice-3")) {
            s3.createBucket(x -> x.bucket(b).createBucketConfiguration(c -> c.locationConstraint(EU)));
        }
        s3.putObject(b -> b.bucket("curfew-config").key("course/policy.yaml"),
                software.amazon.awssdk.core.sync.RequestBody.fromString("course: Sentinel tests\n"));
        s3.putObject(b -> b.bucket("curfew-people").key("roster.csv"),
                software.amazon.awssdk.core.sync.RequestBody.fromString("owner,name\nalice,Alice\n"));
        SentinelHandler h = Sentinels.handler(moto, Map.of("curfew.policy", "s3://curfew-config/course/policy.yaml",
                "curfew.roster", "s3://curfew-people/roster.csv"));
        try {
            Map<String, Object> policyBucket = handle(h, "sentinel-createbucket.json", Events.BUCKET, "curfew-config");
            Map<String, Object> rosterBucket = handle(h, "sentinel-createbucket.json", Events.BUCKET, "curfew-people");
            handle(h, "sentinel-createbucket.json", Events.BUCKET, "lab-alice-3");

            assertThat(bucketTags("curfew-config")).isEmpty();
            assertThat(bucketTags("curfew-people")).isEmpty();
            assertThat((List<String>) policyBucket.get("notes"))
                    .containsExactly("the bucket curfew-config holds Curfew's policy: never tagged");
            assertThat((List<String>) rosterBucket.get("notes"))
                    .containsExactly("the bucket curfew-people holds the roster: never tagged");
            assertCreatedByAlice(bucketTags("lab-alice-3")); // the same event for a student's bucket
        } finally {
            h.close();
        }
    }

    @Test
    void aRunOfSeveralInstancesIsTaggedInOneCall() throws Exception {
        List<String> ids = ec2().runInstances(b -> b.imageId("ami-12c6146b").instanceType("t3.micro").minCount(2)
                .maxCount(2)).instances().stream().map(i -> i.instanceId()).toList();
        String event = Events.rewritten("sentinel-runinstances.json").replace(
                "\"items\": [\n          {\n            \"instanceId\": \"" + Events.INSTANCE + "\"",
                "\"items\": [{\"instanceId\": \"" + ids.get(0) + "\"},\n          {\n            \"instanceId\": \""
                        + ids.get(1) + "\"");

        Map<String, Object> out = handler.handleRequest(Events.parse(json, event), null);

        for (String id : ids) {
            assertCreatedByAlice(tags(id));
        }
        assertThat(out.get("awsCalls").toString()).as("within the cap of 2: no limit bookkeeping either")
                .contains("ec2:CreateTags=1,");
    }

    @Test
    void allocateAddressSpotRequestSnapshotAndImageAreTagged() throws Exception {
        String alloc = ec2().allocateAddress(b -> b.domain("vpc")).allocationId();
        handle("sentinel-allocateaddress.json", Events.ALLOCATION, alloc);
        assertCreatedByAlice(tags(alloc));

        String sir = ec2().requestSpotInstances(b -> b.spotPrice("0.05").instanceCount(1)
                .launchSpecification(l -> l.imageId("ami-12c6146b").instanceType("t3.micro")))
                .spotInstanceRequests().get(0).spotInstanceRequestId();
        handle("sentinel-requestspotinstances.json", Events.SPOT_REQUEST, sir);
        assertCreatedByAlice(tags(sir));

        String vol = ec2().createVolume(b -> b.size(8).availabilityZone("eu-west-1a")).volumeId();
        String snap = ec2().createSnapshot(b -> b.volumeId(vol)).snapshotId();
        handle("sentinel-createsnapshot.json", Events.SNAPSHOT, snap, Events.VOLUME, vol);
        assertCreatedByAlice(tags(snap));

        String instance = runInstance("t3.micro");
        String ami = ec2().createImage(b -> b.instanceId(instance).name("alice-lab-image")).imageId();
        handle("sentinel-createimage.json", Events.IMAGE, ami, Events.INSTANCE, instance);
        assertCreatedByAlice(tags(ami));

        assertThat(messages.sent()).as("one welcome per owner").hasSize(1);
    }

    @Test
    void runJobFlowTagsTheEmrCluster() throws Exception {
        var emr = clients.emr(EU);
        String cluster = emr.runJobFlow(b -> b.name("alice-spark").releaseLabel("emr-7.5.0")
                .serviceRole("EMR_DefaultRole").jobFlowRole("EMR_EC2_DefaultRole")
                .instances(i -> i.instanceCount(1).masterInstanceType("m5.xlarge")
                        .keepJobFlowAliveWhenNoSteps(true))).jobFlowId();

        handle("sentinel-runjobflow.json", Events.CLUSTER, cluster);

        Map<String, String> tags = new LinkedHashMap<>();
        emr.describeCluster(b -> b.clusterId(cluster)).cluster().tags().forEach(t -> tags.put(t.key(), t.value()));
        assertCreatedByAlice(tags);
    }

    @Test
    void aFailedCallAndCurfewsOwnCallsAreSkipped() throws Exception {
        String id = runInstance("t3.micro");
        String failed = Events.rewritten("sentinel-runinstances.json", Events.INSTANCE, id)
                .replace("\"eventType\": \"AwsApiCall\"", "\"errorCode\": \"Client.UnauthorizedOperation\", "
                        + "\"eventType\": \"AwsApiCall\"");
        Map<String, Object> out = handler.handleRequest(Events.parse(json, failed), null);
        assertThat((String) out.get("outcome")).startsWith("skipped: the call failed");

        String own = Events.rewritten("sentinel-createvolume.json", Events.VOLUME, id)
                .replace("assumed-role/StudentRole/bob", "assumed-role/curfew-SweeperFunctionRole-1A2B3C/curfew-Sweeper");
        Map<String, Object> out2 = handler.handleRequest(Events.parse(json, own), null);
        assertThat((String) out2.get("outcome")).startsWith("skipped: made by Curfew itself");

        assertThat(tags(id)).isEmpty();
        assertThat(messages.sent()).isEmpty();
    }

    @Test
    void instancesAnAwsServiceLaunchesAreNotGivenItsSessionAsOwnerNorStopped() throws Exception {
        String node = runInstance("m5.xlarge", Tag.builder().key("aws:elasticmapreduce:job-flow-id")
                .value("j-2AXXXXXXGAPLF").build());
        String byEmr = Events.rewritten("sentinel-runinstances.json", Events.INSTANCE, node)
                .replace("\"sourceIPAddress\": \"203.0.113.7\"",
                        "\"sourceIPAddress\": \"elasticmapreduce.amazonaws.com\"")
                .replace("arn:aws:iam::123456789012:user/alice",
                        "arn:aws:sts::123456789012:assumed-role/EMR_DefaultRole/ElasticMapReduceSession");
        Map<String, Object> out = handler.handleRequest(Events.parse(json, byEmr), null);
        assertThat(out).containsEntry("outcome",
                "skipped: made by elasticmapreduce.amazonaws.com on someone's behalf");

        try (SentinelHandler h = stopping("enforce")) {
            Map<String, Object> running = handle(h, "sentinel-state-running.json", Events.INSTANCE, node);
            assertThat(running.toString()).contains("part of the EMR cluster j-2AXXXXXXGAPLF");
        }
        assertThat(state(node)).isEqualTo("running");
        assertThat(tags(node)).doesNotContainKey("curfew:owner");
        assertThat(messages.sent()).isEmpty();
    }

    @Test
    void foreignAndMalformedEventsAreRejectedNamingTheFieldAndChangeNothing() throws Exception {
        String id = runInstance("t3.xlarge");
        Map<String, String> before = tags(id);
        String good = Events.rewritten("sentinel-runinstances.json", Events.INSTANCE, id);
        Map<String, String> cases = new LinkedHashMap<>();
        cases.put("source", good.replace("\"source\": \"aws.ec2\"", "\"source\": \"aws.health\""));
        cases.put("detail-type", good.replace("AWS API Call via CloudTrail", "AWS Health Event"));
        cases.put("detail.eventName", good.replace("\"eventName\": \"RunInstances\"",
                "\"eventName\": \"DescribeInstances\""));
        cases.put("detail.responseElements.instancesSet", good.replace("\"instancesSet\": {\n        \"items\": [\n"
                + "          {\n            \"instanceId\"", "\"instancesZet\": {\n        \"items\": [\n"
                + "          {\n            \"instanceId\""));
        cases.put("detail.userIdentity.arn", good.replace("\"arn\": \"arn:aws:iam::123456789012:user/alice\"",
                "\"arn\": 42"));
        cases.put("account", good.replace("\"account\": \"123456789012\"", "\"account\": \"12345678901\""));
        cases.put("detail.instance-id", Events.text("sentinel-state-running.json")
                .replace("\"instance-id\": \"i-0a1b2c3d4e5f60718\"", "\"instance-id\": \"" + id + "x\""));
        cases.put("time", good.replace("\"time\": \"2026-11-25T10:00:03Z\"", "\"time\": \"yesterday\""));
        for (var c : cases.entrySet()) {
            assertThat(c.getValue()).as(c.getKey()).isNotEqualTo(good);
            assertThatThrownBy(() -> handler.handleRequest(Events.parse(json, c.getValue()), null))
                    .as(c.getKey()).isInstanceOf(BadEventException.class).hasMessageStartingWith(c.getKey() + ":");
        }
        assertThatThrownBy(() -> handler.handleRequest(Map.of("hello", "world"), null))
                .isInstanceOf(BadEventException.class).hasMessageStartingWith("source:");
        assertThat(tags(id)).isEqualTo(before);
        assertThat(ec2().describeInstances(b -> b.instanceIds(id)).reservations().get(0).instances().get(0).state()
                .nameAsString()).isEqualTo("running");
        assertThat(messages.sent()).isEmpty();
    }

    @Test
    void aRunningInstanceOfATypeNotAllowedIsToldAboutOnceByDefault() throws Exception {
        String id = runInstance("t3.xlarge", Tag.builder().key("curfew:owner").value("alice").build());

        Map<String, Object> out = handle("sentinel-state-running.json", Events.INSTANCE, id);

        assertThat(out.toString()).contains("instance type t3.xlarge is not allowed");
        assertThat(tags(id)).containsEntry("curfew:expires-at", EXPIRES);
        assertThat(clients.ssm(EU).getParameter(b -> b.name("/curfew/curfew/limits-told/eu-west-1/" + id + "/type"))
                .parameter().value()).startsWith("2026-11-25T10:00:30Z event ");
        assertThat(messages.sent()).singleElement().satisfies(m -> {
            assertThat(m.kind()).isEqualTo("launch-limits");
            assertThat(m.to()).isEqualTo("alice");
        });
        handle("sentinel-state-running.json", Events.INSTANCE, id);
        handle("sentinel-runinstances.json", Events.INSTANCE, id);
        assertThat(messages.sent()).as("the RunInstances event welcomes alice, and tells her nothing new")
                .extracting(SentinelMessage::kind).containsExactly("launch-limits", "welcome");
        assertThat(state(id)).isEqualTo("running");
    }

    @Test
    void anUntaggedRunningInstanceGetsAnExpiryButNoGuessedOwner() throws Exception {
        String id = runInstance("t3.micro");

        Map<String, Object> out = handle("sentinel-state-running.json", Events.INSTANCE, id);

        assertThat(tags(id)).containsEntry("curfew:expires-at", EXPIRES).doesNotContainKey("curfew:owner");
        assertThat(out.toString()).contains("owner not known yet");
        assertThat(messages.sent()).isEmpty();
    }

    @Test
    void snapStartPrimingTagsStopsAndSendsNothing() throws Exception {
        String id = runInstance("m5.large", Tag.builder().key("curfew:owner").value("alice").build());
        SentinelService service = handler.getApplicationContext().getBean(SentinelService.class);

        assertThat(service.priming().prime()).isTrue();

        assertThat(state(id)).isEqualTo("running");
        assertThat(tags(id)).containsOnlyKeys("curfew:owner");
        assertThat(messages.sent()).isEmpty();
    }

    static String state(String id) {
        return ec2().describeInstances(b -> b.instanceIds(id)).reservations().get(0).instances().get(0).state()
                .nameAsString();
    }

    static SentinelHandler stopping(String mode) {
        return Sentinels.handler(moto, Map.of("curfew.policy",
                java.nio.file.Path.of("src/test/resources/sentinel-it-policy.yaml").toAbsolutePath().toString(),
                "curfew.mode", mode));
    }

    @Test
    void overTheCapThePolicyStopsTheInstanceAndKeptOrAllowListedOnesAreLeft() throws Exception {
        Tag alice = Tag.builder().key("curfew:owner").value("alice").build();
        String first = runInstance("t3.micro", alice);
        String second = runInstance("t3.micro", alice);
        String kept = runInstance("t3.micro", alice, Tag.builder().key("curfew:keep").value("2026-11-26").build());
        try (SentinelHandler h = stopping("enforce")) {
            LogMessenger told = h.getApplicationContext().getBean(LogMessenger.class);

            Map<String, Object> out = handle(h, "sentinel-state-running.json", Events.INSTANCE, kept);
            assertThat(state(kept)).isEqualTo("running");
            assertThat(out.toString()).contains("kept until the end of 2026-11-26");

            handle(h, "sentinel-state-running.json", Events.INSTANCE, second);
            assertThat(state(second)).isEqualTo("stopped");
            // the record IAM requires for the stop, written just before it; the others carry none
            assertThat(tags(second).get("curfew:action")).startsWith("stop@");
            assertThat(tags(first)).doesNotContainKey("curfew:action");
            assertThat(tags(kept)).doesNotContainKey("curfew:action");
            assertThat(told.sent()).singleElement().satisfies(m -> assertThat(m.text())
                    .contains("alice has 3 running instances").contains("Curfew stopped it"));

            Map<String, Object> again = handle(h, "sentinel-state-running.json", Events.INSTANCE, second);
            assertThat(again.toString()).contains("not running (stopped): nothing to do");
            assertThat(told.sent()).hasSize(1);
            assertThat(state(first)).isEqualTo("running");
        }
    }

    @Test
    void inDryRunNothingIsStoppedTheOwnerIsOnlyTold() throws Exception {
        String id = runInstance("m5.large", Tag.builder().key("curfew:owner").value("alice").build());
        try (SentinelHandler h = stopping("dry-run")) {
            LogMessenger told = h.getApplicationContext().getBean(LogMessenger.class);

            Map<String, Object> out = handle(h, "sentinel-state-running.json", Events.INSTANCE, id);

            assertThat(state(id)).isEqualTo("running");
            assertThat(tags(id)).as("no expiry, no curfew:action: dry-run writes nothing")
                    .containsOnlyKeys("curfew:owner");
            assertThat(clients.ssm(EU).getParametersByPath(b -> b.path("/curfew").recursive(true)).parameters())
                    .as("no record of the message").isEmpty();
            assertThat(out.toString()).contains("wouldTag={" + id + "={curfew:expires-at=" + EXPIRES + "}}")
                    .contains("wouldRecord=[/curfew/curfew/limits-told/eu-west-1/" + id + "/type]")
                    .contains("not delivered: in dry-run");
            assertThat(told.sent()).singleElement().satisfies(m -> {
                assertThat(m.text()).contains("m5.large is not allowed").contains("dry-run: it would stop it");
                assertThat(m.dryRun()).isTrue();
            });
        }
    }

    @Test
    void aSpotInterruptionWarningTellsTheOwnerOnce() throws Exception {
        String id = runInstance("t3.micro", Tag.builder().key("curfew:owner").value("alice").build());

        Map<String, Object> out = handle("sentinel-spot-interruption.json", Events.INSTANCE, id);
        handle("sentinel-spot-interruption.json", Events.INSTANCE, id);

        assertThat(out).containsEntry("outcome", "told alice");
        assertThat(messages.sent()).singleElement().satisfies(m -> {
            assertThat(m.kind()).isEqualTo("spot-interruption");
            assertThat(m.to()).isEqualTo("alice");
            assertThat(m.text()).contains(id).contains("terminated");
        });
        assertThat(clients.ssm(EU).getParameter(b -> b.name("/curfew/curfew/interruption-told/eu-west-1/" + id))
                .parameter().value()).startsWith("2026-11-25T14:00:00Z event ");
        assertThat(tags(id)).as("recorded in SSM, not on the instance").doesNotContainKey("curfew:interruption-told");
    }

    @Test
    void aSpotInterruptionOfAnUnknownOwnerGoesToTheInstructor() throws Exception {
        String id = runInstance("t3.micro");
        handle("sentinel-spot-interruption.json", Events.INSTANCE, id);
        assertThat(messages.sent()).extracting(SentinelMessage::to).containsExactly("instructor");
    }

    @Test
    void aStateOtherThanRunningChecksNoLimits() throws Exception {
        String id = runInstance("t3.xlarge");
        Map<String, Object> out = handler.handleRequest(Events.parse(json, Events.rewritten(
                "sentinel-state-running.json", Events.INSTANCE, id).replace("\"state\": \"running\"",
                "\"state\": \"stopping\"")), null);
        // only the run's end is recorded (SentinelRunRecordsIT)
        assertThat((String) out.get("outcome")).startsWith("recorded: the run ended (stopping)");
        assertThat(out).doesNotContainKey("limits");
        assertThat(tags(id)).isEmpty();
        List<SentinelMessage> none = messages.sent();
        assertThat(none).isEmpty();
    }

    @Test
    void anAccountNotInThePolicyIsLeftAloneAndADisabledSentinelDoesNothing() throws Exception {
        String id = runInstance("t3.xlarge", Tag.builder().key("curfew:owner").value("alice").build());
        try (SentinelHandler h = Sentinels.handler(moto, Map.of("curfew.accounts", "210987654321"))) {
            assertThatThrownBy(() -> handle(h, "sentinel-state-running.json", Events.INSTANCE, id))
                    .isInstanceOf(dev.curfew.core.sweep.AccountGuardException.class)
                    .hasMessageContaining("account 123456789012 is not among the policy's accounts [210987654321]");
        }
        java.nio.file.Path off = java.nio.file.Files.createTempFile("sentinel-off-", ".yaml");
        java.nio.file.Files.writeString(off, "sentinel:\n  enabled: false\n");
        try (SentinelHandler h = Sentinels.handler(moto, Map.of("curfew.policy", off.toString()))) {
            Map<String, Object> out = handle(h, "sentinel-runinstances.json", Events.INSTANCE, id);
            assertThat(out).containsEntry("outcome", "ignored: the policy's sentinel.enabled is false");
        } finally {
            java.nio.file.Files.deleteIfExists(off);
        }
        assertThat(tags(id)).containsOnlyKeys("curfew:owner");
        assertThat(messages.sent()).isEmpty();
    }

    @Test
    void aBucketThatIsGoneIsAnErrorNotASilentSuccess() {
        assertThatThrownBy(() -> handle("sentinel-createbucket.json", Events.BUCKET, "no-such-bucket-here"))
                .isInstanceOf(S3Exception.class);
    }
}
