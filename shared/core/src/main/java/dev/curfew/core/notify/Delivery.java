package dev.curfew.core.notify;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One message to one person over one channel, and what became of it.
 *
 * @param to      the owner the message is for, or {@code instructor}
 * @param message {@code warning}, {@code after-action}, {@code summary}, or after a sweep of many accounts
 *                {@code accounts-summary} or {@code unreachable} ({@link AccountDigests})
 * @param channel {@code slack-webhook}, {@code slack-dm} or {@code email}
 * @param address where it went: an email address, a Slack member id, or {@code channel} for the webhook's
 *                channel (the webhook URL itself is a secret and is never shown)
 * @param items   how many resources the message lists
 * @param detail  for a failure, why (as the service said it); for a skip, why
 */
public record Delivery(String to, String message, String channel, String address, int items, Status status,
                       String detail) {

    public enum Status {
        /** Delivered (Slack answered ok, SES accepted it). */
        SENT,
        /** Tried and refused or failed; detail says why. */
        FAILED,
        /** Not tried: no channel for this person, or students are not messaged in dry-run; detail says why. */
        SKIPPED,
        /** Dry-run: would have been sent. */
        WOULD_SEND;

        public String wireName() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("to", to);
        m.put("message", message);
        m.put("channel", channel);
        m.put("address", address);
        m.put("items", items);
        m.put("status", status.wireName());
        m.put("detail", detail);
        return m;
    }
}
