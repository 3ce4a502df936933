package dev.curfew.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.curfew.aws.AwsClients;
import dev.curfew.aws.testing.MotoServer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every bench seeder puts what it seeds where its floor lister (the sweep's plain listing) finds it. */
class KindSeedersIT {
    static final String REGION = "eu-west-1";

    @Test
    void eachSeederSeedsWhatItsFloorListerFinds() {
        MotoServer moto = MotoServer.get();
        moto.reset();
        List<String> wrong = new ArrayList<>();
        try (AwsClients clients = new AwsClients(moto.settings(REGION))) {
            for (Kind k : Kinds.ALL) {
                if (k.seed() == null) {
                    continue;
                }
                int before = k.floor().list(clients, REGION).count();
                k.seed().seed(clients, REGION, 0, 1, new SeedPlan(Instant.now(), 1, 2));
                int after = k.floor().list(clients, REGION).count();
                if (after - before != 1) {
                    wrong.add(k.name() + ": seeded 1, the floor lists " + (after - before) + " more");
                }
            }
        }
        assertThat(wrong).isEmpty();
    }
}
