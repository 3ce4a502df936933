package dev.curfew.function.sentinel;

import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The sentinel's settings, from the environment variables template.yaml sets (CURFEW_POLICY becomes
 * {@code curfew.policy}, and so on) or, in tests, from application-context properties. It reads the same policy as
 * the sweeper: {@code owner-tag}, the curfew, {@code launcher} (the limits), {@code sentinel}, exemptions, mode.
 */
@Singleton
public class SentinelConfig {
    private final String policy;
    private final Map<String, String> overrides = new LinkedHashMap<>();
    private final String endpoint;
    private final String region;
    private final String stackName;
    private final String slackApiUrl;

    public SentinelConfig(@Value("${curfew.policy:bundled}") String policy,
                          @Nullable @Value("${curfew.mode:}") String mode,
                          @Nullable @Value("${curfew.time-zone:}") String timeZone,
                          @Nullable @Value("${curfew.time:}") String time,
                          @Nullable @Value("${curfew.accounts:}") String accounts,
                          @Nullable @Value("${curfew.regions:}") String regions,
                          @Nullable @Value("${curfew.stack-name:}") String stackName,
                          @Nullable @Value("${curfew.roster:}") String roster,
                          @Nullable @Value("${curfew.slack-webhook-secret:}") String slackWebhookSecret,
                          @Nullable @Value("${curfew.slack-bot-token-secret:}") String slackBotTokenSecret,
                          @Nullable @Value("${curfew.email-sender:}") String emailSender,
                          @Nullable @Value("${curfew.instructor-email:}") String instructorEmail,
                          @Nullable @Value("${curfew.slack-api-url:}") String slackApiUrl,
                          @Nullable @Value("${aws.endpoint-url:}") String endpoint,
                          @Nullable @Value("${aws.region:}") String region) {
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

    /**
     * Curfew's own CloudFormation stack: calls made by a role whose name starts with {@code <stack>-} (the roles SAM
     * creates for Curfew's functions) are Curfew's own and are not tagged again; null when not deployed.
     */
    public String stackName() {
        return stackName;
    }

    /** Slack's Web API (a local fake in tests). */
    public String slackApiUrl() {
        return slackApiUrl;
    }

    public String endpoint() {
        return endpoint;
    }

    public String region() {
        return region;
    }
}
