package dev.curfew.aws;

import dev.curfew.core.sweep.Outcome;
import software.amazon.awssdk.awscore.exception.AwsServiceException;

/** Turns AWS errors into outcomes: gone counts as done; protection and refusals are reported by name. */
final class Errors {
    private Errors() {
    }

    static String code(AwsServiceException e) {
        return e.awsErrorDetails() == null ? String.valueOf(e.statusCode()) : e.awsErrorDetails().errorCode();
    }

    static String message(AwsServiceException e) {
        return e.awsErrorDetails() == null ? e.getMessage() : e.awsErrorDetails().errorMessage();
    }

    static boolean notFound(AwsServiceException e) {
        String c = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
        return c != null && (c.endsWith(".NotFound") || c.equals("NoSuchBucket") || c.equals("NotFound"));
    }

    static Outcome outcome(String id, AwsServiceException e) {
        if (notFound(e)) {
            return new Outcome(id, Outcome.Status.ALREADY, "already gone");
        }
        if ("OperationNotPermitted".equals(code(e))) {
            return Outcome.failed(id, "protected: " + message(e));
        }
        return Outcome.failed(id, code(e) + ": " + message(e));
    }
}
