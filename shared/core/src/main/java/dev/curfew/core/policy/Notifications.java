package dev.curfew.core.policy;

import java.time.Duration;

/**
 * Who hears about a sweep, and how (the policy's {@code notifications} section). Every channel is optional:
 * with none configured, the messages are still built and listed in the report, and nothing is sent.
 *
 * @param roster              where the roster is: {@code s3://bucket/key} or {@code ssm:/parameter/name} (CSV or
 *                            YAML); null for none (every message then goes to the instructor)
 * @param warningLead         how long before curfew the warning pass runs (default 30 minutes)
 * @param slackWebhookSecret  Secrets Manager secret id holding the Slack incoming-webhook URL; null for none
 * @param slackBotTokenSecret Secrets Manager secret id holding a Slack bot token (xoxb-...) for direct messages;
 *                            null for none
 * @param emailSender         the SES identity messages are sent from; null for no email
 * @param instructorName      how the instructor is greeted
 * @param instructorEmail     the instructor's address: the daily summary, and messages for unknown owners
 * @param instructorSlack     the instructor's Slack member id (U...), mentioned in the channel or messaged directly
 * @param studentsInDryRun    whether students are messaged while the policy is in dry-run (default no: in dry-run
 *                            only the instructor hears, since nothing will actually happen to the students' things)
 */
public record Notifications(String roster, Duration warningLead, String slackWebhookSecret,
                            String slackBotTokenSecret, String emailSender, String instructorName,
                            String instructorEmail, String instructorSlack, boolean studentsInDryRun) {
    public static final Duration DEFAULT_LEAD = Duration.ofMinutes(30);

    public static Notifications none() {
        return new Notifications(null, DEFAULT_LEAD, null, null, null, "Instructor", null, null, false);
    }

    public boolean slack() {
        return slackWebhookSecret != null || slackBotTokenSecret != null;
    }

    public boolean email() {
        return emailSender != null;
    }
}
