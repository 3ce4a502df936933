package dev.curfew.core.model;

import java.time.DateTimeException;
import java.util.function.Function;

/** Tag values that are days or instants (a keep tag's date, {@code curfew:created-at}): anyone may write them. */
public final class TagValues {
    private TagValues() {
    }

    /** {@code value}, trimmed, read by {@code parse}; null when there is none or it is not one. */
    public static <T> T parsed(String value, Function<String, T> parse) {
        if (value == null) {
            return null;
        }
        try {
            return parse.apply(value.trim());
        } catch (DateTimeException e) {
            return null;
        }
    }
}
