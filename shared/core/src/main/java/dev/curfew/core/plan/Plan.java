package dev.curfew.core.plan;

import dev.curfew.core.policy.Mode;
import java.time.Instant;
import java.util.List;

/**
 * The decisions of one sweep. In dry-run the decisions say what would be done and nothing is done.
 *
 * @param breaker the circuit breaker: tripped when more destructive actions were planned than the policy allows
 */
public record Plan(Mode mode, Instant now, List<Decision> decisions, Breaker breaker) {
    public Plan {
        decisions = List.copyOf(decisions);
    }

    public record Breaker(boolean tripped, int planned, int limit) {
    }

    public List<Decision> destructive() {
        return decisions.stream().filter(Decision::destructive).toList();
    }
}
