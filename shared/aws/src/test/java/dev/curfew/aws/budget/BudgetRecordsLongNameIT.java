package dev.curfew.aws.budget;

import static org.assertj.core.api.Assertions.assertThat;

import dev.curfew.aws.testing.MotoTest;
import dev.curfew.core.budget.Amount;
import dev.curfew.core.budget.BudgetCheck;
import dev.curfew.core.policy.Mode;
import dev.curfew.core.policy.Policy;
import dev.curfew.core.policy.PolicyLoader;
import dev.curfew.core.spend.Spend;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A student whose owner name is too long for a record's name (its segment over 600 characters, kept under a hashed
 * one): the listings of the top-up, told and over records key them by their whole name, as the lookups do, so their
 * top-up counts, they are told once, and their over-budget record is cleared once they are under budget again.
 */
class BudgetRecordsLongNameIT extends MotoTest {
    static final String WEEK = "2026-11-23";
    static final Instant NOW = Instant.parse("2026-11-25T17:00:00Z");
    /** A tag value may be 256 characters; each non-ASCII one is 5 in a name's segment. */
    static final String LONG = "\u00e9".repeat(200);
    final Policy policy = PolicyLoader.load("""
            time-zone: UTC
            accounts: ["123456789012"]
            budgets:
              weekly: $10
            """, "test").withMode(Mode.ENFORCE);

    static Spend spent(double dollars) {
        return new Spend(LONG, Instant.parse("2026-11-23T00:00:00Z"), dollars, dollars, 0, 0, Spend.Source.ESTIMATE);
    }

    @Test
    void aLongNamedStudentsTopUpCountsAndTheirOverRecordIsCleared() {
        assertThat(BudgetRecords.owner(LONG)).contains("_h");
        BudgetRecords records = new BudgetRecords(clients.ssm(EU), "long");
        records.markOver(WEEK, LONG, spent(11));
        records.firstTold(WEEK, LONG, 100, NOW.toString());
        records.addTopUp(WEEK, LONG, Amount.dollars(5));

        assertThat(records.over(WEEK)).containsExactly(BudgetCheck.key(LONG));
        assertThat(records.overRecords(WEEK)).containsOnlyKeys(BudgetCheck.key(LONG));
        assertThat(records.told(WEEK)).containsExactly(BudgetCheck.toldKey(LONG, 100));
        assertThat(records.overRecord(WEEK, LONG).weekDollars()).isEqualTo(11);
        // $11 against $10 and a $5 top-up: under budget, told nothing again
        BudgetCheck.Result result = BudgetCheck.check(policy.budgets(), Instant.parse("2026-11-23T00:00:00Z"),
                List.of(spent(11)), records.topUps(WEEK), records.told(WEEK), List.of(), policy.ownerTag());
        assertThat(result.over()).as("the top-up counts").isEmpty();

        BudgetSweep.Recorded recorded = new BudgetSweep(records, null).record(policy, result, NOW);

        assertThat(recorded.problems()).isEmpty();
        assertThat(recorded.cleared()).containsExactly(BudgetCheck.key(LONG));
        assertThat(records.overRecord(WEEK, LONG)).as("the over record is gone").isNull();
        assertThat(records.over(WEEK)).isEqualTo(Set.of());
        assertThat(records.topUp(WEEK, LONG).dollars()).isEqualTo(5);
    }
}
