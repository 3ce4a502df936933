package dev.curfew.core.launch;

import static dev.curfew.core.launch.LaunchWorld.ALICE;
import static dev.curfew.core.launch.LaunchWorld.BOB;
import static dev.curfew.core.launch.LaunchWorld.body;
import static dev.curfew.core.launch.LaunchWorld.call;
import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class LauncherTest {
    LaunchWorld w = new LaunchWorld();

    @SuppressWarnings("unchecked")
    static Map<String, Object> json(HttpAnswer a) {
        return (Map<String, Object>) JsonBody.parse(a.body());
    }

    @Test
    @SuppressWarnings("unchecked")
    void launchesAOneTimeSpotInstanceInTheCheapestZoneWithTagsAndAnSshRuleForTheCaller() {
        HttpAnswer a = w.launch(body("t3.micro", 2, "alice-key"));

        assertThat(a.status()).as(a.body()).isEqualTo(201);
        Map<String, Object> out = json(a);
        assertThat(out).containsEntry("zone", "eu-west-1b").containsEntry("owner", "alice")
                .containsEntry("region", "eu-west-1").containsEntry("expiresAt", "2026-11-25T12:00:00Z");
        assertThat(a.headers()).containsEntry("Location", "/instances/" + out.get("instanceId"));

        SpotLaunchSpec spec = w.cloud.launches.get(0);
        assertThat(spec.zone()).isEqualTo("eu-west-1b");
        assertThat(spec.maxPrice()).isEqualByComparingTo("0.05");
        assertThat(spec.instanceType()).isEqualTo("t3.micro");
        assertThat(spec.keyName()).isEqualTo("alice-key");
        assertThat(spec.imageId()).isEqualTo("ami-0123456789abcdef0");
        assertThat(spec.tags()).isEqualTo(Map.of("curfew:owner", "alice", "curfew:created-by", ALICE,
                "curfew:expires-at", "2026-11-25T12:00:00Z"));
        SshGroupSpec group = w.cloud.groupSpecs.get(spec.securityGroupId());
        assertThat(group.cidr()).isEqualTo("203.0.113.7/32");
        assertThat(group.tags()).isEqualTo(spec.tags());
        assertThat(group.name()).startsWith("curfew-ssh-alice-20261125T100000Z-");
        assertThat(w.cloud.reads).contains("image eu-west-1 "
                + "ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64");
        assertThat(w.cloud.reads).contains("prices eu-west-1 t3.micro 2026-11-25T09:00:00Z 2026-11-25T10:00:00Z");

        Map<String, Object> price = (Map<String, Object>) out.get("price");
        assertThat(price).containsEntry("spotPerHour", "0.0038").containsEntry("onDemandPerHour", "0.0114")
                .containsEntry("savingPercent", new BigDecimal("67")).containsEntry("maxPricePerHour", "0.05");
        Map<String, Object> ssh = (Map<String, Object>) out.get("ssh");
        assertThat(ssh).containsEntry("command", "ssh -i ~/.ssh/alice-key.pem ec2-user@54.1.2.3")
                .containsEntry("allowedFrom", "203.0.113.7/32");
        assertThat((String) out.get("message")).contains("ssh -i ~/.ssh/alice-key.pem ec2-user@54.1.2.3")
                .contains("$0.0038/h spot").contains("67% less");
    }

    @Test
    void aRegionInTheBodyIsUsedAndItsOwnPricesCount() {
        HttpAnswer a = w.launch("{\"instanceType\":\"t3.micro\",\"hours\":1,\"keyName\":\"alice-key\","
                + "\"region\":\"us-east-1\"}");
        assertThat(a.status()).as(a.body()).isEqualTo(201);
        assertThat(json(a)).containsEntry("zone", "us-east-1a");
        assertThat(w.cloud.launches.get(0).region()).isEqualTo("us-east-1");
    }

    @Test
    void aBase64BodyIsDecoded() {
        String b = Base64.getEncoder().encodeToString(body("t3.micro", 1, "alice-key").getBytes(StandardCharsets.UTF_8));
        HttpCall c = new HttpCall("POST", "/instances", Map.of(), Map.of("content-type", "application/octet-stream"),
                b, true, ALICE, "123456789012", "203.0.113.7", "req-1", null);
        assertThat(w.launcher.handle(c).status()).isEqualTo(201);
    }

    @Test
    void askingForTextGetsTheMessageAlone() {
        HttpCall c = new HttpCall("POST", "/instances", Map.of(), Map.of("Accept", "text/plain"),
                body("t3.micro", 1, "alice-key"), false, ALICE, "123456789012", "203.0.113.7", "req-1", null);
        HttpAnswer a = w.launcher.handle(c);
        assertThat(a.headers()).containsEntry("Content-Type", "text/plain; charset=utf-8");
        assertThat(a.body()).startsWith("Launched i-").contains("ssh -i ~/.ssh/alice-key.pem ec2-user@54.1.2.3");
    }

    /** Each bad request: the status a client expects, a message that names the problem, and nothing created. */
    static Stream<Arguments> badRequests() {
        String ok = body("t3.micro", 2, "alice-key");
        return Stream.of(
                Arguments.of("forged owner in the body", call("POST", "/instances",
                        "{\"instanceType\":\"t3.micro\",\"hours\":2,\"keyName\":\"alice-key\",\"owner\":\"bob\"}", ALICE),
                        403, "owner-in-body"),
                Arguments.of("forged owner tag in the body", call("POST", "/instances",
                        "{\"instanceType\":\"t3.micro\",\"hours\":2,\"keyName\":\"alice-key\","
                                + "\"tags\":{\"curfew:owner\":\"bob\"}}", ALICE), 403, "owner-in-body"),
                Arguments.of("forged owner in the query", call("POST", "/instances", Map.of("owner", "bob"), ok, ALICE,
                        "203.0.113.7"), 403, "owner-in-body"),
                Arguments.of("no identity", call("POST", "/instances", ok, null), 403, "no-identity"),
                Arguments.of("an unknown identity shape", call("POST", "/instances", ok,
                        "arn:aws:iam::123456789012:role/x"), 403, "unknown-identity"),
                Arguments.of("another account", call("POST", "/instances", ok, "arn:aws:iam::999999999999:user/alice"),
                        403, "account-not-enrolled"),
                Arguments.of("disallowed type", call("POST", "/instances", body("p4d.24xlarge", 2, "alice-key"), ALICE),
                        400, "type-not-allowed"),
                Arguments.of("too many hours", call("POST", "/instances", body("t3.micro", 5, "alice-key"), ALICE),
                        400, "too-many-hours"),
                Arguments.of("unknown region", call("POST", "/instances",
                        "{\"instanceType\":\"t3.micro\",\"hours\":2,\"keyName\":\"alice-key\",\"region\":\"ap-south-1\"}",
                        ALICE), 400, "region-not-allowed"),
                Arguments.of("huge body", call("POST", "/instances", "{\"instanceType\":\"t3.micro\",\"hours\":2,"
                        + "\"keyName\":\"" + "k".repeat(20_000) + "\"}", ALICE), 413, "body-too-large"),
                Arguments.of("huge base64 body", new HttpCall("POST", "/instances", Map.of(), Map.of(),
                        Base64.getEncoder().encodeToString(new byte[17_000]), true, ALICE, "123456789012",
                        "203.0.113.7", "r", null), 413, "body-too-large"),
                Arguments.of("malformed JSON", call("POST", "/instances", "{\"instanceType\": \"t3.micro\", hours: 2}",
                        ALICE), 400, "malformed-json"),
                Arguments.of("empty body", call("POST", "/instances", "", ALICE), 400, "malformed-json"),
                Arguments.of("not base64", new HttpCall("POST", "/instances", Map.of(), Map.of(), "%%%", true, ALICE,
                        "123456789012", "203.0.113.7", "r", null), 400, "malformed-body"),
                Arguments.of("missing key pair", call("POST", "/instances", body("t3.micro", 2, "nokey"), ALICE),
                        400, "key-pair-not-found"),
                Arguments.of("no source address", call("POST", "/instances", Map.of(), ok, ALICE, null), 400,
                        "no-source-ip"),
                Arguments.of("wrong method on /instances", call("PUT", "/instances", ok, ALICE), 405,
                        "method-not-allowed"),
                Arguments.of("wrong method on an instance", call("POST", "/instances/i-0123456789abcdef0", ok, ALICE),
                        405, "method-not-allowed"),
                Arguments.of("wrong method on /", call("POST", "/", ok, ALICE), 405, "method-not-allowed"),
                Arguments.of("unknown path", call("POST", "/launch", ok, ALICE), 404, "no-such-path"),
                Arguments.of("unknown query parameter", call("POST", "/instances", Map.of("dryRun", "true"), ok, ALICE,
                        "203.0.113.7"), 400, "unknown-parameter"),
                Arguments.of("terminate a bad id", call("DELETE", "/instances/../etc", null, ALICE), 404,
                        "no-such-path"),
                Arguments.of("terminate a malformed id", call("DELETE", "/instances/i-XYZ", null, ALICE), 400,
                        "bad-instance-id"),
                Arguments.of("terminate what is not there", call("DELETE", "/instances/i-0123456789abcdef0", null,
                        ALICE), 404, "no-such-instance"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badRequests")
    void badRequestsAreRefusedAndCreateNothing(String what, HttpCall c, int status, String code) {
        HttpAnswer a = w.launcher.handle(c);

        assertThat(a.status()).as(a.body()).isEqualTo(status);
        Map<String, Object> out = json(a);
        assertThat(out).containsEntry("error", code);
        assertThat((String) out.get("message")).isNotBlank();
        assertThat(w.cloud.changes).as("changes").isEmpty();
        assertThat(w.cloud.instances).isEmpty();
        assertThat(w.cloud.groups).isEmpty();
        if (status == 405) {
            assertThat(a.headers()).containsKey("Allow");
        }
    }

    @Test
    void overThePerStudentCapIsRefusedWith429AndNamesTheRunningOnes() {
        CloudInstance one = w.cloud.add("eu-west-1", "alice", "running");
        CloudInstance two = w.cloud.add("us-east-1", "alice", "pending");
        w.cloud.add("eu-west-1", "alice", "stopped"); // not running: does not count
        w.cloud.add("eu-west-1", "bob", "running"); // someone else's: does not count

        HttpAnswer a = w.launch(body("t3.micro", 1, "alice-key"));

        assertThat(a.status()).isEqualTo(429);
        assertThat(json(a)).containsEntry("error", "too-many-instances")
                .containsEntry("running", List.of(one.id(), two.id()));
        assertThat((String) json(a).get("message")).startsWith("alice already has 2 running instances");
        assertThat(w.cloud.changes).isEmpty();
    }

    @Test
    void countingAndLaunchingHoldTheOwnersLeaseUntilTheNewInstanceIsListed() {
        HttpAnswer a = w.launch(body("t3.micro", 1, "alice-key"));

        assertThat(a.status()).as(a.body()).isEqualTo(201);
        assertThat(w.cloud.leases).containsExactly("acquire alice", "release alice");
        assertThat(w.cloud.reads).contains("listed " + json(a).get("instanceId"));
        assertThat(w.cloud.leased).isEmpty();
    }

    @Test
    void whileAnotherLaunchOfTheSameOwnerHoldsTheLeaseTheAnswerIs429WithRetryAfterAndNothingIsCreated() {
        w.cloud.leased.add("alice"); // another request of alice's, in this or another function instance

        HttpAnswer a = w.launch(body("t3.micro", 1, "alice-key"));

        assertThat(a.status()).as(a.body()).isEqualTo(429);
        assertThat(json(a)).containsEntry("error", "launch-in-progress").containsEntry("maxRunning", new BigDecimal("2"));
        assertThat((String) json(a).get("message")).contains("another launch of alice's is still under way")
                .contains("Nothing was launched");
        assertThat(a.headers()).containsEntry("Retry-After", "5");
        assertThat(w.cloud.changes).isEmpty();
        assertThat(w.cloud.reads).noneMatch(r -> r.startsWith("prices ") || r.startsWith("image "));
    }

    @Test
    void anotherOwnersLeaseDoesNotBlock() {
        w.cloud.leased.add("bob");
        assertThat(w.launch(body("t3.micro", 1, "alice-key")).status()).isEqualTo(201);
        assertThat(w.cloud.leased).containsExactly("bob");
    }

    @Test
    void alreadyOverTheCapIsRefusedWithoutTakingTheLease() {
        w.cloud.add("eu-west-1", "alice", "running");
        w.cloud.add("eu-west-1", "alice", "running");
        assertThat(w.launch(body("t3.micro", 1, "alice-key")).status()).isEqualTo(429);
        assertThat(w.cloud.leases).isEmpty();
    }

    @Test
    void theLeaseIsReleasedWhenTheLaunchFailsOrIsRefusedUnderIt() {
        w.cloud.failRun = new CloudFailure("InsufficientInstanceCapacity", "none", null);
        assertThat(w.launch(body("t3.micro", 1, "alice-key")).status()).isEqualTo(503);
        w.cloud.failRun = null;
        w.cloud.prices.clear();
        assertThat(w.launch(body("t3.micro", 1, "alice-key")).status()).isEqualTo(409);

        assertThat(w.cloud.leases).containsExactly("acquire alice", "release alice", "acquire alice",
                "release alice");
        assertThat(w.cloud.leased).isEmpty();
    }

    @Test
    void oneUnderTheCapMayLaunch() {
        w.cloud.add("eu-west-1", "alice", "running");
        assertThat(w.launch(body("t3.micro", 1, "alice-key")).status()).isEqualTo(201);
    }

    @Test
    void overThePriceCapIsRefusedWith409AndTheCurrentPrices() {
        w.cloud.prices.clear();
        w.cloud.price("eu-west-1a", "t3.micro", "0.0710", LaunchWorld.NOW.minusSeconds(600))
                .price("eu-west-1b", "t3.micro", "0.0650", LaunchWorld.NOW.minusSeconds(60));

        HttpAnswer a = w.launch(body("t3.micro", 1, "alice-key"));

        assertThat(a.status()).isEqualTo(409);
        assertThat(json(a)).containsEntry("error", "over-price-cap").containsEntry("capPerHour", "0.05");
        assertThat((String) json(a).get("message")).contains("eu-west-1b $0.065/h, eu-west-1a $0.071/h");
        assertThat(w.cloud.changes).isEmpty();
    }

    @Test
    void noSpotPriceAtAllIsRefusedWith409() {
        w.cloud.prices.clear();
        HttpAnswer a = w.launch(body("t3.small", 1, "alice-key"));
        assertThat(a.status()).isEqualTo(409);
        assertThat(json(a)).containsEntry("error", "no-spot-price");
        assertThat(w.cloud.changes).isEmpty();
    }

    @Test
    void theAccountGuardRefusesWith503InAnAccountThePolicyDoesNotList() {
        w.policyText = LaunchWorld.POLICY.replace("accounts: [\"123456789012\"]", "accounts: [\"111111111111\"]");

        HttpAnswer a = w.launch(body("t3.micro", 1, "alice-key"));

        assertThat(a.status()).isEqualTo(503);
        assertThat(json(a)).containsEntry("error", "account-not-allowed");
        assertThat((String) json(a).get("message")).contains("switched off in account 123456789012")
                .contains("111111111111");
        assertThat(w.cloud.changes).isEmpty();
    }

    @Test
    void aPolicyThatCannotBeLoadedIs500AndChangesNothing() {
        w.policyError = new IllegalArgumentException("policy file x.yaml does not exist");
        HttpAnswer a = w.launch(body("t3.micro", 1, "alice-key"));
        assertThat(a.status()).isEqualTo(500);
        assertThat((String) json(a).get("message")).contains("the course policy cannot be loaded")
                .contains("launcher's log").doesNotContain("x.yaml");
        assertThat(w.log).anyMatch(l -> l.contains("policy file x.yaml does not exist"));
        assertThat(w.cloud.changes).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("awsRefusals")
    void awsOwnWordsGoToTheLogNeverToTheStudent(String code, int status, String error) {
        String secret = "Encoded authorization failure message: 4kZpGxEXAMPLEblob-0123456789abcdef";
        w.cloud.failRun = new CloudFailure(code, "You are not authorized to perform this operation. " + secret
                + " arn:aws:iam::123456789012:role/curfew-LauncherFunctionRole", null);

        HttpAnswer a = w.launch(body("t3.micro", 1, "alice-key"));

        assertThat(a.status()).as(a.body()).isEqualTo(status);
        Map<String, Object> out = json(a);
        assertThat(out).containsEntry("error", error).containsEntry("awsError", code)
                .containsEntry("requestId", "c6af9ac6-7b61-11e6-9a41-93e8deadbeef");
        assertThat(a.body()).doesNotContain("4kZpGxEXAMPLEblob").doesNotContain("Encoded authorization")
                .doesNotContain("not authorized to perform").doesNotContain("LauncherFunctionRole");
        assertThat((String) out.get("message")).contains("Nothing was launched").contains("(" + code + ")");
        assertThat(w.log).anyMatch(l -> l.contains(secret) && l.contains("c6af9ac6-7b61-11e6-9a41-93e8deadbeef"));
        assertThat(w.cloud.groups).isEmpty();
    }

    static Stream<Arguments> awsRefusals() {
        return Stream.of(Arguments.of("UnauthorizedOperation", 500, "launcher-not-permitted"),
                Arguments.of("InsufficientInstanceCapacity", 503, "no-capacity"),
                Arguments.of("InvalidKeyPair.NotFound", 400, "key-pair-not-found"),
                Arguments.of("InvalidAMIID.Malformed", 502, "aws-error"),
                Arguments.of("AuthFailure.ServiceLinkedRoleCreationNotPermitted", 503, "spot-role-missing"));
    }

    @Test
    void anErrorCodeThatIsNotAWordIsNotRepeated() {
        w.cloud.failRun = new CloudFailure("Bad code <script>", "x", null);
        HttpAnswer a = w.launch(body("t3.micro", 1, "alice-key"));
        assertThat(a.status()).isEqualTo(502);
        assertThat(json(a)).containsEntry("awsError", "Unknown");
        assertThat(a.body()).doesNotContain("<script>");
    }

    @Test
    void aFailedLaunchDeletesTheGroupItCreatedAndSaysWhy() {
        w.cloud.failRun = new CloudFailure("InsufficientInstanceCapacity", "no capacity in eu-west-1b", null);

        HttpAnswer a = w.launch(body("t3.micro", 1, "alice-key"));

        assertThat(a.status()).isEqualTo(503);
        assertThat((String) json(a).get("message")).contains("Nothing was launched");
        assertThat(w.cloud.groups).isEmpty();
        assertThat(w.cloud.instances).isEmpty();
    }

    @Test
    void aMissingSpotServiceRoleTellsTheInstructorTheCommand() {
        w.cloud.failRun = new CloudFailure("AuthFailure.ServiceLinkedRoleCreationNotPermitted", "no", null);
        HttpAnswer a = w.launch(body("t3.micro", 1, "alice-key"));
        assertThat(a.status()).isEqualTo(503);
        assertThat((String) json(a).get("message"))
                .contains("aws iam create-service-linked-role --aws-service-name spot.amazonaws.com");
        assertThat(w.cloud.groups).isEmpty();
    }

    @Test
    @SuppressWarnings("unchecked")
    void listShowsOnlyTheCallersInstancesInEveryRegion() {
        CloudInstance mine = w.cloud.add("eu-west-1", "alice", "running");
        CloudInstance mineToo = w.cloud.add("us-east-1", "alice", "stopped");
        w.cloud.add("eu-west-1", "bob", "running");
        w.cloud.add("eu-west-1", null, "running");

        HttpAnswer a = w.launcher.handle(call("GET", "/instances", null, ALICE));

        assertThat(a.status()).isEqualTo(200);
        List<Map<String, Object>> rows = (List<Map<String, Object>>) json(a).get("instances");
        assertThat(rows).extracting(r -> r.get("instanceId")).containsExactlyInAnyOrder(mine.id(), mineToo.id());
        assertThat(json(a)).containsEntry("running", new BigDecimal("1")).containsEntry("owner", "alice");
        assertThat(rows).filteredOn(r -> r.get("instanceId").equals(mine.id())).singleElement()
                .satisfies(r -> assertThat((String) r.get("ssh")).startsWith("ssh -i ~/.ssh/k.pem ec2-user@"));
        assertThat(w.cloud.changes).isEmpty();
    }

    @Test
    void listInOneRegion() {
        w.cloud.add("eu-west-1", "alice", "running");
        w.cloud.add("us-east-1", "alice", "running");
        HttpAnswer a = w.launcher.handle(call("GET", "/instances", Map.of("region", "us-east-1"), null, ALICE, null));
        assertThat(json(a)).containsEntry("running", new BigDecimal("1"));
        HttpAnswer bad = w.launcher.handle(call("GET", "/instances", Map.of("region", "ap-south-1"), null, ALICE, null));
        assertThat(bad.status()).isEqualTo(400);
    }

    @Test
    void terminateMineWorks() {
        CloudInstance mine = w.cloud.add("us-east-1", "alice", "running");

        HttpAnswer a = w.launcher.handle(call("DELETE", "/instances/" + mine.id(), null, ALICE));

        assertThat(a.status()).as(a.body()).isEqualTo(200);
        assertThat(json(a)).containsEntry("state", "shutting-down").containsEntry("previousState", "running");
        assertThat(w.cloud.changes).containsExactly("terminate " + mine.id());
    }

    @Test
    void terminatingSomeoneElsesInstanceIs403AndChangesNothing() {
        CloudInstance bobs = w.cloud.add("eu-west-1", "bob", "running");
        CloudInstance nobodys = w.cloud.add("eu-west-1", null, "running");

        for (CloudInstance i : List.of(bobs, nobodys)) {
            HttpAnswer a = w.launcher.handle(call("DELETE", "/instances/" + i.id(), null, ALICE));
            assertThat(a.status()).isEqualTo(403);
            assertThat(json(a)).containsEntry("error", "not-yours");
            assertThat((String) json(a).get("message")).doesNotContain("bob").contains("Nothing was changed");
        }
        assertThat(w.cloud.changes).isEmpty();
        assertThat(w.cloud.instances.get(bobs.id()).state()).isEqualTo("running");
    }

    @Test
    void bobCanTerminateHisOwnAsASessionOfARole() {
        CloudInstance bobs = w.cloud.add("eu-west-1", "bob", "running");
        HttpAnswer a = w.launcher.handle(call("DELETE", "/instances/" + bobs.id(), null, BOB));
        assertThat(a.status()).isEqualTo(200);
    }

    @Test
    void terminatingTwiceIsHarmless() {
        CloudInstance mine = w.cloud.add("eu-west-1", "alice", "terminated");
        HttpAnswer a = w.launcher.handle(call("DELETE", "/instances/" + mine.id(), null, ALICE));
        assertThat(a.status()).isEqualTo(200);
        assertThat((String) json(a).get("message")).contains("already terminated");
        assertThat(w.cloud.changes).isEmpty();
    }

    @Test
    void terminateIsGuardedToo() {
        CloudInstance mine = w.cloud.add("eu-west-1", "alice", "running");
        w.policyText = LaunchWorld.POLICY.replace("accounts: [\"123456789012\"]", "accounts: [\"111111111111\"]");
        HttpAnswer a = w.launcher.handle(call("DELETE", "/instances/" + mine.id(), null, ALICE));
        assertThat(a.status()).isEqualTo(503);
        assertThat(w.cloud.changes).isEmpty();
    }

    @Test
    void terminatingFreesTheInstancesGroupAndLaunchingCleansExpiredOnes() {
        HttpAnswer first = w.launch(body("t3.micro", 1, "alice-key"));
        String id = (String) json(first).get("instanceId");
        String group = w.cloud.launches.get(0).securityGroupId();

        w.launcher.handle(call("DELETE", "/instances/" + id, null, ALICE));
        assertThat(w.cloud.groups).doesNotContainKey(group);

        // an expired, unused group of alice's (e.g. one AWS would not delete while its instance shut down)
        w.cloud.groups.put("sg-old", new LaunchPort.TaggedGroup("sg-old", "curfew-ssh-alice-old",
                Map.of("curfew:owner", "alice", "curfew:expires-at", "2026-11-25T08:00:00Z")));
        w.cloud.groups.put("sg-future", new LaunchPort.TaggedGroup("sg-future", "curfew-ssh-alice-new",
                Map.of("curfew:owner", "alice", "curfew:expires-at", "2026-11-25T13:00:00Z")));
        w.cloud.groups.put("sg-bobs", new LaunchPort.TaggedGroup("sg-bobs", "curfew-ssh-bob-old",
                Map.of("curfew:owner", "bob", "curfew:expires-at", "2026-11-25T08:00:00Z")));
        w.launch(body("t3.micro", 1, "alice-key"));
        assertThat(w.cloud.groups).doesNotContainKey("sg-old").containsKeys("sg-future", "sg-bobs");
    }

    @Test
    void usageSaysWhatTheCourseAllows() {
        HttpAnswer a = w.launcher.handle(call("GET", "/", null, ALICE));
        assertThat(a.status()).isEqualTo(200);
        assertThat(json(a)).containsEntry("you", "alice");
        assertThat((String) json(a).get("message")).contains("t3.micro, t3.small").contains("up to 4 h")
                .contains("eu-west-1, us-east-1").contains("$0.05/h");
    }

    @Test
    void everyRequestIsLogged() {
        w.launch(body("t3.micro", 5, "alice-key"));
        assertThat(w.log).anySatisfy(l -> assertThat(l).contains("POST /instances by " + ALICE)
                .contains("refused 400 too-many-hours"));
    }
}
