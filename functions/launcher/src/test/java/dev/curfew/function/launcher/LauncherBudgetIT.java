package dev.curfew.function.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.curfew.aws.budget.BudgetRecords;
import dev.curfew.aws.testing.MotoTest;
import dev.curfew.core.budget.Amount;
import dev.curfew.core.launch.JsonBody;
import dev.curfew.core.spend.Spend;
import io.micronaut.json.JsonMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * On the emulator: a student the sweeper recorded over budget this week is refused a launch (403 over-budget, with the
 * figures) and nothing is created; once the instructor tops them up, the next launch goes through.
 */
class LauncherBudgetIT extends MotoTest {
    /** The course week of Launchers.NOW (Wednesday 2026-11-25) in Europe/Amsterdam. */
    static final String WEEK = "2026-11-23";
    @TempDir
    Path dir;
    Path policy;

    @BeforeEach
    void seed() throws Exception {
        clients.ec2(EU).createKeyPair(b -> b.keyName("alice-key"));
        policy = Files.writeString(dir.resolve("launcher-budget.yaml"), "budgets:\n  weekly: 10.00\n");
    }

    long instances() {
        return clients.ec2(EU).describeInstances().reservations().stream().mapToLong(r -> r.instances().size()).sum();
    }

    @Test
    @SuppressWarnings("unchecked")
    void overBudgetIsRefusedWithTheFiguresUntilTheInstructorTopsUp() throws Exception {
        BudgetRecords records = new BudgetRecords(clients.ssm(EU), "curfew-it");
        records.markOver(WEEK, "alice", new Spend("alice", Instant.parse("2026-11-22T23:00:00Z"), 10.25, 10.25, 40,
                40, Spend.Source.ESTIMATE));
        try (LauncherHandler h = Launchers.handler(moto, Map.of("curfew.policy", policy.toString(),
                "curfew.stack-name", "curfew-it"))) {
            JsonMapper json = h.getApplicationContext().getBean(JsonMapper.class);
            APIGatewayV2HTTPEvent e = Events.read(json, "launcher-launch.json");
            APIGatewayV2HTTPResponse r = h.handleRequest(e, null);
            assertThat(r.getStatusCode()).as(r.getBody()).isEqualTo(403);
            Map<String, Object> body = (Map<String, Object>) JsonBody.parse(r.getBody());
            assertThat(body).containsEntry("error", "over-budget").containsEntry("weekUnit", "USD");
            assertThat(((Number) body.get("weekLimit")).doubleValue()).isEqualTo(10.0);
            assertThat(((Number) body.get("weekSpent")).doubleValue()).isEqualTo(10.25);
            assertThat((String) body.get("message")).contains("this week: $10.25 of your $10.00")
                    .contains("until the instructor raises the budget or the week turns");
            assertThat(instances()).as("nothing was launched").isZero();

            records.addTopUp(WEEK, "alice", Amount.dollars(5));
            APIGatewayV2HTTPResponse again = h.handleRequest(Events.read(json, "launcher-launch.json"), null);
            assertThat(again.getStatusCode()).as(again.getBody()).isEqualTo(201);
            assertThat(instances()).isEqualTo(1);
        }
    }
}
