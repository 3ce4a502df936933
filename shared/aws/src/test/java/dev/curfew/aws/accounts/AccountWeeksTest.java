package dev.curfew.aws.accounts;

import static org.assertj.core.api.Assertions.assertThat;

import dev.curfew.core.spend.ClosedWeeks;
import java.time.LocalDate;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The weeks a pass leaves open for good: said loudly on the last pass that could still close them. */
class AccountWeeksTest {
    static final LocalDate MONDAY = LocalDate.parse("2026-11-30");

    @Test
    void theLastPassThatCanCloseAWeekSaysItWillNeverBeClosed() {
        Map<LocalDate, String> open = new TreeMap<>();
        LocalDate last = MONDAY.minusWeeks(ClosedWeeks.WEEKS_BACK);
        open.put(last, "its figures are not all in: account 222222222222 was not swept (unreachable)");
        open.put(MONDAY.minusWeeks(1), "its figures are not all in: the same");

        assertThat(AccountWeeks.neverClosed(open, MONDAY)).containsExactly("the week of 2026-11-09 will never be "
                + "closed: its figures are not all in: account 222222222222 was not swept (unreachable); its figures "
                + "drop out of the course totals");
    }

    @Test
    void aWeekThatALaterPassCanStillCloseIsNotSaidLost() {
        Map<LocalDate, String> open = new TreeMap<>();
        for (int back = 1; back < ClosedWeeks.WEEKS_BACK; back++) {
            open.put(MONDAY.minusWeeks(back), "why");
        }
        assertThat(AccountWeeks.neverClosed(open, MONDAY)).isEmpty();
    }
}
