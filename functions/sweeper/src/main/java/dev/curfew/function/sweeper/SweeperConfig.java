package dev.curfew.function.sweeper;

import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The sweeper's settings, from the environment variables template.yaml sets (CURFEW_POLICY becomes
 * {@code curfew.policy}, and so on) or, in tests, from application-context properties.
 */
@Singleton
public class SweeperConfig {
    private final String policy;
    private final Map<String, String> overrides = new LinkedHashMap<>();
    private final String stackName;
    private final String endpoint;
    private final String region;
    private final String slackApiUrl;
    private final String warningTime;
    private final String summaryParameter;

    public SweeperConfig(@Value("${curfew.policy:bundled}") String policy,
                         @Nullable @Value("${curfew.mode:}") String mode,
                         @Nullable @Value("${curfew.time-zone:}") String timeZone,
                         @Nullable @Value("${curfew.time:}") String time,
                         @Nullable @Value("${curfew.accounts:}") String accounts,
                         @Nullable @Value("${curfew.regions:}") String regions,
                         @Nullable @Value("${curfew.stack-name:}") String stackName,
                         @Nullable @Value("${aws.endpoint-url:}") String endpoint,
                         @Nullable @Value("${aws.region:}") String region,
                         @Nullable @Value("${curfew.roster:}") String roster,
                         @Nullable @Value("${curfew.slack-webhook-secret:}") String slackWebhookSecret,
                         @Nullable @Value("${curfew.slack-bot-token-secret:}") String slackBotTokenSecret,
                         @Nullable @Value("${curfew.email-sender:}") String emailSender,
                         @Nullable @Value("${curfew.instructor-email:}") String instructorEmail,
                         @Nullable @Value("${curfew.warning-time:}") String warningTime,
                         @Nullable @Value("${curfew.slack-api-url:}") String slackApiUrl,
                         @Nullable @Value("${curfew.summary-parameter:}") String summaryParameter) {
        this.policy = policy;
        overrides.put("CURFEW_MODE", mode);
        overrides.put("CURFEW_TIME_ZONE", timeZone);
        overrides.put("CURFEW_TIME", time);
        overrides.put("CURFEW_ACCOUNTS", accounts);
        overrides.put("CURFEW_REGIONS", regions);
        overrides.put("CURFEW_ROSTER", roster);
        overrides.put("CURFEW_SLACK_WEBHOOK_SECRET", slackWebhookSecret);
        overrides.put("CURFEW_SLACK_BOT_TOKEN_SECRET", slackBotTokenSecret);
        overrides.put("CURFEW_EMAIL_SENDER", emailSender);
        overrides.put("CURFEW_INSTRUCTOR_EMAIL", instructorEmail);
        this.warningTime = blankToNull(warningTime);
        this.summaryParameter = blankToNull(summaryParameter);
        this.slackApiUrl = slackApiUrl == null || slackApiUrl.isBlank() ? "https://slack.com/api" : slackApiUrl.trim();
        this.stackName = blankToNull(stackName);
        this.endpoint = blankToNull(endpoint);
        this.region = blankToNull(region);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }

    /** {@code bundled}, {@code s3://bucket/key} or a file path. */
    public String policy() {
        return policy;
    }

    /** Environment-variable name to value, for the policy fields a deployment sets. */
    public Map<String, String> overrides() {
        return overrides;
    }

    public String stackName() {
        return stackName;
    }

    public String endpoint() {
        return endpoint;
    }

    public String region() {
        return region;
    }

    /** Slack's Web API base (CURFEW_SLACK_API_URL; a local server in tests). */
    public String slackApiUrl() {
        return slackApiUrl;
    }

    /**
     * When the warning pass is scheduled (CURFEW_WARNING_TIME, HH:MM in the course's zone), or null: the template
     * sets it from its WarningTime parameter, and the warning lead is then the time from it to the curfew.
     */
    public String warningTime() {
        return warningTime;
    }

    /** The SSM parameter recording the curfew of the last daily summary (CURFEW_SUMMARY_PARAMETER), or null. */
    public String summaryParameter() {
        return summaryParameter;
    }
}
