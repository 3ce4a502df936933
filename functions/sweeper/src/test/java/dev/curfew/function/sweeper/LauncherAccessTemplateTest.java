package dev.curfew.function.sweeper;

import static dev.curfew.function.sweeper.StudentAccountTemplateTest.allows;
import static dev.curfew.function.sweeper.StudentAccountTemplateTest.load;
import static dev.curfew.function.sweeper.StudentAccountTemplateTest.resource;
import static dev.curfew.function.sweeper.TemplateTest.actions;
import static dev.curfew.function.sweeper.TemplateTest.properties;
import static dev.curfew.function.sweeper.TemplateTest.statements;
import static org.assertj.core.api.Assertions.assertThat;

import dev.curfew.aws.launch.AwsLaunchAccounts;
import dev.curfew.aws.launch.AwsLaunchPort;
import dev.curfew.aws.launch.LaunchLeases;
import dev.curfew.aws.PolicySource;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;

/**
 * A student calling the launcher from their own account (README, "Launch a spot instance"): the launcher function's
 * resource-based policy admits the accounts of StudentAccountIds (templates/launcher-access.yaml, a nested stack of
 * template.yaml, one slot per account) and the Organization, nothing else; templates/student-account.yaml lets the
 * launcher's role act there with exactly the launcher's statements, and offers its users the policy to call the URL.
 */
class LauncherAccessTemplateTest {
    static final String ACCESS = "templates/launcher-access.yaml";
    static final String SLOT_ID = "(\\d{2})";

