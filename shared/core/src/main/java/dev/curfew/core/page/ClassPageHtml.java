package dev.curfew.core.page;

import static dev.curfew.core.spend.SpendText.money;

import dev.curfew.core.notify.Digests;
import dev.curfew.core.spend.Spend;
import java.util.List;
import java.util.Locale;

/**
 * The class page as one self-contained HTML document: inline CSS and an inline SVG chart, no script, no font, image,
 * style sheet or link to anywhere else, so it shows the same from S3, from a presigned link or from a file, and makes
 * no request. Every text on it passes through {@link #escape} (tag values and names are chosen by students).
 */
public final class ClassPageHtml {
    private ClassPageHtml() {
    }

    private static final String CSS = """
            *{box-sizing:border-box}
            body{margin:0;background:#f4f5f7;color:#1f2328;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,\
            "Helvetica Neue",Arial,sans-serif}
            main{max-width:1180px;margin:0 auto;padding:24px}
            h1{font-size:24px;margin:0 0 4px}
            h2{font-size:17px;margin:28px 0 10px}
            .sub{color:#59636e}
            .banner{margin:14px 0 0;padding:10px 14px;border-radius:6px;background:#fff8c5;border:1px solid #d4a72c}
            .tiles{display:flex;flex-wrap:wrap;gap:12px;margin-top:18px}
            .tile{flex:1 1 140px;background:#fff;border:1px solid #d1d9e0;border-radius:8px;padding:12px 14px}
            .tile b{display:block;font-size:26px;line-height:1.2}
            .tile span{color:#59636e;font-size:13px}
            .tile.bad{border-color:#cf222e;background:#ffebe9}
            .tile.bad b{color:#cf222e}
            .tile.good b{color:#1a7f37}
            .box{background:#fff;border:1px solid #d1d9e0;border-radius:8px;padding:14px 16px}
            .fail{border-color:#cf222e;background:#fff5f5}
            .fail li{margin:4px 0}
            .ok{color:#1a7f37}
            table{width:100%;border-collapse:collapse;background:#fff;border:1px solid #d1d9e0;border-radius:8px}
            th{text-align:left;font-size:12px;text-transform:uppercase;letter-spacing:.04em;color:#59636e;\
            background:#f6f8fa;padding:8px 10px;border-bottom:1px solid #d1d9e0}
            td{vertical-align:top;padding:9px 10px;border-top:1px solid #eaeef2}
            tr.attn td:first-child{box-shadow:inset 4px 0 0 #cf222e}
            td ul{margin:0;padding:0;list-style:none}
            td li{margin:0 0 4px}
            .who b{display:block}
            .tag{font:12px ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;color:#59636e}
            .what{display:block;font-size:12px;color:#59636e}
            .note{display:block;font-size:12px}
            .run{color:#9a6700}
            .gone{color:#1a7f37}
            .due{color:#bc4c00}
            .none{color:#8c959f}
            .bad{color:#cf222e;font-weight:600}
            .bar{height:8px;background:#eaeef2;border-radius:4px;margin-top:4px;overflow:hidden;width:140px}
            .bar i{display:block;height:100%;background:#1a7f37}
            .bar i.warn{background:#d4a72c}
            .bar i.over{background:#cf222e}
            .chart{background:#fff;border:1px solid #d1d9e0;border-radius:8px;padding:12px}
            footer{margin-top:28px;color:#59636e;font-size:12px}
            """;

