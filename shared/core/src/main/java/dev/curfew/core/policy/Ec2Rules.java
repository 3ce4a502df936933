package dev.curfew.core.policy;

import dev.curfew.core.plan.Action;
import java.time.Duration;

/** The EC2 instance rules of a policy. */
public record Ec2Rules(Idle idle, Forgotten forgotten, Stopped stopped) {

    /**
     * Idle: over the window, average CPU below {@code cpuBelowPercent} and NetworkIn+NetworkOut below
     * {@code networkBelowBytes}. An instance with no datapoints, or younger than the window, is not idle.
     */
    public record Idle(boolean enabled, double cpuBelowPercent, long networkBelowBytes, Duration window,
                       Action action) {
    }

    /**
     * Forgotten: running past its expiry tag, or longer than {@code maxLifetime} (null: no limit), or (with
     * {@code atCurfew}) still running since before the latest curfew.
     */
    public record Forgotten(boolean enabled, String expiresTag, Duration maxLifetime, boolean atCurfew,
                            Action action) {
    }

    /** Stopped too long: stopped instances still cost EBS storage. */
    public record Stopped(boolean enabled, Duration longerThan, Action action) {
    }
}
