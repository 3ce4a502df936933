package dev.curfew.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class AwsSettingsTest {

    @Test
    void theCallTimeoutIsSixtySecondsUnlessTheEnvironmentSaysOtherwise() {
        assertThat(AwsSettings.callTimeout(null)).isEqualTo(Duration.ofSeconds(60));
        assertThat(AwsSettings.callTimeout(" ")).isEqualTo(Duration.ofSeconds(60));
        assertThat(AwsSettings.callTimeout("600")).isEqualTo(Duration.ofMinutes(10));
    }

    @Test
    void aBadCallTimeoutIsRefusedWithTheVariableAndTheValue() {
        for (String bad : new String[] {"0", "-5", "3601", "ten", "1.5"}) {
            assertThatThrownBy(() -> AwsSettings.callTimeout(bad)).as(bad)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("CURFEW_CALL_TIMEOUT_SECONDS is \"" + bad + "\"; expected a whole number of seconds "
                            + "from 1 to 3600");
        }
    }

    @Test
    void aNightlyJobRetriesEightTimesWithAnAttemptTimeoutOfAQuarterOfTheCall() {
        assertThat(AwsSettings.attempts(null)).isEqualTo(8);
        assertThat(AwsSettings.attempts("3")).isEqualTo(3);
        assertThat(AwsSettings.attemptTimeout(null, Duration.ofSeconds(60))).isEqualTo(Duration.ofSeconds(15));
        assertThat(AwsSettings.attemptTimeout(null, Duration.ofSeconds(2))).isEqualTo(Duration.ofSeconds(1));
        assertThat(AwsSettings.attemptTimeout("30", Duration.ofSeconds(60))).isEqualTo(Duration.ofSeconds(30));
        AwsSettings s = AwsSettings.fromEnvironment("http://localhost:1", "eu-west-1");
        assertThat(s.attemptTimeout()).isLessThan(s.callTimeout());
        assertThat(s.maxBackoff()).isEqualTo(Duration.ofSeconds(20));
    }

    @Test
    void aLambdaFunctionReadsItsRoleFromTheEnvironmentAndEverythingElseUsesTheDefaultChain() {
        java.util.Map<String, String> lambda = java.util.Map.of("AWS_LAMBDA_FUNCTION_NAME", "curfew-sweeper",
                "AWS_ACCESS_KEY_ID", "ASIAEXAMPLE", "AWS_SECRET_ACCESS_KEY", "secret", "AWS_SESSION_TOKEN", "token");
        assertThat(AwsSettings.credentials(lambda))
                .isInstanceOf(software.amazon.awssdk.auth.credentials.EnvironmentVariableCredentialsProvider.class);
        // SnapStart: no keys in the environment, a container endpoint serves them
        java.util.Map<String, String> snapStart = java.util.Map.of("AWS_LAMBDA_FUNCTION_NAME", "curfew-sweeper",
                "AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://127.0.0.1:9001/2021-04-23/credentials");
        assertThat(AwsSettings.credentials(snapStart))
                .isInstanceOf(software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider.class);
        // the CLI on an instructor's machine with keys in the environment: the default chain (profiles too)
        java.util.Map<String, String> cli = java.util.Map.of("AWS_ACCESS_KEY_ID", "AKIAEXAMPLE",
                "AWS_SECRET_ACCESS_KEY", "secret");
        assertThat(AwsSettings.credentials(cli))
                .isInstanceOf(software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider.class);
        assertThat(AwsSettings.credentials(java.util.Map.of("AWS_LAMBDA_FUNCTION_NAME", "f",
                "AWS_ACCESS_KEY_ID", " ", "AWS_SECRET_ACCESS_KEY", "secret")))
                .isInstanceOf(software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider.class);
    }

    @Test
    void badRetrySettingsAreRefusedWithTheVariableAndTheValue() {
        for (String bad : new String[] {"0", "21", "many"}) {
            assertThatThrownBy(() -> AwsSettings.attempts(bad)).as(bad)
                    .hasMessage("CURFEW_RETRY_ATTEMPTS is \"" + bad + "\"; expected a whole number from 1 to 20");
        }
        for (String bad : new String[] {"0", "61", "1.5"}) {
            assertThatThrownBy(() -> AwsSettings.attemptTimeout(bad, Duration.ofSeconds(60))).as(bad)
                    .hasMessage("CURFEW_ATTEMPT_TIMEOUT_SECONDS is \"" + bad + "\"; expected a whole number of "
                            + "seconds from 1 to the call timeout (60)");
        }
    }
}
