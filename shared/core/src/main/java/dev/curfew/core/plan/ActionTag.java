package dev.curfew.core.plan;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;

/**
 * The tag written on an instance just before Curfew stops or terminates it: {@code curfew:action =
 * <stop|terminate>@<ISO-8601 instant>}. IAM lets the sweeper and the sentinel stop an instance only when it carries
 * {@code stop@...} and terminate one only when it carries {@code terminate@...} (template.yaml), so no stop or
 * terminate can happen without that record on the instance itself, and a student sees on a stopped instance what
 * stopped it and when.
 */
public final class ActionTag {
    public static final String TAG = dev.curfew.core.model.CurfewTags.ACTION;

    private ActionTag() {
    }

    /** @return the tag's value for an action taken at an instant (to the second) */
    public static String value(Action action, Instant at) {
        return action.wireName() + "@" + at.truncatedTo(ChronoUnit.SECONDS);
    }

    /** @return the tag as a one-entry map, the shape decisions carry */
    public static Map<String, String> of(Action action, Instant at) {
        return Map.of(TAG, value(action, at));
    }

    /** The IAM condition value that allows an action: {@code stop@*} or {@code terminate@*}. */
    public static String iamPattern(Action action) {
        return action.wireName() + "@*";
    }
}
