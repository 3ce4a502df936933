package dev.curfew.core.notify;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Owners (the {@code curfew:owner} tag: an IAM user or role session name) to the people behind them. Owners are
 * matched without regard to case, as IAM does. Rows that could not be read are left out and listed in
 * {@link #problems()}, each with its line; their owners' messages go to the instructor.
 */
public record Roster(String source, Map<String, Contact> byOwner, List<String> problems) {
    public Roster {
        Map<String, Contact> m = new LinkedHashMap<>();
        byOwner.forEach((k, v) -> m.put(k.toLowerCase(Locale.ROOT), v));
        byOwner = java.util.Collections.unmodifiableMap(m);
        problems = List.copyOf(problems);
    }

    public static Roster empty(String why) {
        return new Roster(null, Map.of(), why == null ? List.of() : List.of(why));
    }

    /** The contact for an owner tag, or null when the roster does not know it. */
    public Contact find(String owner) {
        return owner == null ? null : byOwner.get(owner.trim().toLowerCase(Locale.ROOT));
    }

    public int size() {
        return byOwner.size();
    }
}
