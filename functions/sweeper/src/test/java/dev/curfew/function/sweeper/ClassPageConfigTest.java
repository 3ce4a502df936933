package dev.curfew.function.sweeper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ClassPageConfigTest {
    @Test
    void theLinkWorksOneHourToSevenDaysAndNoBucketMeansNoPage() {
        assertThat(new ClassPageConfig(" ", 12).bucket()).isNull();
        assertThat(new ClassPageConfig("pages", 1).linkLifetime()).isEqualTo(Duration.ofHours(1));
        assertThat(new ClassPageConfig("pages", 168).linkLifetime()).isEqualTo(Duration.ofDays(7));
        for (int bad : new int[] {0, -1, 169}) {
            assertThatThrownBy(() -> new ClassPageConfig("pages", bad))
                    .hasMessage("CURFEW_PAGE_LINK_HOURS (curfew.page-link-hours) is " + bad + "; expected 1 to 168 "
                            + "hours (a presigned link works at most 7 days)");
        }
    }
}
