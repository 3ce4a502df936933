package dev.curfew.core.notify;

import java.util.regex.Pattern;

/** Renders a digest for every channel. */
public final class Renderer {
    private static final Pattern SLACK_MEMBER = Pattern.compile("[UW][A-Z0-9]{2,20}");

    private Renderer() {
    }

    public static Message render(Digest d) {
        Templates t = Templates.get();
        String base = d.accounts() != null ? "accounts" : d.unreachable() != null ? "unreachable"
                : d.notice() != null ? "notice" : d.isSummary() ? "summary" : "digest";
        String html = t.render(base + ".html.mustache", Templates.Escape.HTML, d);
        String text = t.render(base + ".txt.mustache", Templates.Escape.NONE, d).replaceAll("\n{3,}", "\n\n");
        String id = d.to().slackId();
        String mention = id != null && SLACK_MEMBER.matcher(id).matches() ? "<@" + id + ">" : "";
        return new Message(d, d.subject(), text, html, SlackLayout.messages(d, mention));
    }

    /** The same digest for a direct message: no mention (the message is already to them). */
    public static Message renderDirect(Digest d) {
        Message m = render(d);
        return new Message(d, m.subject(), m.text(), m.html(), SlackLayout.messages(d, ""));
    }
}
