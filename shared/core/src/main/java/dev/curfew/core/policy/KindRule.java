package dev.curfew.core.policy;

import dev.curfew.core.plan.Action;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The policy's rule for one registered resource kind ({@code rules.<key>} of the policy): on or off, how long to
 * wait (a grace period or an age, as the kind names it; zero acts at once), and what to do.
 *
 * @param options the kind's own further fields, by their policy name, in the order the policy documents them: a
 *                {@link Boolean} (a switch) or a {@code List<String>} (a list of texts). A kind's defaults name
 *                every field it has; the loader reads each as its default's type. A kind that reads its
 *                rule itself ({@code KindRules.read}: instances) keeps its own typed rules here
 */
public record KindRule(boolean enabled, Duration after, Action action, Map<String, Object> options) {

    public KindRule {
        options = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(options));
    }

    /** A rule with no further fields. */
    public KindRule(boolean enabled, Duration after, Action action) {
        this(enabled, after, action, Map.of());
    }

    /** A switch of the kind's own ({@code delete-bucket}). */
    public boolean flag(String name) {
        return (Boolean) option(name);
    }

    /** A list of texts of the kind's own ({@code name-prefixes}). */
    @SuppressWarnings("unchecked")
    public List<String> texts(String name) {
        return (List<String>) option(name);
    }

    private Object option(String name) {
        Object v = options.get(name);
        if (v == null) {
            throw new IllegalArgumentException("the rule has no field " + name + " (it has " + options.keySet() + ")");
        }
        return v;
    }
}
