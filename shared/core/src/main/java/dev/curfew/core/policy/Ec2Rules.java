package dev.curfew.core.policy;

import dev.curfew.core.plan.Action;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The EC2 instance rules of a policy: the registry's instance kind reads them ({@code InstanceRules}) and holds them
 * in its {@link KindRule}'s fields, by their policy keys.
 */
public record Ec2Rules(Idle idle, Forgotten forgotten, Stopped stopped) {
    public static final String IDLE = "ec2-idle";
    public static final String FORGOTTEN = "ec2-forgotten";
    public static final String STOPPED = "ec2-stopped";

    /** The three rules as one kind's rule: always on (each rule switches itself), no wait of its own. */
    public KindRule asKindRule() {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put(IDLE, idle);
        fields.put(FORGOTTEN, forgotten);
        fields.put(STOPPED, stopped);
        return new KindRule(true, Duration.ZERO, Action.NOTIFY, fields);
    }

    /** The three rules held by the instance kind's rule ({@link #asKindRule()}). */
    public static Ec2Rules of(KindRule r) {
        return new Ec2Rules((Idle) r.options().get(IDLE), (Forgotten) r.options().get(FORGOTTEN),
                (Stopped) r.options().get(STOPPED));
    }

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
