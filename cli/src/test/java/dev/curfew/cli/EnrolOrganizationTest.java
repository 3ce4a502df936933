package dev.curfew.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/** {@code curfew enroll --organization}: the StackSet commands, and bad options named before any call. */
class EnrolOrganizationTest {
    static final String SWEEPER = "arn:aws:iam::123456789012:role/curfew-SweeperFunctionRole-ABC";
    static final String SENTINEL = "arn:aws:iam::123456789012:role/curfew-SentinelFunctionRole-DEF";
    static final String ID = "curfew-" + "a".repeat(40);

    @Test
    void theStackSetCommandsCarryEveryValueAndDeployToTheUnitInTheHomeRegionOnly() {
        assertThat(EnrolCommand.organizationCommands("ou-ab12-cdef3456", ID, SWEEPER, SENTINEL, "eu-west-1", null)
                .lines().toList()).containsExactly(
                "# Organization unit ou-ab12-cdef3456: run these once in the Organization's management account (from "
                        + "a delegated administrator, add --call-as DELEGATED_ADMIN to both)",
                "aws cloudformation create-stack-set --region eu-west-1 --stack-set-name curfew-student "
                        + "--template-body file://student-account.yaml --permission-model SERVICE_MANAGED "
                        + "--auto-deployment Enabled=true,RetainStacksOnAccountRemoval=false --capabilities "
                        + "CAPABILITY_NAMED_IAM --parameters ParameterKey=SweeperRoleArn,ParameterValue=" + SWEEPER
                        + " ParameterKey=SentinelRoleArn,ParameterValue=" + SENTINEL
                        + " ParameterKey=ExternalId,ParameterValue=" + ID
                        + " ParameterKey=HomeRegion,ParameterValue=eu-west-1",
                "aws cloudformation create-stack-instances --region eu-west-1 --stack-set-name curfew-student "
                        + "--deployment-targets OrganizationalUnitIds=ou-ab12-cdef3456 --regions eu-west-1");
        String withUrl = EnrolCommand.organizationCommands("r-a1b2", ID, SWEEPER, null, "us-east-1",
                "https://bucket.s3.amazonaws.com/student-account.yaml");
        assertThat(withUrl).contains("--template-url https://bucket.s3.amazonaws.com/student-account.yaml ")
                .doesNotContain("--template-body", "SentinelRoleArn")
                .contains("OrganizationalUnitIds=r-a1b2 --regions us-east-1");
    }

    @Test
    void aBadUnitOrBothOrNeitherIsNamedWithExitTwo() {
        StringWriter o = new StringWriter();
        StringWriter e = new StringWriter();
        assertThat(Main.run(new PrintWriter(o), new PrintWriter(e), "enroll", "--organization", "ou-AB12-cdef3456",
                "--sweeper-role", SWEEPER)).isEqualTo(2);
        assertThat(e.toString()).contains("--organization \"ou-AB12-cdef3456\" is not an Organizations unit id "
                + "(ou-xxxx-xxxxxxxx) or root id (r-xxxx)");
        assertThat(Main.run(new PrintWriter(o), new PrintWriter(e), "enroll", "--organization", "ou-ab12-cdef3456",
                "--student", "alice", "--sweeper-role", SWEEPER)).isEqualTo(2);
        assertThat(e.toString()).contains("give either --student NAME (a student's own account) or --organization "
                + "OU_ID (every account of an Organization unit), not both");
        assertThat(Main.run(new PrintWriter(o), new PrintWriter(e), "enroll", "--sweeper-role", SWEEPER))
                .isEqualTo(2);
        assertThat(e.toString()).contains("not neither");
        assertThat(Main.run(new PrintWriter(o), new PrintWriter(e), "enroll", "--organization", "ou-ab12-cdef3456",
                "--sweeper-role", "arn:aws:iam::123456789012:root")).isEqualTo(2);
        assertThat(e.toString()).contains("--sweeper-role \"arn:aws:iam::123456789012:root\" is not an IAM role ARN");
        assertThat(o.toString()).isEmpty();
    }
}
