package dev.curfew.aws;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;

/**
 * The one reading of an AWS error in words, which the sweep's outcomes, the locks' and ledgers' problems, the roster's
 * problems and the launcher's failures all use: AWS's code and message, and when AWS named none, the HTTP status and
 * the exception's own message rather than "null".
 */
class ErrorsDescribeTest {
    @Test
    void anAwsErrorIsItsCodeAndMessage() {
        AwsServiceException e = AwsServiceException.builder().statusCode(400).awsErrorDetails(AwsErrorDetails
                .builder().errorCode("ParameterNotFound").errorMessage("no such parameter").build()).build();
        assertThat(Errors.code(e)).isEqualTo("ParameterNotFound");
        assertThat(Errors.message(e)).isEqualTo("no such parameter");
        assertThat(Errors.describe(e)).isEqualTo("ParameterNotFound: no such parameter");
    }

    @Test
    void anAnswerWithoutCodeOrMessageFallsBackToTheStatusAndTheExceptionsMessage() {
        AwsServiceException noDetails = AwsServiceException.builder().statusCode(503).message("Service Unavailable")
                .build();
        assertThat(Errors.describe(noDetails)).isEqualTo("503: Service Unavailable");
        AwsServiceException emptyDetails = AwsServiceException.builder().statusCode(500).message("Internal")
                .awsErrorDetails(AwsErrorDetails.builder().build()).build();
        assertThat(Errors.code(emptyDetails)).isEqualTo("500");
        assertThat(Errors.message(emptyDetails)).startsWith("Internal");
    }

    @Test
    void anyOtherFailureIsItsTypeAndMessage() {
        assertThat(Errors.describe(SdkClientException.create("Read timed out")))
                .isEqualTo("SdkClientException: Read timed out");
        assertThat(Errors.describe(new IllegalStateException("boom"))).isEqualTo("IllegalStateException: boom");
    }
}
