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
 * list step    in  {"step":"list","pass":"curfew","execution":"arn:...:execution:..."}
 *              out {"pass","curfew","course","mode","maxConcurrency","stoodAside":false,"accounts":[TARGET...]}
 *                  or {"pass","curfew","stoodAside":true,"why"}
 * worker       in  {"step":"sweep","pass","curfew","execution","target":TARGET}
 *              out ROW: {"target":TARGET,"status","error"?,"mode","decisions","outcomes","savedPerMonthUsd",
 *                        "regions","regionErrors","breaker","rows","rowsLeftOut","report"}
 * summary      in  {"step":"summary","pass","curfew","execution","results":{"ResultWriterDetails":{"Bucket","Key"}}}
 *              out {"pass","curfew","accounts","byStatus","notifications"}
 * TARGET:          {"account":"123456789012","owner":"alice","source":"ROSTER"}
 * </pre>
 */
final class AccountStepsJson {
    /** A row keeps the resources acted on (not the skipped ones) up to this many; the log has them all. */
    static final int MAX_ROWS = 150;

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
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("pass", pass);
        m.put("curfew", curfew.toString());
        m.put("course", course);
        m.put("mode", mode);
        m.put("maxConcurrency", maxConcurrency);
        m.put("stoodAside", false);
        m.put("accounts", targets.stream().map(AccountStepsJson::target).toList());
        return m;
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
     * resources, only those acted on (or, in dry-run, that would be).
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
            List<SweepReport.Row> acted = r.rows().stream().filter(x -> !"skip".equals(x.decision())).toList();
            m.put("rows", acted.stream().limit(MAX_ROWS).map(AccountStepsJson::rowMap).toList());
            m.put("rowsLeftOut", Math.max(0, acted.size() - MAX_ROWS) + (r.rows().size() - acted.size()));
        }
        m.put("report", where);
        return m;
    }

    private static Map<String, Object> rowMap(SweepReport.Row r) {
        Map<String, Object> m = new LinkedHashMap<>();
        r.toMap().forEach((k, v) -> {
            if (v != null) {
                m.put(k, v);
            }
        });
        return m;
    }

    /** Reads a worker's ROW back as an {@link AccountRun} (the report holds the row's resources only). */
    @SuppressWarnings("unchecked")
    static AccountRun run(Map<String, Object> row) {
        AccountTarget target = target(row.get("target"), "target");
        String status = text(row, "status", "status");
        AccountRun.Status s;
        try {
            s = AccountRun.Status.valueOf(status);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("status is \"" + status + "\"; expected one of "
                    + java.util.Arrays.toString(AccountRun.Status.values()));
        }
        String error = row.get("error") == null ? null : String.valueOf(row.get("error"));
        if (s != AccountRun.Status.SWEPT || !row.containsKey("now")) {
            return new AccountRun(target, s, null, error != null ? error : s == AccountRun.Status.SWEPT ? null
                    : "no error was recorded");
        }
        Map<String, Object> b = object(row.get("breaker"), "breaker");
        List<SweepReport.Row> rows = new ArrayList<>();
        for (Object o : (List<Object>) row.getOrDefault("rows", List.of())) {
            Map<String, Object> r = object(o, "rows[]");
            rows.add(new SweepReport.Row(str(r, "kind"), str(r, "id"), str(r, "name"), str(r, "region"),
                    str(r, "owner"), str(r, "state"), str(r, "type"),
                    ((List<Object>) r.getOrDefault("findings", List.of())).stream().map(String::valueOf).toList(),
                    str(r, "decision"), str(r, "reason"), str(r, "outcome"), str(r, "detail"),
                    r.get("costPerHour") instanceof Number n ? n.doubleValue() : null));
        }
        Map<String, String> regionErrors = new TreeMap<>();
        ((Map<String, Object>) row.getOrDefault("regionErrors", Map.of()))
                .forEach((k, v) -> regionErrors.put(k, String.valueOf(v)));
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
        return new AccountRun(target, s, report, error);
    }

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
