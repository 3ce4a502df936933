package dev.curfew.core.policy;

import java.time.LocalDate;

/**
 * An allow-list entry: a resource id or a Name tag value, kept forever ({@code until} null) or until a day ends.
 */
public record AllowEntry(String match, LocalDate until) {
    public boolean forever() {
        return until == null;
    }
}
