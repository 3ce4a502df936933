package dev.curfew.core.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The report as a readable table for a terminal: one line per resource, then a summary. */
public final class ReportText {
    private static final String[] HEAD = {"KIND", "RESOURCE", "REGION", "OWNER", "FINDING", "DECISION", "COST",
        "REASON"};

    private ReportText() {
    }

    public static String render(SweepReport r) {
        StringBuilder b = new StringBuilder();
        b.append("Curfew ").append(r.mode()).append(" for ").append(r.course()).append(" - account ")
                .append(r.account()).append(", ").append(r.now()).append('\n');
        b.append("Account guard: ").append(r.guard()).append('\n');
        if (r.mode().equals("dry-run")) {
            b.append("Dry-run: nothing was changed. Decisions show what enforce would do.\n");
        }
        b.append('\n');
        List<String[]> lines = new ArrayList<>();
        for (SweepReport.Row row : r.rows()) {
            String res = row.id() + (row.name() == null || row.name().equals(row.id()) ? "" : " (" + row.name() + ")");
            String finding = row.findings().isEmpty() ? "-" : String.join("; ", row.findings());
            String decision = row.decision() + ("would".equals(row.outcome()) ? " (dry-run)"
                    : "done".equals(row.outcome()) || "already".equals(row.outcome()) ? " - done"
                    : "failed".equals(row.outcome()) ? " - FAILED"
                    : "partial".equals(row.outcome()) ? " - PARTLY DONE"
                    : "deferred".equals(row.outcome()) ? " - NOT STARTED" : "");
            String reason = row.reason() + (UNFINISHED.contains(row.outcome()) ? " | " + row.detail() : "");
            String cost = row.costPerHour() == null ? "-" : String.format(java.util.Locale.ROOT, "$%.2f/mo",
                    row.costPerHour() * dev.curfew.core.plan.Prices.HOURS_PER_MONTH);
            lines.add(new String[] {row.kind(), res, row.region(), row.owner() == null ? "(unknown)" : row.owner(),
                    clip(finding, 60), decision, cost, reason});
        }
        if (lines.isEmpty()) {
            b.append("Nothing found.\n");
        } else {
            int[] w = new int[HEAD.length];
            for (int c = 0; c < HEAD.length; c++) {
                w[c] = HEAD[c].length();
                for (String[] l : lines) {
                    w[c] = Math.max(w[c], l[c].length());
                }
            }
            appendLine(b, HEAD, w);
            for (String[] l : lines) {
                appendLine(b, l, w);
            }
        }
        b.append('\n');
        b.append("Regions: ").append(r.regions().size()).append(" swept");
        if (!r.regionErrors().isEmpty()) {
            b.append(", ").append(r.regionErrors().size()).append(" failed");
        }
        b.append('\n');
        for (Map.Entry<String, String> e : r.regionErrors().entrySet()) {
            b.append("  ").append(e.getKey()).append(": ").append(e.getValue()).append('\n');
        }
        if (r.breaker().tripped()) {
            b.append("CIRCUIT BREAKER TRIPPED: ").append(r.breaker().planned())
                    .append(" destructive actions planned, limit ").append(r.breaker().limit())
                    .append(". Nothing was acted on.\n");
        }
        b.append("Decisions: ").append(r.decisionCounts()).append('\n');
        b.append(r.mode().equals("dry-run") ? "Would save: " : "Saved: ").append(String.format(java.util.Locale.ROOT,
                "$%.2f per month", r.savedPerMonth())).append(" (what was stopped, terminated, deleted or released; ")
                .append(dev.curfew.core.plan.Prices.SOURCE).append(")\n");
        b.append("Outcomes: ").append(r.outcomeCounts()).append('\n');
        b.append("AWS calls: ").append(r.totalCalls()).append(' ').append(new java.util.TreeMap<>(r.calls()))
                .append('\n');
        b.append("Took ").append(r.durationMillis()).append(" ms\n");
        return b.toString();
    }

    /** Outcomes whose detail the table shows: what went wrong, or what is left for the next run. */
    private static final java.util.Set<String> UNFINISHED = java.util.Set.of("failed", "partial", "deferred");

    private static String clip(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 3) + "...";
    }

    private static void appendLine(StringBuilder b, String[] cells, int[] w) {
        for (int c = 0; c < cells.length; c++) {
            b.append(c == cells.length - 1 ? cells[c] : pad(cells[c], w[c])).append(c == cells.length - 1 ? "" : "  ");
        }
        b.append('\n');
    }

    private static String pad(String s, int w) {
        return s + " ".repeat(Math.max(0, w - s.length()));
    }
}
