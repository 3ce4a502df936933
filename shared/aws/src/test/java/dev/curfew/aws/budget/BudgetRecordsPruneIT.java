package dev.curfew.aws.budget;

import static org.assertj.core.api.Assertions.assertThat;

import dev.curfew.aws.SsmPrune;
import dev.curfew.aws.testing.MotoTest;
import dev.curfew.core.budget.Amount;
import dev.curfew.core.budget.TopUp;
import dev.curfew.core.spend.Spend;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.GetParametersByPathResponse;
import software.amazon.awssdk.services.ssm.model.Parameter;

/**
 * {@link BudgetRecords#prune} on moto's SSM: the told, over and top-up records of weeks before the current one go (in
 * batches SSM accepts); this week's, and another stack's, stay.
 */
class BudgetRecordsPruneIT extends MotoTest {
    static final String THIS_WEEK = "2026-11-23";

    List<String> names(SsmClient ssm, String path) {
        List<String> out = new ArrayList<>();
        for (GetParametersByPathResponse page : ssm.getParametersByPathPaginator(b -> b.path(path).recursive(true))) {
            page.parameters().stream().map(Parameter::name).forEach(out::add);
        }
        return out;
    }

    @Test
    void theRecordsOfPastWeeksGoAndThisWeeksStay() {
        SsmClient ssm = clients.ssm(EU);
        BudgetRecords records = new BudgetRecords(ssm, "it");
        BudgetRecords other = new BudgetRecords(ssm, "other");
        Spend spend = new Spend("alice", Instant.parse("2026-11-16T00:00:00Z"), 11, 11, 0, 0, Spend.Source.ESTIMATE);
        for (String week : List.of("2026-11-09", "2026-11-16", THIS_WEEK)) {
            for (int i = 0; i < 6; i++) { // two weeks of 12 told records: two delete batches
                records.firstTold(week, "student" + i, 50, "told");
            }
            records.markOver(week, "Alice", spend);
            records.addTopUp(week, "alice", Amount.dollars(5));
            other.firstTold(week, "alice", 80, "told");
        }

        SsmPrune.Pruned pruned = records.prune(THIS_WEEK);

        assertThat(pruned.failure()).isNull();
        assertThat(pruned.read()).isEqualTo(24);
        assertThat(pruned.deleted()).isEqualTo(16);
        assertThat(pruned.text()).isEqualTo("budget records: 16 of 24 deleted (of weeks before this one)");
        assertThat(names(ssm, "/curfew/it/budget")).hasSize(8).allMatch(n -> n.contains("/" + THIS_WEEK + "/"));
        assertThat(records.told(THIS_WEEK)).hasSize(6);
        assertThat(records.over(THIS_WEEK)).containsExactly("alice");
        assertThat(records.topUp(THIS_WEEK, "alice")).isEqualTo(new TopUp(5, 0));
        assertThat(records.topUp("2026-11-16", "alice")).isEqualTo(TopUp.NONE);
        assertThat(names(ssm, "/curfew/other/budget")).hasSize(3);
    }
}
