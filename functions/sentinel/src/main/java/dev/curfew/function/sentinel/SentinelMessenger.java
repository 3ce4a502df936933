package dev.curfew.function.sentinel;

/**
 * Where every sentinel message is recorded before it is delivered: {@link LogMessenger} writes it to the function's
 * log. Delivery to people (Slack, email, the roster) is the {@link dev.curfew.aws.notify.Notifier}, driven by the
 * policy's notifications.
 */
public interface SentinelMessenger {
    /** Sends the message; returns what became of it ({@code logged}, {@code sent}, {@code failed: ...}). */
    String send(SentinelMessage m);
}
