package dev.curfew.aws;

import static org.assertj.core.api.Assertions.assertThat;

import dev.curfew.core.sweep.Outcome;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;

/** Which failures are tried once more at the end of a run: those that may pass, never a refusal. */
class ErrorsRetryableTest {

    static AwsServiceException error(int status, String code) {
        return AwsServiceException.builder().statusCode(status).awsErrorDetails(AwsErrorDetails.builder()
                .errorCode(code).errorMessage("message of " + code).build()).build();
    }

    @Test
    void throttlingServerErrorsAndClientFailuresMayPass() {
        assertThat(Errors.outcome("i-1", error(503, "RequestLimitExceeded")).retryable()).isTrue();
        assertThat(Errors.outcome("i-1", error(400, "Throttling")).retryable()).isTrue();
        assertThat(Errors.outcome("i-1", error(400, "ThrottlingException")).retryable()).isTrue();
        assertThat(Errors.outcome("b", error(503, "SlowDown")).retryable()).isTrue();
        assertThat(Errors.outcome("i-1", error(500, "InternalError")).retryable()).isTrue();
        Outcome timeout = Errors.outcome("i-1", SdkClientException.create("Unable to execute HTTP request: "
                + "Read timed out"));
        assertThat(timeout.status()).isEqualTo(Outcome.Status.FAILED);
        assertThat(timeout.retryable()).isTrue();
        assertThat(timeout.detail()).isEqualTo("SdkClientException: Unable to execute HTTP request: Read timed out");
    }

    @Test
    void refusalsAreNeverTriedAgain() {
        Outcome protectedOne = Errors.outcome("i-1", error(400, "OperationNotPermitted"));
        assertThat(protectedOne.detail()).isEqualTo("protected: message of OperationNotPermitted");
        assertThat(protectedOne.retryable()).isFalse();
        assertThat(Errors.outcome("i-1", error(403, "UnauthorizedOperation")).retryable()).isFalse();
        assertThat(Errors.outcome("b", error(403, "AccessDenied")).retryable()).isFalse();
        assertThat(Errors.outcome("i-1", error(400, "IncorrectInstanceState")).retryable()).isFalse();
        Outcome gone = Errors.outcome("vol-1", error(400, "InvalidVolume.NotFound"));
        assertThat(gone.status()).isEqualTo(Outcome.Status.ALREADY);
        assertThat(gone.retryable()).isFalse();
    }
}
