package dev.curfew.aws;

import java.net.URI;
import java.time.Duration;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.regions.Region;

/**
 * How to reach AWS: the home region (where STS and DescribeRegions are asked), an optional endpoint (an emulator,
 * from {@code AWS_ENDPOINT_URL} or {@code --endpoint-url}), credentials, and how hard to retry.
 */
public record AwsSettings(Region homeRegion, URI endpoint, AwsCredentialsProvider credentials, int maxAttempts,
                          Duration callTimeout) {

    public static AwsSettings fromEnvironment(String endpointFlag, String regionFlag) {
        String endpoint = endpointFlag != null ? endpointFlag : System.getenv("AWS_ENDPOINT_URL");
        String region = regionFlag != null ? regionFlag
                : firstNonBlank(System.getenv("AWS_REGION"), System.getenv("AWS_DEFAULT_REGION"), "us-east-1");
        return new AwsSettings(Region.of(region), endpoint == null || endpoint.isBlank() ? null : parse(endpoint),
                DefaultCredentialsProvider.builder().build(), 3,
                callTimeout(System.getenv(CALL_TIMEOUT_VARIABLE)));
    }

    /** How long one AWS call may take, retries included, in seconds (default 60; an emulator may need more). */
    public static final String CALL_TIMEOUT_VARIABLE = "CURFEW_CALL_TIMEOUT_SECONDS";

    static Duration callTimeout(String value) {
        if (value == null || value.isBlank()) {
            return Duration.ofSeconds(60);
        }
        try {
            long seconds = Long.parseLong(value.trim());
            if (seconds >= 1 && seconds <= 3600) {
                return Duration.ofSeconds(seconds);
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(CALL_TIMEOUT_VARIABLE + " is \"" + value + "\"; expected a whole number "
                + "of seconds from 1 to 3600");
    }

    private static URI parse(String endpoint) {
        try {
            URI u = URI.create(endpoint.trim());
            if (u.getScheme() == null || u.getHost() == null) {
                throw new IllegalArgumentException();
            }
            return u;
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("endpoint \"" + endpoint + "\" is not a URL such as "
                    + "http://localhost:5000");
        }
    }

    private static String firstNonBlank(String... values) {
        for (String v : values) {
            if (v != null && !v.isBlank()) {
                return v;
            }
        }
        return null;
    }

    public AwsSettings withCredentials(AwsCredentialsProvider c) {
        return new AwsSettings(homeRegion, endpoint, c, maxAttempts, callTimeout);
    }

    public AwsSettings withMaxAttempts(int n) {
        return new AwsSettings(homeRegion, endpoint, credentials, n, callTimeout);
    }
}
