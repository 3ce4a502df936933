package dev.curfew.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.curfew.core.notify.Contact;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.services.iam.model.IamException;
import software.amazon.awssdk.services.sts.model.StsException;

class EnrolCommandTest {
    static final String SWEEPER = "arn:aws:iam::123456789012:role/curfew-SweeperFunctionRole-ABC";
    static final String SENTINEL = "arn:aws:iam::123456789012:role/curfew-SentinelFunctionRole-DEF";

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

    @Test
    void badOptionsAreNamedBeforeAnyCall() {
        StringWriter o = new StringWriter();
        StringWriter e = new StringWriter();
        assertThat(Main.run(new PrintWriter(o), new PrintWriter(e), "enroll", "--student", "alice", "--sweeper-role",
                SWEEPER, "--template-url", "http://example.com/t.yaml")).isEqualTo(2);
        assertThat(e.toString()).contains("--template-url \"http://example.com/t.yaml\" is not an https URL");
        assertThat(Main.run(new PrintWriter(o), new PrintWriter(e), "accounts", "--threads", "0")).isEqualTo(2);
        assertThat(e.toString()).contains("--threads 0 is not between 1 and 64");
        assertThat(Main.run(new PrintWriter(o), new PrintWriter(e), "enroll")).isEqualTo(2);
        assertThat(e.toString()).contains("--student");
    }
}
