package dev.curfew.core.policy;

/**
 * What the sentinel (the EventBridge-triggered function) does (the policy's {@code sentinel} section).
 *
 * @param enabled  false: the sentinel tags nothing and enforces nothing (events are logged and ignored)
 * @param action   what a running instance outside the {@code launcher} limits (a type not allowed, over a student's
 *                 cap) gets: {@code notify}, {@code stop} or {@code terminate}; stop and terminate need enforce mode
 * @param welcome  whether an owner seen for the first time gets a welcome message
 */
public record SentinelRules(boolean enabled, String action, boolean welcome) {
    public static final java.util.List<String> ACTIONS = java.util.List.of("notify", "stop", "terminate");

    public static SentinelRules defaults() {
        return new SentinelRules(true, "notify", true);
    }
}
