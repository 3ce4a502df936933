package dev.curfew.aws;

import dev.curfew.core.sweep.Outcome;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * AWS errors in words, and turned into outcomes: gone counts as done; protection and refusals are reported by name.
 * The one place that reads an {@link AwsServiceException}'s code and message (the launcher's
 * {@code launch.Failures} and every "could not ... (why)" of a report use these).
 */
public final class Errors {
    private Errors() {
    }

    /** AWS's error code (such as {@code InvalidVolume.NotFound}); the HTTP status when the answer named none. */
    public static String code(AwsServiceException e) {
        return e.awsErrorDetails() == null || e.awsErrorDetails().errorCode() == null
                ? String.valueOf(e.statusCode()) : e.awsErrorDetails().errorCode();
    }

    /** AWS's error message; the exception's own when the answer carried none. */
    public static String message(AwsServiceException e) {
        return e.awsErrorDetails() == null || e.awsErrorDetails().errorMessage() == null
                ? e.getMessage() : e.awsErrorDetails().errorMessage();
    }

    static boolean notFound(AwsServiceException e) {
        String c = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
        return c != null && (c.endsWith(".NotFound") || c.equals("NoSuchBucket") || c.equals("NotFound"));
    }

    /**
     * What went wrong, for a report: the service's code and message, or for a client-side failure (a timeout, a
     * reset connection: {@link software.amazon.awssdk.core.exception.SdkClientException}) or any other failure its
     * type and message.
     */
    public static String describe(Throwable e) {
        if (e instanceof AwsServiceException s) {
            return code(s) + ": " + message(s);
        }
        return e.getClass().getSimpleName() + ": " + e.getMessage();
    }

    /**
     * Whether a failure may pass by itself, so that trying once more at the end of the run makes sense: throttling,
     * a server error (5xx), or a client-side failure (a timeout, a reset connection), all after the SDK's own
     * retries. A refusal (protection, IAM, a bad request) never is.
     */
    static boolean retryable(Throwable e) {
        if (e instanceof AwsServiceException s) {
            return s.isThrottlingException() || s.statusCode() >= 500;
        }
        return e instanceof software.amazon.awssdk.core.exception.SdkClientException;
    }

    /** A failure of one resource, tried again at the end of the run when its cause may pass. */
    static Outcome failed(String id, String detail, Throwable cause) {
        return retryable(cause) ? Outcome.failedRetryable(id, detail) : Outcome.failed(id, detail);
    }

    /** As {@link #outcome(String, AwsServiceException)}, a client-side failure failing this resource only. */
    static Outcome outcome(String id, SdkException e) {
        if (e instanceof AwsServiceException s) {
            return outcome(id, s);
        }
        return failed(id, describe(e), e);
    }

    static Outcome outcome(String id, AwsServiceException e) {
        if (notFound(e)) {
            return new Outcome(id, Outcome.Status.ALREADY, "already gone");
        }
        if ("OperationNotPermitted".equals(code(e))) {
            return Outcome.failed(id, "protected: " + message(e));
        }
        return failed(id, code(e) + ": " + message(e), e);
    }
}
