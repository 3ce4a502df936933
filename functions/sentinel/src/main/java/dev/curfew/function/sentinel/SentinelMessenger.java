package dev.curfew.function.sentinel;

/**
 * Where the sentinel's messages go. Today only {@link LogMessenger} (the message is written to the function's log);
 * the notifier of shared/aws (Slack, SES, the roster) is to be wired behind this interface.
 */
public interface SentinelMessenger {
    /** Sends the message; returns what became of it ({@code logged}, {@code sent}, {@code failed: ...}). */
    String send(SentinelMessage m);
}
