package dev.curfew.core.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.curfew.core.launch.CloudInstance;
import java.util.EnumSet;
import org.junit.jupiter.api.Test;

class InstanceStateTest {
    @Test
    void onlyPendingAndRunningAreUp() {
        assertThat(EnumSet.allOf(InstanceState.class).stream().filter(InstanceState::isUp))
                .containsExactlyInAnyOrder(InstanceState.PENDING, InstanceState.RUNNING);
    }

    @Test
    void theLaunchersLiveInstancesAreTheUpOnes() {
        for (String name : new String[] {"pending", "running", "stopping", "stopped", "shutting-down", "terminated",
                "rebooting", null}) {
            CloudInstance i = new CloudInstance("i-1", "eu-west-1", null, "t3.micro", name, null, null, null, null,
                    null, null, null);
            assertThat(i.live()).as(name).isEqualTo("pending".equals(name) || "running".equals(name));
        }
    }
}
