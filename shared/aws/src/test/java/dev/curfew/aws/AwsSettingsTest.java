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
}
