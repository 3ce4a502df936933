package dev.curfew.function.launcher;

import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The launcher's settings, from the environment variables template.yaml sets (CURFEW_POLICY becomes
 * {@code curfew.policy}, and so on) or, in tests, from application-context properties. The launcher reads the same
 * policy as the sweeper; its {@code launcher} section and the account guard ({@code accounts}) are what it uses.
 */
@Singleton
public class LauncherConfig {
    private final String policy;
    private final Map<String, String> overrides = new LinkedHashMap<>();
    private final String endpoint;
    private final String region;
    private final Duration addressWait;

    public LauncherConfig(@Value("${curfew.policy:bundled}") String policy,
                          @Nullable @Value("${curfew.mode:}") String mode,
                          @Nullable @Value("${curfew.time-zone:}") String timeZone,
                          @Nullable @Value("${curfew.time:}") String time,
                          @Nullable @Value("${curfew.accounts:}") String accounts,
                          @Nullable @Value("${curfew.regions:}") String regions,
                          @Nullable @Value("${aws.endpoint-url:}") String endpoint,
                          @Nullable @Value("${aws.region:}") String region,
                          @Value("${curfew.launcher.address-wait-seconds:15}") int addressWaitSeconds) {
        this.policy = policy;
        overrides.put("CURFEW_MODE", mode);
        overrides.put("CURFEW_TIME_ZONE", timeZone);
        overrides.put("CURFEW_TIME", time);
        overrides.put("CURFEW_ACCOUNTS", accounts);
        overrides.put("CURFEW_REGIONS", regions);
        this.endpoint = blankToNull(endpoint);
        this.region = blankToNull(region);
        this.addressWait = Duration.ofSeconds(Math.max(0, addressWaitSeconds));
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

    public String endpoint() {
        return endpoint;
    }

    public String region() {
        return region;
    }

    /** How long a launch waits for the new instance's public address before answering without it. */
    public Duration addressWait() {
        return addressWait;
    }
}
