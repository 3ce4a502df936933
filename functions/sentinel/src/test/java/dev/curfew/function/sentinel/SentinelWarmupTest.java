package dev.curfew.function.sentinel;

import static org.assertj.core.api.Assertions.assertThat;

import dev.curfew.aws.SdkWarmup;
import org.junit.jupiter.api.Test;

/** The sentinel's warm-up calls complete on clients that answer from memory (this machine cannot reach AWS). */
class SentinelWarmupTest {
    @Test
    void theSentinelsWarmUpCallsCompleteWithoutTheNetwork() {
        assertThat(SdkWarmup.run(SentinelService::warmup)).isTrue();
    }
}
