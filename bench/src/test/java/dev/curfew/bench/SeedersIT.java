package dev.curfew.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.curfew.aws.EbsSnapshots;
import dev.curfew.aws.MachineImages;
import dev.curfew.aws.testing.MotoTest;
import dev.curfew.core.model.Resource;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The seeders of students' snapshots and AMIs make what the sweep sees as students' snapshots and AMIs (owned, one
 * each), and leave nothing else behind that a sweep would count (no live instance).
 */
class SeedersIT extends MotoTest {

    @Test
    void snapshotAndImageSeedersMakeStudentsSnapshotsAndImagesOnly() {
        SeedPlan plan = new SeedPlan(Instant.now(), 1, 2);
        Kinds.EBS_SNAPSHOT.seed().seed(clients, EU, 0, 3, plan);
        Kinds.AMI.seed().seed(clients, EU, 3, 5, plan);

        assertThat(owners(new EbsSnapshots().list(clients, EU)))
                .containsExactlyInAnyOrder("student-0", "student-1", "student-2");
        assertThat(owners(new MachineImages().list(clients, EU))).containsExactlyInAnyOrder("student-3",
                "student-4");
        assertThat(Kinds.AMI.floor().list(clients, EU).count()).isEqualTo(2);
        assertThat(Kinds.EC2_INSTANCE.floor().list(clients, EU).count()).isZero();
        assertThat(Kinds.EBS_VOLUME.floor().list(clients, EU).count()).isZero();
    }

    private static List<String> owners(List<? extends Resource> rs) {
        return rs.stream().map(r -> r.tags().get("curfew:owner")).filter(o -> o != null).toList();
    }
}
