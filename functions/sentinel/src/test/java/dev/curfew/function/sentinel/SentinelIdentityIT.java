package dev.curfew.function.sentinel;

import static org.assertj.core.api.Assertions.assertThat;

import dev.curfew.aws.testing.MotoIdentities;
import dev.curfew.aws.testing.MotoTest;
import io.micronaut.json.JsonMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * What the deployed sentinel tags as a student's, fed CloudTrail CreateBucket events whose caller is a principal
 * STS really issued on the emulator: an IAM user student, an IAM user the policy lists as instructor, a session of a
 * role the policy does not name, a federated user.
 */
class SentinelIdentityIT extends MotoTest {
    static SentinelHandler handler;
    static JsonMapper json;
    static LogMessenger messages;
    static Path policy;
    MotoIdentities ids;

    @BeforeAll
    static void start() throws Exception {
        policy = Files.createTempFile("sentinel-identity-", ".yaml");
        Files.writeString(policy, """
                course: Cloud Computing 101
                time-zone: Europe/Amsterdam
                identity:
                  instructors: ["arn:aws:iam::123456789012:user/staff/*"]
                """);
        handler = Sentinels.handler(moto, Map.of("curfew.policy", policy.toString()));
        json = handler.getApplicationContext().getBean(JsonMapper.class);
        messages = handler.getApplicationContext().getBean(LogMessenger.class);
    }

    @AfterAll
    static void stop() throws Exception {
        handler.close();
        Files.deleteIfExists(policy);
    }

    @BeforeEach
    void account() {
        messages.clear();
        ids = new MotoIdentities(moto);
    }

