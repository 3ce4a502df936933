package dev.curfew.aws.launch;

import dev.curfew.core.launch.CloudFailure;
import software.amazon.awssdk.awscore.exception.AwsServiceException;

/** AWS's error code of a refused call, and its conversion to the launcher's {@link CloudFailure}. */
final class Failures {
    private Failures() {
    }

    static String code(AwsServiceException e) {
        return e.awsErrorDetails() == null || e.awsErrorDetails().errorCode() == null
                ? String.valueOf(e.statusCode()) : e.awsErrorDetails().errorCode();
    }

    static String message(AwsServiceException e) {
        return e.awsErrorDetails() == null || e.awsErrorDetails().errorMessage() == null
                ? e.getMessage() : e.awsErrorDetails().errorMessage();
    }

    static CloudFailure of(AwsServiceException e) {
        return new CloudFailure(code(e), message(e), e);
    }
}
