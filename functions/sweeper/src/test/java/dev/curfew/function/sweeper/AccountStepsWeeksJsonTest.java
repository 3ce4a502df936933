package dev.curfew.function.sweeper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.curfew.core.accounts.AccountFigures;
import dev.curfew.core.accounts.AccountRun;
import dev.curfew.core.accounts.AccountTarget;
import dev.curfew.core.spend.ClosedWeeks;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The course weeks over in the accounts steps' JSON: the list step names them in each TARGET ({@code weeksOver}),
 * each worker's row carries its figures of them ({@code weeks}) and reads back; a wrong shape names the field; the
 * largest class account's row with its figures of 3 weeks stays under the 256 KB a state's result holds.
 */
class AccountStepsWeeksJsonTest {
    static final AccountTarget HOME = StateMachineDefinitionTest.HOME;

    @Test
    void theWeeksOverGoToEachTargetAndReadBack() {
        Map<String, Object> listed = AccountStepsJson.listed("curfew", java.time.Instant.parse(
                "2026-11-23T18:00:00Z"), "c", "enforce", 10, List.of(HOME, new AccountTarget("111111111111", "alice",
                AccountTarget.Source.ROSTER)), List.of());
        AccountStepsJson.putWeeksOver(listed, List.of(LocalDate.parse("2026-11-16")));
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> items = (List<Map<String, Object>>) listed.get("accounts");
        assertThat(items).allSatisfy(t -> assertThat(AccountStepsJson.weeksOver(StateMachineDefinitionTest.roundTrip(
                t), "target")).containsExactly(LocalDate.parse("2026-11-16")));
        assertThat(AccountStepsJson.weeksOver(AccountStepsJson.target(HOME), "target")).isEmpty();

        Map<String, Object> bad = new LinkedHashMap<>(AccountStepsJson.target(HOME));
        bad.put("weeksOver", List.of("last week"));
        assertThatThrownBy(() -> AccountStepsJson.weeksOver(bad, "target"))
                .hasMessageContaining("target.weeksOver has \"last week\"; expected a date YYYY-MM-DD");
        bad.put("weeksOver", List.of("2026-11-02", "2026-11-09", "2026-11-16", "2026-11-23"));
        assertThatThrownBy(() -> AccountStepsJson.weeksOver(bad, "target")).hasMessageContaining("at most 3");
    }

    @Test
    void moreOwnersInAWeekThanARowCarriesBecomeANoteAndTheWeekStaysOpen() throws Exception {
        Map<String, ClosedWeeks.Figures> byOwner = new TreeMap<>();
        for (int i = 0; i <= AccountStepsJson.MAX_WEEK_OWNERS; i++) {
            byOwner.put("o" + i + "y".repeat(250), new ClosedWeeks.Figures(1, 2));
        }
        AccountTarget unnamed = new AccountTarget("333333333333", null, AccountTarget.Source.ORGANIZATION);
        AccountRun run = AccountRun.swept(unnamed, StateMachineDefinitionTest.report(unnamed.account(), 1))
                .withFigures(new AccountFigures(List.of(), null, List.of(), List.of(new AccountFigures.Week(
                        "2026-11-16", byOwner, null))));
        Map<String, Object> row = StateMachineDefinitionTest.roundTrip(AccountStepsJson.row(run,
                AccountSteps.where(null, unnamed)));

        AccountFigures.Week back = AccountStepsJson.run(row).figures().weeks().get(0);
        assertThat(back.byOwner()).isEmpty();
        assertThat(back.note()).isEqualTo("201 owners spent in it, more than the 200 an account's result carries");
        assertThat(io.micronaut.json.JsonMapper.createDefault().writeValueAsBytes(row).length).isLessThan(8 * 1024);
    }

    @Test
    void aRowsWeeksReadBackAndTheLargestRowStaysUnderTheStateLimit() throws Exception {
        List<dev.curfew.core.spend.Spend> spend = new java.util.ArrayList<>();
        List<dev.curfew.core.page.ClassPage.Student> students = new java.util.ArrayList<>();
        String longName = "x".repeat(500);
        Map<String, ClosedWeeks.Figures> byOwner = new TreeMap<>();
        for (int i = 0; i < 200; i++) {
            String who = "student" + i + longName.substring(0, 40);
            spend.add(new dev.curfew.core.spend.Spend(who, java.time.Instant.parse("2026-11-23T00:00:00Z"), 1.25, 3.5,
                    2, 4, dev.curfew.core.spend.Spend.Source.ESTIMATE));
            students.add(new dev.curfew.core.page.ClassPage.Student("student" + i, null,
                    java.util.Collections.nCopies(20, new dev.curfew.core.page.ClassPage.Entry(longName, longName,
                            longName, false)), List.of(), List.of(), 1, null, null));
            byOwner.put(who, new ClosedWeeks.Figures(123.456789, 1234.5));
        }
        List<AccountFigures.Week> weeks = List.of(new AccountFigures.Week("2026-11-02", byOwner, null),
                new AccountFigures.Week("2026-11-09", byOwner, null),
                new AccountFigures.Week("2026-11-16", Map.of(), "the run records could not be read"));
        AccountRun run = AccountRun.swept(HOME, StateMachineDefinitionTest.report(HOME.account(), 5000)).withFigures(
                new AccountFigures(spend, null, students, weeks));
        Map<String, Object> row = StateMachineDefinitionTest.roundTrip(AccountStepsJson.row(run,
                AccountSteps.where(null, HOME)));

        assertThat(io.micronaut.json.JsonMapper.createDefault().writeValueAsBytes(row).length)
                .isLessThan(240 * 1024);
        assertThat(AccountStepsJson.run(row).figures().weeks()).isEqualTo(weeks);

        @SuppressWarnings("unchecked")
        Map<String, Object> week = ((List<Map<String, Object>>) row.get("weeks")).get(0);
        week.put("spent", Map.of("alice", "lots"));
        assertThatThrownBy(() -> AccountStepsJson.run(row)).hasMessageContaining("weeks[].spent.alice is \"lots\"");
    }
}
