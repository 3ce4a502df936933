package dev.curfew.function.sweeper;

import static org.assertj.core.api.Assertions.assertThat;

import io.micronaut.json.JsonMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * What `sam deploy` would submit: template.yaml through the AWS SAM transform (the translator cfn-lint installs).
 * Every schedule, rule and the Function URL must call the SnapStart alias, never $LATEST, and every function must
 * have SnapStart on its published versions.
 */
class SamTransformIT {

    @SuppressWarnings("unchecked")
    static Map<String, Map<String, Object>> transformed() throws Exception {
        Process p = new ProcessBuilder(System.getProperty("curfew.python.command", "python3"),
                Path.of("src/test/resources/sam-transform.py").toAbsolutePath().toString(), "template.yaml")
                .directory(TemplateTest.ROOT.toFile()).start();
        byte[] out = p.getInputStream().readAllBytes();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(300, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(err).isZero();
        Map<String, Object> cfn = JsonMapper.createDefault().readValue(out, Map.class);
        return (Map<String, Map<String, Object>>) cfn.get("Resources");
    }

    static Map<String, Map<String, Object>> ofType(Map<String, Map<String, Object>> resources, String type) {
        Map<String, Map<String, Object>> out = new LinkedHashMap<>();
        resources.forEach((k, v) -> {
            if (type.equals(v.get("Type"))) {
                out.put(k, v);
            }
        });
        return out;
    }

    @Test
    @SuppressWarnings("unchecked")
    void everyTriggerCallsTheSnapStartAliasOfItsFunction() throws Exception {
        Map<String, Map<String, Object>> r = transformed();

        Map<String, Map<String, Object>> functions = ofType(r, "AWS::Lambda::Function");
        assertThat(functions).containsOnlyKeys("SweeperFunction", "LauncherFunction", "SentinelFunction",
                "AccountsFunction");
        functions.forEach((name, f) -> assertThat(((Map<String, Object>) f.get("Properties")).get("SnapStart"))
                .as(name).isEqualTo(Map.of("ApplyOn", "PublishedVersions")));
        Map<String, Map<String, Object>> aliases = ofType(r, "AWS::Lambda::Alias");
        assertThat(aliases).containsOnlyKeys("SweeperFunctionAliaslive", "LauncherFunctionAliaslive",
                "SentinelFunctionAliaslive", "AccountsFunctionAliaslive");

        // the sweeper's three schedules call its alias; the accounts state machine's three start the state machine,
        // whose steps call the accounts function's alias
        Map<String, Map<String, Object>> schedules = ofType(r, "AWS::Scheduler::Schedule");
        assertThat(schedules).hasSize(6).allSatisfy((name, s) -> assertThat(((Map<String, Object>) ((Map<String,
                Object>) s.get("Properties")).get("Target")).get("Arn")).as(name)
                .isEqualTo(Map.of("Ref", name.startsWith("AccountsStateMachine") ? "AccountsStateMachine"
                        : "SweeperFunctionAliaslive")));
        Map<String, Object> machine = (Map<String, Object>) r.get("AccountsStateMachine").get("Properties");
        assertThat(machine.get("DefinitionSubstitutions")).isEqualTo(Map.of("AccountsFunction",
                Map.of("Ref", "AccountsFunctionAliaslive"), "ResultsBucket", Map.of("Ref", "AccountsResultsBucket")));

        Map<String, Map<String, Object>> rules = ofType(r, "AWS::Events::Rule");
        assertThat(rules).hasSize(4).allSatisfy((name, rule) -> assertThat((List<Map<String, Object>>)
                ((Map<String, Object>) rule.get("Properties")).get("Targets")).as(name).singleElement()
                .satisfies(t -> assertThat(t.get("Arn")).isEqualTo(Map.of("Ref", "SentinelFunctionAliaslive"))));
        assertThat(ofType(r, "AWS::Lambda::Permission")).isNotEmpty().allSatisfy((name, p) -> assertThat(
                ((Map<String, Object>) p.get("Properties")).get("FunctionName")).as(name)
                .isEqualTo(Map.of("Ref", "SentinelFunctionAliaslive")));

        assertThat(ofType(r, "AWS::Lambda::Url").values()).singleElement().satisfies(u -> {
            assertThat(((Map<String, Object>) u.get("Properties")).get("Qualifier")).isEqualTo("live");
            assertThat(u.get("DependsOn")).isEqualTo("LauncherFunctionAliaslive");
        });
    }

    /**
     * What SAM makes of the dead-letter story: each schedule's DeadLetterConfig is the queue and its role may send
     * to it; Lambda's retries and failure destination are set on the alias the schedules call, and the function's
     * role may send to the queue.
     */
    @Test
    @SuppressWarnings("unchecked")
    void undeliveredEventsAndRunsThatKeptFailingReachTheDeadLetterQueue() throws Exception {
        Map<String, Map<String, Object>> r = transformed();
        Map<String, Object> queue = Map.of("Fn::GetAtt", List.of("SweeperDeadLetterQueue", "Arn"));
        Map<String, Map<String, Object>> roles = ofType(r, "AWS::IAM::Role");

        Map<String, Map<String, Object>> schedules = ofType(r, "AWS::Scheduler::Schedule");
        assertThat(schedules).hasSize(6).allSatisfy((name, s) -> {
            Map<String, Object> target = (Map<String, Object>) ((Map<String, Object>) s.get("Properties"))
                    .get("Target");
            assertThat(target.get("DeadLetterConfig")).as(name).isEqualTo(Map.of("Arn", queue));
            String role = (String) ((List<Object>) ((Map<String, Object>) target.get("RoleArn")).get("Fn::GetAtt"))
                    .get(0);
            assertThat(mayDeliver(roles.get(role), queue)).as(name + ": its role may send to the queue").isTrue();
        });

        // the sweeper's failed runs and the sentinel's failed events, after Lambda's two retries of the alias
        assertThat(ofType(r, "AWS::Lambda::EventInvokeConfig").values()).hasSize(2).allSatisfy(c -> {
            Map<String, Object> p = (Map<String, Object>) c.get("Properties");
            assertThat(p).containsEntry("Qualifier", "live").containsEntry("MaximumRetryAttempts", 2);
            assertThat(p.get("DestinationConfig")).isEqualTo(Map.of("OnFailure", Map.of("Destination", queue)));
        }).extracting(c -> ((Map<String, Object>) c.get("Properties")).get("FunctionName")).containsExactlyInAnyOrder(
                Map.of("Ref", "SweeperFunction"), Map.of("Ref", "SentinelFunction"));
        assertThat(mayDeliver(roles.get("SweeperFunctionRole"), queue)).isTrue();
        assertThat(mayDeliver(roles.get("SentinelFunctionRole"), queue)).isTrue();
    }

    @SuppressWarnings("unchecked")
    private static boolean mayDeliver(Map<String, Object> role, Object queue) {
        List<Map<String, Object>> policies = (List<Map<String, Object>>) ((Map<String, Object>) role
                .get("Properties")).get("Policies");
        return policies.stream().flatMap(p -> ((List<Map<String, Object>>) ((Map<String, Object>) p
                        .get("PolicyDocument")).get("Statement")).stream())
                .anyMatch(st -> "Allow".equals(st.get("Effect")) && String.valueOf(st.get("Action"))
                        .contains("sqs:SendMessage") && queue.equals(st.get("Resource")));
    }

    /**
     * The students' guardrails name the rules SAM makes ({@code <function><event>}) by !GetAtt, and the schedules by
     * their group: after the transform each of those rules exists, and every schedule is in the stack's group.
     */
    @Test
    @SuppressWarnings("unchecked")
    void theRulesAndSchedulesTheStudentGuardrailsNameAreTheOnesSamMakes() throws Exception {
        Map<String, Map<String, Object>> r = transformed();
        Map<String, Object> guardrails = (Map<String, Object>) r.get("CurfewStudentGuardrails").get("Properties");
        List<Map<String, Object>> denies = TemplateTest.statements(guardrails);
        List<Object> named = denies.stream().flatMap(s -> TemplateTest.resourceLeaves(s.get("Resource")).stream())
                .toList();
        Map<String, Map<String, Object>> rules = ofType(r, "AWS::Events::Rule");
        assertThat(rules).hasSize(4);
        rules.keySet().forEach(rule -> assertThat(named).as(rule).contains(Map.of("Fn::GetAtt", List.of(rule, "Arn"))));
        Map<String, Map<String, Object>> schedules = ofType(r, "AWS::Scheduler::Schedule");
        assertThat(schedules).hasSize(6).allSatisfy((name, s) -> {
            Map<String, Object> props = (Map<String, Object>) s.get("Properties");
            assertThat(props).as(name).doesNotContainKey("Name");
            assertThat(props.get("GroupName")).as(name).isEqualTo(Map.of("Ref", "CurfewScheduleGroup"));
        });
        assertThat(ofType(r, "AWS::Scheduler::ScheduleGroup")).containsOnlyKeys("CurfewScheduleGroup");
    }

    /**
     * The accounts state machine as SAM makes it: its role may invoke only the accounts function's alias, start,
     * watch and stop only its own (child) executions, write only below runs/ of its results bucket and read only there
     * and the budget stops' items (stops/); SAM adds no
     * other statement or managed policy. Its schedules start it only with StudentAccounts=enrolled, when the
     * sweeper's own schedule of the same pass stands down; all send undelivered starts to the dead-letter queue.
     */
    @Test
    @SuppressWarnings("unchecked")
    void theAccountsStateMachineMayOnlyRunItsStepsAndWriteItsResults() throws Exception {
        Map<String, Map<String, Object>> r = transformed();
        Map<String, Object> role = (Map<String, Object>) r.get("AccountsStateMachineRole").get("Properties");
        assertThat((List<Object>) role.getOrDefault("ManagedPolicyArns", List.of())).isEmpty();
        List<Map<String, Object>> statements = TemplateTest.statements(role.get("Policies"));
        Map<String, Object> byAction = new LinkedHashMap<>();
        for (Map<String, Object> st : statements) {
            assertThat(st.get("Effect")).isEqualTo("Allow");
            for (String a : TemplateTest.actions(st)) {
                assertThat(byAction.put(a, st.get("Resource"))).as(a + " granted once").isNull();
            }
        }
        String own = "arn:${AWS::Partition}:states:${AWS::Region}:${AWS::AccountId}:";
        assertThat(byAction).containsOnlyKeys("lambda:InvokeFunction", "states:StartExecution",
                "states:DescribeExecution", "states:StopExecution", "s3:PutObject", "s3:GetObject",
                "s3:ListMultipartUploadParts", "s3:AbortMultipartUpload");
        assertThat(byAction.get("lambda:InvokeFunction")).isEqualTo(Map.of("Ref", "AccountsFunctionAliaslive"));
        assertThat(byAction.get("states:StartExecution")).isEqualTo(Map.of("Fn::Sub",
                own + "stateMachine:${AWS::StackName}-accounts"));
        assertThat(byAction.get("states:StopExecution")).isEqualTo(Map.of("Fn::Sub",
                own + "execution:${AWS::StackName}-accounts/*"));
        assertThat(byAction.get("s3:PutObject")).isEqualTo(Map.of("Fn::Sub", "${AccountsResultsBucket.Arn}/runs/*"));
        // it reads its results, and the budget stops' items the budget step wrote (the stops' Map's ItemReader)
        assertThat(byAction.get("s3:GetObject")).isEqualTo(List.of(Map.of("Fn::Sub",
                "${AccountsResultsBucket.Arn}/runs/*"), Map.of("Fn::Sub", "${AccountsResultsBucket.Arn}/stops/*")));
        Map<String, Object> machine = (Map<String, Object>) r.get("AccountsStateMachine").get("Properties");
        assertThat(machine.get("StateMachineName")).isEqualTo(Map.of("Fn::Sub", "${AWS::StackName}-accounts"));

        Map<String, Map<String, Object>> schedules = ofType(r, "AWS::Scheduler::Schedule");
        Map<String, String> inputs = Map.of("CurfewSweep", "{\"pass\":\"curfew\"}", "WarningPass",
                "{\"pass\":\"warning\"}", "IdleCheck",
                "{\"pass\":\"idle-check\",\"scheduled\":\"<aws.scheduler.scheduled-time>\"}");
        inputs.forEach((pass, input) -> {
            Map<String, Object> accounts = (Map<String, Object>) schedules.get("AccountsStateMachine" + pass)
                    .get("Properties");
            Map<String, Object> sweeper = (Map<String, Object>) schedules.get("SweeperFunction" + pass)
                    .get("Properties");
            assertThat(accounts.get("State")).as(pass).isEqualTo(Map.of("Fn::If", List.of("StudentAccountsEnrolled",
                    "ENABLED", "DISABLED")));
            assertThat(sweeper.get("State")).as(pass).isEqualTo(Map.of("Fn::If", List.of("StudentAccountsEnrolled",
                    "DISABLED", "ENABLED")));
            assertThat(accounts.get("ScheduleExpression")).as(pass).isEqualTo(sweeper.get("ScheduleExpression"));
            assertThat(((Map<String, Object>) accounts.get("Target")).get("Input")).as(pass).isEqualTo(input);
        });
        schedules.forEach((name, s) -> assertThat(((Map<String, Object>) ((Map<String, Object>) s.get("Properties"))
                .get("Target")).get("DeadLetterConfig")).as(name).isNotNull());
    }
}