    /** The sample CreateBucket event, for {@code bucket}, made by {@code who} as CloudTrail records that caller. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> createBucket(String bucket, Map<String, Object> who) throws Exception {
        clients.s3().createBucket(b -> b.bucket(bucket).createBucketConfiguration(c -> c.locationConstraint(EU)));
        Map<String, Object> e = Events.parse(json, Events.rewritten("sentinel-createbucket.json", Events.BUCKET,
                bucket));
        ((Map<String, Object>) e.get("detail")).put("userIdentity", who);
        return handler.handleRequest(e, null);
    }

    static Map<String, Object> iamUser(String arn) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", "IAMUser");
        m.put("arn", arn);
        m.put("accountId", "123456789012");
        m.put("userName", arn.substring(arn.lastIndexOf('/') + 1));
        return m;
    }

    static Map<String, Object> session(String type, String arn, String issuerArn) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", type);
        m.put("arn", arn);
        m.put("accountId", "123456789012");
        m.put("sessionContext", Map.of("sessionIssuer", Map.of("type", type.equals("AssumedRole") ? "Role" : "IAMUser",
                "arn", issuerArn, "accountId", "123456789012")));
        return m;
    }

    static Map<String, String> bucketTags(String bucket) {
        Map<String, String> tags = new LinkedHashMap<>();
        try {
            clients.s3().getBucketTagging(b -> b.bucket(bucket)).tagSet().forEach(t -> tags.put(t.key(), t.value()));
        } catch (S3Exception e) {
            if (!"NoSuchTagSet".equals(e.awsErrorDetails().errorCode())) {
                throw e;
            }
        }
        return tags;
    }

    @Test
    void onlyABucketAStudentMadeIsTaggedAsAStudents() throws Exception {
        String carol = ids.iamUser("/students/", "carol");
        String teacher = ids.iamUser("/staff/", "teacher");
        String roleBob = ids.roleSession("lab-role", "bob");
        String federatedAlice = ids.federatedUser("alice");

        Map<String, Object> byStudent = createBucket("lab-carol-data", iamUser(carol));
        Map<String, Object> byInstructor = createBucket("course-policy", iamUser(teacher));
        Map<String, Object> byRole = createBucket("lab-bob-data", session("AssumedRole", roleBob,
                "arn:aws:iam::123456789012:role/lab-role"));
        Map<String, Object> byFederated = createBucket("lab-alice-data", session("FederatedUser", federatedAlice,
                "arn:aws:iam::123456789012:user/broker"));

        assertThat(bucketTags("lab-carol-data")).containsEntry("curfew:owner", "carol")
                .containsEntry("curfew:created-by", carol).containsKey("curfew:expires-at");
        assertThat(byStudent).containsEntry("owner", "carol");

        assertThat(bucketTags("course-policy")).as("the instructor's bucket").isEmpty();
        assertThat(bucketTags("lab-bob-data")).as("a bucket made through a role the policy does not name").isEmpty();
        assertThat(bucketTags("lab-alice-data")).as("a bucket made by a federated user").isEmpty();
        assertThat((String) byInstructor.get("outcome")).startsWith("not tagged: not a student's")
                .contains("identity.instructors");
        assertThat((String) byRole.get("outcome")).startsWith("not tagged").contains("lab-role");
        assertThat((String) byFederated.get("outcome")).startsWith("not tagged").contains("federated user");
        for (Map<String, Object> out : java.util.List.of(byInstructor, byRole, byFederated)) {
            assertThat(out.get("owner")).isNull();
        }
        assertThat(messages.sent()).extracting(SentinelMessage::to).containsExactly("carol");
    }

    @Test
    void aRunInstancesByARoleSessionThePolicyDoesNotNameGivesNoOwner() throws Exception {
        String roleBob = ids.roleSession("lab-role", "bob");
        String id = clients.ec2(EU).runInstances(b -> b.imageId("ami-12c6146b").instanceType("t3.micro").minCount(1)
                .maxCount(1)).instances().get(0).instanceId();
        @SuppressWarnings("unchecked")
        Map<String, Object> e = Events.parse(json, Events.rewritten("sentinel-runinstances.json", Events.INSTANCE,
                id));
        @SuppressWarnings("unchecked")
        Map<String, Object> detail = (Map<String, Object>) e.get("detail");
        detail.put("userIdentity", session("AssumedRole", roleBob, "arn:aws:iam::123456789012:role/lab-role"));

        Map<String, Object> out = handler.handleRequest(e, null);

        assertThat((String) out.get("outcome")).startsWith("not tagged");
        assertThat(clients.ec2(EU).describeTags(b -> b.filters(f -> f.name("resource-id").values(id))).tags())
                .noneMatch(t -> t.key().equals("curfew:owner") || t.key().equals("curfew:created-by"));
        assertThat(messages.sent()).isEmpty();
    }

    @Test
    @SuppressWarnings("unchecked")
    void aBucketThatExistedBeforeTheCreateBucketCallIsNotTaggedAsTheCallersButANewOneIs() throws Exception {
        String mallory = ids.iamUser("/students/", "mallory");
        // the instructor's bucket, with the course's grades in it
        clients.s3().createBucket(b -> b.bucket("course-grades").createBucketConfiguration(c -> c.locationConstraint(EU)));
        clients.s3().putObject(b -> b.bucket("course-grades").key("grades.csv"),
                software.amazon.awssdk.core.sync.RequestBody.fromString("alice,A\n"));
        // us-east-1 answers mallory's CreateBucket on it with success, and CloudTrail records the call
        Map<String, Object> e = Events.parse(json, Events.rewritten("sentinel-createbucket.json", Events.BUCKET,
                "course-grades"));
        Map<String, Object> detail = (Map<String, Object>) e.get("detail");
        detail.put("userIdentity", iamUser(mallory));
        detail.put("eventTime", java.time.Instant.now().plus(java.time.Duration.ofMinutes(10)).toString());

        Map<String, Object> out = handler.handleRequest(e, null);

        assertThat(bucketTags("course-grades")).as("a bucket that existed before the call").isEmpty();
        assertThat(out.toString()).contains("course-grades is not tagged as mallory's")
                .contains("before the CreateBucket call");
        assertThat(clients.s3().listObjectsV2(b -> b.bucket("course-grades")).keyCount()).isEqualTo(1);

        // a new bucket whose objects were uploaded right after the call is the student's
        Map<String, Object> fresh = Events.parse(json, Events.rewritten("sentinel-createbucket.json", Events.BUCKET,
                "lab-mallory-data"));
        clients.s3().createBucket(b -> b.bucket("lab-mallory-data").createBucketConfiguration(c -> c.locationConstraint(EU)));
        clients.s3().putObject(b -> b.bucket("lab-mallory-data").key("big.csv"),
                software.amazon.awssdk.core.sync.RequestBody.fromString("1,2\n"));
        ((Map<String, Object>) fresh.get("detail")).put("userIdentity", iamUser(mallory));
        ((Map<String, Object>) fresh.get("detail")).put("eventTime",
                java.time.Instant.now().minus(java.time.Duration.ofMinutes(1)).toString());
        handler.handleRequest(fresh, null);
        assertThat(bucketTags("lab-mallory-data")).containsEntry("curfew:owner", "mallory");
    }
}
