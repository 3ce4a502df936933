package dev.curfew.function.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import dev.curfew.aws.SdkWarmup;
import org.junit.jupiter.api.Test;

/** The launcher's warm-up calls complete on clients that answer from memory (this machine cannot reach AWS). */
class LaunchWarmupTest {
    @Test
    void theLaunchersWarmUpCallsCompleteWithoutTheNetwork() {
        assertThat(SdkWarmup.run(LaunchService::warmup)).isTrue();
    }
}
