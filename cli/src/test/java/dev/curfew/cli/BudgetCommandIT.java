package dev.curfew.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.curfew.aws.budget.BudgetRecords;
import dev.curfew.core.budget.TopUp;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code curfew budget} against the moto server: a top-up is stored for the week, bad input changes nothing. */
class BudgetCommandIT extends CurfewRuns {
    static final String WEDNESDAY = "2026-12-02T12:00:00Z";
    static final String WEEK = "2026-11-30";
    @TempDir
    Path dir;
    Path policy;

    @BeforeEach
    void writePolicy() throws Exception {
        policy = Files.writeString(dir.resolve("budget-policy.yaml"),
                "budgets:\n  weekly: 10.00\n  course: 40h\n  students: {alice: 15.00}\n");
    }

    @Override
    List<String> options() {
        return List.of("--endpoint-url", moto.endpoint(), "--region", EU, "--policy", policy.toString(), "--stack",
                "curfew-it");
    }

    /** {@code curfew budget} with the arguments given, on Wednesday of the week unless they say {@code --now}. */
    @Override
    int curfew(String... args) {
        List<String> all = new ArrayList<>(List.of("budget"));
        all.addAll(List.of(args));
        if (!all.contains("--now")) {
            all.addAll(List.of("--now", WEDNESDAY));
        }
        return super.curfew(all.toArray(String[]::new));
    }

    TopUp stored() {
        return new BudgetRecords(clients.ssm(EU), "curfew-it").topUp(WEEK, "alice");
    }

    @Test
    void aTopUpAddsUpForTheWeekAndIsListed() {
        assertThat(curfew("--student", "alice", "--add", "5", "--json")).as(err).isZero();
        assertThat(out).contains("\"week\": \"2026-11-30\"").contains("\"added\": \"5.00\"")
                .contains("\"weekly\": \"20.00\"");
        assertThat(curfew("--student", "Alice", "--add", "$2.50")).as(err).isZero();
        assertThat(out).contains("topped up Alice by $2.50").contains("weekly budget $22.50");
        assertThat(curfew("--student", "alice", "--add", "3h")).as(err).isZero();
        assertThat(out).contains("course budget 43 h");
        assertThat(stored()).isEqualTo(new TopUp(7.5, 3));
        assertThat(clients.ssm(EU).getParameter(b -> b.name("/curfew/curfew-it/budget/top-up/2026-11-30/alice"))
                .parameter().value()).isEqualTo("dollars=7.50 hours=3.00");

        assertThat(curfew("--json")).as(err).isZero();
        assertThat(out).contains("\"student\": \"alice\"").contains("\"weekly\": \"22.50\"")
                .contains("\"course\": \"43h\"").contains("\"overBudget\": false");
        assertThat(curfew()).as(err).isZero();
        assertThat(out).contains("weekly $10.00, course 40 h per student").contains("alice")
                .contains("+$7.50 and +3 h");
        assertThat(curfew("--now", "2026-12-07T00:00:00Z", "--json")).isZero();
        assertThat(out).as("a new week starts without the top-up").contains("\"weekly\": \"15.00\"");
    }

    @Test
    void badInputNamesTheFieldAndChangesNothing() {
        assertThat(curfew("--student", "alice", "--add", "ten")).isEqualTo(2);
        assertThat(err).contains("--add \"ten\" is not an amount");
        assertThat(curfew("--student", "alice", "--add", "-5")).isEqualTo(2);
        assertThat(err).contains("--add");
        assertThat(curfew("--student", "alice", "--add", "0")).isEqualTo(2);
        assertThat(curfew("--add", "5")).isEqualTo(2);
        assertThat(err).contains("--add needs --student");
        assertThat(curfew("--student", "al ice!", "--add", "5")).isEqualTo(2);
        assertThat(err).contains("--student \"al ice!\" is not an owner name");
        assertThat(curfew("--student", "alice", "--add", "5", "--now", "yesterday")).isEqualTo(2);
        assertThat(err).contains("--now \"yesterday\" is not an ISO-8601 instant");
        assertThat(stored()).as("nothing was written").isEqualTo(TopUp.NONE);
        assertThat(clients.ssm(EU).getParametersByPath(b -> b.path("/curfew").recursive(true)).parameters())
                .isEmpty();
    }
}
