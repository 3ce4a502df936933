package dev.curfew.core.spend;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.AlphaChars;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;

/** How a spend note grows: each part said once, in order, and never ".;" after a sentence. */
class ClassSpendNoteTest {
    static final Instant MONDAY = Instant.parse("2026-11-23T00:00:00Z");

    static ClassSpend noted(String note) {
        return new ClassSpend(MONDAY, MONDAY.plusSeconds(3600), Map.of(), null, List.of(), note, Map.of());
    }

    @Test
    void afterASentenceTheNextPartIsANewSentence() {
        // Cost Explorer failed (Spending.billed), then the top-ups could not be read (Spending.budgeted)
        assertThat(noted("Cost Explorer could not be read (AccessDenied): Curfew's estimate is shown instead.")
                .withNoteAdded("budgets: this week's top-ups could not be read (Throttling), so the figures are "
                        + "shown without budgets").note())
                .isEqualTo("Cost Explorer could not be read (AccessDenied): Curfew's estimate is shown instead. "
                        + "Budgets: this week's top-ups could not be read (Throttling), so the figures are shown "
                        + "without budgets");
    }

    @Test
    void otherwiseThePartsAreJoinedWithASemicolon() {
        assertThat(noted("budgets: this week's top-ups could not be read (Throttling), so the figures are shown "
                + "without budgets").withNoteAdded("the week of 2026-11-16 is not closed: AccessDenied").note())
                .isEqualTo("budgets: this week's top-ups could not be read (Throttling), so the figures are shown "
                        + "without budgets; the week of 2026-11-16 is not closed: AccessDenied");
        assertThat(noted(null).withNoteAdded("the course totals are partial").note())
                .isEqualTo("the course totals are partial");
        assertThat(noted("first").withNoteAdded(null).note()).isEqualTo("first");
    }

    @Property(tries = 200)
    void neverASemicolonAfterAFullStopAndEveryPartKept(@ForAll @AlphaChars @StringLength(min = 1, max = 12) String a,
                                                       @ForAll @AlphaChars @StringLength(min = 1, max = 12) String b,
                                                       @ForAll boolean sentence) {
        String first = a + (sentence ? "." : "");
        String joined = noted(first).withNoteAdded(b).note();
        assertThat(joined).doesNotContain(".;").startsWith(first);
        assertThat(joined.toLowerCase()).endsWith(b.toLowerCase());
        assertThat(joined).hasSize(first.length() + (sentence ? 1 : 2) + b.length());
    }
}
