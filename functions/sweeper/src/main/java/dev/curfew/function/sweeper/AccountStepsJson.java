package dev.curfew.function.sweeper;

import dev.curfew.core.accounts.AccountRun;
import dev.curfew.core.accounts.AccountTarget;
import dev.curfew.core.plan.Plan;
import dev.curfew.core.report.SweepReport;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The JSON the steps of the accounts state machine (template.yaml AccountsStateMachine) hand each other, built and
 * read here only. The definition's paths read these keys; StateMachineDefinitionTest walks them against what is
 * built here. No value is ever null in what is built (a JSON serializer may leave null values out, and a path to a
 * missing key fails the execution): an absent owner is left out, and no path reads it.
 *
 * <pre>
 * list step    in  {"step":"list","pass":"curfew"|"warning"|"idle-check","execution":"arn:...:execution:...",
 *                   "input":{"pass","scheduled"?}}
 *              out {"pass","curfew","course","mode","maxConcurrency","stoodAside":false,"accounts":[TARGET...]}
 *                  or {"pass","curfew","stoodAside":true,"why"}
 * worker       in  {"step":"sweep","pass","curfew","execution","target":TARGET}
 *              out ROW: {"target":TARGET,"status","error"?,"mode","decisions","outcomes","savedPerMonthUsd",
 *                        "regions","regionErrors","breaker","rows","rowsLeftOut","report",
 *                        "spend"?:[SPEND...],"spendNote"?,"page"?:[STUDENT...],   (spend and page: curfew pass)
 *                        "weeks"?:[{"week":"2026-11-23","spent":{"alice":"dollars=.. hours=.."},"note"?}]}
 * summary      in  {"step":"summary","pass","curfew","execution","results":{"ResultWriterDetails":{"Bucket","Key"}}}
 *              out {"pass","curfew","accounts","byStatus","notifications"}
 * TARGET:          {"account":"123456789012","owner":"alice","source":"ROSTER",
 *                   "billed"?:{"alice":{"week":1.25,"total":3.5}},"billedError"?,   (billed: Cost Explorer on)
 *                   "weeksOver"?:["2026-11-23"]}   (the course weeks over the pass closes: the first pass after one)
 * SPEND:           {"student","weekStart","weekDollars","totalDollars","weekHours","totalHours","source"}
 * STUDENT:         {"owner"?,"failed","running"?:[ENTRY...],"marked"?:[ENTRY...],"acted"?:[ENTRY...],"more"?}
 * ENTRY:           {"label","what","note"?,"failed"}
 * </pre>
 * Cost Explorer is asked once per pass, by the list step in the deployment account; each TARGET carries its own
 * account's billed figures to its worker (a student's: one figure), so the Map's items stay small.
 * The {@code curfew} is the curfew the pass is for (the warning: the coming one); for the idle check, the time its
 * schedule was due.
 */
final class AccountStepsJson {
    /**
     * A row keeps at most this many resources, those the summary counts (a finding, an action, a failure, out of
     * scope), each in a compact form; the log has them all. 300 compact resources are at most about 100 KB, under
     * half of the 256 KB a state's result may hold (StateMachineDefinitionTest measures it).
     */
    static final int MAX_ROWS = 300;
    /**
     * A row's class-page rows carry at most this many resources in all (each at most about 330 bytes), beside the
     * {@link #MAX_ROWS} resources and one spend line per owner: still well under the 256 KB a state's result holds.
     */
    static final int MAX_PAGE_ENTRIES = 100;

    private AccountStepsJson() {
    }

