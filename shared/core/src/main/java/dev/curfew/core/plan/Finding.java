package dev.curfew.core.plan;

import java.util.Map;

/**
 * A rule that matched a resource: which rule, the action it asks for, a one-line summary a student can read, and
 * the evidence (numbers, times) behind it.
 */
public record Finding(String rule, Action action, String summary, Map<String, String> evidence) {
    public Finding {
        evidence = evidence == null ? Map.of() : Map.copyOf(evidence);
    }
}