    public static String render(ClassPage p) {
        StringBuilder b = new StringBuilder(16_384);
        boolean dryRun = !"enforce".equals(p.mode());
        b.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
                .append("<meta name=\"referrer\" content=\"no-referrer\">")
                // the page itself forbids any request: nothing may load from anywhere, not even this page's host
                .append("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
                        + "style-src 'unsafe-inline'; img-src data:\">")
                .append("<title>").append(escape(p.course())).append(" - Curfew class page</title>")
                .append("<style>").append(CSS).append("</style></head><body><main>\n");
        b.append("<h1>").append(escape(p.course())).append("</h1>\n<div class=\"sub\">Curfew class page, made ")
                .append(escape(Digests.when(p.generated(), p.zone()))).append(" &middot; account ")
                .append(escape(p.account())).append(" &middot; ").append(escape(p.mode())).append("</div>\n");
        if (dryRun) {
            b.append("<div class=\"banner\"><b>Dry run:</b> Curfew changed nothing. What it would do is shown as "
                    + "&ldquo;would&rdquo;; nothing is saved until the policy's mode is enforce.</div>\n");
        }
        tiles(b, p);
        failures(b, p);
        students(b, p, dryRun);
        chart(b, p);
        b.append("<footer>Money is at list prices (").append(escape(dev.curfew.core.plan.Prices.SOURCE))
                .append("), an estimate unless a figure says it is billed. This page is self-contained: no scripts, "
                        + "nothing loaded from anywhere. Made by Curfew.</footer>\n");
        b.append("</main></body></html>\n");
        return b.toString();
    }

    private static void tiles(StringBuilder b, ClassPage p) {
        b.append("<div class=\"tiles\">");
        tile(b, String.valueOf(p.studentCount()), "students", "");
        tile(b, String.valueOf(p.runningCount()), "running now", "");
        tile(b, String.valueOf(p.markedCount()), "marked, to go", "");
        tile(b, String.valueOf(p.actedCount()), ("enforce".equals(p.mode())
                ? "stopped or removed by the last run" : "the last run would stop or remove"), "");
        tile(b, String.valueOf(p.failures().size()), "failures in the last run", p.failures().isEmpty() ? "good"
                : "bad");
        if (p.spendShown()) {
            tile(b, String.valueOf(p.overBudget()), "over budget", p.overBudget() > 0 ? "bad" : "good");
        }
        tile(b, money(p.savedThisWeek()), "saved this week (a month's cost)", "good");
        b.append("</div>\n");
    }

    private static void tile(StringBuilder b, String value, String label, String cls) {
        b.append("<div class=\"tile").append(cls.isEmpty() ? "" : " " + cls).append("\"><b>").append(escape(value))
                .append("</b><span>").append(escape(label)).append("</span></div>");
    }

    private static void failures(StringBuilder b, ClassPage p) {
        b.append("<h2>The last run's failures</h2>\n");
        if (p.failures().isEmpty()) {
            b.append("<div class=\"box ok\">None: every action of the last run succeeded and every region was "
                    + "read.</div>\n");
            return;
        }
        b.append("<div class=\"box fail\"><ul>");
        p.failures().forEach(f -> b.append("<li>").append(escape(f)).append("</li>"));
        b.append("</ul></div>\n");
    }

    private static void students(StringBuilder b, ClassPage p, boolean dryRun) {
        b.append("<h2>Students</h2>\n<table><thead><tr><th>Student</th><th>Running now</th>"
                + "<th>Marked: when it goes</th><th>").append(dryRun ? "The last run would have" : "The last run")
                .append("</th>");
        if (p.spendShown()) {
            b.append("<th>This week / budget</th><th>Course total</th>");
        }
        b.append("</tr></thead><tbody>\n");
        if (p.students().isEmpty()) {
            b.append("<tr><td colspan=\"").append(p.spendShown() ? 6 : 4)
                    .append("\" class=\"none\">No students in the roster and nothing found.</td></tr>\n");
        }
        for (ClassPage.Student s : p.students()) {
            boolean attention = s.failed() > 0 || s.budget() != null && s.budget().over();
            b.append("<tr").append(attention ? " class=\"attn\"" : "").append("><td class=\"who\">");
            if (s.owner() == null) {
                b.append("<b>No owner tag</b><span class=\"tag\">nobody's: the instructor's to check</span>");
            } else {
                b.append("<b>").append(escape(s.name() == null ? s.owner() : s.name())).append("</b>")
                        .append("<span class=\"tag\">").append(escape(s.owner())).append("</span>");
                if (s.name() == null) {
                    b.append("<span class=\"what\">not in the roster</span>");
                }
            }
            if (s.failed() > 0) {
                b.append("<span class=\"note bad\">").append(s.failed()).append(" failed</span>");
            }
            b.append("</td>");
            cell(b, s.running(), "run", "nothing");
            cell(b, s.marked(), "due", "nothing");
            cell(b, s.acted(), "gone", "nothing");
            if (p.spendShown()) {
                spend(b, s, p.partialTotal());
            }
            b.append("</tr>\n");
        }
        b.append("</tbody></table>\n");
        if (p.spendShown() && (p.partialTotal() || p.spendNote() != null)) {
            // what went wrong getting the figures (the note names it), e.g. why the course totals are "at least"
            String note = p.spendNote() == null ? "The course totals are partial: each is at least what it says."
                    : Character.toUpperCase(p.spendNote().charAt(0)) + p.spendNote().substring(1);
            b.append("<div class=\"what").append(p.partialTotal() ? " bad" : "").append("\">").append(escape(note))
                    .append("</div>\n");
        }
    }

