package dev.curfew.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.curfew.core.notify.Contact;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.services.iam.model.IamException;
import software.amazon.awssdk.services.sts.model.StsException;

class EnrolCommandTest {
    static final String SWEEPER = "arn:aws:iam::123456789012:role/curfew-SweeperFunctionRole-ABC";
    static final String SENTINEL = "arn:aws:iam::123456789012:role/curfew-SentinelFunctionRole-DEF";

    /** {@code curfew enroll} for alice with the sweeper's role, then {@code more}. */
    static String[] enrolAlice(String... more) {
        return Stream.concat(Stream.of("enroll", "--student", "alice", "--sweeper-role", SWEEPER), Stream.of(more))
                .toArray(String[]::new);
    }

    /** Runs curfew, asserts that it refused the arguments (exit code 2) and gives what it said on stderr. */
    static String refused(String... args) {
        CliRun run = CliRun.of(args);
        assertThat(run.code()).as(run.err()).isEqualTo(2);
        return run.err();
    }

    @Test
    void whatAWrongExternalIdOrAMissingRoleAndAMissingGetRoleMeanForTheReport() {
        StsException denied = (StsException) StsException.builder().statusCode(403).awsErrorDetails(AwsErrorDetails
                .builder().errorCode("AccessDenied").errorMessage("User: arn:aws:sts::123456789012:assumed-role/x is "
                        + "not authorized to perform: sts:AssumeRole").build()).build();
        assertThat(AccountReach.classify("alice", "111111111111", denied).line())
                .isEqualTo("refused (AccessDenied: User: arn:aws:sts::123456789012:assumed-role/x is not authorized "
                        + "to perform: sts:AssumeRole)");
        IamException none = (IamException) IamException.builder().statusCode(404).awsErrorDetails(AwsErrorDetails
                .builder().errorCode("NoSuchEntity").errorMessage("Role curfew-access not found").build()).build();
        assertThat(AccountReach.classify("bob", "222222222222", none).line())
                .isEqualTo("not deployed (NoSuchEntity: Role curfew-access not found)");
        IamException throttled = (IamException) IamException.builder().statusCode(400).awsErrorDetails(
                AwsErrorDetails.builder().errorCode("Throttling").errorMessage("Rate exceeded").build()).build();
        assertThat(AccountReach.classify("bob", "222222222222", throttled).status())
                .isEqualTo(AccountReach.Status.ERROR);
        assertThat(AccountReach.classify("bob", "222222222222", new IllegalStateException("boom")).line())
                .isEqualTo("error (IllegalStateException: boom)");
    }

    @Test
    void theCommandWithATemplateUrlNeedsNoFileAndNamesTheSentinelWhenGiven() {
        Contact alice = new Contact("alice", "Alice", "a@example.edu", null, "111111111111");
        String id = "curfew-" + "0".repeat(40);
        assertThat(EnrolCommand.Enroll.command(alice, id, SWEEPER, SENTINEL, "eu-west-1",
                "https://bucket.s3.amazonaws.com/student-account.yaml").lines().toList()).containsExactly(
                "# Alice (alice), AWS account 111111111111: run this once, signed in to that account (AWS CloudShell "
                        + "will do)",
                "aws cloudformation create-stack --region eu-west-1 --stack-name curfew-student --template-url "
                        + "https://bucket.s3.amazonaws.com/student-account.yaml --capabilities CAPABILITY_NAMED_IAM "
                        + "--parameters ParameterKey=SweeperRoleArn,ParameterValue=" + SWEEPER
                        + " ParameterKey=SentinelRoleArn,ParameterValue=" + SENTINEL
                        + " ParameterKey=ExternalId,ParameterValue=" + id
                        + " ParameterKey=HomeRegion,ParameterValue=eu-west-1");
        assertThat(EnrolCommand.Enroll.command(alice, id, SWEEPER, null, "eu-west-1", null))
                .doesNotContain("SentinelRoleArn").contains("--template-file student-account.yaml");
    }

    @Test
    void theInstructorIsToldTheUpdateThatAdmitsEveryEnrolledAccountOnTheBus() {
        assertThat(EnrolCommand.Enroll.admit(java.util.List.of(
                new Contact("alice", "Alice", null, null, "111111111111"),
                new Contact("bob", "Bob", null, null, "222222222222")))).isEqualTo("curfew: and admit their events "
                + "on Curfew's event bus (instructor, once per new account): sam deploy --parameter-overrides "
                + "StudentAccountIds=111111111111,222222222222");
    }

