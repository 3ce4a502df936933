package dev.curfew.core.notify;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A digest as Slack Block Kit messages: a header, the intro, one section per resource, dividers; split so that
 * no message has more than {@value #MAX_BLOCKS} blocks and no section text more than {@value #MAX_SECTION}
 * characters (Slack's limits), each message with a plain {@code text} fallback for notifications.
 */
public final class SlackLayout {
    public static final int MAX_BLOCKS = 50;
    public static final int MAX_SECTION = 3000;
    public static final int MAX_HEADER = 150;
    /** Slack truncates a message's top-level text well before 40,000 characters; keep the fallback short. */
    public static final int MAX_FALLBACK = 3000;

    private SlackLayout() {
    }

    /** The blocks of a digest, unsplit. {@code mention} is {@code <@U123>} or empty. */
    public static List<Map<String, Object>> blocks(Digest d, String mention) {
        Templates t = Templates.get();
        Map<String, Object> extra = Map.of("mention", mention == null || mention.isEmpty() ? "" : mention + " ");
        List<Map<String, Object>> blocks = new ArrayList<>();
        blocks.add(header(d.subject()));
        if (d.accounts() != null) {
            blocks.addAll(sections(t.render("slack-accounts.mustache", Templates.Escape.SLACK, d, extra).strip()));
            if (d.accounts().hasProblems()) {
                blocks.add(divider());
                blocks.addAll(sections(tidy(t.render("slack-accounts-problems.mustache", Templates.Escape.SLACK,
                        d))));
            }
            blocks.add(divider());
            blocks.addAll(sections(tidy(t.render("slack-accounts-lines.mustache", Templates.Escape.SLACK, d))));
            if (d.accounts().hasSpend()) {
                spend(blocks, t, d, "*Spent* (every account together)", d.accounts().spend(),
                        d.accounts().spendNote());
            }
            blocks.add(context("Savings are estimates. Out of scope: resources in a student's own account created "
                    + "before enrolment, left alone. Times are in the course's time zone."));
            return blocks;
        }
        if (d.unreachable() != null) {
            blocks.addAll(sections(tidy(t.render("slack-unreachable.mustache", Templates.Escape.SLACK, d, extra))));
            blocks.add(context("You get this message once per curfew while Curfew cannot reach your account."));
            return blocks;
        }
        if (d.notice() != null) {
            blocks.addAll(sections(tidy(t.render("slack-notice.mustache", Templates.Escape.SLACK, d, extra))));
            blocks.add(context("Times are in the course's time zone."));
            return blocks;
        }
        if (d.isSummary()) {
            blocks.addAll(sections(t.render("slack-summary.mustache", Templates.Escape.SLACK, d, extra)));
            List<Digest.Student> students = d.summary().students();
            if (!students.isEmpty()) {
                blocks.add(divider());
                StringBuilder b = new StringBuilder();
                for (Digest.Student s : students) {
                    b.append(t.render("slack-student.mustache", Templates.Escape.SLACK, d, s));
                }
                blocks.addAll(sections(b.toString().strip()));
            }
            if (d.summary().hasSpend()) {
                spend(blocks, t, d, "*Spent*", d.summary().spend(), d.summary().spendNote());
            }
            List<String> problems = new ArrayList<>();
            d.summary().failures().forEach(l -> problems.add("• " + Templates.slackEscape(l.what() + " ("
                    + l.owner() + "): " + l.verb() + ": " + l.detail())));
            d.summary().deliveryProblems().forEach(p -> problems.add("• " + Templates.slackEscape(p)));
            d.summary().rosterProblems().forEach(p -> problems.add("• " + Templates.slackEscape(p)));
            if (!problems.isEmpty()) {
                blocks.add(divider());
                blocks.addAll(sections("*Problems*\n" + String.join("\n", problems)));
            }
        } else {
            blocks.addAll(sections(t.render("slack-intro.mustache", Templates.Escape.SLACK, d, extra).strip()));
            for (Digest.Line line : d.lines()) {
                blocks.add(divider());
                blocks.addAll(sections(t.render("slack-line.mustache", Templates.Escape.SLACK, d, line).strip()));
            }
            if (d.total() != null) {
                blocks.add(context("Together these cost about " + Templates.slackEscape(d.total())
                        + " while they stay. Times are in the course's time zone."));
            }
        }
        return blocks;
    }

    /** The spend table of a summary: a divider, a titled section of rows, the note as context. */
    private static void spend(List<Map<String, Object>> blocks, Templates t, Digest d, String title,
                              List<Digest.SpendRow> rows, String note) {
        blocks.add(divider());
        StringBuilder b = new StringBuilder(title).append('\n');
        for (Digest.SpendRow s : rows) {
            b.append(t.render("slack-spend.mustache", Templates.Escape.SLACK, d, s));
        }
        blocks.addAll(sections(b.toString().strip()));
        blocks.add(context(Templates.slackEscape(note)));
    }

    /** Template output as one block of text: no blank lines run together, nothing around it. */
    private static String tidy(String s) {
        return s.replaceAll("\n{3,}", "\n\n").strip();
    }

    /** The digest as Slack messages (payloads for chat.postMessage or a webhook), split under Slack's limits. */
    public static List<Map<String, Object>> messages(Digest d, String mention) {
        List<Map<String, Object>> blocks = blocks(d, mention);
        List<List<Map<String, Object>>> pages = paginate(blocks, MAX_BLOCKS);
        List<Map<String, Object>> out = new ArrayList<>();
        for (int i = 0; i < pages.size(); i++) {
            Map<String, Object> msg = new LinkedHashMap<>();
            String part = pages.size() == 1 ? "" : " (" + (i + 1) + "/" + pages.size() + ")";
            msg.put("text", truncate((mention == null || mention.isEmpty() ? "" : mention + " ")
                    + Templates.slackEscape(d.subject()) + part, MAX_FALLBACK));
            msg.put("blocks", pages.get(i));
            msg.put("unfurl_links", false);
            out.add(msg);
        }
        return out;
    }

    /**
     * Splits blocks into messages of at most {@code max} blocks; a divider is never left at the start or end of
     * a message, and continuation messages start with a context line saying so.
     */
    static List<List<Map<String, Object>>> paginate(List<Map<String, Object>> blocks, int max) {
        List<List<Map<String, Object>>> pages = new ArrayList<>();
        List<Map<String, Object>> page = new ArrayList<>();
        for (Map<String, Object> b : blocks) {
            if (page.size() == max) {
                trimDividers(page);
                pages.add(page);
                page = new ArrayList<>();
                page.add(context("continued"));
            }
            if (page.size() <= 1 && "divider".equals(b.get("type")) && !pages.isEmpty()) {
                continue;
            }
            page.add(b);
        }
        trimDividers(page);
        if (!page.isEmpty()) {
            pages.add(page);
        }
        return pages;
    }

    private static void trimDividers(List<Map<String, Object>> page) {
        while (!page.isEmpty() && "divider".equals(page.get(page.size() - 1).get("type"))) {
            page.remove(page.size() - 1);
        }
    }

    /** One or more section blocks: text over the limit is split at line breaks (or hard, for a single long line). */
    static List<Map<String, Object>> sections(String mrkdwn) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (String chunk : chunks(mrkdwn, MAX_SECTION)) {
            out.add(section(chunk));
        }
        return out;
    }

    static List<String> chunks(String text, int max) {
        List<String> out = new ArrayList<>();
        String rest = text == null || text.isEmpty() ? " " : text;
        while (rest.length() > max) {
            int cut = rest.lastIndexOf('\n', max);
            if (cut <= 0) {
                cut = max;
                // never split an escape such as &amp;
                int amp = rest.lastIndexOf('&', cut - 1);
                if (amp >= 0 && cut - amp < 5 && rest.indexOf(';', amp) >= cut) {
                    cut = amp;
                }
            }
            out.add(balanceCode(rest.substring(0, cut)));
            rest = rest.substring(cut).replaceFirst("^\n", "");
            if (rest.isEmpty()) {
                return out;
            }
        }
        out.add(rest);
        return out;
    }

    /** A chunk that cut a ``` block in two closes it, so that the rest is not shown as code. */
    private static String balanceCode(String s) {
        int n = s.split("```", -1).length - 1;
        return n % 2 == 1 ? (s.length() + 3 <= MAX_SECTION ? s + "```" : s) : s;
    }

    static Map<String, Object> section(String mrkdwn) {
        return block("section", "text", text("mrkdwn", mrkdwn));
    }

    static Map<String, Object> header(String plain) {
        Map<String, Object> text = text("plain_text", truncate(plain, MAX_HEADER));
        text.put("emoji", true);
        return block("header", "text", text);
    }

    static Map<String, Object> context(String mrkdwn) {
        return block("context", "elements", List.of(text("mrkdwn", truncate(mrkdwn, MAX_SECTION))));
    }

    /** A text object of Block Kit: {@code {"type": type, "text": text}}. */
    private static Map<String, Object> text(String type, String text) {
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("type", type);
        t.put("text", text);
        return t;
    }

    /** A block: {@code {"type": type, field: value}}. */
    private static Map<String, Object> block(String type, String field, Object value) {
        Map<String, Object> b = new LinkedHashMap<>();
        b.put("type", type);
        b.put(field, value);
        return b;
    }

    static Map<String, Object> divider() {
        return Map.of("type", "divider");
    }

    static String truncate(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 1) + "\u2026";
    }
}
