package dev.curfew.core.plan;

import java.time.DateTimeException;
import java.time.Instant;

/** A mark: the tag {@code curfew:pending = <action>@<ISO-8601 instant>}, an action due at that instant. */
public record Mark(Action action, Instant due) {
    public static final String TAG = dev.curfew.core.model.CurfewTags.PENDING;

    /** @return the mark, or null when the value is missing or not a mark */
    public static Mark parse(String value) {
        if (value == null) {
            return null;
        }
        int at = value.indexOf('@');
        if (at <= 0) {
            return null;
        }
        Action a = Action.fromWire(value.substring(0, at).trim());
        if (a == null) {
            return null;
        }
        try {
            return new Mark(a, Instant.parse(value.substring(at + 1).trim()));
        } catch (DateTimeException e) {
            return null;
        }
    }

    public String value() {
        return action.wireName() + "@" + due;
    }
}
