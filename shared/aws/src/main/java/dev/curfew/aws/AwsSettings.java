package dev.curfew.aws;

import java.net.URI;
import java.time.Duration;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.regions.Region;

/**
 * How to reach AWS: the home region (where STS and DescribeRegions are asked), an optional endpoint (an emulator,
 * from {@code AWS_ENDPOINT_URL} or {@code --endpoint-url}), credentials, and how hard to retry: attempts per call,
 * the time one call may take with all its attempts and backoff ({@code callTimeout}), the time one attempt may take
 * ({@code attemptTimeout}, well below: a hung attempt is abandoned and retried instead of using up the call), and the
 * jittered exponential backoff between attempts ({@code baseDelay} doubling up to {@code maxBackoff}).
 */
public record AwsSettings(Region homeRegion, URI endpoint, AwsCredentialsProvider credentials, int maxAttempts,
                          Duration callTimeout, Duration attemptTimeout, Duration baseDelay, Duration maxBackoff) {

    /** Attempts per call for a nightly batch job: 8, with backoff from 0.5 s doubling to 20 s (about 25 s on average). */
    public static final int DEFAULT_ATTEMPTS = 8;
    public static final Duration DEFAULT_BASE_DELAY = Duration.ofMillis(500);
    public static final Duration DEFAULT_MAX_BACKOFF = Duration.ofSeconds(20);
    /** Attempts per call (default 8). */
    public static final String ATTEMPTS_VARIABLE = "CURFEW_RETRY_ATTEMPTS";
    /** How long one attempt may take, in seconds (default a quarter of the call timeout). */
    public static final String ATTEMPT_TIMEOUT_VARIABLE = "CURFEW_ATTEMPT_TIMEOUT_SECONDS";

    public AwsSettings {
        if (maxAttempts < 1 || maxAttempts > 20) {
            throw new IllegalArgumentException("maxAttempts is " + maxAttempts + "; expected 1 to 20");
        }
        if (attemptTimeout.compareTo(callTimeout) > 0) {
            throw new IllegalArgumentException("the attempt timeout (" + attemptTimeout.toSeconds() + " s) is longer "
                    + "than the call timeout (" + callTimeout.toSeconds() + " s)");
        }
    }

    /** Settings with the default backoff and an attempt timeout of a quarter of the call timeout. */
    public AwsSettings(Region homeRegion, URI endpoint, AwsCredentialsProvider credentials, int maxAttempts,
                       Duration callTimeout) {
        this(homeRegion, endpoint, credentials, maxAttempts, callTimeout, defaultAttemptTimeout(callTimeout),
                DEFAULT_BASE_DELAY, DEFAULT_MAX_BACKOFF);
    }

    /** A quarter of the call timeout, at least one second (and never more than the call timeout). */
    static Duration defaultAttemptTimeout(Duration callTimeout) {
        Duration quarter = callTimeout.dividedBy(4);
        Duration atLeast = quarter.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : quarter;
        return atLeast.compareTo(callTimeout) > 0 ? callTimeout : atLeast;
    }

    public static AwsSettings fromEnvironment(String endpointFlag, String regionFlag) {
        String endpoint = endpointFlag != null ? endpointFlag : System.getenv("AWS_ENDPOINT_URL");
        String region = regionFlag != null ? regionFlag
                : firstNonBlank(System.getenv("AWS_REGION"), System.getenv("AWS_DEFAULT_REGION"), "us-east-1");
        Duration call = callTimeout(System.getenv(CALL_TIMEOUT_VARIABLE));
        return new AwsSettings(Region.of(region), endpoint == null || endpoint.isBlank() ? null : parse(endpoint),
                credentials(System.getenv()), attempts(System.getenv(ATTEMPTS_VARIABLE)), call,
                attemptTimeout(System.getenv(ATTEMPT_TIMEOUT_VARIABLE), call), DEFAULT_BASE_DELAY,
                DEFAULT_MAX_BACKOFF);
    }

    /**
     * A Lambda function's credentials: its role's, which Lambda puts in the environment, read from there alone
     * (the SDK's advice for Lambda: the default chain would first build a provider for system properties, profile
     * files, web identity, containers and instance metadata, about 60 classes and a profile file read, before the
     * first call). A SnapStart function has no keys in its environment (Lambda serves them from a container
     * endpoint instead, so that no snapshot holds them), nor does anything run outside Lambda (the CLI, tests): those
     * get the default chain.
     */
    static AwsCredentialsProvider credentials(java.util.Map<String, String> env) {
        if (env.get("AWS_LAMBDA_FUNCTION_NAME") != null && !blank(env.get("AWS_ACCESS_KEY_ID"))
                && !blank(env.get("AWS_SECRET_ACCESS_KEY"))) {
            return software.amazon.awssdk.auth.credentials.EnvironmentVariableCredentialsProvider.create();
        }
        return DefaultCredentialsProvider.builder().build();
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    static int attempts(String value) {
        if (value == null || value.isBlank()) {
            return DEFAULT_ATTEMPTS;
        }
        try {
            int n = Integer.parseInt(value.trim());
            if (n >= 1 && n <= 20) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(ATTEMPTS_VARIABLE + " is \"" + value + "\"; expected a whole number "
                + "from 1 to 20");
    }

    static Duration attemptTimeout(String value, Duration callTimeout) {
        if (value == null || value.isBlank()) {
            return defaultAttemptTimeout(callTimeout);
        }
        try {
            long seconds = Long.parseLong(value.trim());
            if (seconds >= 1 && seconds <= callTimeout.toSeconds()) {
                return Duration.ofSeconds(seconds);
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(ATTEMPT_TIMEOUT_VARIABLE + " is \"" + value + "\"; expected a whole "
                + "number of seconds from 1 to the call timeout (" + callTimeout.toSeconds() + ")");
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
        return new AwsSettings(homeRegion, endpoint, c, maxAttempts, callTimeout, attemptTimeout, baseDelay,
                maxBackoff);
    }

    public AwsSettings withMaxAttempts(int n) {
        return new AwsSettings(homeRegion, endpoint, credentials, n, callTimeout, attemptTimeout, baseDelay,
                maxBackoff);
    }

    /** The same settings retrying {@code attempts} times with the given backoff (tests use milliseconds). */
    public AwsSettings withRetries(int attempts, Duration base, Duration max) {
        return new AwsSettings(homeRegion, endpoint, credentials, attempts, callTimeout, attemptTimeout, base, max);
    }

    public AwsSettings withEndpoint(URI e) {
        return new AwsSettings(homeRegion, e, credentials, maxAttempts, callTimeout, attemptTimeout, baseDelay,
                maxBackoff);
    }

    public AwsSettings withTimeouts(Duration call, Duration attempt) {
        return new AwsSettings(homeRegion, endpoint, credentials, maxAttempts, call, attempt, baseDelay, maxBackoff);
    }
}
