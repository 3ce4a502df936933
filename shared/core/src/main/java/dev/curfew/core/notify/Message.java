package dev.curfew.core.notify;

import java.util.List;
import java.util.Map;

/**
 * A digest rendered for every channel: the email's subject, plain-text and HTML parts, and the Slack payloads
 * (already split under Slack's limits: each is one message).
 */
public record Message(Digest digest, String subject, String text, String html, List<Map<String, Object>> slack) {
    public Message {
        slack = List.copyOf(slack);
    }
}