    private static void cell(StringBuilder b, List<ClassPage.Entry> entries, String noteClass, String empty) {
        b.append("<td>");
        if (entries.isEmpty()) {
            b.append("<span class=\"none\">").append(empty).append("</span>");
        } else {
            b.append("<ul>");
            for (ClassPage.Entry e : entries) {
                b.append("<li><b>").append(escape(e.label())).append("</b><span class=\"what\">")
                        .append(escape(e.what())).append("</span>");
                if (e.note() != null) {
                    b.append("<span class=\"note ").append(e.failed() ? "bad" : noteClass).append("\">").append(escape(e.note()))
                            .append("</span>");
                }
                b.append("</li>");
            }
            b.append("</ul>");
        }
        b.append("</td>");
    }

    private static void spend(StringBuilder b, ClassPage.Student s, boolean partialTotal) {
        Spend sp = s.spend();
        if (sp == null) {
            b.append("<td><span class=\"none\">no figure</span></td><td><span class=\"none\">-</span></td>");
            return;
        }
        dev.curfew.core.budget.Standing st = s.budget();
        String source = sp.source() == Spend.Source.COST_EXPLORER ? "billed (Cost Explorer)" : "estimate";
        b.append("<td>").append(against(sp.weekDollars(), sp.weekInstanceHours(), st == null ? null
                : st.weekLimit()));
        if (st == null) {
            b.append(" <span class=\"none\">no budget</span>");
        } else {
            double used = st.percent() / 100;
            long pct = Math.round(used * 100);
            String cls = used >= 1 ? "over" : used >= 0.8 ? "warn" : "";
            b.append(st.weekPercent() >= 100
                            ? " <span class=\"bad\">over budget</span>" : "")
                    .append("<div class=\"bar\" title=\"").append(pct).append("%\"><i")
                    .append(cls.isEmpty() ? "" : " class=\"" + cls + "\"").append(" style=\"width:")
                    .append(Math.min(100, pct)).append("%\"></i></div>");
            boolean course = st.weekLimit() == null || st.coursePercent() > st.weekPercent();
            b.append("<span class=\"what").append(used >= 1 ? " bad" : "").append("\">").append(pct)
                    .append(course ? " % of the course&#39;s budget" : " % of the week&#39;s budget").append("</span>");
        }
        b.append("<span class=\"what\">").append(String.format(Locale.ROOT, "%.1f", sp.weekInstanceHours()))
                .append(" instance hours; ").append(source).append("</span></td>");
        b.append("<td>").append(partialTotal ? "at least " : "")
                .append(st == null || st.courseLimit() == null ? money(sp.totalDollars())
                : against(sp.totalDollars(), sp.totalInstanceHours(), st.courseLimit()));
        if (st != null && st.coursePercent() >= 100) {
            b.append(" <span class=\"bad\">over budget</span>");
        }
        b.append("<span class=\"what\">").append(String.format(Locale.ROOT, "%.1f", sp.totalInstanceHours()))
                .append(" instance hours</span></td>");
    }

    /** "<b>$3.10</b> of $10.00", "<b>$3.10</b>, 12.5 h of 20 h", or "<b>$3.10</b>" without a limit. */
    private static String against(double dollars, double hours, dev.curfew.core.budget.Amount limit) {
        String all = dev.curfew.core.spend.SpendText.against(dollars, hours, limit, " of ");
        String first = money(dollars);
        return "<b>" + escape(first) + "</b>" + escape(all.substring(first.length()));
    }

