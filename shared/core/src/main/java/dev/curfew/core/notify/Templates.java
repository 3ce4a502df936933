package dev.curfew.core.notify;

import com.github.mustachejava.DefaultMustacheFactory;
import com.github.mustachejava.Mustache;
import com.github.mustachejava.MustacheException;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The message templates (Mustache, in {@code dev/curfew/core/notify/}), each compiled once, with the escaping
 * its output needs: HTML for email, Slack's three characters ({@code & < >}) for mrkdwn, none for plain text.
 * Every value that comes from a tag or a name passes through {@code {{...}}} and so is escaped; only text the
 * code builds from checked values (a {@code <@U123>} mention) uses {@code {{{...}}}}.
 */
public final class Templates {
    private static final String ROOT = "dev/curfew/core/notify";

    public enum Escape { HTML, SLACK, NONE }

    private static final Templates INSTANCE = new Templates();

    private final ConcurrentHashMap<String, Mustache> compiled = new ConcurrentHashMap<>();
    private final DefaultMustacheFactory html = new DefaultMustacheFactory(ROOT);
    private final DefaultMustacheFactory slack = new DefaultMustacheFactory(ROOT) {
        @Override
        public void encode(String value, Writer writer) {
            try {
                writer.write(slackEscape(value));
            } catch (IOException e) {
                throw new MustacheException("cannot write", e);
            }
        }
    };
    private final DefaultMustacheFactory none = new DefaultMustacheFactory(ROOT) {
        @Override
        public void encode(String value, Writer writer) {
            try {
                writer.write(value);
            } catch (IOException e) {
                throw new MustacheException("cannot write", e);
            }
        }
    };

    private Templates() {
    }

    public static Templates get() {
        return INSTANCE;
    }

    /** Renders a template with scopes searched last to first (a value in a later scope hides an earlier one). */
    public String render(String name, Escape escape, Object... scopes) {
        Mustache m = compiled.computeIfAbsent(escape + ":" + name, k -> factory(escape).compile(name));
        StringWriter w = new StringWriter();
        try {
            m.execute(w, List.of(scopes)).flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return w.toString();
    }

    private DefaultMustacheFactory factory(Escape e) {
        return switch (e) {
            case HTML -> html;
            case SLACK -> slack;
            case NONE -> none;
        };
    }

    /** Slack's mrkdwn escaping: exactly {@code &}, {@code <} and {@code >}. */
    public static String slackEscape(String s) {
        if (s == null) {
            return "";
        }
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
