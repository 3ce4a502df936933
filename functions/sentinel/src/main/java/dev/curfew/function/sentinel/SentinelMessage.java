package dev.curfew.function.sentinel;

/**
 * One message the sentinel sends.
 *
 * @param kind    {@code welcome}, {@code launch-limits} or {@code spot-interruption}
 * @param to      the owner (the {@code curfew:owner} value), or {@code instructor} when the owner is not known
 * @param subject a one-line summary (the email subject)
 * @param text    the message as plain text (rendered from the notification templates, as its email's text part)
 * @param eventId the EventBridge event that caused it
 * @param dryRun  the policy was in dry-run when it was sent
 */
public record SentinelMessage(String kind, String to, String subject, String text, String eventId, boolean dryRun) {
}
