package dev.curfew.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.curfew.aws.testing.MotoTest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every bench seeder puts what it seeds where its floor lister (the sweep's plain listing) finds it. */
class KindSeedersIT extends MotoTest {

    @Test
    void eachSeederSeedsWhatItsFloorListerFinds() {
        List<String> wrong = new ArrayList<>();
        for (Kind k : Kinds.ALL) {
            if (k.seed() == null) {
                continue;
            }
            int before = k.floor().list(clients, EU).count();
            k.seed().seed(clients, EU, 0, 1, new SeedPlan(Instant.now(), 1, 2));
            int after = k.floor().list(clients, EU).count();
            if (after - before != 1) {
                wrong.add(k.name() + ": seeded 1, the floor lists " + (after - before) + " more");
            }
        }
        assertThat(wrong).isEmpty();
    }
}
