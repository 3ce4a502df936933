package dev.curfew.function.sweeper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The sweeper's own settings, as the template's environment (or a test) gives them. */
class SweeperConfigTest {
    @Test
    void aSweepLockLifetimeOutsideOneSecondToAnHourIsRefusedNamingTheVariable() {
        assertThat(new SweeperConfig(null, null, 330).lockLifetime()).isEqualTo(Duration.ofSeconds(330));
        assertThat(new SweeperConfig(null, null, 1).lockLifetime()).isEqualTo(Duration.ofSeconds(1));
        for (int bad : new int[] {0, -5, 3601}) {
            assertThatThrownBy(() -> new SweeperConfig(null, null, bad))
                    .hasMessage("CURFEW_SWEEPER_LOCK_SECONDS (curfew.sweeper.lock-seconds) is " + bad
                            + "; expected 1 to 3600 seconds");
        }
    }

    @Test
    void studentAccountsAreNoneOrEnrolledAndAnythingElseIsRefusedNamingTheVariable() {
        assertThat(new SweeperConfig(null, null, 330, 30, "enrolled").studentAccountsEnrolled()).isTrue();
        assertThat(new SweeperConfig(null, null, 330, 30, "none").studentAccountsEnrolled()).isFalse();
        assertThat(new SweeperConfig(null, null, 330, 30).studentAccountsEnrolled()).isFalse();
        assertThatThrownBy(() -> new SweeperConfig(null, null, 330, 30, "all")).hasMessage(
                "CURFEW_STUDENT_ACCOUNTS (curfew.student-accounts) is \"all\"; expected none or enrolled");
    }

    @Test
    void runRecordsAreKeptAtLeast35DaysWhateverTheToldRetention() {
        assertThat(new SweeperConfig(null, null, 330, 0).runsRetention()).isEqualTo(Duration.ofDays(35));
        assertThat(new SweeperConfig(null, null, 330, 27).runsRetention()).isEqualTo(Duration.ofDays(35));
        assertThat(new SweeperConfig(null, null, 330, 90).runsRetention()).isEqualTo(Duration.ofDays(90));
    }

    @Test
    void aRetentionOfTheSentinelsRecordsOutsideZeroToTenYearsIsRefusedNamingTheVariable() {
        assertThat(new SweeperConfig(null, null, 330).toldRetention()).isEqualTo(Duration.ofDays(30));
        assertThat(new SweeperConfig(null, null, 330, 0).toldRetention()).isEqualTo(Duration.ZERO);
        for (int bad : new int[] {-1, 3651}) {
            assertThatThrownBy(() -> new SweeperConfig(null, null, 330, bad))
                    .hasMessage("CURFEW_SWEEPER_TOLD_RETENTION_DAYS (curfew.sweeper.told-retention-days) is " + bad
                            + "; expected 0 to 3650 days");
        }
    }
}
