package dev.curfew.function.sweeper;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import dev.curfew.aws.AwsCloud;
import dev.curfew.aws.PolicySource;
import dev.curfew.aws.launch.AwsLaunchPort;
import dev.curfew.aws.sentinel.SentinelAws;
import io.micronaut.json.JsonMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.AbstractConstruct;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Keeps template.yaml, the code and events/ in step: each function's role grants exactly the IAM actions that
 * function's code declares (no more, no less), every handler the template names exists in the module its CodeUri
 * points at, every environment variable the code reads is set, and every sample event parses as the input of the
 * function it is for.
 */
class TemplateTest {
    static final Path ROOT = Path.of(System.getProperty("curfew.events-dir", "../../events")).getParent();
    /** sts:GetCallerIdentity (the account guard) needs no permission: IAM cannot deny it. */
    static final String NEEDS_NO_PERMISSION = "sts:GetCallerIdentity";

    /** What each function's code calls, by handler class. A new function adds its line here. */
    static final Map<String, List<String>> DECLARED = Map.of(
            "dev.curfew.function.sweeper.SweeperHandler", java.util.stream.Stream.of(AwsCloud.iamActions(),
                    dev.curfew.aws.notify.Notifier.IAM_ACTIONS, dev.curfew.aws.SweepLocks.IAM_ACTIONS,
                    dev.curfew.aws.spend.CostExplorerSpend.IAM_ACTIONS,
                    dev.curfew.aws.notify.ClassPages.IAM_ACTIONS,
                    dev.curfew.aws.accounts.AccountSweeps.IAM_ACTIONS,
                    dev.curfew.aws.accounts.OrganizationAccounts.IAM_ACTIONS,
                    dev.curfew.aws.sentinel.ToldRecords.IAM_ACTIONS, dev.curfew.aws.budget.BudgetRecords.SWEEPER_ACTIONS,
                    dev.curfew.aws.budget.SpentRecords.SWEEPER_ACTIONS, dev.curfew.aws.spend.RunRecords.IAM_ACTIONS)
                    .flatMap(List::stream).distinct().toList(),
            "dev.curfew.function.launcher.LauncherHandler", AwsLaunchPort.IAM_ACTIONS,
            "dev.curfew.function.sentinel.SentinelHandler", java.util.stream.Stream.of(
                    dev.curfew.aws.sentinel.SentinelAws.IAM_ACTIONS,
                    dev.curfew.aws.accounts.OrganizationAccounts.IAM_ACTIONS).flatMap(List::stream).distinct().toList(),
            "dev.curfew.function.sweeper.AccountStepsHandler", java.util.stream.Stream.of(AwsCloud.iamActions(),
                    dev.curfew.aws.notify.Notifier.IAM_ACTIONS, AccountSteps.IAM_ACTIONS,
                    dev.curfew.aws.accounts.AccountSweeps.IAM_ACTIONS,
                    dev.curfew.aws.accounts.OrganizationAccounts.IAM_ACTIONS,
                    dev.curfew.aws.sentinel.ToldRecords.IAM_ACTIONS)
                    .flatMap(List::stream).distinct().toList());

    static String template() throws IOException {
        return Files.readString(ROOT.resolve("template.yaml"));
    }

    /** The template as data; CloudFormation's short forms (!Sub, !If, ...) become {"Fn::Sub": ...} and so on. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> parsed() throws IOException {
        return (Map<String, Object>) new Yaml(new CfnConstructor()).load(template());
    }

    @SuppressWarnings("unchecked")
    static Map<String, Map<String, Object>> resources(String type) throws IOException {
        Map<String, Map<String, Object>> out = new LinkedHashMap<>();
        ((Map<String, Object>) parsed().get("Resources")).forEach((name, r) -> {
            Map<String, Object> res = (Map<String, Object>) r;
            if (type.equals(res.get("Type"))) {
                out.put(name, res);
            }
        });
        return out;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> properties(Map<String, Object> resource) {
        return (Map<String, Object>) resource.get("Properties");
    }

    /** Every IAM policy statement under a node (through !If branches), in document order. */
    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> statements(Object node) {
        List<Map<String, Object>> out = new ArrayList<>();
        if (node instanceof Map<?, ?> m) {
            if (m.containsKey("Effect") && m.containsKey("Action")) {
                out.add((Map<String, Object>) m);
                return out;
            }
            m.values().forEach(v -> out.addAll(statements(v)));
        } else if (node instanceof List<?> l) {
            l.forEach(v -> out.addAll(statements(v)));
        }
        return out;
    }

    static List<String> actions(Map<String, Object> statement) {
        Object a = statement.get("Action");
        return a instanceof List<?> l ? l.stream().map(String::valueOf).toList() : List.of(String.valueOf(a));
    }

    static Set<String> granted(Map<String, Object> function) {
        Set<String> out = new TreeSet<>();
        statements(properties(function).get("Policies")).stream()
                .filter(s -> "Allow".equals(s.get("Effect")))
                .forEach(s -> out.addAll(actions(s)));
        return out;
    }

    /**
     * The function whose SAM-made role a function runs with: itself, or the one its {@code Role: !GetAtt
     * <function>Role.Arn} names (the accounts steps run with the sweeper's role, which students' accounts trust).
     */
    @SuppressWarnings("unchecked")
    static String roleOwner(String name, Map<String, Object> function) throws IOException {
        Object role = properties(function).get("Role");
        if (role == null) {
            return name;
        }
        String att = String.valueOf(((Map<String, Object>) role).get("Fn::GetAtt"));
        assertThat(att).as(name + " Role").endsWith("Role.Arn");
        String owner = att.substring(0, att.length() - "Role.Arn".length());
        assertThat(resources("AWS::Serverless::Function")).as(name + " runs with the role of " + owner)
                .containsKey(owner);
        return owner;
    }

    /** What a function's role is allowed: its own Policies and any AWS::IAM::Policy attached to that role. */
    @SuppressWarnings("unchecked")
    static Set<String> grantedToRole(String owner) throws IOException {
        Set<String> out = granted(resources("AWS::Serverless::Function").get(owner));
        for (Map<String, Object> p : resources("AWS::IAM::Policy").values()) {
            if (((List<Object>) properties(p).get("Roles")).contains(Map.of("Ref", owner + "Role"))) {
                statements(properties(p).get("PolicyDocument")).stream()
                        .filter(s -> "Allow".equals(s.get("Effect"))).forEach(s -> out.addAll(actions(s)));
            }
        }
        return out;
    }

    @Test
    void eachFunctionIsGrantedExactlyTheActionsItsCodeDeclares() throws IOException {
        Map<String, Map<String, Object>> functions = resources("AWS::Serverless::Function");
        assertThat(functions).isNotEmpty();
        SoftAssertions soft = new SoftAssertions(); // every function's differences, not just the first's
        Map<String, Set<String>> neededByRole = new LinkedHashMap<>();
        for (var f : functions.entrySet()) {
            String handler = String.valueOf(properties(f.getValue()).get("Handler"));
            if (!DECLARED.containsKey(handler)) {
                soft.fail(f.getKey() + " (" + handler + "): add its declared IAM actions to TemplateTest.DECLARED");
                continue;
            }
            neededByRole.computeIfAbsent(roleOwner(f.getKey(), f.getValue()), k -> new TreeSet<>())
                    .addAll(DECLARED.get(handler));
        }
        for (var f : neededByRole.entrySet()) { // a role shared by two functions: what either declares
            Set<String> needed = new TreeSet<>(f.getValue());
            needed.remove(NEEDS_NO_PERMISSION);
            Set<String> granted = grantedToRole(f.getKey());

            Set<String> missing = new TreeSet<>(needed);
            missing.removeAll(granted);
            Set<String> extra = new TreeSet<>(granted);
            extra.removeAll(needed);
            soft.assertThat(missing).as(f.getKey() + ": declared by the code but not granted").isEmpty();
            soft.assertThat(extra).as(f.getKey() + ": granted but never called").isEmpty();
        }
        soft.assertAll();
    }

    /** The Deny-only managed policy every function's role carries: what no Curfew role may do. */
    static final String GUARDRAILS = "CurfewRoleGuardrails";

    @Test
    @SuppressWarnings("unchecked")
    void noFunctionRoleIsGivenAManagedPolicyOrAWildcardActionButEachCarriesTheGuardrails() throws IOException {
        for (var f : resources("AWS::Serverless::Function").entrySet()) {
            if (!roleOwner(f.getKey(), f.getValue()).equals(f.getKey())) {
                // runs with another function's role, which is checked as that function's
                assertThat(properties(f.getValue())).as(f.getKey()).doesNotContainKey("Policies");
                continue;
            }
            Object policies = properties(f.getValue()).get("Policies");
            assertThat(policies).as(f.getKey()).isInstanceOf(List.class);
            assertThat((List<Object>) policies).as(f.getKey() + ": carries " + GUARDRAILS)
                    .contains(Map.of("Ref", GUARDRAILS));
            for (Object p : (List<?>) policies) {
                if (!p.equals(Map.of("Ref", GUARDRAILS))) {
                    assertThat(p).as(f.getKey() + ": only inline statements, no managed or SAM policy templates")
                            .isInstanceOf(Map.class);
                }
            }
            assertThat(granted(f.getValue())).as(f.getKey()).noneMatch(a -> a.contains("*"));
        }
        assertThat(guardrails()).as(GUARDRAILS + " only denies").isNotEmpty()
                .allSatisfy(st -> assertThat(st.get("Effect")).isEqualTo("Deny"));
    }

    static List<Map<String, Object>> guardrails() throws IOException {
        Map<String, Map<String, Object>> managed = resources("AWS::IAM::ManagedPolicy");
        assertThat(managed).as("the managed policy " + GUARDRAILS).containsKey(GUARDRAILS);
        return statements(properties(managed.get(GUARDRAILS)));
    }

    @Test
    void destructiveEc2ActionsAreScopedToThisAccountsInstances() throws IOException {
        int checked = 0;
        for (Map<String, Object> f : resources("AWS::Serverless::Function").values()) {
            for (Map<String, Object> st : statements(properties(f).get("Policies"))) {
                if ("Allow".equals(st.get("Effect")) && (actions(st).contains("ec2:StopInstances")
                        || actions(st).contains("ec2:TerminateInstances"))) {
                    assertThat(st.get("Resource").toString()).as(st.get("Sid").toString()).contains("instance/*")
                            .contains("AWS::AccountId");
                    checked++;
                }
            }
        }
        assertThat(checked).isGreaterThanOrEqualTo(3);
    }

    /** Every action that writes or deletes tags on a resource, in every service Curfew tags. */
    static final Set<String> TAG_WRITES = Set.of("ec2:CreateTags", "ec2:DeleteTags", "elasticmapreduce:AddTags",
            "elasticmapreduce:RemoveTags", "s3:PutBucketTagging");

    @SuppressWarnings("unchecked")
    static Map<String, Object> condition(Map<String, Object> statement, String operator) {
        Map<String, Object> c = (Map<String, Object>) statement.get("Condition");
        Object o = c == null ? null : c.get(operator);
        return o == null ? Map.of() : (Map<String, Object>) o;
    }

