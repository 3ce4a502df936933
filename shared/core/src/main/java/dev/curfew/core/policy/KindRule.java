package dev.curfew.core.policy;

import dev.curfew.core.plan.Action;
import java.time.Duration;

/**
 * The policy's rule for one registered resource kind ({@code rules.<key>} of the policy): on or off, how long to
 * wait (a grace period or an age, as the kind names it; zero acts at once), and what to do.
 */
public record KindRule(boolean enabled, Duration after, Action action) {
}
