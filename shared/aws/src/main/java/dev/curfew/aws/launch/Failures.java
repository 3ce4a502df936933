package dev.curfew.aws.launch;

import dev.curfew.aws.Errors;
import dev.curfew.core.launch.CloudFailure;
import software.amazon.awssdk.awscore.exception.AwsServiceException;

/** AWS's error code of a refused call, and its conversion to the launcher's {@link CloudFailure}. */
final class Failures {
    private Failures() {
    }

    static String code(AwsServiceException e) {
        return Errors.code(e);
    }

    /**
     * AWS's message and request id, for the launcher's log (an UnauthorizedOperation's message carries the encoded
     * authorization message the instructor decodes with {@code aws sts decode-authorization-message}). Never for a
     * student's answer: the launcher answers with {@link dev.curfew.core.launch.CloudFailure#safeCode()} only.
     */
    static String message(AwsServiceException e) {
        String m = Errors.message(e);
        return e.requestId() == null ? m : m + " (AWS request id " + e.requestId() + ")";
    }

    static CloudFailure of(AwsServiceException e) {
        return new CloudFailure(code(e), message(e), e);
    }
}
