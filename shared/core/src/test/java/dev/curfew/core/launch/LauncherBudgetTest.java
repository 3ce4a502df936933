package dev.curfew.core.launch;

import static dev.curfew.core.launch.LaunchWorld.body;
import static org.assertj.core.api.Assertions.assertThat;

import dev.curfew.core.budget.OverBudget;
import dev.curfew.core.budget.TopUp;
import dev.curfew.core.spend.Spend;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A student recorded over budget this course week is refused a new launch until the budget is raised. */
class LauncherBudgetTest {
    /** The course week of LaunchWorld.NOW (2026-11-25, a Wednesday) in Europe/Amsterdam starts on Monday 23 Nov. */
    static final String WEEK = "2026-11-23";
    static final Spend OVER = new Spend("alice", Instant.parse("2026-11-22T23:00:00Z"), 10.40, 10.40, 30, 30,
            Spend.Source.ESTIMATE);

    static LaunchWorld world(String budgets) {
        LaunchWorld w = new LaunchWorld();
        w.policyText = LaunchWorld.POLICY + "budgets: " + budgets + "\n";
        return w;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> json(HttpAnswer a) {
        return (Map<String, Object>) JsonBody.parse(a.body());
    }

    @Test
    void aStudentOverBudgetIsRefusedWithTheFiguresAndNothingIsCreated() {
        LaunchWorld w = world("{weekly: 10.00}");
        w.cloud.budgets.put("alice/" + WEEK, new OverBudget.Records(OVER, TopUp.NONE));
        HttpAnswer a = w.launch(body("t3.micro", 2, "alice-key"));
        assertThat(a.status()).as(a.body()).isEqualTo(403);
        Map<String, Object> j = json(a);
        assertThat(String.valueOf(j)).contains("over-budget").contains("this week: $10.40 of your $10.00")
                .contains("Mon 30 Nov 00:00 Europe/Amsterdam").contains("weekEnds=2026-11-29T23:00:00Z").contains("weekLimit=10").contains("weekSpent=10.4");
        assertThat(w.cloud.changes).as("nothing was created").isEmpty();
    }

    @Test
    void aTopUpOrARaisedBudgetLetsThemLaunchAtOnceAndSoDoesANewWeek() {
        LaunchWorld topped = world("{weekly: 10.00}");
        topped.cloud.budgets.put("alice/" + WEEK, new OverBudget.Records(OVER, new TopUp(5, 0)));
        assertThat(topped.launch(body("t3.micro", 2, "alice-key")).status()).isEqualTo(201);

        LaunchWorld raised = world("{weekly: 10.00, students: {alice: 12.00}}");
        raised.cloud.budgets.put("alice/" + WEEK, new OverBudget.Records(OVER, TopUp.NONE));
        assertThat(raised.launch(body("t3.micro", 2, "alice-key")).status()).isEqualTo(201);

        LaunchWorld lastWeek = world("{weekly: 10.00}");
        lastWeek.cloud.budgets.put("alice/2026-11-16", new OverBudget.Records(OVER, TopUp.NONE));
        assertThat(lastWeek.launch(body("t3.micro", 2, "alice-key")).status()).isEqualTo(201);

        LaunchWorld noBudgets = new LaunchWorld();
        noBudgets.cloud.budgets.put("alice/" + WEEK, new OverBudget.Records(OVER, TopUp.NONE));
        assertThat(noBudgets.launch(body("t3.micro", 2, "alice-key")).status()).as("budgets removed").isEqualTo(201);
    }
}
