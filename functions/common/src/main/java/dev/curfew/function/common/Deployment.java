package dev.curfew.function.common;

import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What every Curfew function reads from its deployment: the environment variables template.yaml sets
 * (CURFEW_POLICY becomes {@code curfew.policy}, and so on) or, in tests, application-context properties. Each
 * function's own settings live in its own config bean.
 */
@Singleton
public class Deployment {
    private final String policy;
    private final Map<String, String> overrides;
    private final String stackName;
    private final String endpoint;
    private final String region;
    private final String slackApiUrl;

    public Deployment(@Value("${curfew.policy:bundled}") String policy,
                      @Nullable @Value("${curfew.mode:}") String mode,
                      @Nullable @Value("${curfew.time-zone:}") String timeZone,
                      @Nullable @Value("${curfew.time:}") String time,
                      @Nullable @Value("${curfew.accounts:}") String accounts,
                      @Nullable @Value("${curfew.regions:}") String regions,
                      @Nullable @Value("${curfew.roster:}") String roster,
                      @Nullable @Value("${curfew.slack-webhook-secret:}") String slackWebhookSecret,
                      @Nullable @Value("${curfew.slack-bot-token-secret:}") String slackBotTokenSecret,
                      @Nullable @Value("${curfew.email-sender:}") String emailSender,
                      @Nullable @Value("${curfew.instructor-email:}") String instructorEmail,
                      @Nullable @Value("${curfew.instructors:}") String instructors,
                      @Nullable @Value("${curfew.stack-name:}") String stackName,
                      @Nullable @Value("${aws.endpoint-url:}") String endpoint,
                      @Nullable @Value("${aws.region:}") String region,
                      @Nullable @Value("${curfew.slack-api-url:}") String slackApiUrl) {
        this.policy = policy;
        Map<String, String> o = new LinkedHashMap<>();
        o.put("CURFEW_MODE", mode);
        o.put("CURFEW_TIME_ZONE", timeZone);
        o.put("CURFEW_TIME", time);
        o.put("CURFEW_ACCOUNTS", accounts);
        o.put("CURFEW_REGIONS", regions);
        o.put("CURFEW_ROSTER", roster);
        o.put("CURFEW_SLACK_WEBHOOK_SECRET", slackWebhookSecret);
        o.put("CURFEW_SLACK_BOT_TOKEN_SECRET", slackBotTokenSecret);
        o.put("CURFEW_EMAIL_SENDER", emailSender);
        o.put("CURFEW_INSTRUCTOR_EMAIL", instructorEmail);
        o.put("CURFEW_INSTRUCTORS", instructors);
        this.overrides = Collections.unmodifiableMap(o);
        this.stackName = blankToNull(stackName);
        this.endpoint = blankToNull(endpoint);
        this.region = blankToNull(region);
        this.slackApiUrl = slackApiUrl == null || slackApiUrl.isBlank() ? "https://slack.com/api" : slackApiUrl.trim();
    }

    /** @return the trimmed value, or null when it is missing or blank */
    public static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }

    /** {@code bundled}, {@code s3://bucket/key} or a file path. */
    public String policy() {
        return policy;
    }

    /** Environment-variable name to value, for the policy fields a deployment sets (blank: the policy's own). */
    public Map<String, String> overrides() {
        return overrides;
    }

    /** The stack's own name (CURFEW_STACK_NAME): Curfew never touches its own resources. Null outside a stack. */
    public String stackName() {
        return stackName;
    }

    /** An emulator's endpoint (AWS_ENDPOINT_URL), or null for AWS itself. */
    public String endpoint() {
        return endpoint;
    }

    /** The home region (AWS_REGION), or null for the SDK's default. */
    public String region() {
        return region;
    }

    /** Slack's Web API base (CURFEW_SLACK_API_URL; a local server in tests). */
    public String slackApiUrl() {
        return slackApiUrl;
    }
}