    static final String LAUNCHER = "arn:aws:iam::123456789012:role/curfew-LauncherFunctionRole-GHI";
    static final String FUNCTION = "arn:aws:lambda:eu-west-1:123456789012:function:curfew-LauncherFunction-JKL";

    @Test
    void withTheLaunchersRoleAndFunctionTheStudentsCommandIsCompleteForTheLauncherToo() {
        Contact alice = new Contact("alice", "Alice", "a@example.edu", null, "111111111111");
        String id = "curfew-" + "0".repeat(40);
        EnrolCommand.Roles roles = new EnrolCommand.Roles(SWEEPER, SENTINEL, LAUNCHER, FUNCTION);
        java.util.List<String> lines = EnrolCommand.Enroll.command(alice, id, roles, "eu-west-1", null).lines()
                .toList();
        assertThat(lines.get(1)).isEqualTo("aws cloudformation deploy --region eu-west-1 --stack-name curfew-student "
                + "--template-file student-account.yaml --capabilities CAPABILITY_NAMED_IAM --parameter-overrides "
                + "SweeperRoleArn=" + SWEEPER + " SentinelRoleArn=" + SENTINEL + " LauncherRoleArn=" + LAUNCHER
                + " LauncherFunctionArn=" + FUNCTION + " ExternalId=" + id + " HomeRegion=eu-west-1");
        assertThat(lines.get(3)).startsWith("aws iam attach-user-policy --user-name \"$(aws sts get-caller-identity")
                .contains("--stack-name curfew-student", "OutputKey=='LauncherCallerPolicyArn'")
                .doesNotContain("YOUR", "<");
        assertThat(lines.get(4)).startsWith("aws iam create-service-linked-role --aws-service-name spot.amazonaws.com");
        assertThat(EnrolCommand.Enroll.command(alice, id, roles, "eu-west-1",
                "https://bucket.s3.amazonaws.com/student-account.yaml")).contains(
                " ParameterKey=LauncherRoleArn,ParameterValue=" + LAUNCHER
                        + " ParameterKey=LauncherFunctionArn,ParameterValue=" + FUNCTION + " ParameterKey=ExternalId,");
        assertThat(EnrolCommand.organizationCommands("ou-ab12-cdef3456", id, roles, "eu-west-1", null)).contains(
                " ParameterKey=LauncherRoleArn,ParameterValue=" + LAUNCHER
                        + " ParameterKey=LauncherFunctionArn,ParameterValue=" + FUNCTION + " ParameterKey=ExternalId,");

        java.util.List<Contact> enrolled = java.util.List.of(alice);
        assertThat(EnrolCommand.Enroll.admit(enrolled, roles)).isEqualTo("curfew: and admit their events on Curfew's "
                + "event bus and their calls to the launcher's Function URL (instructor, once per new account): sam "
                + "deploy --parameter-overrides StudentAccountIds=111111111111");
        assertThat(EnrolCommand.Enroll.admit(enrolled, new EnrolCommand.Roles(SWEEPER, SENTINEL, null, null)))
                .contains("StudentAccountIds=111111111111", "leaves out the launcher", "--launcher-role",
                        "--launcher-function");
    }

    @Test
    void theLaunchersOptionsAreReadFromTheCommandLineAndABadOneIsNamed() {
        assertThat(refused(enrolAlice("--launcher-role", "curfew-LauncherFunctionRole")))
                .contains("--launcher-role \"curfew-LauncherFunctionRole\" is not an IAM role ARN");
        assertThat(refused(enrolAlice("--launcher-role", LAUNCHER, "--launcher-function", FUNCTION + ":live")))
                .contains("--launcher-function \"" + FUNCTION + ":live\" is not a Lambda function");
    }

    @Test
    void badOptionsAreNamedBeforeAnyCall() {
        assertThat(refused(enrolAlice("--template-url", "http://example.com/t.yaml")))
                .contains("--template-url \"http://example.com/t.yaml\" is not an https URL");
        assertThat(refused("accounts", "--threads", "0")).contains("--threads 0 is not between 1 and 64");
        assertThat(refused("enroll")).contains("--student");
    }
}