    private static final java.time.format.DateTimeFormatter WEEK = java.time.format.DateTimeFormatter.ofPattern(
            "d MMM", Locale.ENGLISH);

    /** A bar per week, the figure over each bar, the week's Monday under it. */
    private static void chart(StringBuilder b, ClassPage p) {
        b.append("<h2>Money saved by week</h2>\n<div class=\"chart\">");
        List<SavedWeeks.Week> weeks = p.saved();
        if (weeks.isEmpty()) {
            b.append("<span class=\"none\">").append(escape(p.savedNote() == null ? "No record of savings yet."
                    : p.savedNote())).append("</span></div>\n");
            return;
        }
        double max = weeks.stream().mapToDouble(SavedWeeks.Week::usdPerMonth).max().orElse(0);
        double top = niceTop(max);
        int w = 760;
        int h = 230;
        int left = 56;
        int bottom = 36;
        int topPad = 22;
        int plotH = h - bottom - topPad;
        int plotW = w - left - 12;
        double slot = (double) plotW / weeks.size();
        double bar = Math.min(56, slot * 0.6);
        b.append("<svg width=\"100%\" viewBox=\"0 0 ").append(w).append(' ')
                .append(h).append("\" role=\"img\" aria-label=\"Money saved by week\" "
                        + "font-family=\"system-ui,sans-serif\" font-size=\"12\">");
        for (int i = 0; i <= 4; i++) {
            double v = top * i / 4;
            double y = topPad + plotH - plotH * (v / top);
            b.append(String.format(Locale.ROOT, "<line x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"%s\"/>",
                    left, w - 12, y, y, i == 0 ? "#8c959f" : "#eaeef2"));
            b.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\" fill=\"#59636e\">"
                    + "%s</text>", left - 6, y + 4, escape(money0(v))));
        }
        for (int i = 0; i < weeks.size(); i++) {
            SavedWeeks.Week wk = weeks.get(i);
            double x = left + slot * i + (slot - bar) / 2;
            double bh = top == 0 ? 0 : plotH * (wk.usdPerMonth() / top);
            double y = topPad + plotH - bh;
            boolean current = i == weeks.size() - 1;
            b.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" "
                    + "rx=\"3\" fill=\"%s\"><title>%s</title></rect>", x, y, bar, Math.max(bh, 0.0),
                    current ? "#1a7f37" : "#4ac26b", escape("week of " + WEEK.format(wk.start()) + ": "
                            + money(wk.usdPerMonth()) + " a month")));
            b.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" "
                    + "fill=\"#1f2328\"%s>%s</text>", x + bar / 2, y - 5, current ? " font-weight=\"600\"" : "",
                    escape(money(wk.usdPerMonth()))));
            b.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\" "
                    + "fill=\"#59636e\">%s</text>", x + bar / 2, h - bottom + 16, escape((current ? "this week"
                    : WEEK.format(wk.start())))));
        }
        b.append("</svg>");
        b.append("<div class=\"what\">Each bar: the monthly cost (list prices) of what Curfew stopped, terminated, "
                + "deleted or released that week, Monday to Sunday in ").append(escape(p.zone().getId()))
                .append(".").append(p.savedNote() == null ? "" : " " + escape(p.savedNote())).append("</div>");
        b.append("</div>\n");
    }

    /** A round top for the chart's axis: 1, 2 or 5 times a power of ten, at least the largest figure. */
    static double niceTop(double max) {
        if (max <= 0) {
            return 10;
        }
        double p = Math.pow(10, Math.floor(Math.log10(max)));
        for (double m : new double[] {1, 2, 5, 10}) {
            if (m * p >= max) {
                return m * p;
            }
        }
        return 10 * p;
    }

    private static String money0(double usd) {
        return usd == Math.rint(usd) ? String.format(Locale.ROOT, "$%,.0f", usd) : money(usd);
    }

    /** Text made safe for HTML content and quoted attribute values: {@code & < > " '}. Null is "". */
    public static String escape(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder b = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }
}
