package dev.curfew.cli;

import dev.curfew.core.accounts.AccountRun;
import dev.curfew.core.accounts.AccountTarget;
import dev.curfew.core.report.ReportText;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** What {@code curfew plan|apply --accounts all} prints: each account's line and report, a total, the exit code. */
final class AccountRuns {
    private AccountRuns() {
    }

    /** The header of one account: account, owner, how Curfew knows it, what became of it. */
    static String header(AccountRun r) {
        AccountTarget t = r.target();
        return "== account " + t.account() + (t.owner() == null ? "" : " (" + t.owner() + ")") + ", "
                + t.source().text() + ": " + r.status().text();
    }

    /** Every account's header and report (or its error), then the total. */
    static String text(List<AccountRun> runs) {
        return text(runs, List.of());
    }

    /**
     * As {@link #text(List)}, and before the total one {@code == not swept: ...} line per problem that kept accounts
     * out of the sweep (an Organization unit that could not be listed).
     */
    static String text(List<AccountRun> runs, List<String> problems) {
        StringBuilder b = new StringBuilder();
        for (AccountRun r : runs) {
            b.append(header(r)).append('\n');
            if (r.report() != null) {
                b.append(ReportText.render(r.report())).append('\n');
            } else {
                b.append("   ").append(r.error()).append("\n\n");
            }
        }
        problems.forEach(x -> b.append("== not swept: ").append(x).append("\n\n"));
        return b.append(total(runs)).append(problems.isEmpty() ? "" : "; " + problems.size() + " problem"
                + (problems.size() == 1 ? "" : "s") + " kept accounts out of the sweep").toString();
    }

    /** One line: how many accounts, and how many came to each end. */
    static String total(List<AccountRun> runs) {
        Map<AccountRun.Status, Integer> by = new EnumMap<>(AccountRun.Status.class);
        runs.forEach(r -> by.merge(r.status(), 1, Integer::sum));
        List<String> parts = new ArrayList<>();
        by.forEach((s, n) -> parts.add(n + " " + s.text()));
        long failed = runs.stream().filter(r -> r.report() != null && r.report().anyFailed()).count();
        return runs.size() + " account" + (runs.size() == 1 ? "" : "s") + ": "
                + (parts.isEmpty() ? "none swept" : String.join(", ", parts))
                + (failed == 0 ? "" : "; " + failed + " swept with failures (see their reports)");
    }

    /** {@code {"accounts": [{account, owner, source, status, error, report}]}}. */
    static Map<String, Object> json(List<AccountRun> runs) {
        return json(runs, List.of());
    }

    /** As {@link #json(List)}, with {@code "problems": [...]} (what kept accounts out of the sweep) when any. */
    static Map<String, Object> json(List<AccountRun> runs, List<String> problems) {
        Map<String, Object> out = accounts(runs);
        if (!problems.isEmpty()) {
            out.put("problems", List.copyOf(problems));
        }
        return out;
    }

    private static Map<String, Object> accounts(List<AccountRun> runs) {
        List<Object> list = new ArrayList<>();
        for (AccountRun r : runs) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("account", r.target().account());
            m.put("owner", r.target().owner());
            m.put("source", r.target().source().name().toLowerCase(Locale.ROOT));
            m.put("status", r.status().name().toLowerCase(Locale.ROOT));
            m.put("error", r.error());
            m.put("report", r.report() == null ? null : r.report().toMap());
            list.add(m);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("accounts", list);
        return out;
    }

    /** 0 when every account was swept without a failure; 1 otherwise. */
    static int exitCode(List<AccountRun> runs) {
        return runs.stream().allMatch(r -> r.status() == AccountRun.Status.SWEPT && !r.report().anyFailed()) ? 0 : 1;
    }
}
