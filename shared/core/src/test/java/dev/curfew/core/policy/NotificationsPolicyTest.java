package dev.curfew.core.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class NotificationsPolicyTest {

    @Test
    void theSectionIsOptionalAndDefaultsToNobodyMessaged() {
        Notifications n = PolicyLoader.load("course: X\n", "t").notifications();
        assertThat(n.warningLead()).isEqualTo(Duration.ofMinutes(30));
        assertThat(n.slack()).isFalse();
        assertThat(n.email()).isFalse();
        assertThat(n.roster()).isNull();
        assertThat(n.studentsInDryRun()).isFalse();
        assertThat(PolicyLoader.bundledDefault(List.of()).notifications().warningLead()).isEqualTo(Duration.ofMinutes(30));
    }

    @Test
    void everyFieldIsRead() {
        Notifications n = PolicyLoader.load("""
                notifications:
                  roster: ssm:/curfew/roster
                  warning-lead: 45m
                  slack:
                    webhook-secret: curfew/slack-webhook
                    bot-token-secret: curfew/slack-bot
                  email:
                    sender: curfew@example.edu
                  instructor:
                    name: Dr Who
                    email: teacher@example.edu
                    slack: U0TEACHER
                  students-in-dry-run: true
                """, "t").notifications();
        assertThat(n).isEqualTo(new Notifications("ssm:/curfew/roster", Duration.ofMinutes(45), "curfew/slack-webhook",
                "curfew/slack-bot", "curfew@example.edu", "Dr Who", "teacher@example.edu", "U0TEACHER", true));
    }

    @Test
    void everyProblemIsNamedWithItsPath() {
        assertThatThrownBy(() -> PolicyLoader.load("""
                notifications:
                  roster: https://example.edu/roster.csv
                  warning-lead: half an hour
                  slack: {webhook: x}
                  email: {sender: curfew-at-example.edu}
                  instructor: {slack: teacher}
                  studnets-in-dry-run: true
                """, "p.yaml"))
                .isInstanceOf(PolicyException.class)
                .hasMessageContaining("notifications.roster: \"https://example.edu/roster.csv\" is neither an S3 object")
                .hasMessageContaining("notifications.warning-lead: \"half an hour\" is not a duration")
                .hasMessageContaining("notifications.slack.webhook: unknown field")
                .hasMessageContaining("notifications.email.sender: \"curfew-at-example.edu\" is not an email address")
                .hasMessageContaining("notifications.instructor.slack: \"teacher\" is not a Slack member id")
                .hasMessageContaining("notifications.studnets-in-dry-run: unknown field");
    }

    @Test
    void deployParametersSetNestedFieldsAndKeepTheRestOfTheSection() {
        Policy p = PolicyLoader.load("""
                notifications:
                  instructor: {name: Dr Who}
                  warning-lead: 20m
                """, "t", List.of(new PolicyOverride("notifications.email.sender", "curfew@example.edu",
                        "CURFEW_EMAIL_SENDER"), new PolicyOverride("notifications.instructor.email", "t@example.edu",
                        "CURFEW_INSTRUCTOR_EMAIL")));
        assertThat(p.notifications().emailSender()).isEqualTo("curfew@example.edu");
        assertThat(p.notifications().instructorEmail()).isEqualTo("t@example.edu");
        assertThat(p.notifications().instructorName()).isEqualTo("Dr Who");
        assertThat(p.notifications().warningLead()).isEqualTo(Duration.ofMinutes(20));

        assertThatThrownBy(() -> PolicyLoader.load("", "t", List.of(new PolicyOverride(
                "notifications.email.sender", "nope", "CURFEW_EMAIL_SENDER"))))
                .hasMessageContaining("notifications.email.sender (from CURFEW_EMAIL_SENDER): \"nope\" is not an "
                        + "email address");
    }
}
