package dev.curfew.core.testing;

import java.util.Map;
import net.jqwik.api.statistics.Statistics;

/** What a property's tries must have covered, checked through jqwik's statistics. */
public final class Coverage {
    private Coverage() {
    }

    /**
     * Fails the property unless each value collected under {@code label} came up more often than its minimum.
     *
     * @param minimums each value and the count it must exceed
     */
    public static void moreThan(String label, Map<?, Integer> minimums) {
        Statistics.label(label).coverage(c -> minimums.forEach((value, min) -> c.check(value).count(n -> n > min)));
    }
}
