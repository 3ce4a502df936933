package dev.curfew.function.sweeper;

import static dev.curfew.function.sweeper.TemplateTest.actions;
import static dev.curfew.function.sweeper.TemplateTest.properties;
import static dev.curfew.function.sweeper.TemplateTest.statements;
import static org.assertj.core.api.Assertions.assertThat;

import dev.curfew.aws.AwsCloud;
import dev.curfew.aws.PolicySource;
import dev.curfew.core.enrol.Enrolment;
import java.io.IOException;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * templates/student-account.yaml, what a student deploys in their own account: its role is allowed what the sweeper
 * is allowed in template.yaml, statement by statement (same actions, resources and curfew:action conditions), trusts
 * only the instructor's function roles with the external id, can never change itself or its stack, and its rules
 * forward what templates/forward-events.yaml forwards.
 */
class StudentAccountTemplateTest {
    /** What `./curfew accounts` calls with the assumed role (dev.curfew.cli.AccountReach.IAM_ACTIONS). */
    static final Set<String> ACCOUNTS_CHECK = Set.of("iam:GetRole");

    @SuppressWarnings("unchecked")
    static Map<String, Object> load(String path) throws IOException {
        return (Map<String, Object>) new Yaml(new TemplateTest.CfnConstructor())
                .load(Files.readString(TemplateTest.ROOT.resolve(path)));
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> resource(Map<String, Object> template, String name) {
        return (Map<String, Object>) ((Map<String, Object>) template.get("Resources")).get(name);
    }

    static Map<String, Object> role() throws IOException {
        return properties(resource(load("templates/student-account.yaml"), "CurfewAccessRole"));
    }

    static List<Map<String, Object>> allows(Object policies) {
        return statements(policies).stream().filter(s -> "Allow".equals(s.get("Effect"))).toList();
    }

    /** The sweeper's actions that act on the swept account (the policy object is read in the instructor's). */
    static Set<String> sweeping() {
        Set<String> out = new TreeSet<>(AwsCloud.iamActions());
        out.removeAll(PolicySource.IAM_ACTIONS);
        out.remove(TemplateTest.NEEDS_NO_PERMISSION);
        return out;
    }

    @Test
    void theRoleIsGrantedEverySweepingActionAndOnlyTheAccountsCheckBesides() throws IOException {
        Set<String> granted = new TreeSet<>();
        allows(role().get("Policies")).forEach(s -> granted.addAll(actions(s)));
        Set<String> missing = new TreeSet<>(sweeping());
        missing.removeAll(granted);
        Set<String> extra = new TreeSet<>(granted);
        extra.removeAll(sweeping());
        assertThat(missing).as("the sweeper's actions not granted in a student's account").isEmpty();
        assertThat(extra).as("granted but never called").isEqualTo(ACCOUNTS_CHECK);
        assertThat(allows(role().get("Policies"))).filteredOn(s -> actions(s).contains("iam:GetRole")).singleElement()
                .satisfies(s -> assertThat(s.get("Resource")).isEqualTo(Map.of("Fn::Sub",
                        "arn:${AWS::Partition}:iam::${AWS::AccountId}:role/" + Enrolment.ROLE_NAME)));
        assertThat(role().get("RoleName")).isEqualTo(Enrolment.ROLE_NAME);
    }

    /** The sentinel acts in an enrolled account through the same role: every call it makes there is granted. */
    @Test
    void theRoleGrantsWhatTheSentinelCallsInAnEnrolledAccount() throws IOException {
        Set<String> granted = new TreeSet<>();
        allows(role().get("Policies")).forEach(s -> granted.addAll(actions(s)));
        assertThat(dev.curfew.aws.sentinel.SentinelAws.ENROLLED_IAM_ACTIONS).isNotEmpty()
                .allSatisfy(a -> assertThat(granted).as("granted to " + Enrolment.ROLE_NAME).contains(a));
        assertThat(String.valueOf(role().get("AssumeRolePolicyDocument"))).contains("{Ref=SentinelRoleArn}");
    }

    /** Keeps the two templates in step: each sweeper statement on the swept account is copied exactly. */
    @Test
    void eachSweeperStatementOnTheSweptAccountHasItsTwinWithTheSameResourcesAndConditions() throws IOException {
        Map<String, Map<String, Object>> student = new LinkedHashMap<>();
        allows(role().get("Policies")).forEach(s -> student.put(String.valueOf(s.get("Sid")), s));
        List<Map<String, Object>> sweeper = allows(properties(TemplateTest.resources("AWS::Serverless::Function")
                .get("SweeperFunction")).get("Policies")).stream()
                .filter(s -> sweeping().containsAll(actions(s))).toList();
        assertThat(sweeper).hasSizeGreaterThan(15);
        SoftAssertions soft = new SoftAssertions();
        for (Map<String, Object> s : sweeper) {
            Map<String, Object> twin = student.get(String.valueOf(s.get("Sid")));
            soft.assertThat(twin).as(s.get("Sid") + " in student-account.yaml").isEqualTo(s);
        }
        soft.assertThat(student.keySet()).as("no statement of its own but the accounts check")
                .hasSize(sweeper.size() + 1).contains("ReadThisRole");
        soft.assertAll();
        assertThat(student.get("StopOnlyInstancesRecordedForStop").get("Condition").toString())
                .contains("aws:ResourceTag/curfew:action=stop@*");
    }

    @Test
    void theRoleTrustsOnlyTheInstructorsFunctionRolesAndOnlyWithTheExternalId() throws IOException {
        Map<String, Object> t = load("templates/student-account.yaml");
        List<Map<String, Object>> trust = statements(role().get("AssumeRolePolicyDocument"));
        assertThat(trust).singleElement().satisfies(s -> {
            assertThat(s.get("Effect")).isEqualTo("Allow");
            assertThat(s.get("Action")).isEqualTo("sts:AssumeRole");
            String principal = String.valueOf(s.get("Principal"));
            assertThat(principal).contains("{Ref=SweeperRoleArn}", "{Ref=SentinelRoleArn}")
                    .doesNotContain(":root", "AccountId", "*", "Service", "Federated");
            assertThat(s.get("Condition")).isEqualTo(Map.of("StringEquals",
                    Map.of("sts:ExternalId", Map.of("Ref", "ExternalId"))));
        });
        @SuppressWarnings("unchecked")
        Map<String, Map<String, Object>> params = (Map<String, Map<String, Object>>) t.get("Parameters");
        assertThat(params.get("ExternalId")).containsEntry("NoEcho", true);
        assertThat(String.valueOf(params.get("SweeperRoleArn").get("AllowedPattern"))).contains(":role/");
        assertThat("x".repeat(47)).as("an id ./curfew enroll prints fits the pattern")
                .matches(String.valueOf(params.get("ExternalId").get("AllowedPattern")));
    }

    @Test
    void theRoleCanNeverChangeItselfTheForwardingRoleOrItsStack() throws IOException {
        List<Map<String, Object>> denies = statements(role().get("Policies")).stream()
                .filter(s -> "Deny".equals(s.get("Effect"))).toList();
        assertThat(denies).anySatisfy(s -> {
            assertThat(actions(s)).contains("iam:Put*", "iam:Attach*", "iam:Update*", "iam:Delete*", "iam:PassRole");
            assertThat(s.get("Resource").toString()).contains("role/" + Enrolment.ROLE_NAME, "ForwardRole.Arn");
            assertThat(s.get("Condition")).isNull();
        });
        assertThat(denies).anySatisfy(s -> {
            assertThat(actions(s)).contains("cloudformation:*", "events:*");
            assertThat(s.get("Resource").toString()).contains("{Ref=AWS::StackId}", "rule/${AWS::StackName}-*");
            assertThat(s.get("Condition")).isNull();
        });
        assertThat(denies).anySatisfy(s -> assertThat(String.valueOf(s.get("Condition")))
                .contains("aws:ResourceTag/aws:cloudformation:stack-name={Ref=AWS::StackName}"));
    }

    @Test
    void theRulesForwardWhatTheRegionForwarderDoesToTheInstructorsBus() throws IOException {
        Map<String, Object> student = load("templates/student-account.yaml");
        Map<String, Object> forward = load("templates/forward-events.yaml");
        for (String rule : List.of("ForwardCreatingCalls", "ForwardVolumeAttached", "ForwardInstanceRunning",
                "ForwardSpotInterruptions")) {
            assertThat(properties(resource(student, rule)).get("EventPattern")).as(rule)
                    .isEqualTo(properties(resource(forward, rule)).get("EventPattern"));
            assertThat(properties(resource(student, rule)).get("Targets").toString()).as(rule)
                    .contains("event-bus/default", "${HomeRegion}", "Ref=SweeperRoleArn")
                    .doesNotContain("${AWS::AccountId}");
        }
    }

    /**
     * The sentinel sees a student's creating calls only through a logging trail: the stack makes one unless the
     * student says the account has one, records write calls of every region, keeps its logs a week, and names its
     * bucket so that Curfew's own sweep never empties or deletes it.
     */
    @Test
    @SuppressWarnings("unchecked")
    void theStackMakesAWriteOnlyMultiRegionTrailWhoseBucketCurfewNeverTouches() throws IOException {
        Map<String, Object> student = load("templates/student-account.yaml");
        Map<String, Object> param = (Map<String, Object>) ((Map<String, Object>) student.get("Parameters"))
                .get("CreateTrail");
        assertThat(param.get("Default")).isEqualTo("yes");
        assertThat((List<Object>) param.get("AllowedValues")).containsExactly("yes", "no");
        for (String name : List.of("TrailBucket", "TrailBucketPolicy", "Trail")) {
            assertThat(resource(student, name).get("Condition")).as(name).isEqualTo("CreatesTrail");
        }
        Map<String, Object> trail = properties(resource(student, "Trail"));
        assertThat(trail).containsEntry("IsLogging", true).containsEntry("IsMultiRegionTrail", true);
        assertThat(trail.get("EventSelectors").toString()).contains("ReadWriteType=WriteOnly",
                "IncludeManagementEvents=true");
        Map<String, Object> bucket = properties(resource(student, "TrailBucket"));
        assertThat(String.valueOf(bucket.get("BucketName"))).contains(dev.curfew.aws.S3Buckets.CLOUDTRAIL_BUCKET_PREFIX
                + "${AWS::AccountId}");
        assertThat(bucket.get("LifecycleConfiguration").toString()).contains("ExpirationInDays=7");
        assertThat(bucket.get("PublicAccessBlockConfiguration").toString()).doesNotContain("false");
        String policy = properties(resource(student, "TrailBucketPolicy")).toString();
        assertThat(policy).contains("cloudtrail.amazonaws.com", "aws:SourceArn", "trail/curfew-events",
                "/AWSLogs/${AWS::AccountId}/*");
        assertThat(resource(student, "TrailBucket").get("DeletionPolicy")).isEqualTo("Retain");
    }
}