    @SuppressWarnings("unchecked")
    static Map<String, Map<String, Object>> resources(Map<String, Object> template) {
        return (Map<String, Map<String, Object>>) template.get("Resources");
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> section(Map<String, Object> template, String name) {
        return (Map<String, Object>) template.get(name);
    }

    /** The most account ids the nested stack's AccountIds pattern admits. */
    static int mostAccounts(Map<String, Object> access) {
        String pattern = String.valueOf(((Map<?, ?>) section(access, "Parameters").get("AccountIds"))
                .get("AllowedPattern"));
        Matcher m = Pattern.compile("\\{0,(\\d+)\\}").matcher(pattern);
        assertThat(m.find()).as(pattern).isTrue();
        return Integer.parseInt(m.group(1)) + 1;
    }

    static String ids(int n) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < n; i++) {
            b.append(i == 0 ? "" : ",").append(String.format("%012d", 100000000000L + i));
        }
        return b.toString();
    }

    @Test
    void eachAccountTheParameterAdmitsHasASlotOfTheSameShapeAndTheresNothingElse() throws IOException {
        Map<String, Object> t = load(ACCESS);
        int slots = mostAccounts(t);
        assertThat(slots).isEqualTo(25);
        String pattern = String.valueOf(((Map<?, ?>) section(t, "Parameters").get("AccountIds")).get("AllowedPattern"));
        assertThat("").matches(pattern);
        assertThat(ids(1)).matches(pattern);
        assertThat(ids(slots)).matches(pattern);
        assertThat(ids(slots + 1)).as("more accounts than slots fail the deploy").doesNotMatch(pattern);
        assertThat("111111111111, 222222222222").doesNotMatch(pattern);
        assertThat("11111111111").doesNotMatch(pattern);

        Map<String, Map<String, Object>> r = resources(t);
        Map<String, Object> conditions = section(t, "Conditions");
        SoftAssertions soft = new SoftAssertions();
        for (int i = 0; i < slots; i++) {
            String n = String.format("%02d", i);
            // the i-th id of the list, padded with enough commas that a missing id is "" (never out of range)
            Map<String, Object> id = Map.of("Fn::Select", List.of(i, Map.of("Fn::Split", List.of(",",
                    Map.of("Fn::Sub", "${AccountIds}" + ",".repeat(slots))))));
            soft.assertThat(conditions.get("Account" + n)).as("condition Account" + n).isEqualTo(Map.of("Fn::Not",
                    List.of(Map.of("Fn::Equals", List.of(id, "")))));
            soft.assertThat(r.get("InvokeUrlFromAccount" + n)).as("InvokeUrlFromAccount" + n).isEqualTo(Map.of(
                    "Type", "AWS::Lambda::Permission", "Condition", "Account" + n, "Properties", Map.of(
                            "Action", "lambda:InvokeFunctionUrl", "FunctionName", Map.of("Ref", "LauncherFunctionArn"),
                            "FunctionUrlAuthType", "AWS_IAM", "Principal", id)));
            soft.assertThat(r.get("InvokeThroughUrlFromAccount" + n)).as("InvokeThroughUrlFromAccount" + n)
                    .isEqualTo(Map.of("Type", "AWS::Lambda::Permission", "Condition", "Account" + n, "Properties",
                            Map.of("Action", "lambda:InvokeFunction", "FunctionName",
                                    Map.of("Ref", "LauncherFunctionArn"), "InvokedViaFunctionUrl", true,
                                    "Principal", id)));
        }
        soft.assertThat(r.get("InvokeUrlFromOrganization")).isEqualTo(Map.of("Type", "AWS::Lambda::Permission",
                "Condition", "HasOrganization", "Properties", Map.of("Action", "lambda:InvokeFunctionUrl",
                        "FunctionName", Map.of("Ref", "LauncherFunctionArn"), "FunctionUrlAuthType", "AWS_IAM",
                        "Principal", "*", "PrincipalOrgID", Map.of("Ref", "OrganizationId"))));
        soft.assertThat(r.get("InvokeThroughUrlFromOrganization")).isEqualTo(Map.of("Type",
                "AWS::Lambda::Permission", "Condition", "HasOrganization", "Properties", Map.of("Action",
                        "lambda:InvokeFunction", "FunctionName", Map.of("Ref", "LauncherFunctionArn"),
                        "InvokedViaFunctionUrl", true, "Principal", "*",
                        "PrincipalOrgID", Map.of("Ref", "OrganizationId"))));
        soft.assertThat(r).as("two permissions a slot and two for the Organization, nothing else")
                .hasSize(2 * slots + 2);
        soft.assertThat(conditions).hasSize(slots + 1);
        soft.assertAll();
    }

    @Test
    void theStackCreatesTheNestedStackWithItsParametersWhenAccountsOrAnOrganizationAreGiven() throws IOException {
        Map<String, Object> t = TemplateTest.parsed();
        Map<String, Object> params = section(t, "Parameters");
        assertThat((Map<String, Object>) params.get("StudentAccountIds")).containsEntry("Type", "CommaDelimitedList")
                .containsEntry("Default", "");
        Map<String, Object> stack = resources(t).get("LauncherOtherAccounts");
        assertThat(stack).containsEntry("Type", "AWS::CloudFormation::Stack")
                .containsEntry("Condition", "LauncherAdmitsOtherAccounts")
                .containsEntry("DependsOn", "LauncherFunctionAliaslive");
        assertThat(section(t, "Conditions").get("LauncherAdmitsOtherAccounts")).isEqualTo(Map.of("Fn::Or",
                List.of(Map.of("Condition", "HasStudentAccounts"), Map.of("Condition", "HasOrganization"))));
        assertThat(section(t, "Conditions").get("HasStudentAccounts")).isEqualTo(Map.of("Fn::Not", List.of(Map.of(
                "Fn::Equals", List.of(Map.of("Fn::Join", List.of("", Map.of("Ref", "StudentAccountIds"))), "")))));
        Map<String, Object> p = properties(stack);
        assertThat(p).containsEntry("TemplateURL", ACCESS);
        assertThat(p.get("Parameters")).isEqualTo(Map.of(
                "LauncherFunctionArn", Map.of("Fn::Sub", "${LauncherFunction.Arn}:live"),
                "AccountIds", Map.of("Fn::Join", List.of(",", Map.of("Ref", "StudentAccountIds"))),
                "OrganizationId", Map.of("Ref", "OrganizationId")));
        // every parameter of the nested stack is given, and the alias the URL invokes matches its pattern
        Map<String, Object> nested = section(load(ACCESS), "Parameters");
        assertThat(nested.keySet()).containsExactlyInAnyOrderElementsOf(((Map<String, Object>) p.get("Parameters"))
                .keySet());
        assertThat("arn:aws:lambda:eu-west-1:123456789012:function:curfew-LauncherFunction-AbC123:live").matches(
                String.valueOf(((Map<?, ?>) nested.get("LauncherFunctionArn")).get("AllowedPattern")));
        assertThat(String.valueOf(properties(resources(t).get("LauncherUrl")).get("Qualifier"))).isEqualTo("live");
    }

    /**
     * The launcher's statements on the account it launches in: not its leases, the budget records, the roster, the key,
     * the policy or the Organization unit's listing.
     */
    static List<Map<String, Object>> launching() throws IOException {
        Set<String> home = new TreeSet<>(LaunchLeases.IAM_ACTIONS);
        home.addAll(AwsLaunchAccounts.IAM_ACTIONS);
        home.addAll(PolicySource.IAM_ACTIONS);
        return allows(properties(TemplateTest.resources("AWS::Serverless::Function").get("LauncherFunction"))
                .get("Policies")).stream().filter(s -> !String.valueOf(s).contains("launch-lease")
                        && !String.valueOf(s).contains("/budget/")
                        && !String.valueOf(s).contains("enrolment-key") && !String.valueOf(s).contains("Location")
                        && !actions(s).contains("sts:AssumeRole")
                        && !actions(s).contains("organizations:ListAccountsForParent"))
                .toList();
    }

    @Test
    void aStudentsAccountLetsTheLauncherRoleDoExactlyWhatItDoesInTheAccountItLaunchesIn() throws IOException {
        Map<String, Object> t = load("templates/student-account.yaml");
        Map<String, Object> policy = resource(t, "CurfewLauncherPolicy");
        assertThat(policy).containsEntry("Type", "AWS::IAM::RolePolicy").containsEntry("Condition", "HasLauncher");
        assertThat(properties(policy)).containsEntry("RoleName", Map.of("Ref", "CurfewAccessRole"));

        List<Map<String, Object>> launcher = launching();
        assertThat(launcher).hasSizeGreaterThanOrEqualTo(9);
        Set<String> everyAction = new TreeSet<>();
        launcher.forEach(s -> everyAction.addAll(actions(s)));
        Set<String> launchActions = new TreeSet<>(AwsLaunchPort.IAM_ACTIONS);
        launchActions.removeAll(AwsLaunchAccounts.IAM_ACTIONS);
        launchActions.removeAll(LaunchLeases.IAM_ACTIONS);
        launchActions.removeAll(PolicySource.IAM_ACTIONS);
        launchActions.removeAll(dev.curfew.aws.budget.BudgetRecords.LAUNCHER_ACTIONS);
        launchActions.remove(TemplateTest.NEEDS_NO_PERMISSION);
        assertThat(everyAction).as("every EC2 call of the launcher, and AWS's public AMI parameters")
                .containsAll(launchActions).contains("ssm:GetParameter");

        Map<String, Map<String, Object>> student = new LinkedHashMap<>();
        statements(properties(policy).get("PolicyDocument")).forEach(s -> student.put(String.valueOf(s.get("Sid")), s));
        SoftAssertions soft = new SoftAssertions();
        for (Map<String, Object> s : launcher) {
            soft.assertThat(student.get(String.valueOf(s.get("Sid")))).as(s.get("Sid") + " in student-account.yaml")
                    .isEqualTo(s);
        }
        soft.assertThat(student).as("no statement of its own").hasSize(launcher.size());
        soft.assertAll();
    }

    @Test
    void theRoleTrustsTheLauncherOnlyWhenGivenAndStudentsGetThePolicyToCallTheUrl() throws IOException {
        Map<String, Object> t = load("templates/student-account.yaml");
        Map<String, Object> trust = statements(properties(resource(t, "CurfewAccessRole"))
                .get("AssumeRolePolicyDocument")).get(0);
        assertThat(((Map<?, ?>) trust.get("Principal")).get("AWS")).isEqualTo(List.of(Map.of("Ref", "SweeperRoleArn"),
                Map.of("Fn::If", List.of("HasSentinel", Map.of("Ref", "SentinelRoleArn"),
                        Map.of("Ref", "AWS::NoValue"))),
                Map.of("Fn::If", List.of("HasLauncher", Map.of("Ref", "LauncherRoleArn"),
                        Map.of("Ref", "AWS::NoValue")))));

        // the class account's students call the URL with LauncherStudentPolicy's first two statements; a student's
        // own users with the same two, on the function their stack names
        Map<String, Map<String, Object>> classStatements = new LinkedHashMap<>();
        statements(properties(TemplateTest.resources("AWS::IAM::ManagedPolicy").get("LauncherStudentPolicy")))
                .forEach(s -> classStatements.put(String.valueOf(s.get("Sid")), s));
        Map<String, Object> mine = resource(t, "LauncherCallerPolicy");
        assertThat(mine).containsEntry("Type", "AWS::IAM::ManagedPolicy").containsEntry("Condition", "HasLauncherUrl");
        List<Map<String, Object>> own = statements(properties(mine).get("PolicyDocument"));
        assertThat(own).hasSize(2);
        for (Map<String, Object> s : own) {
            Map<String, Object> twin = new LinkedHashMap<>(classStatements.get(String.valueOf(s.get("Sid"))));
            twin.put("Resource", Map.of("Fn::Sub", "${LauncherFunctionArn}:live"));
            assertThat(s).as(String.valueOf(s.get("Sid"))).isEqualTo(twin);
        }
        assertThat(String.valueOf(own)).contains("lambda:FunctionUrlAuthType=AWS_IAM",
                "lambda:InvokedViaFunctionUrl=true");
    }
}