    /**
     * A role that may write any tag key can write the tags that other rules read (an owner, a keep date); on
     * existing resources every role writes only Curfew's own keys. aws:TagKeys must be present too: ForAllValues
     * holds for a request without keys, and an EC2 DeleteTags without keys deletes every tag. Tags written as a
     * resource is created (ec2:CreateAction) change nothing that exists. S3 PutBucketTagging replaces the bucket's
     * whole tag set (its own tags written back), so it cannot carry the key limit: it is limited to this account's
     * buckets and denied on the protected ones (checked below).
     */
    @Test
    void everyRoleWritesOnlyCurfewsTagKeysOnWhatExists() throws IOException {
        SoftAssertions soft = new SoftAssertions();
        int checked = 0;
        for (var f : resources("AWS::Serverless::Function").entrySet()) {
            for (Map<String, Object> st : statements(properties(f.getValue()).get("Policies"))) {
                List<String> writes = actions(st).stream().filter(TAG_WRITES::contains).toList();
                if (!"Allow".equals(st.get("Effect")) || writes.isEmpty()) {
                    continue;
                }
                checked++;
                String what = f.getKey() + " " + st.get("Sid") + " " + writes;
                soft.assertThat(actions(st)).as(what + ": tag writes have statements of their own")
                        .containsExactlyInAnyOrderElementsOf(writes);
                if (writes.contains("s3:PutBucketTagging")) {
                    soft.assertThat(condition(st, "StringEquals").get("s3:ResourceAccount")).as(what)
                            .isEqualTo(Map.of("Ref", "AWS::AccountId"));
                    continue;
                }
                Object createAction = condition(st, "StringEquals").get("ec2:CreateAction");
                if (createAction != null) {
                    soft.assertThat(writes).as(what + ": only at creation").containsExactly("ec2:CreateTags");
                    continue;
                }
                Object exact = condition(st, "ForAllValues:StringEquals").get("aws:TagKeys");
                if (exact != null) {
                    // a narrower list of keys (the sentinel removing a volume's marks): each of them Curfew's
                    soft.assertThat((List<?>) exact).as(what).isNotEmpty()
                            .allMatch(k -> String.valueOf(k).startsWith("curfew:"));
                } else {
                    soft.assertThat(condition(st, "ForAllValues:StringLike").get("aws:TagKeys")).as(what)
                            .isEqualTo("curfew:*");
                }
                soft.assertThat(condition(st, "Null").get("aws:TagKeys")).as(what + ": keys required")
                        .isEqualTo("false");
            }
        }
        soft.assertAll();
        assertThat(checked).as("tag-writing statements checked").isGreaterThanOrEqualTo(6);

        // the keys the code writes are Curfew's (the policy's owner-tag and expires-tag included, by default)
        var policy = dev.curfew.core.policy.PolicyLoader.bundledDefault(List.of());
        assertThat(List.of(policy.ownerTag(), policy.ec2().forgotten().expiresTag(), dev.curfew.core.plan.Mark.TAG,
                dev.curfew.core.plan.ActionTag.TAG, "curfew:created-by")).allMatch(k -> k.startsWith("curfew:"));
    }

    /** Mutating actions that act on something existing: not reads, not the creation of something new. */
    static boolean changesWhatExists(String action) {
        String name = action.substring(action.indexOf(':') + 1);
        return !name.matches("(Describe|Get|List).*")
                && !Set.of("RunInstances", "CreateSecurityGroup", "CreateSnapshot").contains(name);
    }

    /**
     * Curfew never acts on its own stack's resources (CloudFormation tags them with the stack's name, a tag no
     * role can write): every EC2 and EMR action of any role that changes something existing is denied on them.
     */
    @Test
    @SuppressWarnings("unchecked")
    void noRoleMayChangeThisStacksResources() throws IOException {
        Set<String> changes = new TreeSet<>();
        for (Map<String, Object> f : resources("AWS::Serverless::Function").values()) {
            granted(f).stream().filter(a -> a.startsWith("ec2:") || a.startsWith("elasticmapreduce:"))
                    .filter(TemplateTest::changesWhatExists).forEach(changes::add);
        }
        assertThat(changes).contains("ec2:TerminateInstances", "ec2:CreateTags", "elasticmapreduce:AddTags");
        Set<String> denied = new TreeSet<>();
        for (Map<String, Object> st : guardrails()) {
            Map<String, Object> eq = condition(st, "StringEquals");
            for (String a : actions(st)) {
                String key = (a.startsWith("ec2:") ? "aws" : a.substring(0, a.indexOf(':')))
                        + ":ResourceTag/aws:cloudformation:stack-name";
                if (Map.of("Ref", "AWS::StackName").equals(eq.get(key)) && "*".equals(st.get("Resource"))) {
                    denied.add(a);
                }
            }
        }
        assertThat(denied).as("denied on the stack's own resources").containsAll(changes);
    }

    /**
     * The class page's bucket: private, encrypted, TLS only, its pages expire; only the sweeper writes there, no
     * Curfew role empties, deletes or tags it; the sweeper is told its name and the link's lifetime.
     */
    @Test
    @SuppressWarnings("unchecked")
    void theClassPageBucketIsPrivateEncryptedTlsOnlyExpiringAndNeverSwept() throws IOException {
        Map<String, Object> bucket = properties(resources("AWS::S3::Bucket").get("ClassPageBucket"));
        assertThat((Map<String, Object>) bucket.get("PublicAccessBlockConfiguration")).containsEntry(
                "BlockPublicAcls", true).containsEntry("BlockPublicPolicy", true).containsEntry("IgnorePublicAcls", true)
                .containsEntry("RestrictPublicBuckets", true);
        assertThat(bucket.get("BucketEncryption").toString()).contains("SSEAlgorithm=AES256");
        assertThat(bucket.get("LifecycleConfiguration").toString()).contains("ExpirationInDays=30")
                .contains("Status=Enabled");
        List<Map<String, Object>> policy = statements(properties(resources("AWS::S3::BucketPolicy")
                .get("ClassPageBucketPolicy")).get("PolicyDocument"));
        assertThat(policy).anySatisfy(st -> {
            assertThat(st).containsEntry("Effect", "Deny").containsEntry("Action", "s3:*");
            assertThat(st.get("Condition").toString()).contains("aws:SecureTransport=false");
        });
        assertThat(policy).anySatisfy(st -> {
            assertThat(actions(st)).contains("s3:PutObject");
            assertThat(st.get("Condition").toString()).contains("ArnNotEquals").contains("SweeperFunctionRole.Arn");
        });
        Map<String, Object> deny = guardrails().stream().filter(st -> "NeverEmptyOrDeleteTheClassPages".equals(
                st.get("Sid"))).findFirst().orElseThrow();
        assertThat(actions(deny)).contains("s3:DeleteObject", "s3:DeleteObjectVersion", "s3:DeleteBucket",
                "s3:PutBucketTagging");
        assertThat(deny.get("Resource").toString()).contains("ClassPageBucket.Arn");
        Map<String, Object> env = (Map<String, Object>) ((Map<String, Object>) properties(
                resources("AWS::Serverless::Function").get("SweeperFunction")).get("Environment")).get("Variables");
        assertThat(env).containsEntry("CURFEW_PAGE_BUCKET", Map.of("Ref", "ClassPageBucket"))
                .containsEntry("CURFEW_PAGE_LINK_HOURS", Map.of("Ref", "PageLinkHours"))
                .as("enrolled: the sweeper only reads the course weeks the state machine closes")
                .containsEntry("CURFEW_STUDENT_ACCOUNTS", Map.of("Ref", "StudentAccounts"));
    }

    /**
     * The buckets holding the policy and the roster, the SAM deployment buckets and CloudTrail's console-named
     * buckets: every S3 write any role has is denied there, by ARN (dev.curfew.aws.ProtectedBuckets and
     * S3Buckets.special keep the same buckets in code). Object deletion is otherwise limited to this account.
     */
    @Test
    void curfewsAndAwssBucketsAreDeniedToEveryS3WriteAndDeletionStaysInThisAccount() throws IOException {
        Set<String> writes = new TreeSet<>();
        for (var f : resources("AWS::Serverless::Function").entrySet()) {
            for (Map<String, Object> st : statements(properties(f.getValue()).get("Policies"))) {
                List<String> w = actions(st).stream().filter(a -> a.startsWith("s3:"))
                        .filter(a -> !a.matches("s3:(Get|List).*")).toList();
                if ("Allow".equals(st.get("Effect")) && !w.isEmpty()) {
                    writes.addAll(w);
                    assertThat(condition(st, "StringEquals").get("s3:ResourceAccount")).as(f.getKey() + " "
                            + st.get("Sid")).isEqualTo(Map.of("Ref", "AWS::AccountId"));
                }
            }
        }
        assertThat(writes).contains("s3:DeleteObject", "s3:DeleteObjectVersion", "s3:PutBucketTagging");
        Map<String, Object> deny = guardrails().stream()
                .filter(st -> actions(st).contains("s3:DeleteObject")).findFirst().orElseThrow();
        assertThat(deny.get("Condition")).isNull();
        assertThat(actions(deny)).containsAll(writes);
        String resources = deny.get("Resource").toString();
        assertThat(resources).contains("PolicyInS3", "Ref=PolicyLocation", "RosterInS3", "Ref=RosterLocation",
                "s3:::${Bucket}/*", "s3:::" + dev.curfew.aws.S3Buckets.SAM_BUCKET_PREFIX + "*",
                "s3:::" + dev.curfew.aws.S3Buckets.CLOUDTRAIL_BUCKET_PREFIX + "*");
    }

    /**
     * Destructive acts on resources that keep data or cost money, and the curfew:action records that allow each
     * (the values the code writes just before acting, {@link dev.curfew.core.plan.ActionTag}).
     */
    static final Map<String, List<dev.curfew.core.plan.Action>> RECORD_REQUIRED = Map.of(
            "ec2:StopInstances", List.of(dev.curfew.core.plan.Action.STOP),
            "ec2:TerminateInstances", List.of(dev.curfew.core.plan.Action.TERMINATE),
            "ec2:DeleteVolume", List.of(dev.curfew.core.plan.Action.SNAPSHOT_THEN_DELETE,
                    dev.curfew.core.plan.Action.DELETE),
            "ec2:ReleaseAddress", List.of(dev.curfew.core.plan.Action.RELEASE),
            "ec2:DeleteSnapshot", List.of(dev.curfew.core.plan.Action.DELETE),
            "ec2:DeregisterImage", List.of(dev.curfew.core.plan.Action.DELETE),
            "elasticmapreduce:TerminateJobFlows", List.of(dev.curfew.core.plan.Action.TERMINATE));

    @Test
    @SuppressWarnings("unchecked")
    void theSweeperAndTheSentinelMayDestroyOnlyWhatCarriesTheRecordOfThatAction() throws IOException {
        SoftAssertions soft = new SoftAssertions();
        int checked = 0;
        for (String handler : List.of("dev.curfew.function.sweeper.SweeperHandler",
                "dev.curfew.function.sentinel.SentinelHandler")) {
            Map<String, Object> function = resources("AWS::Serverless::Function").values().stream()
                    .filter(f -> handler.equals(properties(f).get("Handler"))).findFirst().orElseThrow();
            for (Map<String, Object> st : statements(properties(function).get("Policies"))) {
                for (String action : actions(st)) {
                    List<dev.curfew.core.plan.Action> allowed = RECORD_REQUIRED.get(action);
                    if (allowed == null) {
                        continue;
                    }
                    checked++;
                    String service = action.substring(0, action.indexOf(':'));
                    String key = (service.equals("ec2") ? "aws" : service) + ":ResourceTag/"
                            + dev.curfew.core.plan.ActionTag.TAG;
                    Map<String, Object> condition = (Map<String, Object>) st.get("Condition");
                    Map<String, Object> like = condition == null ? null
                            : (Map<String, Object>) condition.get("StringLike");
                    Object values = like == null ? null : like.get(key);
                    List<String> expected = allowed.stream().map(dev.curfew.core.plan.ActionTag::iamPattern)
                            .toList();
                    soft.assertThat(values instanceof List<?> l ? (List<Object>) l : values == null ? List.of()
                            : List.of(values)).as(handler + " " + action + " (" + st.get("Sid") + ") " + key)
                            .containsExactlyInAnyOrderElementsOf(expected);
                    soft.assertThat(st.get("Resource").toString()).as(action).doesNotContain("Resource=*")
                            .isNotEqualTo("*");
                }
            }
        }
        soft.assertAll();
        assertThat(checked).as("destructive grants checked").isGreaterThanOrEqualTo(RECORD_REQUIRED.size() + 2);
    }

