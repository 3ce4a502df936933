package dev.curfew.aws;

import dev.curfew.core.policy.Policy;
import dev.curfew.core.policy.PolicyLoader;
import dev.curfew.core.policy.PolicyOverride;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.awscore.exception.AwsServiceException;

/**
 * Where a policy comes from: {@code bundled} (Curfew's default), {@code s3://bucket/key}, or a file path.
 * Deployed functions may override top-level fields with environment variables.
 */
public final class PolicySource {
    public static final List<String> IAM_ACTIONS = List.of("s3:GetObject");

    /** Environment variables that override policy fields, and the field each sets. */
    public static final Map<String, String> ENV_OVERRIDES = Map.ofEntries(
            Map.entry("CURFEW_MODE", "mode"),
            Map.entry("CURFEW_TIME_ZONE", "time-zone"),
            Map.entry("CURFEW_TIME", "curfew"),
            Map.entry("CURFEW_ACCOUNTS", "accounts"),
            Map.entry("CURFEW_REGIONS", "regions"),
            Map.entry("CURFEW_ROSTER", "notifications.roster"),
            Map.entry("CURFEW_SLACK_WEBHOOK_SECRET", "notifications.slack.webhook-secret"),
            Map.entry("CURFEW_SLACK_BOT_TOKEN_SECRET", "notifications.slack.bot-token-secret"),
            Map.entry("CURFEW_EMAIL_SENDER", "notifications.email.sender"),
            Map.entry("CURFEW_INSTRUCTOR_EMAIL", "notifications.instructor.email"),
            Map.entry("CURFEW_INSTRUCTORS", "identity.instructors"));

    private PolicySource() {
    }

    public static List<PolicyOverride> overridesFrom(Map<String, String> env) {
        List<PolicyOverride> out = new ArrayList<>();
        ENV_OVERRIDES.forEach((var, field) -> {
            String v = env.get(var);
            if (v != null && !v.isBlank()) {
                out.add(new PolicyOverride(field, v, var));
            }
        });
        return out;
    }

    public static Policy load(String location, List<PolicyOverride> overrides, AwsClients clients) {
        String where = location == null || location.isBlank() ? "bundled" : location.trim();
        if (where.equals("bundled")) {
            return PolicyLoader.bundledDefault(overrides);
        }
        if (where.startsWith("s3://")) {
            String rest = where.substring(5);
            int slash = rest.indexOf('/');
            if (slash <= 0 || slash == rest.length() - 1) {
                throw new IllegalArgumentException("policy location \"" + where + "\" is not s3://bucket/key");
            }
            String bucket = rest.substring(0, slash);
            String key = rest.substring(slash + 1);
            try {
                String text = clients.s3().getObjectAsBytes(b -> b.bucket(bucket).key(key)).asUtf8String();
                return PolicyLoader.load(text, where, overrides);
            } catch (AwsServiceException e) {
                throw new IllegalArgumentException("cannot read the policy " + where + ": "
                        + (e.awsErrorDetails() == null ? e.getMessage() : e.awsErrorDetails().errorMessage()), e);
            }
        }
        Path p = Path.of(where);
        try {
            return PolicyLoader.load(Files.readString(p, StandardCharsets.UTF_8), where, overrides);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("policy file " + where + " does not exist");
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the policy file " + where + ": " + e.getMessage(), e);
        }
    }
}
