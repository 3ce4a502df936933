package dev.curfew.aws;

import static org.assertj.core.api.Assertions.assertThat;

import dev.curfew.aws.sentinel.SentinelAws;
import dev.curfew.core.plan.Mark;
import org.junit.jupiter.api.Test;

/** The keys the sentinel removes from a volume attached again are the keys the sweep writes on it. */
class VolumeMarkKeysTest {
    @Test
    void theSentinelRemovesExactlyTheKeysOfAVolumesMark() throws Exception {
        var since = Class.forName("dev.curfew.core.plan.VolumeRules").getDeclaredField("UNATTACHED_SINCE");
        since.setAccessible(true);
        assertThat(SentinelAws.UNMARKED_ON_ATTACH).containsExactly(Mark.TAG, (String) since.get(null),
                EbsVolumes.SNAPSHOT_TAG);
    }
}