    @Test
    @SuppressWarnings("unchecked")
    void everyFunctionRunsFromASnapStartVersionBehindTheAliasItsTriggersCall() throws IOException {
        Map<String, Object> globals = (Map<String, Object>) ((Map<String, Object>) parsed().get("Globals"))
                .get("Function");
        assertThat(globals).containsEntry("AutoPublishAlias", "live");
        assertThat(globals.get("SnapStart")).isEqualTo(Map.of("ApplyOn", "PublishedVersions"));
        for (Map.Entry<String, Map<String, Object>> f : resources("AWS::Serverless::Function").entrySet()) {
            assertThat(properties(f.getValue())).as(f.getKey() + " keeps the global alias and SnapStart")
                    .doesNotContainKeys("AutoPublishAlias", "SnapStart");
        }
        assertThat(resources("AWS::Lambda::Url").values()).singleElement().satisfies(u -> {
            assertThat(properties(u)).containsEntry("Qualifier", "live");
            assertThat(u.get("DependsOn")).isEqualTo("LauncherFunctionAliaslive");
        });
        List<Map<String, Object>> student = statements(properties(resources("AWS::IAM::ManagedPolicy")
                .get("LauncherStudentPolicy")));
        assertThat(student).filteredOn(st -> "Allow".equals(st.get("Effect")))
                .allSatisfy(st -> assertThat(st.get("Resource").toString()).contains(":live"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void theInstructorIsAlarmedWhenAFunctionFailsOrTheCircuitBreakerTrips() throws IOException {
        Map<String, Map<String, Object>> alarms = resources("AWS::CloudWatch::Alarm");
        for (String function : resources("AWS::Serverless::Function").keySet()) {
            assertThat(alarms.values()).as("an Errors alarm for " + function).anySatisfy(a -> {
                assertThat(properties(a)).containsEntry("MetricName", "Errors").containsEntry("Namespace", "AWS/Lambda");
                assertThat(properties(a).get("Dimensions").toString()).contains("Ref=" + function);
            });
        }
        Map<String, Object> filter = properties(resources("AWS::Logs::MetricFilter").get("BreakerTrippedFilter"));
        assertThat(filter.get("FilterPattern")).isEqualTo("\"" + SweepService.BREAKER_TRIPPED + "\"");
        assertThat(filter.get("LogGroupName").toString()).contains("SweeperLogGroup");
        Map<String, Object> metric = ((List<Map<String, Object>>) filter.get("MetricTransformations")).get(0);
        assertThat(alarms.values()).anySatisfy(a -> {
            assertThat(properties(a).get("MetricName")).isEqualTo(metric.get("MetricName"));
            assertThat(properties(a).get("Namespace")).isEqualTo(metric.get("MetricNamespace"));
            assertThat(properties(a)).containsEntry("ComparisonOperator", "GreaterThanThreshold");
        });
        for (Map<String, Object> a : alarms.values()) {
            assertThat(properties(a).get("AlarmActions").toString()).contains("AlarmTopic");
        }
    }

    /**
     * A region left unread or an action that failed does not fail the run (the others go on), so the Errors alarm
     * stays quiet: alarms on the metrics each run logs (EMF, {@link dev.curfew.core.report.RunMetrics}) tell the
     * instructor, in the namespace the code writes to, through the stack name the template gives the code.
     */
    @Test
    @SuppressWarnings("unchecked")
    void theInstructorIsAlarmedWhenARunLeavesARegionUnreadOrAnActionFailed() throws IOException {
        Map<String, Map<String, Object>> alarms = resources("AWS::CloudWatch::Alarm");
        Map<String, Object> env = (Map<String, Object>) ((Map<String, Object>) ((Map<String, Object>)
                ((Map<String, Object>) parsed().get("Globals")).get("Function")).get("Environment")).get("Variables");
        assertThat(env).containsEntry("CURFEW_STACK_NAME", Map.of("Ref", "AWS::StackName"));
        for (String metric : List.of(dev.curfew.core.report.RunMetrics.REGIONS_FAILED,
                dev.curfew.core.report.RunMetrics.ACTIONS_FAILED)) {
            assertThat(alarms.values()).as("an alarm on " + metric).anySatisfy(a -> {
                Map<String, Object> p = properties(a);
                assertThat(p).containsEntry("MetricName", metric).containsEntry("Statistic", "Sum")
                        .containsEntry("ComparisonOperator", "GreaterThanThreshold")
                        .containsEntry("TreatMissingData", "notBreaching").doesNotContainKey("Dimensions");
                assertThat(((Number) p.get("Threshold")).doubleValue()).isZero();
                String namespace = String.valueOf(((Map<String, Object>) p.get("Namespace")).get("Fn::Sub"));
                assertThat(namespace.replace("${AWS::StackName}", "class-stack"))
                        .isEqualTo(dev.curfew.core.report.RunMetrics.namespace("class-stack"));
                assertThat(p.get("AlarmActions").toString()).contains("AlarmTopic");
            });
        }
    }

    /**
     * The schedules invoke the sweeper asynchronously. Scheduler retries what Lambda refused and then hands the
     * event to the dead-letter queue; Lambda retries a failed run, within the schedules' hour, and then hands it to
     * the same queue; the queue keeps it 14 days and its alarm tells the instructor.
     */
    @Test
    @SuppressWarnings("unchecked")
    void aRunThatNeverRanOrKeptFailingEndsInTheDeadLetterQueueAndTheInstructorIsTold() throws IOException {
        Map<String, Object> sweeper = properties(resources("AWS::Serverless::Function").get("SweeperFunction"));
        Map<String, Object> queueArn = Map.of("Fn::GetAtt", "SweeperDeadLetterQueue.Arn");
        Map<String, Object> events = (Map<String, Object>) sweeper.get("Events");
        long longestScheduleAge = 0;
        for (String pass : List.of("WarningPass", "CurfewSweep", "IdleCheck")) {
            Map<String, Object> e = (Map<String, Object>) events.get(pass);
            assertThat(e).as(pass).containsEntry("Type", "ScheduleV2");
            Map<String, Object> p = (Map<String, Object>) e.get("Properties");
            Map<String, Object> retry = (Map<String, Object>) p.get("RetryPolicy");
            assertThat(retry).as(pass).containsKeys("MaximumEventAgeInSeconds", "MaximumRetryAttempts");
            assertThat(p.get("DeadLetterConfig")).as(pass).isEqualTo(Map.of("Arn", queueArn));
            longestScheduleAge = Math.max(longestScheduleAge, ((Number) retry.get("MaximumEventAgeInSeconds"))
                    .longValue());
        }
        Map<String, Object> invoke = (Map<String, Object>) sweeper.get("EventInvokeConfig");
        assertThat(invoke).as("Lambda's own retries of a failed run, set on purpose").isNotNull();
        int retries = ((Number) invoke.get("MaximumRetryAttempts")).intValue();
        long age = ((Number) invoke.get("MaximumEventAgeInSeconds")).longValue();
        assertThat(retries).isBetween(1, 2);
        assertThat(age).as("a run is never started later than its schedule allows").isLessThanOrEqualTo(
                longestScheduleAge);
        // Lambda retries after about 1 and then 2 minutes: every attempt, each up to the timeout, fits in the age
        long timeout = ((Number) sweeper.get("Timeout")).longValue();
        assertThat((retries + 1) * timeout + 60 + 120).isLessThanOrEqualTo(age);
        assertThat(invoke.get("DestinationConfig")).isEqualTo(Map.of("OnFailure", Map.of("Type", "SQS",
                "Destination", queueArn)));

        Map<String, Object> sentinelRetries = (Map<String, Object>) properties(resources("AWS::Serverless::Function")
                .get("SentinelFunction")).get("EventInvokeConfig");
        assertThat(sentinelRetries).as("the sentinel's failed events are retried, then kept").isNotNull();
        assertThat(((Number) sentinelRetries.get("MaximumRetryAttempts")).intValue()).isEqualTo(2);
        assertThat(sentinelRetries.get("DestinationConfig")).isEqualTo(Map.of("OnFailure", Map.of("Type", "SQS",
                "Destination", queueArn)));

        Map<String, Object> queue = properties(resources("AWS::SQS::Queue").get("SweeperDeadLetterQueue"));
        assertThat(queue).containsEntry("MessageRetentionPeriod", 1209600);
        assertThat(resources("AWS::CloudWatch::Alarm").values()).as("an alarm on messages in the queue")
                .anySatisfy(a -> {
                    Map<String, Object> p = properties(a);
                    assertThat(p).containsEntry("Namespace", "AWS/SQS")
                            .containsEntry("MetricName", "ApproximateNumberOfMessagesVisible")
                            .containsEntry("ComparisonOperator", "GreaterThanThreshold");
                    assertThat(p.get("Dimensions").toString()).contains("SweeperDeadLetterQueue");
                    assertThat(p.get("AlarmActions").toString()).contains("AlarmTopic");
                });
    }

    /** A rate-limited Slack message may wait on Retry-After: the sentinel's timeout leaves room for the longest. */
    @Test
    void theSentinelsTimeoutLeavesRoomForSlacksLongestRetryAfterWaits() throws IOException {
        Map<String, Object> sentinel = properties(resources("AWS::Serverless::Function").get("SentinelFunction"));
        long timeout = ((Number) sentinel.get("Timeout")).longValue();
        long waits = dev.curfew.aws.notify.SlackClient.MOST_REQUESTS_PER_MESSAGE
                * dev.curfew.aws.notify.SlackClient.LONGEST_WAIT_SECONDS;
        assertThat(waits).isEqualTo(270);
        assertThat(timeout).as("one message's Retry-After waits, and 30 s for the rest of the event")
                .isGreaterThanOrEqualTo(waits + 30).isLessThanOrEqualTo(900);
    }

    /** The launcher's statement that allows {@code action}, with its resources and conditions. */
    static List<Map<String, Object>> launcherStatements(String action) throws IOException {
        Map<String, Object> launcher = resources("AWS::Serverless::Function").values().stream()
                .filter(f -> "dev.curfew.function.launcher.LauncherHandler".equals(properties(f).get("Handler")))
                .findFirst().orElseThrow();
        return statements(properties(launcher).get("Policies")).stream().filter(s -> actions(s).contains(action))
                .toList();
    }

    @Test
    void theLauncherStartsOnlyTaggedSpotInstancesAndDestroysOnlyOwnedThings() throws IOException {
        List<Map<String, Object>> run = launcherStatements("ec2:RunInstances");
        assertThat(run).anySatisfy(s -> assertThat(s.toString()).contains("instance/*")
                .contains("ec2:InstanceMarketType=spot").contains("aws:RequestTag/curfew:owner"));
        assertThat(run).allSatisfy(s -> assertThat(s.get("Resource")).isNotEqualTo("*"));

        for (String destroy : List.of("ec2:TerminateInstances", "ec2:DeleteSecurityGroup",
                "ec2:AuthorizeSecurityGroupIngress")) {
            assertThat(launcherStatements(destroy)).as(destroy).isNotEmpty().allSatisfy(s -> assertThat(s.toString())
                    .as(destroy).contains("aws:ResourceTag/curfew:owner").contains("AWS::AccountId"));
        }
        assertThat(launcherStatements("ec2:CreateTags")).singleElement().satisfies(s -> assertThat(s.toString())
                .contains("ec2:CreateAction=[RunInstances, CreateSecurityGroup]"));
        // AWS's public AMI parameters, the leases, the budget records, and for students' own accounts the enrolment
        // key and the roster
        assertThat(launcherStatements("ssm:GetParameter")).hasSize(5).allSatisfy(s -> assertThat(s.toString())
                .containsAnyOf("parameter/aws/service/*", LEASES, BUDGET, "parameter/curfew/enrolment-key",
                        "RosterLocation").doesNotContain("Resource=*"));
        assertThat(launcherStatements("ssm:GetParameter")).anySatisfy(s -> assertThat(s.get("Resource"))
                .isEqualTo(Map.of("Fn::Sub", BUDGET)));
        for (String write : List.of("ssm:PutParameter", "ssm:DeleteParameter")) {
            assertThat(launcherStatements(write)).as(write).singleElement().satisfies(s -> assertThat(s.get("Resource"))
                    .isEqualTo(Map.of("Fn::Sub", LEASES)));
        }
    }

    /** The Deny statements of the policy a student's users attach to call the launcher (LauncherStudentPolicy). */
    static List<Map<String, Object>> launcherStudentDenies() throws IOException {
        return statements(properties(resources("AWS::IAM::ManagedPolicy").get("LauncherStudentPolicy"))).stream()
                .filter(s -> "Deny".equals(s.get("Effect"))).toList();
    }

    /** The launcher's per-student launch leases (dev.curfew.aws.launch.LaunchLeases), and their takeover markers. */
    static final String LEASES = "arn:${AWS::Partition}:ssm:${AWS::Region}:${AWS::AccountId}:parameter"
            + dev.curfew.aws.launch.LaunchLeases.prefix("${AWS::StackName}") + "*";

    /** A student who could delete or rewrite their launch lease could run two launches at once past the cap. */
    @Test
    void studentsMayNotWriteTheLaunchLeases() throws IOException {
        List<Map<String, Object>> denies = launcherStudentDenies();
        assertThat(denies).anySatisfy(s -> {
            assertThat(actions(s)).contains("ssm:PutParameter", "ssm:DeleteParameter", "ssm:DeleteParameters",
                    "ssm:LabelParameterVersion");
            assertThat(s.get("Resource")).isEqualTo(Map.of("Fn::Sub", LEASES));
            assertThat(s.get("Condition")).isNull();
        });
    }

    /** The sweeper's locks (dev.curfew.aws.SweepLocks), and their takeover markers. */
    static final String SWEEP_LOCKS = "arn:${AWS::Partition}:ssm:${AWS::Region}:${AWS::AccountId}:parameter"
            + dev.curfew.aws.SweepLocks.prefix("${AWS::StackName}") + "*";
    /** The summary ledger, its claim <ledger>-sending and the claim's takeover markers. */
    static final String LEDGER = "arn:${AWS::Partition}:ssm:${AWS::Region}:${AWS::AccountId}:parameter"
            + "${SummaryLedger}*";

    /** The sweeper's statements that allow {@code action}. */
    static List<Map<String, Object>> sweeperStatements(String action) throws IOException {
        return statements(properties(resources("AWS::Serverless::Function").get("SweeperFunction")).get("Policies"))
                .stream().filter(s -> "Allow".equals(s.get("Effect")) && actions(s).contains(action)).toList();
    }

    /**
     * The budget records (dev.curfew.aws.budget.BudgetRecords): top-ups, who was told, who is over budget; and the
     * kept figures of closed weeks (dev.curfew.aws.budget.SpentRecords), so the same grants and denials hold for them.
     */
    static final String BUDGET = "arn:${AWS::Partition}:ssm:${AWS::Region}:${AWS::AccountId}:parameter"
            + dev.curfew.aws.budget.BudgetRecords.prefix("${AWS::StackName}") + "*";

    @Test
    void theKeptFiguresOfClosedWeeksAreBudgetRecords() {
        assertThat(dev.curfew.aws.budget.SpentRecords.prefix("${AWS::StackName}"))
                .startsWith(dev.curfew.aws.budget.BudgetRecords.prefix("${AWS::StackName}"));
    }

    /** The sweeper writes and deletes SSM parameters only of its locks, the summary ledger and the budget records. */
    @Test
    void theSweeperWritesOnlyItsLocksTheSummaryLedgerAndTheBudgetRecords() throws IOException {
        assertThat(((Map<?, ?>) properties(resources("AWS::SSM::Parameter").get("SummaryLedger")).get("Name"))
                .get("Fn::Sub")).isEqualTo("/curfew/${AWS::StackName}/last-summary");
        for (String write : List.of("ssm:PutParameter", "ssm:DeleteParameter")) {
            assertThat(sweeperStatements(write)).as(write).hasSize(3).extracting(s -> s.get("Resource"))
                    .containsExactlyInAnyOrder(Map.of("Fn::Sub", SWEEP_LOCKS), Map.of("Fn::Sub", LEDGER),
                            Map.of("Fn::Sub", BUDGET));
        }
        assertThat(sweeperStatements("ssm:DeleteParameters")).extracting(s -> s.get("Resource").toString())
                .anySatisfy(r -> assertThat(r).contains(BUDGET));
        assertThat(sweeperStatements("ssm:GetParameter")).extracting(s -> s.get("Resource").toString())
                .contains("{Fn::Sub=" + SWEEP_LOCKS + "}", "{Fn::Sub=" + LEDGER + "}");
    }

    /**
     * A student who could write the sweep lock could keep the curfew sweep standing aside every night; one who could
     * write the summary ledger or its claim could keep the instructor's summary from going out.
     */
    @Test
    void studentsMayNotWriteTheSweepLocksTheSummaryLedgerOrTheBudgetRecords() throws IOException {
        List<Map<String, Object>> denies = launcherStudentDenies();
        for (String records : List.of(SWEEP_LOCKS, LEDGER, BUDGET)) {
            assertThat(denies).as(records).anySatisfy(s -> {
                assertThat(actions(s)).contains("ssm:PutParameter", "ssm:DeleteParameter", "ssm:DeleteParameters",
                        "ssm:LabelParameterVersion");
                assertThat(s.get("Resource")).asList().contains(Map.of("Fn::Sub", records));
                assertThat(s.get("Condition")).isNull();
            });
        }
    }

    /**
     * A live sweep never loses its lock (the lock outlasts the function's timeout), and Lambda's first retry of a run
     * that timed out (a minute after it) finds the lock lapsed; the default of CURFEW_SWEEPER_LOCK_SECONDS is the same.
     */
    @Test
    void theSweepLockOutlastsTheSweepersTimeoutAndLapsesBeforeLambdasRetry() throws Exception {
        int timeout = ((Number) properties(resources("AWS::Serverless::Function").get("SweeperFunction"))
                .get("Timeout")).intValue();
        java.time.Duration lifetime = dev.curfew.aws.SweepLocks.DEFAULT_LIFETIME;
        assertThat(lifetime).isGreaterThan(java.time.Duration.ofSeconds(timeout))
                .isLessThan(java.time.Duration.ofSeconds(timeout + 60));
        var lockSeconds = java.util.Arrays.stream(SweeperConfig.class.getConstructors())
                .filter(c -> c.isAnnotationPresent(io.micronaut.core.annotation.Creator.class)).findFirst().orElseThrow()
                .getParameters()[2]
                .getAnnotation(io.micronaut.context.annotation.Value.class).value();
        assertThat(lockSeconds).isEqualTo("${curfew.sweeper.lock-seconds:" + lifetime.toSeconds() + "}");
    }

    /**
     * The records that keep the sentinel's launch-limits messages and welcomes from going twice: the sentinel may create
     * them and nothing else in SSM; a student who created them first would silence those messages.
     */
    @Test
    @SuppressWarnings("unchecked")
    void onlyTheSentinelWritesItsMessageRecords() throws IOException {
        String parameter = "arn:${AWS::Partition}:ssm:${AWS::Region}:${AWS::AccountId}:parameter";
        List<Object> records = List.of(
                Map.of("Fn::Sub", parameter + SentinelAws.welcomedPrefix("${AWS::StackName}") + "*"),
                Map.of("Fn::Sub", parameter + SentinelAws.limitsToldPrefix("${AWS::StackName}") + "*"),
                Map.of("Fn::Sub", parameter + SentinelAws.interruptionToldPrefix("${AWS::StackName}") + "*"),
                Map.of("Fn::Sub", parameter + dev.curfew.core.spend.RunHistory.prefix("${AWS::StackName}") + "*"));
        Map<String, Object> sentinel = resources("AWS::Serverless::Function").values().stream()
                .filter(f -> "dev.curfew.function.sentinel.SentinelHandler".equals(properties(f).get("Handler")))
                .findFirst().orElseThrow();
        assertThat(statements(properties(sentinel).get("Policies"))).filteredOn(s -> actions(s)
                .contains("ssm:PutParameter")).singleElement().satisfies(s -> assertThat(s.get("Resource"))
                        .isInstanceOf(List.class).satisfies(r -> assertThat((List<Object>) r)
                                .containsExactlyInAnyOrderElementsOf(records)));
        List<Map<String, Object>> denies = launcherStudentDenies();
        assertThat(denies).anySatisfy(s -> {
            assertThat(actions(s)).contains("ssm:PutParameter", "ssm:DeleteParameter", "ssm:DeleteParameters",
                    "ssm:LabelParameterVersion");
            assertThat(s.get("Resource")).isInstanceOf(List.class);
            assertThat((List<Object>) s.get("Resource")).containsAll(records);
            assertThat(s.get("Condition")).isNull();
        });
    }

    /**
     * The run records of the spend estimate: the sentinel's rule gets every state that starts or ends a run (the
     * forwarding rules of other regions and accounts too); the sentinel reads only the owner records it wrote, the
     * sweeper reads (and prunes) the run records and writes none; students write none of them (above).
     */
    @Test
    @SuppressWarnings("unchecked")
    void theSentinelHearsEveryStartAndStopTheSweeperReadsTheRunRecordsAndNobodyElseWritesThem() throws IOException {
        String parameter = "arn:${AWS::Partition}:ssm:${AWS::Region}:${AWS::AccountId}:parameter";
        String runs = parameter + dev.curfew.core.spend.RunHistory.prefix("${AWS::StackName}");
        Map<String, Object> sentinel = properties(resources("AWS::Serverless::Function").get("SentinelFunction"));
        Map<String, Object> rule = (Map<String, Object>) ((Map<String, Object>) ((Map<String, Object>) sentinel
                .get("Events")).get("InstanceRunning")).get("Properties");
        List<String> states = List.of("running", "stopping", "stopped", "shutting-down", "terminated");
        assertThat((List<String>) ((Map<String, Object>) ((Map<String, Object>) rule.get("Pattern")).get("detail"))
                .get("state")).containsExactlyInAnyOrderElementsOf(states);
        for (String other : List.of("templates/forward-events.yaml", "templates/student-account.yaml")) {
            Map<String, Object> t = (Map<String, Object>) new Yaml(new CfnConstructor()).load(Files.readString(
                    ROOT.resolve(other)));
            Map<String, Object> forward = (Map<String, Object>) ((Map<String, Object>) ((Map<String, Object>) t
                    .get("Resources")).get("ForwardInstanceRunning")).get("Properties");
            assertThat((List<String>) ((Map<String, Object>) ((Map<String, Object>) forward.get("EventPattern"))
                    .get("detail")).get("state")).as(other).containsExactlyInAnyOrderElementsOf(states);
        }
        assertThat(statements(sentinel.get("Policies"))).filteredOn(s -> actions(s).contains("ssm:GetParameter")
                && s.get("Resource").toString().contains("/runs/")).singleElement().satisfies(s -> {
                    assertThat(actions(s)).containsExactly("ssm:GetParameter");
                    assertThat(s.get("Resource")).isEqualTo(Map.of("Fn::Sub", runs + "owners/*"));
                });
        assertThat(sweeperStatements("ssm:GetParametersByPath")).extracting(s -> s.get("Resource").toString())
                .anySatisfy(r -> assertThat(r).contains(runs + "*"));
        for (String write : List.of("ssm:PutParameter", "ssm:DeleteParameter")) {
            assertThat(sweeperStatements(write)).extracting(s -> s.get("Resource").toString())
                    .noneSatisfy(r -> assertThat(r).contains("/runs/"));
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void studentsMayNotWriteCurfewsRecordTagsButMayKeepThings() throws IOException {
        List<Map<String, Object>> denies = launcherStudentDenies();
        assertThat(denies).anySatisfy(s -> {
            assertThat(actions(s)).contains("ec2:CreateTags", "ec2:DeleteTags", "elasticmapreduce:AddTags",
                    "elasticmapreduce:RemoveTags");
            assertThat(s.get("Resource")).isEqualTo("*");
            Map<String, Object> any = (Map<String, Object>) ((Map<String, Object>) s.get("Condition"))
                    .get("ForAnyValue:StringLike");
            List<String> keys = (List<String>) any.get("aws:TagKeys");
            // every record Curfew reads to decide or to stay quiet; never the students' own keep tag
            assertThat(keys).contains("curfew:owner", "curfew:created-by", "curfew:action", "curfew:pending",
                    "curfew:unattached-since", "curfew:snapshot-id", "curfew:keep-cap", "curfew:warned",
                    "curfew:limits-told", "curfew:interruption-told").doesNotContain("curfew:keep", "curfew:*");
        });
        // a DeleteTags naming no key would delete the records with everything else
        assertThat(denies).anySatisfy(s -> {
            assertThat(actions(s)).containsExactly("ec2:DeleteTags");
            assertThat(s.get("Condition").toString()).isEqualTo("{Null={aws:TagKeys=true}}");
        });
    }

    @Test
    void studentsMayCallTheLauncherOnlyThroughItsFunctionUrl() throws IOException {
        Map<String, Map<String, Object>> urls = resources("AWS::Lambda::Url");
        assertThat(urls.values()).singleElement()
                .satisfies(u -> assertThat(properties(u)).containsEntry("AuthType", "AWS_IAM"));

        Map<String, Map<String, Object>> managed = resources("AWS::IAM::ManagedPolicy");
        assertThat(managed).containsKey("LauncherStudentPolicy");
        List<Map<String, Object>> st = statements(properties(managed.get("LauncherStudentPolicy")));
        assertThat(st).filteredOn(s -> "Allow".equals(s.get("Effect"))).hasSize(2).allSatisfy(s -> {
            assertThat(actions(s)).containsAnyOf("lambda:InvokeFunction", "lambda:InvokeFunctionUrl");
            assertThat(s.get("Resource").toString()).isEqualTo("{Fn::Sub=${LauncherFunction.Arn}:live}");
            assertThat(s.get("Condition").toString()).containsAnyOf("lambda:InvokedViaFunctionUrl=true",
                    "lambda:FunctionUrlAuthType=AWS_IAM");
        });
        assertThat(st).anySatisfy(s -> assertThat(s.toString()).contains("Effect=Deny")
                .contains("lambda:InvokedViaFunctionUrl=false").contains("LauncherFunction"));
    }

    /**
     * A direct invocation carries whatever event its caller wrote (an identity, a CloudTrail record, a pass): every
     * Curfew function, every version and alias, is denied to students, the launcher unless through its URL; and
     * students may not change the functions.
     */
    @Test
    @SuppressWarnings("unchecked")
    void studentsMayInvokeOrChangeNoCurfewFunctionDirectly() throws IOException {
        Map<String, Map<String, Object>> managed = resources("AWS::IAM::ManagedPolicy");
        List<Map<String, Object>> denies = STUDENT_POLICIES.stream().flatMap(p -> statements(properties(managed
                .get(p))).stream()).filter(s -> "Deny".equals(s.get("Effect"))).toList();
        Set<String> functions = resources("AWS::Serverless::Function").keySet();
        assertThat(functions).hasSize(4);
        for (String f : functions) {
            List<Object> arns = List.of(Map.of("Fn::GetAtt", f + ".Arn"), Map.of("Fn::Sub", "${" + f + ".Arn}:*"));
            for (String action : List.of("lambda:InvokeFunction", "lambda:InvokeAsync", "lambda:Update*",
                    "lambda:Delete*", "lambda:AddPermission")) {
                assertThat(denies).as(f + " " + action).anySatisfy(s -> {
                    assertThat(actions(s)).contains(action);
                    assertThat((List<Object>) s.get("Resource")).containsAll(arns);
                    if (s.get("Condition") != null) {
                        // only the launcher's URL is an exception
                        assertThat(f).isEqualTo("LauncherFunction");
                        assertThat(s.get("Condition")).isEqualTo(Map.of("BoolIfExists",
                                Map.of("lambda:InvokedViaFunctionUrl", "false")));
                    }
                });
            }
        }
    }

    /**
     * The accounts state machine's results: encrypted, never public, expiring; only the state machine writes there
     * (a student who could would write the rows the summary reads), but for the budget stops' items, which only the
     * budget step writes (one who could would choose whose instances are stopped), and only over TLS. The steps' function runs with
     * the sweeper's role (which students' accounts trust) and reads only the Map's results.
     */
    @Test
    @SuppressWarnings("unchecked")
    void theAccountsResultsArePrivateEncryptedExpireAndOnlyTheStateMachineWritesThem() throws IOException {
        Map<String, Object> bucket = properties(resources("AWS::S3::Bucket").get("AccountsResultsBucket"));
        assertThat(bucket.get("BucketEncryption").toString()).contains("SSEAlgorithm=AES256");
        assertThat((Map<String, Object>) bucket.get("PublicAccessBlockConfiguration")).containsOnly(
                Map.entry("BlockPublicAcls", true), Map.entry("BlockPublicPolicy", true),
                Map.entry("IgnorePublicAcls", true), Map.entry("RestrictPublicBuckets", true));
        assertThat(bucket.get("LifecycleConfiguration").toString()).contains("ExpirationInDays=30")
                .contains("Status=Enabled");
        List<Map<String, Object>> policy = statements(properties(resources("AWS::S3::BucketPolicy")
                .get("AccountsResultsBucketPolicy")).get("PolicyDocument"));
        assertThat(policy).anySatisfy(st -> {
            assertThat(st.get("Effect")).isEqualTo("Deny");
            assertThat(actions(st)).contains("s3:PutObject", "s3:DeleteObject");
            assertThat(st.get("Condition")).isEqualTo(Map.of("ArnNotEquals", Map.of("aws:PrincipalArn",
                    Map.of("Fn::GetAtt", "AccountsStateMachineRole.Arn"))));
            // everything but the budget stops' items, which the budget step alone writes
            assertThat(st.get("NotResource")).isEqualTo(Map.of("Fn::Sub", "${AccountsResultsBucket.Arn}/stops/*"));
        });
        assertThat(policy).anySatisfy(st -> {
            assertThat(st.get("Effect")).isEqualTo("Deny");
            assertThat(actions(st)).contains("s3:PutObject", "s3:DeleteObject");
            assertThat(st.get("Resource")).isEqualTo(Map.of("Fn::Sub", "${AccountsResultsBucket.Arn}/stops/*"));
            assertThat(st.get("Condition")).isEqualTo(Map.of("ArnNotEquals", Map.of("aws:PrincipalArn",
                    Map.of("Fn::GetAtt", "SweeperFunctionRole.Arn"))));
        });
        assertThat(policy).anySatisfy(st -> assertThat(st.get("Condition")).isEqualTo(Map.of("Bool",
                Map.of("aws:SecureTransport", "false"))));
        Map<String, Object> function = resources("AWS::Serverless::Function").get("AccountsFunction");
        assertThat(roleOwner("AccountsFunction", function)).isEqualTo("SweeperFunction");
        // spend, budgets and the class page across accounts: the sweeper's settings (and role, checked above)
        Map<String, Object> env = (Map<String, Object>) ((Map<String, Object>) properties(function)
                .get("Environment")).get("Variables");
        assertThat(env).containsEntry("CURFEW_COST_EXPLORER", Map.of("Ref", "CostExplorer"))
                .containsEntry("CURFEW_PAGE_BUCKET", Map.of("Ref", "ClassPageBucket"))
                .containsEntry("CURFEW_PAGE_LINK_HOURS", Map.of("Ref", "PageLinkHours"));
        List<Map<String, Object>> reads = statements(properties(resources("AWS::IAM::Policy")
                .get("AccountsReadResults")).get("PolicyDocument"));
        // the Maps' results and the budget stops' items are read; the budget step writes those items, nothing else
        assertThat(reads).hasSize(2).anySatisfy(st -> {
            assertThat(actions(st)).containsExactly("s3:GetObject");
            assertThat(st.get("Resource")).isEqualTo(List.of(Map.of("Fn::Sub", "${AccountsResultsBucket.Arn}/runs/*"),
                    Map.of("Fn::Sub", "${AccountsResultsBucket.Arn}/stops/*")));
        }).anySatisfy(st -> {
            assertThat(actions(st)).containsExactly("s3:PutObject");
            assertThat(st.get("Resource")).isEqualTo(Map.of("Fn::Sub", "${AccountsResultsBucket.Arn}/stops/*"));
        });
    }

    @Test
    void everyHandlerNamedInTheTemplateExistsInTheModuleItsCodeUriPointsAt() throws Exception {
        Map<String, Map<String, Object>> functions = resources("AWS::Serverless::Function");
        assertThat(functions).isNotEmpty();
        for (var f : functions.entrySet()) {
            Map<String, Object> p = properties(f.getValue());
            String handler = String.valueOf(p.get("Handler"));
            String codeUri = String.valueOf(p.get("CodeUri"));
            Matcher m = Pattern.compile("(.+)/target/([\\w.-]+)\\.jar").matcher(codeUri);
            assertThat(m.matches()).as(f.getKey() + " CodeUri " + codeUri).isTrue();
            Path module = ROOT.resolve(m.group(1));
            assertThat(Files.readString(module.resolve("pom.xml"))).as(codeUri)
                    .contains("<function.name>" + m.group(2) + "</function.name>"); // functions/pom.xml: the jar
            Path source = module.resolve("src/main/java/" + handler.replace('.', '/') + ".java");
            assertThat(source).as(f.getKey() + " Handler " + handler).exists();
            String simple = handler.substring(handler.lastIndexOf('.') + 1);
            assertThat(Files.readString(source)).containsPattern("public class " + simple
                    + "\\s+extends MicronautRequestHandler<");
        }
        Class<?> sweeper = Class.forName("dev.curfew.function.sweeper.SweeperHandler");
        assertThat(com.amazonaws.services.lambda.runtime.RequestHandler.class).isAssignableFrom(sweeper);
    }

    @Test
    void everyPolicyEnvironmentVariableIsSetByTheTemplate() throws IOException {
        String t = template();
        for (String var : PolicySource.ENV_OVERRIDES.keySet()) {
            assertThat(t).as(var).contains(var + ":");
        }
        assertThat(t).contains("CURFEW_POLICY:").contains("CURFEW_STACK_NAME:");
    }

    @Test
    void aFreshDeployIsADryRun() throws IOException {
        String t = template();
        int mode = t.indexOf("\n  Mode:");
        assertThat(t.substring(mode, t.indexOf("AllowedValues", mode))).contains("Default: dry-run");
    }

    static List<Path> events(String prefix) throws IOException {
        try (Stream<Path> files = Files.list(ROOT.resolve("events"))) {
            return files.filter(p -> p.getFileName().toString().startsWith(prefix)
                    && p.getFileName().toString().endsWith(".json")).sorted().toList();
        }
    }

    @Test
    void everySampleEventIsForAFunctionWhoseInputItParsesAs() throws IOException {
        try (Stream<Path> files = Files.list(ROOT.resolve("events"))) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .as("events/ holds scheduled-*.json (the sweeper), launcher-*.json (the launcher) and "
                            + "sentinel-*.json (the sentinel); a new kind of event needs its parse test here")
                    .allMatch(n -> n.matches("(scheduled|launcher|sentinel)-[\\w-]+\\.json"));
        }
    }

    @Test
    void everyScheduledSampleEventParsesAsTheSweepersEvent() throws Exception {
        try (var ctx = io.micronaut.context.ApplicationContext.run()) {
            JsonMapper json = ctx.getBean(JsonMapper.class);
            List<Path> all = events("scheduled-");
            assertThat(all).isNotEmpty();
            for (Path p : all) {
                Map<String, Object> e = json.readValue(Files.readAllBytes(p),
                        io.micronaut.core.type.Argument.mapOf(String.class, Object.class));
                assertThat(SweeperHandler.passOf(e)).as(p.toString()).isIn("curfew", "idle-check", "warning");
            }
        }
    }

    @Test
    void everyLauncherSampleEventParsesAsAnIamAuthenticatedFunctionUrlRequest() throws Exception {
        try (var ctx = io.micronaut.context.ApplicationContext.run()) {
            JsonMapper json = ctx.getBean(JsonMapper.class);
            List<Path> all = events("launcher-");
            assertThat(all).extracting(p -> p.getFileName().toString())
                    .contains("launcher-launch.json", "launcher-list.json", "launcher-terminate.json");
            for (Path p : all) {
                APIGatewayV2HTTPEvent e = json.readValue(Files.readAllBytes(p), APIGatewayV2HTTPEvent.class);
                assertThat(e.getVersion()).as(p.toString()).isEqualTo("2.0");
                assertThat(e.getRawPath()).as(p.toString()).startsWith("/instances");
                var ctxt = e.getRequestContext();
                assertThat(ctxt.getHttp().getMethod()).as(p.toString()).isIn("GET", "POST", "DELETE");
                assertThat(ctxt.getHttp().getSourceIp()).as(p.toString()).matches("[0-9.]+|[0-9a-f:]+");
                assertThat(ctxt.getDomainName()).as(p.toString()).endsWith(".lambda-url.eu-west-1.on.aws");
                assertThat(ctxt.getAuthorizer().getIam().getUserArn()).as(p.toString())
                        .startsWith("arn:aws:").contains(":" + ctxt.getAuthorizer().getIam().getAccountId() + ":");
            }
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void everySentinelSampleEventIsReadByTheSentinelAndMatchesOneOfItsRules() throws Exception {
        try (var ctx = io.micronaut.context.ApplicationContext.run()) {
            JsonMapper json = ctx.getBean(JsonMapper.class);
            List<Path> all = events("sentinel-");
            assertThat(all).extracting(p -> p.getFileName().toString()).contains("sentinel-runinstances.json",
                    "sentinel-state-running.json", "sentinel-spot-interruption.json");
            Map<String, Object> sentinel = resources("AWS::Serverless::Function").values().stream()
                    .filter(f -> "dev.curfew.function.sentinel.SentinelHandler".equals(properties(f).get("Handler")))
                    .findFirst().orElseThrow();
            String rules = String.valueOf(properties(sentinel).get("Events"));
            for (Path p : all) {
                Map<String, Object> e = json.readValue(Files.readAllBytes(p), Map.class);
                assertThat(dev.curfew.core.sentinel.EventReader.read(e)).as(p.toString()).isNotNull();
                assertThat(rules).as(p + ": a rule of the sentinel takes its detail-type")
                        .contains(String.valueOf(e.get("detail-type")));
                Object name = ((Map<String, Object>) e.get("detail")).get("eventName");
                if (name != null) {
                    assertThat(rules).as(p + ": the sentinel's rule takes " + name).contains(String.valueOf(name));
                }
            }
        }
    }

    /**
     * The sentinel removes tags only from volumes, only the keys of a mark ({@code SentinelAws.UNMARKED_ON_ATTACH}),
     * and only on an AttachVolume its rule takes.
     */
    @Test
    void theSentinelMayRemoveOnlyTheMarksOfAVolumeAttachedAgain() throws IOException {
        Map<String, Object> sentinel = resources("AWS::Serverless::Function").values().stream()
                .filter(f -> "dev.curfew.function.sentinel.SentinelHandler".equals(properties(f).get("Handler")))
                .findFirst().orElseThrow();
        List<Map<String, Object>> deletes = statements(properties(sentinel).get("Policies")).stream()
                .filter(st -> "Allow".equals(st.get("Effect")) && actions(st).contains("ec2:DeleteTags")).toList();
        assertThat(deletes).singleElement().satisfies(st -> {
            assertThat(actions(st)).containsExactly("ec2:DeleteTags");
            assertThat(String.valueOf(st.get("Resource"))).contains(":volume/*").doesNotContain(",");
            assertThat(condition(st, "ForAllValues:StringEquals").get("aws:TagKeys"))
                    .isEqualTo(dev.curfew.aws.sentinel.SentinelAws.UNMARKED_ON_ATTACH);
            assertThat(condition(st, "Null").get("aws:TagKeys")).isEqualTo("false");
        });
        assertThat(String.valueOf(properties(sentinel).get("Events")))
                .contains("eventName=[AttachVolume], errorCode=[{exists=false}]");
    }

    // ---------------------------------------------------------------- students' own accounts' events

    static Map<String, Object> sentinelFunction() throws IOException {
        return resources("AWS::Serverless::Function").values().stream()
                .filter(f -> "dev.curfew.function.sentinel.SentinelHandler".equals(properties(f).get("Handler")))
                .findFirst().orElseThrow();
    }

    /**
     * Events forwarded from a student's own account keep that account in their {@code account} field: a rule that
     * pinned {@code account} (to {@code ${AWS::AccountId}}) would never hand them to the sentinel, which decides
     * itself which accounts it acts for (the roster).
     */
    @Test
    @SuppressWarnings("unchecked")
    void theSentinelsRulesTakeTheEventsOfEveryAccountTheBusAdmits() throws IOException {
        Map<String, Object> events = (Map<String, Object>) properties(sentinelFunction()).get("Events");
        assertThat(events).hasSizeGreaterThanOrEqualTo(4);
        events.forEach((name, e) -> {
            Map<String, Object> rule = (Map<String, Object>) e;
            assertThat(rule.get("Type")).as(name).isEqualTo("EventBridgeRule");
            Map<String, Object> p = (Map<String, Object>) properties(rule);
            assertThat(p).as(name + ": the default bus, where forwarded events arrive").doesNotContainKey("EventBusName");
            assertThat((Map<String, Object>) p.get("Pattern")).as(name).doesNotContainKey("account");
        });
    }

    /**
     * The default bus admits forwarded events from the accounts StudentAccountIds lists and from the Organization
     * OrganizationId names, and from nobody when both are empty (the defaults): no statement at all then.
     */
    @Test
    @SuppressWarnings("unchecked")
    void theBusAdmitsOnlyTheListedStudentAccountsAndTheOrganization() throws IOException {
        Map<String, Object> t = parsed();
        Map<String, Map<String, Object>> params = (Map<String, Map<String, Object>>) t.get("Parameters");
        Map<String, Object> conditions = (Map<String, Object>) t.get("Conditions");
        Map<String, Map<String, Object>> policies = resources("AWS::Events::EventBusPolicy");
        assertThat(policies).containsOnlyKeys("StudentAccountsBusPolicy", "OrganizationBusPolicy");
        // two courses' stacks may share an account and so its default bus: each statement's id is its stack's
        policies.forEach((name, pol) -> assertThat(String.valueOf(properties(pol).get("StatementId"))).as(name)
                .contains("{Ref=AWS::StackId}"));
        Object defaultBus = Map.of("Fn::Sub",
                "arn:${AWS::Partition}:events:${AWS::Region}:${AWS::AccountId}:event-bus/default");

        assertThat(params.get("StudentAccountIds")).containsEntry("Type", "CommaDelimitedList")
                .containsEntry("Default", "");
        allowedPattern(params.get("StudentAccountIds"), List.of("111111111111", ""), List.of("1111-1111-1111", "*"));
        assertThat(onlyWhenGiven(policies, conditions, "StudentAccountsBusPolicy", "HasStudentAccounts",
                Map.of("Fn::Join", List.of("", Map.of("Ref", "StudentAccountIds"))))).satisfies(st -> {
            assertThat(st.get("Effect")).isEqualTo("Allow");
            assertThat(actions(st)).containsExactly("events:PutEvents");
            assertThat(st.get("Principal")).isEqualTo(Map.of("AWS", Map.of("Ref", "StudentAccountIds")));
            assertThat(st.get("Resource")).isEqualTo(defaultBus);
            assertThat(st.get("Condition")).isNull();
        });

        assertThat(params.get("OrganizationId")).containsEntry("Default", "");
        allowedPattern(params.get("OrganizationId"), List.of("o-a1b2c3d4e5", ""), List.of("*"));
        assertThat(onlyWhenGiven(policies, conditions, "OrganizationBusPolicy", "HasOrganization",
                Map.of("Ref", "OrganizationId"))).satisfies(st -> {
            assertThat(actions(st)).containsExactly("events:PutEvents");
            assertThat(st.get("Resource")).isEqualTo(defaultBus);
            // everyone, but only principals of that Organization
            assertThat(condition(st, "StringEquals")).isEqualTo(Map.of("aws:PrincipalOrgID",
                    Map.of("Ref", "OrganizationId")));
            assertThat(((Map<String, Object>) st.get("Condition"))).hasSize(1);
        });
    }

    /** A parameter's AllowedPattern matches each of {@code good} and none of {@code bad}. */
    static void allowedPattern(Map<String, Object> parameter, List<String> good, List<String> bad) {
        String pattern = String.valueOf(parameter.get("AllowedPattern"));
        good.forEach(v -> assertThat(v).matches(pattern));
        bad.forEach(v -> assertThat(v).doesNotMatch(pattern));
    }

    /**
     * The one statement of a policy made only when a parameter is given: the policy's condition holds when
     * {@code value} (the parameter, or what is made of it) is not empty.
     */
    static Map<String, Object> onlyWhenGiven(Map<String, Map<String, Object>> policies, Map<String, Object> conditions,
                                             String policy, String condition, Object value) {
        Map<String, Object> p = policies.get(policy);
        assertThat(p.get("Condition")).isEqualTo(condition);
        assertThat(conditions.get(condition)).isEqualTo(Map.of("Fn::Not", List.of(Map.of("Fn::Equals",
                List.of(value, "")))));
        List<Map<String, Object>> statements = statements(properties(p));
        assertThat(statements).hasSize(1);
        return statements.get(0);
    }

    /** The sentinel reaches an enrolled account only through the role students deploy, and reads only the key. */
    @Test
    void theSentinelAssumesOnlyTheEnrolledAccountsRoleAndReadsTheEnrolmentKey() throws IOException {
        List<Map<String, Object>> allows = statements(properties(sentinelFunction()).get("Policies")).stream()
                .filter(st -> "Allow".equals(st.get("Effect"))).toList();
        assertThat(allows).filteredOn(st -> actions(st).contains("sts:AssumeRole")).singleElement()
                .satisfies(st -> {
                    assertThat(actions(st)).containsExactly("sts:AssumeRole");
                    assertThat(st.get("Resource")).isEqualTo(Map.of("Fn::Sub", "arn:${AWS::Partition}:iam::*:role/"
                            + dev.curfew.core.enrol.Enrolment.ROLE_NAME));
                });
        assertThat(allows).filteredOn(st -> actions(st).contains("ssm:GetParameter")
                        && !String.valueOf(st.get("Resource")).contains("RosterLocation")
                        && !String.valueOf(st.get("Resource")).contains("/runs/owners/"))
                .singleElement().satisfies(st -> assertThat(st.get("Resource")).isEqualTo(Map.of("Fn::Sub",
                        "arn:${AWS::Partition}:ssm:${AWS::Region}:${AWS::AccountId}:parameter"
                                + dev.curfew.aws.accounts.AccountSessions.KEY_PARAMETER)));
    }

    // ---------------------------------------------------------------- students may not disable Curfew

    /** The managed policies the instructor attaches to every student principal (README, "Launch a spot instance"). */
    static final List<String> STUDENT_POLICIES = List.of("LauncherStudentPolicy", "CurfewStudentGuardrails",
            "CurfewStudentAccountsGuardrails");
    /** IAM's limit for a managed policy: characters of its JSON document, whitespace not counted. */
    static final int MANAGED_POLICY_LIMIT = 6_144;
    static final String ARN_PREFIX = "arn:${AWS::Partition}:%s:${AWS::Region}:${AWS::AccountId}:";

    /** The students' Deny statements that hold whatever the request (no condition), through every !If branch. */
    static List<Map<String, Object>> studentDenies() throws IOException {
        Map<String, Map<String, Object>> managed = resources("AWS::IAM::ManagedPolicy");
        List<Map<String, Object>> out = new ArrayList<>();
        for (String p : STUDENT_POLICIES) {
            statements(managed.containsKey(p) ? properties(managed.get(p)) : List.of()).stream()
                    .filter(s -> "Deny".equals(s.get("Effect")) && s.get("Condition") == null).forEach(out::add);
        }
        return out;
    }

    /** A statement's resources, each branch of an !If included, AWS::NoValue left out. */
    static List<Object> resourceLeaves(Object node) {
        List<Object> out = new ArrayList<>();
        if (node instanceof List<?> l) {
            l.forEach(v -> out.addAll(resourceLeaves(v)));
        } else if (node instanceof Map<?, ?> m && m.containsKey("Fn::If")) {
            List<?> branches = (List<?>) m.get("Fn::If");
            out.addAll(resourceLeaves(branches.get(1)));
            out.addAll(resourceLeaves(branches.get(2)));
        } else if (!Map.of("Ref", "AWS::NoValue").equals(node)) {
            out.add(node);
        }
        return out;
    }

    /** IAM's action match: case-insensitive, * and ? as wildcards. */
    static boolean covers(String pattern, String action) {
        String regex = Pattern.quote(pattern).replace("*", "\\E.*\\Q").replace("?", "\\E.\\Q");
        return Pattern.compile(regex, Pattern.CASE_INSENSITIVE).matcher(action).matches();
    }

    static void assertDenied(SoftAssertions softly, List<Map<String, Object>> denies, String what, Object resource,
            List<String> actions) {
        for (String action : actions) {
            softly.assertThat(denies.stream().anyMatch(s -> resourceLeaves(s.get("Resource")).contains(resource)
                    && actions(s).stream().anyMatch(a -> covers(a, action))))
                    .as("students are denied %s on %s (%s)", action, what, resource).isTrue();
        }
    }

    /**
     * A student with broad grants (PowerUserAccess, as class accounts often give) could otherwise switch Curfew off
     * without touching a function: disable the sentinel's rules, delete the sweeper's schedules, silence the alarms
     * or their topic, drop the log groups or the circuit breaker's metric filter, empty the dead-letter queue, read
     * or rewrite the Slack secrets, write Curfew's records in SSM, or change who may put events on the default bus
     * (admit a stranger's account, or drop the students'). Every such resource of the stack, found in the
     * template (so a new alarm or log group must be added too), is denied to students by exact ARN.
     */
    @Test
    @SuppressWarnings("unchecked")
    void studentsMayNotDisableOrRewriteWhatCurfewReliesOn() throws IOException {
        List<Map<String, Object>> denies = studentDenies();
        Map<String, Object> template = parsed();
        Map<String, Map<String, Object>> all = (Map<String, Map<String, Object>>) template.get("Resources");
        SoftAssertions softly = new SoftAssertions();
        Set<String> groups = resources("AWS::Scheduler::ScheduleGroup").keySet();
        int rules = 0;
        int schedules = 0;
        Map<String, Map<String, Object>> triggered = new LinkedHashMap<>(resources("AWS::Serverless::Function"));
        triggered.putAll(resources("AWS::Serverless::StateMachine"));
        for (var f : triggered.entrySet()) {
            Map<String, Map<String, Object>> events = (Map<String, Map<String, Object>>) properties(f.getValue())
                    .getOrDefault("Events", Map.of());
            for (var e : events.entrySet()) {
                String type = String.valueOf(e.getValue().get("Type"));
                if (type.equals("EventBridgeRule")) {
                    rules++;
                    // SAM names the AWS::Events::Rule <function><event> (SamTransformIT checks)
                    assertDenied(softly, denies, "rule " + e.getKey(),
                            Map.of("Fn::GetAtt", f.getKey() + e.getKey() + ".Arn"), List.of("events:DisableRule",
                                    "events:DeleteRule", "events:PutRule", "events:PutTargets", "events:RemoveTargets"));
                } else if (type.equals("ScheduleV2")) {
                    schedules++;
                    // with OmitName the schedule's name is generated: its group is the stack's own
                    Object group = properties(e.getValue()).get("GroupName");
                    softly.assertThat(group).as("schedule %s is in a group of the stack", e.getKey())
                            .isInstanceOf(Map.class);
                    String g = group instanceof Map<?, ?> m ? String.valueOf(m.get("Ref")) : "";
                    softly.assertThat(groups).as("schedule group of " + e.getKey()).contains(g);
                    assertDenied(softly, denies, "schedule " + e.getKey(),
                            Map.of("Fn::Sub", ARN_PREFIX.formatted("scheduler") + "schedule/${" + g + "}/*"),
                            List.of("scheduler:UpdateSchedule", "scheduler:DeleteSchedule"));
                    assertDenied(softly, denies, "schedule group " + g, Map.of("Fn::GetAtt", g + ".Arn"),
                            List.of("scheduler:DeleteScheduleGroup"));
                }
            }
        }
        softly.assertThat(rules).as("the sentinel's rules").isEqualTo(4);
        softly.assertThat(schedules).as("the sweeper's schedules and the accounts state machine's").isEqualTo(6);
        // the accounts state machine: no execution stopped (the sweep of every account would never end), none
        // started (a name and input of a student's choosing), no definition changed or deleted
        for (String sm : resources("AWS::Serverless::StateMachine").keySet()) {
            assertDenied(softly, denies, "state machine " + sm, Map.of("Ref", sm), List.of("states:StartExecution",
                    "states:StopExecution", "states:UpdateStateMachine", "states:DeleteStateMachine"));
            assertDenied(softly, denies, "the executions of " + sm, Map.of("Fn::Sub", ARN_PREFIX.formatted("states")
                    + "execution:${AWS::StackName}-accounts:*"), List.of("states:StopExecution"));
            assertDenied(softly, denies, "the Map's child executions of " + sm, Map.of("Fn::Sub",
                    ARN_PREFIX.formatted("states") + "execution:${AWS::StackName}-accounts/*"),
                    List.of("states:StopExecution"));
        }

        // who may put events on the bus the sentinel's rules listen on: every bus a policy of the stack admits to
        Map<String, Map<String, Object>> busPolicies = resources("AWS::Events::EventBusPolicy");
        softly.assertThat(busPolicies).as("the bus policies of the students' accounts and the Organization")
                .hasSize(2);
        for (var bp : busPolicies.entrySet()) {
            Object bus = ((Map<String, Object>) properties(bp.getValue()).get("Statement")).get("Resource");
            softly.assertThat(String.valueOf(bus)).as(bp.getKey()).contains(":event-bus/default");
            assertDenied(softly, denies, "the bus of " + bp.getKey(), bus, List.of("events:PutPermission",
                    "events:RemovePermission", "events:UpdateEventBus"));
        }

        Set<String> alarms = resources("AWS::CloudWatch::Alarm").keySet();
        softly.assertThat(alarms).hasSizeGreaterThanOrEqualTo(7);
        for (String a : alarms) {
            assertDenied(softly, denies, "alarm " + a, Map.of("Fn::GetAtt", a + ".Arn"), List.of(
                    "cloudwatch:DeleteAlarms", "cloudwatch:DisableAlarmActions", "cloudwatch:PutMetricAlarm",
                    "cloudwatch:SetAlarmState"));
        }
        Set<String> logGroups = resources("AWS::Logs::LogGroup").keySet();
        softly.assertThat(logGroups).hasSize(4);
        for (String lg : logGroups) {
            // the log group's own ARN (DeleteLogGroup, the filters, retention) and its streams (GetAtt's :*)
            for (Object arn : List.of(Map.of("Fn::GetAtt", lg + ".Arn"),
                    Map.of("Fn::Sub", ARN_PREFIX.formatted("logs") + "log-group:${" + lg + "}"))) {
                assertDenied(softly, denies, "log group " + lg, arn, List.of("logs:DeleteLogGroup",
                        "logs:DeleteMetricFilter", "logs:PutMetricFilter", "logs:PutRetentionPolicy",
                        "logs:DeleteSubscriptionFilter", "logs:PutSubscriptionFilter", "logs:PutLogEvents"));
            }
        }
        // every metric filter is on one of those log groups
        resources("AWS::Logs::MetricFilter").forEach((name, mf) -> softly.assertThat(logGroups)
                .as("metric filter " + name).contains(String.valueOf(((Map<?, ?>) properties(mf)
                        .get("LogGroupName")).get("Ref"))));
        Set<String> topics = resources("AWS::SNS::Topic").keySet();
        softly.assertThat(topics).hasSize(1);
        for (String t : topics) {
            assertDenied(softly, denies, "topic " + t, Map.of("Ref", t), List.of("sns:DeleteTopic",
                    "sns:SetTopicAttributes", "sns:RemovePermission", "sns:Unsubscribe"));
        }
        Set<String> queues = resources("AWS::SQS::Queue").keySet();
        softly.assertThat(queues).hasSize(1);
        for (String q : queues) {
            assertDenied(softly, denies, "queue " + q, Map.of("Fn::GetAtt", q + ".Arn"), List.of("sqs:PurgeQueue",
                    "sqs:DeleteQueue", "sqs:SetQueueAttributes", "sqs:ReceiveMessage", "sqs:DeleteMessage",
                    "sqs:ChangeMessageVisibility"));
        }
        // the Slack secrets the parameters name (a secret's ARN ends in -<6 random characters>)
        List<String> secrets = ((Map<String, Map<String, Object>>) template.get("Parameters")).entrySet().stream()
                .filter(p -> String.valueOf(p.getValue().get("Description")).contains("Secrets Manager secret"))
                .map(Map.Entry::getKey).toList();
        softly.assertThat(secrets).containsExactlyInAnyOrder("SlackWebhookSecret", "SlackBotTokenSecret");
        for (String s : secrets) {
            assertDenied(softly, denies, "secret " + s,
                    Map.of("Fn::Sub", ARN_PREFIX.formatted("secretsmanager") + "secret:${" + s + "}-??????"),
                    List.of("secretsmanager:GetSecretValue", "secretsmanager:PutSecretValue",
                            "secretsmanager:UpdateSecret", "secretsmanager:DeleteSecret"));
        }
        // every SSM record of the stack is under /curfew/<stack>/, and that whole path is denied
        List<String> ssmWrites = List.of("ssm:PutParameter", "ssm:DeleteParameter", "ssm:DeleteParameters",
                "ssm:LabelParameterVersion", "ssm:AddTagsToResource");
        resources("AWS::SSM::Parameter").forEach((name, p) -> softly.assertThat(
                String.valueOf(((Map<?, ?>) properties(p).get("Name")).get("Fn::Sub"))).as(name)
                .startsWith("/curfew/${AWS::StackName}/"));
        assertDenied(softly, denies, "Curfew's records", Map.of("Fn::Sub",
                ARN_PREFIX.formatted("ssm") + "parameter/curfew/${AWS::StackName}/*"), ssmWrites);
        for (String prefix : List.of(dev.curfew.aws.SweepLocks.prefix("${AWS::StackName}"),
                dev.curfew.aws.launch.LaunchLeases.prefix("${AWS::StackName}"),
                SentinelAws.welcomedPrefix("${AWS::StackName}"), SentinelAws.limitsToldPrefix("${AWS::StackName}"))) {
            softly.assertThat(prefix).startsWith("/curfew/${AWS::StackName}/");
        }
        // the roster, when it is a parameter (its name is the instructor's choice, not under the stack's path)
        assertDenied(softly, denies, "the roster parameter", Map.of("Fn::Sub", List.of(
                ARN_PREFIX.formatted("ssm") + "parameter/${Name}",
                Map.of("Name", Map.of("Fn::Select", List.of(1, Map.of("Fn::Split", List.of(":/",
                        Map.of("Fn::Sub", "${RosterLocation}:/")))))))),
                List.of("ssm:PutParameter", "ssm:DeleteParameter", "ssm:LabelParameterVersion"));
        softly.assertAll();
        assertThat(all).containsKeys(STUDENT_POLICIES.toArray(String[]::new));
    }

    /**
     * Students keep their own rules, schedules, alarms, log groups, queues, topics, secrets and parameters: every
     * resource of CurfewStudentGuardrails is one of the stack's (a !GetAtt or !Ref of a resource, or an ARN built with
     * !Sub from a resource, a parameter or the stack's name), never `*` or a whole service.
     */
    @Test
    @SuppressWarnings("unchecked")
    void theStudentGuardrailsNameOnlyThisStacksResources() throws IOException {
        Map<String, Object> template = parsed();
        Set<String> named = new TreeSet<>(((Map<String, Object>) template.get("Resources")).keySet());
        named.addAll(((Map<String, Object>) template.get("Parameters")).keySet());
        named.add("AWS::StackName");
        // and the rules SAM makes of the functions' EventBridgeRule events, <function><event>
        resources("AWS::Serverless::Function").forEach((f, res) -> ((Map<String, Map<String, Object>>) properties(res)
                .getOrDefault("Events", Map.of())).forEach((e, event) -> {
                    if ("EventBridgeRule".equals(event.get("Type"))) {
                        named.add(f + e);
                    }
                }));
        assertThat(resources("AWS::IAM::ManagedPolicy")).containsKey("CurfewStudentGuardrails");
        List<Map<String, Object>> st = statements(properties(resources("AWS::IAM::ManagedPolicy")
                .get("CurfewStudentGuardrails")));
        assertThat(st).hasSizeGreaterThanOrEqualTo(8).allSatisfy(s -> {
            assertThat(s.get("Effect")).isEqualTo("Deny");
            assertThat(s.get("Condition")).isNull();
            assertThat(actions(s)).noneMatch(a -> a.contains("*"));
            assertThat(resourceLeaves(s.get("Resource"))).isNotEmpty().allSatisfy(r -> {
                assertThat(r).isInstanceOf(Map.class);
                Map<String, Object> m = (Map<String, Object>) r;
                if (m.containsKey("Fn::GetAtt")) {
                    assertThat(named).contains(String.valueOf(m.get("Fn::GetAtt")).split("\\.")[0]);
                } else if (m.containsKey("Ref")) {
                    assertThat(named).contains(String.valueOf(m.get("Ref")));
                } else {
                    Matcher v = Pattern.compile("\\$\\{([^}.]+)").matcher(String.valueOf(m.get("Fn::Sub")));
                    Set<String> vars = new TreeSet<>();
                    while (v.find()) {
                        vars.add(v.group(1));
                    }
                    vars.removeAll(Set.of("AWS::Partition", "AWS::Region", "AWS::AccountId"));
                    assertThat(vars).as("%s names a resource of the stack", m).isNotEmpty().isSubsetOf(named);
                }
            });
        });
        // both are offered to the instructor, and the README's command attaches both
        Map<String, Map<String, Object>> outputs = (Map<String, Map<String, Object>>) template.get("Outputs");
        String readme = Files.readString(ROOT.resolve("README.md"));
        String attach = readme.lines().filter(l -> l.startsWith("for output in ")).findFirst().orElse("");
        for (String p : STUDENT_POLICIES) {
            var output = outputs.entrySet().stream().filter(o -> Map.of("Ref", p).equals(o.getValue().get("Value")))
                    .findFirst();
            assertThat(output).as("an output names " + p).isPresent();
            assertThat(attach).as("README attaches " + p).contains(" " + output.get().getKey());
        }
    }

    /**
     * IAM refuses a managed policy over 6,144 characters (whitespace not counted), and only when the stack is
     * deployed. Each student policy is resolved as CloudFormation would (every option that adds to it set, long
     * names, generated names at their longest) and measured as compact JSON without whitespace.
     */
    @Test
    @SuppressWarnings("unchecked")
    void eachStudentPolicyStaysUnderIamsSizeLimit() throws IOException {
        Map<String, Object> template = parsed();
        String bucket = "b".repeat(63);
        Map<String, String> everything = Map.of("PolicyLocation", "s3://" + bucket + "/curfew/policies/course.yaml",
                "SlackWebhookSecret", "curfew/" + "w".repeat(57), "SlackBotTokenSecret", "curfew/" + "t".repeat(57),
                "InstructorEmail", "instructor@example.edu", "SenderEmail", "curfew@example.edu");
        Map<String, String> rosterInS3 = new LinkedHashMap<>(everything);
        rosterInS3.put("RosterLocation", "s3://" + bucket.replace('b', 'r') + "/curfew/roster/course.csv");
        Map<String, String> rosterInSsm = new LinkedHashMap<>(everything);
        rosterInSsm.put("RosterLocation", "ssm:/curfew/" + "r".repeat(80));
        // CloudFormation allows 128 characters; the limit is checked for a stack name of 64
        String stack = "curfew-" + "s".repeat(57);
        for (Map<String, String> given : List.of(Map.<String, String>of(), rosterInS3, rosterInSsm)) {
            CfnResolver cfn = new CfnResolver(template, given, stack);
            for (String p : STUDENT_POLICIES) {
                assertThat(template.get("Resources")).as("student policy " + p).asInstanceOf(
                        org.assertj.core.api.InstanceOfAssertFactories.MAP).containsKey(p);
                Object doc = cfn.value(properties(((Map<String, Map<String, Object>>) template.get("Resources"))
                        .get(p)).get("PolicyDocument"));
                String json = JsonMapper.createDefault().writeValueAsString(doc);
                assertThat(json).doesNotContain("Fn::").doesNotContain("\"Ref\"").doesNotContain("${");
                long size = json.codePoints().filter(c -> !Character.isWhitespace(c)).count();
                assertThat(size).as("%s with %s, stack %s", p, given.keySet(), stack)
                        .isLessThan(MANAGED_POLICY_LIMIT);
            }
        }
    }

    /**
     * What CloudFormation makes of the intrinsic functions the template uses, for one deployment, far enough to
     * measure a policy: parameters (their defaults unless given), conditions, Ref, !GetAtt ...Arn, !Sub, !If,
     * !Select, !Split, !Join. A name CloudFormation generates is {stack}-{logical id}-{13 characters}, cut to the
     * longest that resource allows (a function's name 64, a queue's 80, an alarm's 255); the value differs from
     * AWS's, its length is the longest AWS's can be. Anything else fails the test rather than being guessed.
     */
    static final class CfnResolver {
        static final Object NO_VALUE = new Object();
        final Map<String, Object> template;
        final Map<String, Object> resources;
        final Map<String, String> params = new LinkedHashMap<>();
        final String stack;
        final String region = "ap-southeast-2";
        final String account = "123456789012";

        @SuppressWarnings("unchecked")
        CfnResolver(Map<String, Object> template, Map<String, String> given, String stack) {
            this.template = template;
            this.resources = (Map<String, Object>) template.get("Resources");
            this.stack = stack;
            ((Map<String, Map<String, Object>>) template.get("Parameters")).forEach((k, v) ->
                    params.put(k, String.valueOf(v.getOrDefault("Default", ""))));
            given.forEach((k, v) -> assertThat(params).as("parameter " + k).containsKey(k));
            params.putAll(given);
            params.put("AWS::Partition", "aws");
            params.put("AWS::Region", region);
            params.put("AWS::AccountId", account);
            params.put("AWS::StackName", stack);
            params.put("AWS::StackId", "arn:aws:cloudformation:" + region + ":" + account + ":stack/" + stack + "/"
                    + "0".repeat(36));
        }

        String generated(String logical, int max) {
            String name = stack + "-" + logical + "-" + "ABCDEFGHIJKLM";
            return name.length() <= max ? name : name.substring(name.length() - max);
        }

        String arn(String service, String rest) {
            return "arn:aws:" + service + ":" + region + ":" + account + ":" + rest;
        }

        @SuppressWarnings("unchecked")
        String type(String logical) {
            Object r = resources.get(logical);
            assertThat(r).as("resource " + logical).isNotNull();
            return String.valueOf(((Map<String, Object>) r).get("Type"));
        }

        @SuppressWarnings("unchecked")
        String ref(String name) {
            if (params.containsKey(name)) {
                return params.get(name);
            }
            Map<String, Object> props = (Map<String, Object>) ((Map<String, Object>) resources.get(name))
                    .getOrDefault("Properties", Map.of());
            return switch (type(name)) {
                case "AWS::Serverless::Function" -> generated(name, 64);
                case "AWS::Serverless::StateMachine" -> arn("states", "stateMachine:" + (props.containsKey("Name")
                        ? value(props.get("Name")) : generated(name, 80)));
                case "AWS::Logs::LogGroup" -> (String) value(props.get("LogGroupName"));
                case "AWS::SSM::Parameter" -> (String) value(props.get("Name"));
                case "AWS::CloudWatch::Alarm" -> generated(name, 255);
                case "AWS::SNS::Topic" -> arn("sns", generated(name, 256));
                case "AWS::SQS::Queue" -> "https://sqs." + region + ".amazonaws.com/" + account + "/"
                        + generated(name, 80);
                case "AWS::Scheduler::ScheduleGroup" -> generated(name, 64);
                case "AWS::IAM::ManagedPolicy" -> "arn:aws:iam::" + account + ":policy/" + generated(name, 128);
                default -> throw new AssertionError("no Ref value known for " + name);
            };
        }

        @SuppressWarnings("unchecked")
        String att(String logical, String attribute) {
            // a rule SAM makes of a function's EventBridgeRule event: <function><event>
            for (var f : resources.entrySet()) {
                Map<String, Object> res = (Map<String, Object>) f.getValue();
                if ("AWS::Serverless::Function".equals(res.get("Type")) && logical.startsWith(f.getKey())) {
                    Object event = ((Map<String, Object>) ((Map<String, Object>) res.get("Properties"))
                            .getOrDefault("Events", Map.of())).get(logical.substring(f.getKey().length()));
                    if (event instanceof Map<?, ?> e && "EventBridgeRule".equals(e.get("Type"))
                            && attribute.equals("Arn")) {
                        return arn("events", "rule/" + generated(logical, 64));
                    }
                }
            }
            String key = type(logical) + "." + attribute;
            return switch (key) {
                case "AWS::Serverless::Function.Arn" -> arn("lambda", "function:" + ref(logical));
                case "AWS::Logs::LogGroup.Arn" -> arn("logs", "log-group:" + ref(logical) + ":*");
                case "AWS::CloudWatch::Alarm.Arn" -> arn("cloudwatch", "alarm:" + ref(logical));
                case "AWS::SQS::Queue.Arn" -> arn("sqs", generated(logical, 80));
                case "AWS::SQS::Queue.QueueName" -> generated(logical, 80);
                case "AWS::Scheduler::ScheduleGroup.Arn" -> arn("scheduler", "schedule-group/" + ref(logical));
                default -> throw new AssertionError("no value known for !GetAtt " + logical + "." + attribute);
            };
        }

        @SuppressWarnings("unchecked")
        boolean condition(String name) {
            Object c = ((Map<String, Object>) template.get("Conditions")).get(name);
            assertThat(c).as("condition " + name).isNotNull();
            return (Boolean) value(c);
        }

        String sub(String text, Map<String, Object> vars) {
            Matcher m = Pattern.compile("\\$\\{([^}]+)}").matcher(text);
            StringBuilder out = new StringBuilder();
            while (m.find()) {
                String v = m.group(1);
                String replacement;
                if (vars.containsKey(v)) {
                    replacement = String.valueOf(value(vars.get(v)));
                } else if (v.contains(".")) {
                    replacement = att(v.substring(0, v.indexOf('.')), v.substring(v.indexOf('.') + 1));
                } else {
                    replacement = ref(v);
                }
                m.appendReplacement(out, Matcher.quoteReplacement(replacement));
            }
            m.appendTail(out);
            return out.toString();
        }

        @SuppressWarnings("unchecked")
        Object value(Object node) {
            if (node instanceof List<?> l) {
                return l.stream().map(this::value).filter(v -> v != NO_VALUE).toList();
            }
            if (!(node instanceof Map<?, ?> m)) {
                return node;
            }
            if (m.size() == 1) {
                String fn = String.valueOf(m.keySet().iterator().next());
                Object arg = m.values().iterator().next();
                switch (fn) {
                    case "Ref":
                        return "AWS::NoValue".equals(arg) ? NO_VALUE : ref(String.valueOf(arg));
                    case "Condition":
                        return condition(String.valueOf(arg));
                    case "Fn::GetAtt": {
                        List<String> parts = arg instanceof List<?> a ? a.stream().map(String::valueOf).toList()
                                : List.of(String.valueOf(arg).split("\\.", 2));
                        return att(parts.get(0), parts.get(1));
                    }
                    case "Fn::Sub":
                        return arg instanceof List<?> a ? sub(String.valueOf(a.get(0)), (Map<String, Object>) a.get(1))
                                : sub(String.valueOf(arg), Map.of());
                    case "Fn::If": {
                        List<?> a = (List<?>) arg;
                        return value(condition(String.valueOf(a.get(0))) ? a.get(1) : a.get(2));
                    }
                    case "Fn::Equals": {
                        List<?> a = (List<?>) arg;
                        return String.valueOf(value(a.get(0))).equals(String.valueOf(value(a.get(1))));
                    }
                    case "Fn::Not":
                        return !(Boolean) value(((List<?>) arg).get(0));
                    case "Fn::Or":
                        return ((List<?>) arg).stream().anyMatch(c -> (Boolean) value(c));
                    case "Fn::And":
                        return ((List<?>) arg).stream().allMatch(c -> (Boolean) value(c));
                    case "Fn::Select": {
                        List<?> a = (List<?>) arg;
                        return ((List<?>) value(a.get(1))).get(Integer.parseInt(String.valueOf(value(a.get(0)))));
                    }
                    case "Fn::Split": {
                        List<?> a = (List<?>) arg;
                        return List.of(String.valueOf(value(a.get(1))).split(Pattern.quote(String.valueOf(a.get(0))),
                                -1));
                    }
                    case "Fn::Join": {
                        List<?> a = (List<?>) arg;
                        return ((List<?>) value(a.get(1))).stream().map(String::valueOf)
                                .collect(java.util.stream.Collectors.joining(String.valueOf(a.get(0))));
                    }
                    default:
                        if (fn.startsWith("Fn::")) {
                            throw new AssertionError("not resolved here: " + fn);
                        }
                }
            }
            Map<String, Object> out = new LinkedHashMap<>();
            m.forEach((k, v) -> {
                Object r = value(v);
                if (r != NO_VALUE) {
                    out.put(String.valueOf(k), r);
                }
            });
            return out;
        }
    }

    /** SnakeYAML's safe constructor plus CloudFormation's short-form tags, read as their long form. */
    static final class CfnConstructor extends SafeConstructor {
        CfnConstructor() {
            super(new LoaderOptions());
            this.yamlMultiConstructors.put("!", new AbstractConstruct() {
                @Override
                public Object construct(Node node) {
                    String fn = node.getTag().getValue().substring(1);
                    Object v;
                    if (node instanceof ScalarNode s) {
                        v = constructScalar(s);
                    } else if (node instanceof SequenceNode q) {
                        v = constructSequence(q);
                    } else {
                        v = constructMapping((MappingNode) node);
                    }
                    return Map.of(fn.equals("Ref") || fn.equals("Condition") ? fn : "Fn::" + fn, v);
                }
            });
        }
    }
}