    static Map<String, Object> target(AccountTarget t) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("account", t.account());
        if (t.owner() != null) {
            m.put("owner", t.owner());
        }
        m.put("source", t.source().name());
        return m;
    }

    /** Reads a TARGET; a wrong shape is an {@link IllegalArgumentException} that names the field. */
    static AccountTarget target(Object node, String field) {
        Map<String, Object> m = object(node, field);
        String account = text(m, "account", field + ".account");
        Object owner = m.get("owner");
        if (owner != null && !(owner instanceof String)) {
            throw new IllegalArgumentException(field + ".owner is " + owner + "; expected text or nothing");
        }
        String source = text(m, "source", field + ".source");
        AccountTarget.Source s;
        try {
            s = AccountTarget.Source.valueOf(source);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(field + ".source is \"" + source + "\"; expected one of "
                    + java.util.Arrays.toString(AccountTarget.Source.values()));
        }
        try {
            return new AccountTarget(account, (String) owner, s);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(field + ".account: " + e.getMessage());
        }
    }

    /** The list step's answer when it sweeps: the accounts the Map iterates over, and what each worker needs. */
    static Map<String, Object> listed(String pass, Instant curfew, String course, String mode, int maxConcurrency,
                                      List<AccountTarget> targets) {
        return listed(pass, curfew, course, mode, maxConcurrency, targets, List.of());
    }

    /** As above, with {@code problems}: what kept accounts out of the list, carried to the summary step. */
    static Map<String, Object> listed(String pass, Instant curfew, String course, String mode, int maxConcurrency,
                                      List<AccountTarget> targets, List<String> problems) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("pass", pass);
        m.put("curfew", curfew.toString());
        m.put("course", course);
        m.put("mode", mode);
        m.put("maxConcurrency", maxConcurrency);
        m.put("stoodAside", false);
        m.put("accounts", targets.stream().map(AccountStepsJson::target).toList());
        m.put("problems", List.copyOf(problems));
        return m;
    }

    /**
     * Adds Cost Explorer's answer for one account to its TARGET: {@code billed} (owner -> week and total USD) or
     * {@code billedError} (why Cost Explorer could not be read). Nothing for null (Cost Explorer off, or no figure
     * for that account).
     */
    static void putBilled(Map<String, Object> target, dev.curfew.aws.spend.CostExplorerSpend.Answer a) {
        if (a == null) {
            return;
        }
        if (!a.ok()) {
            target.put("billedError", a.error());
            return;
        }
        Map<String, Object> b = new TreeMap<>();
        a.billed().forEach((who, x) -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("week", x.week());
            m.put("total", x.total());
            b.put(who, m);
        });
        target.put("billed", b);
    }

    /**
     * Adds the course weeks over that the pass closes to every TARGET of the list step's answer (nothing when there
     * are none): each account's step works out its own figures of them. At most {@link
     * dev.curfew.core.spend.ClosedWeeks#WEEKS_BACK} dates of 10 characters an account.
     */
    @SuppressWarnings("unchecked")
    static void putWeeksOver(Map<String, Object> listed, List<java.time.LocalDate> weeks) {
        if (weeks.isEmpty()) {
            return;
        }
        List<String> w = weeks.stream().map(java.time.LocalDate::toString).toList();
        ((List<Map<String, Object>>) listed.get("accounts")).forEach(t -> t.put("weeksOver", w));
    }

    /** Reads what {@link #putWeeksOver} wrote (none when absent); a wrong shape names the field. */
    static List<java.time.LocalDate> weeksOver(Object node, String field) {
        if (!(node instanceof Map<?, ?> t) || t.get("weeksOver") == null) {
            return List.of();
        }
        if (!(t.get("weeksOver") instanceof List<?> l) || l.size() > dev.curfew.core.spend.ClosedWeeks.WEEKS_BACK) {
            throw new IllegalArgumentException(field + ".weeksOver is " + t.get("weeksOver") + "; expected at most "
                    + dev.curfew.core.spend.ClosedWeeks.WEEKS_BACK + " dates YYYY-MM-DD");
        }
        List<java.time.LocalDate> out = new ArrayList<>();
        for (Object o : l) {
            String w = o instanceof String s ? dev.curfew.core.spend.ClosedWeeks.weekKey(s) : null;
            if (w == null) {
                throw new IllegalArgumentException(field + ".weeksOver has \"" + o + "\"; expected a date YYYY-MM-DD");
            }
            out.add(java.time.LocalDate.parse(w));
        }
        return out;
    }

    /** Reads what {@link #putBilled} wrote, or null when there is nothing; a wrong shape names the field. */
    static dev.curfew.aws.spend.CostExplorerSpend.Answer billed(Object node, String field) {
        if (!(node instanceof Map<?, ?> t)) {
            return null;
        }
        if (t.get("billedError") != null) {
            return new dev.curfew.aws.spend.CostExplorerSpend.Answer(Map.of(), String.valueOf(t.get("billedError")));
        }
        if (t.get("billed") == null) {
            return null;
        }
        Map<String, dev.curfew.core.spend.Billed> out = new TreeMap<>();
        object(t.get("billed"), field + ".billed").forEach((who, v) -> {
            Map<String, Object> m = object(v, field + ".billed." + who);
            try {
                out.put(who, new dev.curfew.core.spend.Billed(dollars(m, "week", field + ".billed." + who),
                        dollars(m, "total", field + ".billed." + who)));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(field + ".billed." + who + ": " + e.getMessage());
            }
        });
        return new dev.curfew.aws.spend.CostExplorerSpend.Answer(out, null);
    }

    private static double dollars(Map<String, Object> m, String key, String field) {
        if (!(m.get(key) instanceof Number n)) {
            throw new IllegalArgumentException(field + "." + key + " is " + m.get(key) + "; expected a number");
        }
        return n.doubleValue();
    }

    /** The list step's answer when another execution has this pass and curfew: nothing is swept or sent. */
    static Map<String, Object> stoodAside(String pass, Instant curfew, String why) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("pass", pass);
        m.put("curfew", curfew.toString());
        m.put("stoodAside", true);
        m.put("why", why);
        return m;
    }

    /**
     * The worker's answer, one account's compact row (Distributed Map writes it to S3): the full report is in the
     * log ({@code report} says where). Well under the 256 KB a state's result may hold: at most {@link #MAX_ROWS}
     * resources, only those the instructor's summary counts (dev.curfew.core.notify.AccountDigests: found, done or
     * would be, failed, out of scope, what it saves), failed ones first.
     */
    static Map<String, Object> row(AccountRun run, Map<String, Object> where) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("target", target(run.target()));
        m.put("status", run.status().name());
        if (run.error() != null) {
            m.put("error", run.error());
        }
        SweepReport r = run.report();
        if (r != null) {
            m.put("course", r.course());
            m.put("mode", r.mode());
            m.put("now", r.now().toString());
            m.put("regions", r.regions());
            m.put("regionErrors", new TreeMap<>(r.regionErrors()));
            m.put("guard", r.guard() == null ? "" : r.guard());
            Map<String, Object> b = new LinkedHashMap<>();
            b.put("tripped", r.breaker().tripped());
            b.put("planned", r.breaker().planned());
            b.put("limit", r.breaker().limit());
            m.put("breaker", b);
            m.put("decisions", r.decisionCounts());
            m.put("outcomes", r.outcomeCounts());
            m.put("savedPerMonthUsd", Math.round(r.savedPerMonth() * 100) / 100.0);
            List<SweepReport.Row> counted = r.rows().stream().filter(AccountStepsJson::counted)
                    .sorted(java.util.Comparator.comparing(x -> !"failed".equals(x.outcome()))).toList();
            m.put("rows", counted.stream().limit(MAX_ROWS).map(AccountStepsJson::rowMap).toList());
            m.put("rowsLeftOut", r.rows().size() - Math.min(MAX_ROWS, counted.size()));
        }
        m.put("report", where);
        if (run.figures() != null) {
            m.put("spend", run.figures().spend().stream().map(AccountStepsJson::spendMap).toList());
            if (run.figures().spendNote() != null) {
                m.put("spendNote", run.figures().spendNote());
            }
            if (!run.figures().weeks().isEmpty()) {
                m.put("weeks", run.figures().weeks().stream().map(AccountStepsJson::weekMap).toList());
            }
            int[] left = {MAX_PAGE_ENTRIES};
            m.put("page", run.figures().students().stream().map(x -> studentMap(x, left)).toList());
        }
        return m;
    }

    /**
     * How many owners' figures of one week a ROW carries (owner tags hold up to 256 characters): more, and the row
     * carries none of that week with a note instead (the week stays open and the summary says why).
     */
    static final int MAX_WEEK_OWNERS = 200;

    static Map<String, Object> weekMap(dev.curfew.core.accounts.AccountFigures.Week w) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("week", w.week());
        Map<String, Object> spent = new TreeMap<>();
        String note = w.note();
        if (w.byOwner().size() > MAX_WEEK_OWNERS) {
            note = (note == null ? "" : note + "; ") + w.byOwner().size() + " owners spent in it, more than the "
                    + MAX_WEEK_OWNERS + " an account's result carries";
        } else {
            w.byOwner().forEach((who, f) -> spent.put(who, f.wire()));
        }
        m.put("spent", spent);
        if (note != null) {
            m.put("note", note);
        }
        return m;
    }

    /** Reads a ROW's weeks back; a wrong shape names the field. */
    @SuppressWarnings("unchecked")
    private static List<dev.curfew.core.accounts.AccountFigures.Week> weeks(Map<String, Object> row) {
        List<dev.curfew.core.accounts.AccountFigures.Week> out = new ArrayList<>();
        for (Object o : (List<Object>) row.getOrDefault("weeks", List.of())) {
            Map<String, Object> x = object(o, "weeks[]");
            Map<String, dev.curfew.core.spend.ClosedWeeks.Figures> by = new TreeMap<>();
            object(x.getOrDefault("spent", Map.of()), "weeks[].spent").forEach((who, v) -> {
                dev.curfew.core.spend.ClosedWeeks.Figures f = dev.curfew.core.spend.ClosedWeeks.Figures.parse(
                        v instanceof String t ? t : null);
                if (f == null) {
                    throw new IllegalArgumentException("weeks[].spent." + who + " is \"" + v + "\"; expected "
                            + "\"dollars=D hours=H\"");
                }
                by.put(who, f);
            });
            try {
                out.add(new dev.curfew.core.accounts.AccountFigures.Week(text(x, "week", "weeks[].week"), by,
                        str(x, "note")));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("weeks[]." + e.getMessage());
            }
        }
        return out;
    }

    private static Map<String, Object> spendMap(dev.curfew.core.spend.Spend s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("student", s.student());
        m.put("weekStart", s.weekStart().toString());
        m.put("weekDollars", s.weekDollars());
        m.put("totalDollars", s.totalDollars());
        m.put("weekHours", s.weekInstanceHours());
        m.put("totalHours", s.totalInstanceHours());
        m.put("source", s.source().name());
        return m;
    }

    /** Reads a SPEND; a wrong shape names the field. */
    static dev.curfew.core.spend.Spend spend(Object o, String field) {
        Map<String, Object> x = object(o, field);
        try {
            return new dev.curfew.core.spend.Spend(text(x, "student", field + ".student"), instant(x, "weekStart"),
                    dollars(x, "weekDollars", field), dollars(x, "totalDollars", field),
                    dollars(x, "weekHours", field), dollars(x, "totalHours", field),
                    dev.curfew.core.spend.Spend.Source.valueOf(text(x, "source", field + ".source")));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(field + ": " + e.getMessage());
        }
    }

    /**
     * A student's class-page row; {@code left[0]} is how many entries the whole row may still carry. Empty lists are
     * left out; {@code more} counts the entries left out for want of room (the log's report has them).
     */
    private static Map<String, Object> studentMap(dev.curfew.core.page.ClassPage.Student s, int[] left) {
        Map<String, Object> m = new LinkedHashMap<>();
        if (s.owner() != null) {
            m.put("owner", s.owner());
        }
        m.put("failed", s.failed());
        int more = 0;
        for (var list : List.of(Map.entry("running", s.running()), Map.entry("marked", s.marked()),
                Map.entry("acted", s.acted()))) {
            int n = Math.min(Math.max(left[0], 0), list.getValue().size());
            left[0] -= n;
            more += list.getValue().size() - n;
            if (n > 0) {
                m.put(list.getKey(), list.getValue().subList(0, n).stream().map(AccountStepsJson::entryMap).toList());
            }
        }
        if (more > 0) {
            m.put("more", more);
        }
        return m;
    }

    private static Map<String, Object> entryMap(dev.curfew.core.page.ClassPage.Entry e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("label", cut(e.label(), 60));
        m.put("what", cut(e.what(), 120));
        if (e.note() != null) {
            m.put("note", cut(e.note(), 120));
        }
        m.put("failed", e.failed());
        return m;
    }

    /** Reads a ROW's spend and page back; null when the row has none (not the curfew pass, or an older row). */
    @SuppressWarnings("unchecked")
    static dev.curfew.core.accounts.AccountFigures figures(Map<String, Object> row) {
        if (!row.containsKey("spend") && !row.containsKey("page")) {
            return null;
        }
        List<dev.curfew.core.spend.Spend> spend = new ArrayList<>();
        for (Object o : (List<Object>) row.getOrDefault("spend", List.of())) {
            spend.add(spend(o, "spend[]"));
        }
        List<dev.curfew.core.page.ClassPage.Student> students = new ArrayList<>();
        for (Object o : (List<Object>) row.getOrDefault("page", List.of())) {
            Map<String, Object> x = object(o, "page[]");
            List<dev.curfew.core.page.ClassPage.Entry> acted = entries(x, "acted");
            if (number(x, "more") > 0) {
                acted.add(new dev.curfew.core.page.ClassPage.Entry("\u2026", number(x, "more") + " more (the "
                        + "sweep's report has them)", null, false));
            }
            students.add(new dev.curfew.core.page.ClassPage.Student(str(x, "owner"), null, entries(x, "running"),
                    entries(x, "marked"), acted, number(x, "failed"), null, null));
        }
        return new dev.curfew.core.accounts.AccountFigures(spend, str(row, "spendNote"), students, weeks(row));
    }

    @SuppressWarnings("unchecked")
    private static List<dev.curfew.core.page.ClassPage.Entry> entries(Map<String, Object> student, String key) {
        List<dev.curfew.core.page.ClassPage.Entry> out = new ArrayList<>();
        for (Object o : (List<Object>) student.getOrDefault(key, List.of())) {
            Map<String, Object> e = object(o, "page[]." + key + "[]");
            out.add(new dev.curfew.core.page.ClassPage.Entry(String.valueOf(e.get("label")),
                    String.valueOf(e.get("what")), str(e, "note"), Boolean.TRUE.equals(e.get("failed"))));
        }
        return out;
    }

    /** Whether the summary counts a resource: left alone without a finding and without a failure it does not. */
    static boolean counted(SweepReport.Row x) {
        return !x.findings().isEmpty() || !"skip".equals(x.decision()) || "failed".equals(x.outcome())
                || x.reason() != null && x.reason().startsWith("out of scope");
    }

    /** A resource as the summary reads it: no name or state; the first finding, the reason, a failure's detail cut. */
    private static Map<String, Object> rowMap(SweepReport.Row r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("kind", r.kind());
        m.put("id", r.id());
        putCut(m, "region", r.region(), 40);
        putCut(m, "owner", r.owner(), 80);
        putCut(m, "type", r.type(), 40);
        m.put("findings", r.findings().stream().limit(1).map(f -> cut(f, 60)).toList());
        m.put("decision", r.decision());
        putCut(m, "reason", r.reason(), 80);
        m.put("outcome", r.outcome());
        if ("failed".equals(r.outcome())) {
            putCut(m, "detail", r.detail(), 200);
        }
        if (r.costPerHour() != null) {
            m.put("costPerHour", r.costPerHour());
        }
        return m;
    }

    private static void putCut(Map<String, Object> m, String key, String value, int max) {
        if (value != null) {
            m.put(key, cut(value, max));
        }
    }

    private static String cut(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 3) + "...";
    }

    /** A row's {@code status}; a wrong one names the field. */
    private static AccountRun.Status status(Map<String, Object> row) {
        String status = text(row, "status", "status");
        try {
            return AccountRun.Status.valueOf(status);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("status is \"" + status + "\"; expected one of "
                    + java.util.Arrays.toString(AccountRun.Status.values()));
        }
    }

    /** Reads a worker's ROW back as an {@link AccountRun} (the report holds the row's resources only). */
    @SuppressWarnings("unchecked")
    static AccountRun run(Map<String, Object> row) {
        AccountTarget target = target(row.get("target"), "target");
        AccountRun.Status s = status(row);
        String error = row.get("error") == null ? null : lambdaMessage(String.valueOf(row.get("error")));
        if (s != AccountRun.Status.SWEPT || !row.containsKey("now")) {
            return new AccountRun(target, s, null, error != null ? error : s == AccountRun.Status.SWEPT ? null
                    : "no error was recorded");
        }
        Map<String, Object> b = object(row.get("breaker"), "breaker");
        List<SweepReport.Row> rows = rows(row);
        Map<String, String> regionErrors = regionErrors(row);
        Instant now;
        try {
            now = Instant.parse(text(row, "now", "now"));
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("now is \"" + row.get("now") + "\"; expected an ISO-8601 instant");
        }
        String guard = str(row, "guard");
        SweepReport report = new SweepReport(str(row, "course"), target.account(), str(row, "mode"), now, 0,
                ((List<Object>) row.getOrDefault("regions", List.of())).stream().map(String::valueOf).toList(),
                regionErrors, guard == null || guard.isEmpty() ? null : guard,
                new Plan.Breaker(Boolean.TRUE.equals(b.get("tripped")), number(b, "planned"), number(b, "limit")),
                rows, Map.of());
        return new AccountRun(target, s, report, error, figures(row));
    }

    /** A row's resources ({@code rows}), as {@link #rowMap} wrote them. */
    @SuppressWarnings("unchecked")
    private static List<SweepReport.Row> rows(Map<String, Object> row) {
        List<SweepReport.Row> rows = new ArrayList<>();
        for (Object o : (List<Object>) row.getOrDefault("rows", List.of())) {
            Map<String, Object> r = object(o, "rows[]");
            rows.add(new SweepReport.Row(str(r, "kind"), str(r, "id"), str(r, "name"), str(r, "region"),
                    str(r, "owner"), str(r, "state"), str(r, "type"),
                    ((List<Object>) r.getOrDefault("findings", List.of())).stream().map(String::valueOf).toList(),
                    str(r, "decision"), str(r, "reason"), str(r, "outcome"), str(r, "detail"),
                    r.get("costPerHour") instanceof Number n ? n.doubleValue() : null));
        }
        return rows;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, String> regionErrors(Map<String, Object> row) {
        Map<String, String> regionErrors = new TreeMap<>();
        ((Map<String, Object>) row.getOrDefault("regionErrors", Map.of()))
                .forEach((k, v) -> regionErrors.put(k, String.valueOf(v)));
        return regionErrors;
    }

    /** The summary step's answer (the execution's output): how many accounts, how each ended, what was sent. */
    static Map<String, Object> summarized(String pass, Instant curfew, List<AccountRun> runs,
                                          dev.curfew.core.notify.NotificationReport told) {
        return summarized(pass, curfew, runs, List.of(), told);
    }

    /** As above, with what kept accounts out of the pass ({@code problems}, the list step's). */
    static Map<String, Object> summarized(String pass, Instant curfew, List<AccountRun> runs, List<String> problems,
                                          dev.curfew.core.notify.NotificationReport told) {
        Map<String, Long> byStatus = new TreeMap<>();
        runs.forEach(r -> byStatus.merge(r.status().name(), 1L, Long::sum));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("pass", pass);
        out.put("curfew", curfew.toString());
        out.put("accounts", runs.size());
        out.put("byStatus", byStatus);
        out.put("savedPerMonthUsd", Math.round(runs.stream().filter(r -> r.report() != null)
                .mapToDouble(r -> r.report().savedPerMonth()).sum() * 100) / 100.0);
        List<Map<String, Object>> notSwept = new ArrayList<>();
        for (AccountRun r : runs) {
            if (r.status() != AccountRun.Status.SWEPT) {
                Map<String, Object> m = target(r.target());
                m.put("status", r.status().name());
                m.put("error", r.error() == null ? "" : r.error());
                notSwept.add(m);
            }
        }
        // the execution's output holds at most 256 KB: its lists are cut (the counts stay whole; every account and
        // every message is in the summary sent, the class page and the accounts function's log)
        out.put("notSwept", capped(notSwept, OUTPUT_LINES, OUTPUT_REST));
        out.put("problems", capped(problems, OUTPUT_LINES, OUTPUT_REST));
        Map<String, Object> notifications = new LinkedHashMap<>(told.toMap());
        notifications.put("deliveries", capped(notifications.get("deliveries"), OUTPUT_LINES, OUTPUT_REST));
        out.put("notifications", notifications);
        return out;
    }

    /** How many items of each list the summary's output (the execution's output) holds. */
    static final int OUTPUT_LINES = 200;
    /** Where what the summary's output leaves out is. */
    private static final String OUTPUT_REST = "in the summary sent, the class page and the accounts function's log";

    /**
     * What the list step reads: {@code {"pass", "execution", "input"?}}; {@code input} is the execution's input as
     * its schedule sent it, whose {@code scheduled} (optional) is the time the schedule was due.
     */
    record ListIn(String pass, String execution, Instant scheduled) {
        static ListIn of(Map<String, Object> in) {
            String pass = AccountSteps.pass(in);
            String execution = text(in, "execution", "execution");
            Object input = in.get("input");
            Instant scheduled = null;
            if (input != null && object(input, "input").get("scheduled") != null) {
                Object at = object(input, "input").get("scheduled");
                if (!(at instanceof String s)) {
                    throw new IllegalArgumentException("input.scheduled is " + at + "; expected an ISO-8601 instant");
                }
                try {
                    scheduled = Instant.parse(s);
                } catch (DateTimeParseException e) {
                    throw new IllegalArgumentException("input.scheduled is \"" + s + "\"; expected an ISO-8601 "
                            + "instant");
                }
            }
            return new ListIn(pass, execution, scheduled);
        }
    }

    /** What the worker reads: {@code {"pass", "curfew", "target"}}. */
    record SweepIn(String pass, Instant curfew, AccountTarget target,
                   dev.curfew.aws.spend.CostExplorerSpend.Answer billed, List<java.time.LocalDate> weeksOver) {
        static SweepIn of(Map<String, Object> in) {
            return new SweepIn(AccountSteps.pass(in), instant(in, "curfew"),
                    AccountStepsJson.target(in.get("target"), "target"),
                    AccountStepsJson.billed(in.get("target"), "target"),
                    AccountStepsJson.weeksOver(in.get("target"), "target"));
        }
    }

    /** What the summary reads: the pass, curfew and listed accounts, and where the Map wrote its results. */
    record SummaryIn(String pass, Instant curfew, List<AccountTarget> listed, String bucket, String key,
                     List<String> problems, Map<String, Object> budgets) {
        /**
         * As read by the budget step and the summary; {@code budgets} (the summary's, optional: absent from an
         * execution started before the budget step was its own) is the budget step's answer, with the stops' Map
         * results ({@code stopped}) or its failure ({@code stopsFailed}), or the budget step's own failure as the
         * state machine caught it ({@code Error}, {@code Cause}).
         */
        static SummaryIn of(Map<String, Object> in) {
            String pass = AccountSteps.pass(in);
            Instant curfew = instant(in, "curfew");
            Object listedNode = in.get("accounts");
            if (!(listedNode instanceof List<?> l)) {
                throw new IllegalArgumentException("accounts is " + (listedNode == null ? "missing" : "\""
                        + listedNode + "\"") + "; expected the list step's accounts");
            }
            List<AccountTarget> listed = l.stream().map(t -> target(t, "accounts[]")).toList();
            Map<String, Object> details = object(object(in.get("results"), "results").get("ResultWriterDetails"),
                    "results.ResultWriterDetails");
            // the list step's problems (absent from an execution started before they were carried): accounts left out
            Object problemsNode = in.getOrDefault("problems", List.of());
            if (!(problemsNode instanceof List<?> pl) || !pl.stream().allMatch(x -> x instanceof String)) {
                throw new IllegalArgumentException("problems is \"" + problemsNode + "\"; expected the list step's "
                        + "problems, a list of strings");
            }
            return new SummaryIn(pass, curfew, listed, text(details, "Bucket", "results.ResultWriterDetails.Bucket"),
                    text(details, "Key", "results.ResultWriterDetails.Key"),
                    pl.stream().map(String::valueOf).toList(),
                    in.get("budgets") == null ? null : object(in.get("budgets"), "budgets"));
        }
    }

    /**
     * Each account's run from the Map's results: the manifest's SUCCEEDED, FAILED and PENDING files (each a JSON
     * array of child executions) read through {@code objects} (key -> parsed JSON). A child that succeeded is its
     * output row; one that failed or never finished is that account's failure (its input names the account); a
     * listed account without any result is one too. Each account once, the first result winning.
     */
    @SuppressWarnings("unchecked")
    static List<AccountRun> runs(SummaryIn in, Map<String, Object> manifest,
                                 java.util.function.Function<String, Object> objects,
                                 java.util.function.Function<String, Map<String, Object>> parse) {
        List<AccountRun> runs = new ArrayList<>();
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (Map<String, Object> e : children(manifest, objects)) {
            AccountRun run = childRun(e, parse);
            if (seen.add(run.target().account())) {
                runs.add(run);
            }
        }
        for (AccountTarget t : in.listed()) {
            if (seen.add(t.account())) {
                runs.add(AccountRun.notSwept(t, AccountRun.Status.FAILED, "no result was written for this account "
                        + "by the Map run " + manifest.get("MapRunArn")));
            }
        }
        return runs;
    }

    /**
     * Every child execution's entry of a Distributed Map's results: the manifest's SUCCEEDED, FAILED and PENDING files
     * (each a JSON array), read through {@code objects} (key -> parsed JSON), in that order.
     */
    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> children(Map<String, Object> manifest,
                                              java.util.function.Function<String, Object> objects) {
        Map<String, Object> files = object(manifest.get("ResultFiles"), "manifest ResultFiles");
        List<Map<String, Object>> out = new ArrayList<>();
        for (String status : List.of("SUCCEEDED", "FAILED", "PENDING")) {
            for (Object f : (List<Object>) files.getOrDefault(status, List.of())) {
                String key = text(object(f, "ResultFiles." + status + "[]"), "Key", "ResultFiles." + status + "[].Key");
                Object entries = objects.apply(key);
                if (!(entries instanceof List<?> list)) {
                    throw new IllegalArgumentException(key + " is not a JSON array of child executions");
                }
                list.forEach(e -> out.add(object(e, key + "[]")));
            }
        }
        return out;
    }

    /** One child execution's entry of a results file: its output row, or its failure (the input names the target). */
    static AccountRun childRun(Map<String, Object> e,
                               java.util.function.Function<String, Map<String, Object>> parse) {
        String status = String.valueOf(e.get("Status"));
        if ("SUCCEEDED".equals(status) && e.get("Output") instanceof String output) {
            return run(parse.apply(output));
        }
        Map<String, Object> input = e.get("Input") instanceof String s ? parse.apply(s) : Map.of();
        AccountTarget target = target(input.get("target"), "Input.target");
        String why = e.get("Error") == null ? "the account's execution ended " + status
                : e.get("Error") + (e.get("Cause") == null ? "" : ": " + lambdaMessage(String.valueOf(e.get("Cause"))));
        return AccountRun.notSwept(target, AccountRun.Status.FAILED, why);
    }

    // ------------------------------------------------------------------------------------ the budget stops

    /**
     * The budget step's answer (the state machine keeps it at {@code $.budgets}): only counts and keys, so that the
     * state stays small whatever the number of accounts (it holds at most 256 KB, and going over fails the execution
     * where no Catch can take it). Who the sum found over budget, why it is partial and the messages are the whole
     * answer ({@link #budgetsAnswer}) at {@code answer}, beside the STOP items at {@code stops} (both in the results
     * bucket; the stops' Map reads the items, the summary both).
     * <pre>
     * budgets  in  as the summary's, without budgets
     *          out {"weighed":true,"counts":{"over","partial","told"},"answer"?:{"Bucket","Key"},"stopping",
     *               "stops"?:{"Bucket","Key","accounts"},"error"?}
     *              or {"weighed":false,"stopping":false,"why"|"error"}
     * answer       {"over":["alice"],"partial":["account ...: unreachable ..."],"notifications"?:NOTIFICATIONS}
     * </pre>
     */
    static Map<String, Object> weighed(AccountsWork.Budgets b, String bucket, String key, String answerKey) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("weighed", true);
        Map<String, Object> counts = new LinkedHashMap<>();
        counts.put("over", b.over().size());
        counts.put("partial", b.partial().size());
        counts.put("told", b.told() == null ? 0 : b.told().deliveries().size());
        m.put("counts", counts);
        if (answerKey != null) {
            m.put("answer", Map.of("Bucket", bucket, "Key", answerKey));
        }
        m.put("stopping", !b.stops().isEmpty());
        if (!b.stops().isEmpty()) {
            m.put("stops", Map.of("Bucket", bucket, "Key", key, "accounts", b.stops().size()));
        }
        return m;
    }

    /** The first {@code max} lines of a list, then "... and N more (in the budget step's answer and the log)". */
    static List<Object> capped(Object list, int max) {
        return capped(list, max, "in the budget step's answer in the results bucket and the accounts function's log");
    }

    /** The first {@code max} items of a list, then one line saying how many more there are, and {@code where}. */
    static List<Object> capped(Object list, int max, String where) {
        List<?> l = list instanceof List<?> x ? x : List.of();
        if (l.size() <= max) {
            return List.copyOf(l);
        }
        List<Object> out = new ArrayList<>(l.subList(0, max));
        out.add("... and " + (l.size() - max) + " more (" + where + ")");
        return out;
    }

    /** The budget step's whole answer, as it writes it beside the stops and the summary reads it. */
    static Map<String, Object> budgetsAnswer(AccountsWork.Budgets b) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("over", b.over());
        m.put("partial", b.partial());
        if (b.told() != null) {
            m.put("notifications", b.told().toMap());
        }
        return m;
    }

    /** The budget step's answer when it weighed nothing: {@code why} (no budgets, not this pass) or its failure. */
    static Map<String, Object> notWeighed(String key, String text) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("weighed", false);
        m.put("stopping", false);
        m.put(key, text);
        return m;
    }

    /** Reads the messages the budget step sent ({@link dev.curfew.core.notify.NotificationReport#toMap}). */
    @SuppressWarnings("unchecked")
    static dev.curfew.core.notify.NotificationReport notifications(String pass, Object node) {
        if (!(node instanceof Map<?, ?> m)) {
            return null;
        }
        List<dev.curfew.core.notify.Delivery> deliveries = new ArrayList<>();
        for (Object o : (List<Object>) ((Map<String, Object>) m).getOrDefault("deliveries", List.of())) {
            Map<String, Object> d = object(o, "budgets.notifications.deliveries[]");
            String status = String.valueOf(d.get("status")).toUpperCase(java.util.Locale.ROOT).replace('-', '_');
            dev.curfew.core.notify.Delivery.Status st;
            try {
                st = dev.curfew.core.notify.Delivery.Status.valueOf(status);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("budgets.notifications.deliveries[].status is \"" + d.get("status")
                        + "\"; expected sent, failed, skipped or would-send");
            }
            deliveries.add(new dev.curfew.core.notify.Delivery(str(d, "to"), str(d, "message"), str(d, "channel"),
                    str(d, "address"), number(d, "items"), st, str(d, "detail")));
        }
        List<String> problems = ((List<Object>) ((Map<String, Object>) m).getOrDefault("problems", List.of())).stream()
                .map(String::valueOf).toList();
        return new dev.curfew.core.notify.NotificationReport(pass, null, 0, List.of(), deliveries, List.of(),
                problems);
    }

    /**
     * A STOP item: one account's budget stops, as the budget step writes them (a JSON array in the results bucket,
     * which the stops' Map reads). {@code owners} is what a stop that crashed still names (StopFailed).
     * <pre>
     * STOP:    {"target":TARGET,"owners":["alice"],"spend":{"alice":SPEND}}
     * stop     in  {"step":"stop","pass","curfew","execution","stop":STOP}
     *          out {"target":TARGET,"owners","status","error"?,"rows"?:[ROW...],"regionErrors"?}  (rows: decision stop)
     * </pre>
     */
    static Map<String, Object> stopItem(AccountsWork.Stop stop) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("target", target(stop.target()));
        m.put("owners", List.copyOf(stop.over().keySet()));
        Map<String, Object> spend = new TreeMap<>();
        stop.over().forEach((owner, s) -> spend.put(owner, spendMap(s)));
        m.put("spend", spend);
        return m;
    }

    /** Reads a STOP; a wrong shape names the field. */
    static AccountsWork.Stop stop(Object node, String field) {
        Map<String, Object> m = object(node, field);
        AccountTarget target = target(m.get("target"), field + ".target");
        Map<String, Object> spend = object(m.get("spend"), field + ".spend");
        if (spend.isEmpty()) {
            throw new IllegalArgumentException(field + ".spend is empty; expected each owner over budget with the "
                    + "spend that put them over");
        }
        Map<String, dev.curfew.core.spend.Spend> over = new TreeMap<>();
        spend.forEach((owner, s) -> over.put(dev.curfew.core.budget.BudgetCheck.key(owner),
                spend(s, field + ".spend." + owner)));
        return new AccountsWork.Stop(target, over);
    }

    /** What the stop step reads: {@code {"pass", "curfew", "stop": STOP}}. */
    record StopIn(String pass, Instant curfew, AccountsWork.Stop stop) {
        static StopIn of(Map<String, Object> in) {
            return new StopIn(AccountSteps.pass(in), instant(in, "curfew"), AccountStepsJson.stop(in.get("stop"),
                    "stop"));
        }
    }

    /** The stop step's answer: what the stop path did in one account (its stop rows), or why it did nothing. */
    static Map<String, Object> stopped(BudgetStops.Result r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("target", target(r.target()));
        m.put("owners", r.owners());
        m.put("status", r.status().name());
        if (r.error() != null) {
            m.put("error", cut(r.error(), 1000));
        }
        m.put("rows", r.rows().stream().limit(MAX_ROWS).map(x -> {
            Map<String, Object> row = rowMap(x);
            putCut(row, "name", x.name(), 60);
            return row;
        }).toList());
        m.put("regionErrors", new TreeMap<>(r.regionErrors()));
        return m;
    }

    /** Reads what {@link #stopped} wrote, or what the StopFailed state made of a stop that crashed. */
    static BudgetStops.Result stopResult(Map<String, Object> row) {
        AccountTarget target = target(row.get("target"), "target");
        Object owners = row.get("owners");
        if (!(owners instanceof List<?> list) || !list.stream().allMatch(x -> x instanceof String)) {
            throw new IllegalArgumentException("owners is " + owners + "; expected a list of owners");
        }
        AccountRun.Status s = status(row);
        String error = row.get("error") == null ? null : lambdaMessage(String.valueOf(row.get("error")));
        return new BudgetStops.Result(target, list.stream().map(String::valueOf).toList(), s,
                error == null && s != AccountRun.Status.SWEPT ? "no error was recorded" : error, rows(row),
                regionErrors(row));
    }

    /**
     * Each account's budget stop from the stops' Map results ({@link #children}): a child that succeeded is its
     * answer (a crash its Catch caught included); one that failed or never finished is that account's stop not made
     * (its input names it); a stop planned ({@code planned}) without any result is one too. Each stop once (by its
     * account and owners: a class account with many owners over budget has several), the first result winning.
     */
    static List<BudgetStops.Result> stops(List<AccountsWork.Stop> planned, Map<String, Object> manifest,
                                          java.util.function.Function<String, Object> objects,
                                          java.util.function.Function<String, Map<String, Object>> parse) {
        List<BudgetStops.Result> out = new ArrayList<>();
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (Map<String, Object> e : children(manifest, objects)) {
            String status = String.valueOf(e.get("Status"));
            BudgetStops.Result r;
            if ("SUCCEEDED".equals(status) && e.get("Output") instanceof String output) {
                r = stopResult(parse.apply(output));
            } else {
                Map<String, Object> input = e.get("Input") instanceof String x ? parse.apply(x) : Map.of();
                r = BudgetStops.Result.notMade(stop(input.get("stop"), "Input.stop"), e.get("Error") == null
                        ? "the account's stop ended " + status : e.get("Error") + (e.get("Cause") == null ? ""
                        : ": " + lambdaMessage(String.valueOf(e.get("Cause")))));
            }
            if (seen.add(r.target().account() + " " + r.owners())) {
                out.add(r);
            }
        }
        for (AccountsWork.Stop p : planned) {
            if (seen.add(p.target().account() + " " + List.copyOf(p.over().keySet()))) {
                out.add(BudgetStops.Result.notMade(p, "no result was written for this account's stop by the Map "
                        + "run " + manifest.get("MapRunArn")));
            }
        }
        return out;
    }

    /**
     * A Lambda error's Cause is JSON ({@code {"errorMessage", "errorType", "stackTrace"}}): its type and message;
     * any other text as it is, cut to 1,000 characters.
     */
    static String lambdaMessage(String cause) {
        if (cause.startsWith("{")) {
            try {
                Object m = MAPPER.readValue(cause, Map.class);
                if (m instanceof Map<?, ?> map && map.get("errorMessage") != null) {
                    return (map.get("errorType") == null ? "" : map.get("errorType") + ": ") + map.get("errorMessage");
                }
            } catch (java.io.IOException | RuntimeException notJson) {
                // as it is
            }
        }
        return cause.length() > 1000 ? cause.substring(0, 1000) + "..." : cause;
    }

    private static final io.micronaut.json.JsonMapper MAPPER = io.micronaut.json.JsonMapper.createDefault();

    static Instant instant(Map<String, Object> m, String field) {
        String s = text(m, field, field);
        try {
            return Instant.parse(s);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(field + " is \"" + s + "\"; expected an ISO-8601 instant");
        }
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> object(Object node, String field) {
        if (!(node instanceof Map<?, ?> m)) {
            throw new IllegalArgumentException(field + " is " + (node == null ? "missing" : "\"" + node + "\"")
                    + "; expected a JSON object");
        }
        return (Map<String, Object>) m;
    }

    static String text(Map<String, Object> m, String key, String field) {
        Object v = m.get(key);
        if (!(v instanceof String s) || s.isBlank()) {
            throw new IllegalArgumentException(field + " is " + (v == null ? "missing" : "\"" + v + "\"")
                    + "; expected text");
        }
        return s;
    }

    private static String str(Map<String, Object> m, String key) {
        Object v = m.get(key);
        return v == null ? null : String.valueOf(v);
    }

    private static int number(Map<String, Object> m, String key) {
        return m.get(key) instanceof Number n ? n.intValue() : 0;
    }
}
