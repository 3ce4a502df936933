package dev.curfew.cli;

import dev.curfew.core.accounts.AccountRun;
import dev.curfew.core.accounts.AccountTarget;
import dev.curfew.core.budget.Standing;
import dev.curfew.core.notify.Contact;
import dev.curfew.core.notify.Digest;
import dev.curfew.core.notify.Digests;
import dev.curfew.core.notify.Roster;
import dev.curfew.core.policy.Policy;
import dev.curfew.core.report.ReportText;
import dev.curfew.core.spend.ClassSpend;
import dev.curfew.core.spend.Spend;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What {@code curfew plan|apply --accounts all} prints: each account's line and report, the spend table, a total, the
 * exit code.
 */
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
        return text(runs, problems, "");
    }

    /** As {@link #text(List, List)}, with {@code spend} (the spend table, {@link #spendText}) before the total. */
    static String text(List<AccountRun> runs, List<String> problems, String spend) {
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
        return b.append(spend).append(total(runs)).append(problems.isEmpty() ? "" : "; " + problems.size() + " problem"
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

    /**
     * As {@link #json(List, List)}, with {@code "spend": [{student, name, weekDollars, totalDollars, weekHours,
     * totalHours, source, weekLimit, courseLimit, percent, overBudget}]} (every student's across the accounts, against
     * their limits; {@code percent} null when they have none) and {@code "spendNote"}.
     */
    static Map<String, Object> json(List<AccountRun> runs, List<String> problems, Policy p, ClassSpend spend,
                                    Roster roster) {
        Map<String, Object> out = json(runs, problems);
        out.putAll(spendJson(p, spend, roster));
        return out;
    }

    /**
     * {@code "spend": [{student, name, weekDollars, totalDollars, weekHours, totalHours, source, weekLimit,
     * courseLimit, percent, overBudget}]}, {@code "totalsPartial"} (the course totals leave out kept weeks that could
     * not be read: each is at least what it says) and {@code "spendNote"}.
     */
    static Map<String, Object> spendJson(Policy p, ClassSpend spend, Roster roster) {
        Map<String, Object> out = new LinkedHashMap<>();
        List<Object> rows = new ArrayList<>();
        for (Spend s : spend.rows()) {
            Contact c = roster.find(s.student());
            Standing st = spend.standing(s.student());
            ClassSpend.Budget b = spend.budget(s.student());
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("student", s.student());
            m.put("name", c == null ? null : c.name());
            m.put("weekDollars", s.weekDollars());
            m.put("totalDollars", s.totalDollars());
            m.put("weekHours", s.weekInstanceHours());
            m.put("totalHours", s.totalInstanceHours());
            m.put("source", s.source() == Spend.Source.COST_EXPLORER ? "billed" : "estimate");
            m.put("weekLimit", b == null || b.week() == null ? null : b.week().wire());
            m.put("courseLimit", b == null || b.course() == null ? null : b.course().wire());
            m.put("percent", st == null || Double.isInfinite(st.percent()) ? null : Math.round(st.percent()));
            m.put("overBudget", st != null && st.over());
            rows.add(m);
        }
        out.put("spend", rows);
        out.put("totalsPartial", spend.partialTotal());
        out.put("spendNote", Digests.spendNote(p, spend));
        return out;
    }

    /**
     * The spend table: one line per student (their figures from every account added up: this week, against the
     * weekly limit; in total, against the course's; instance hours this week; estimate or billed; over budget), and
     * where the figures come from.
     */
    static String spendText(Policy p, ClassSpend spend, Roster roster) {
        return spendText(p, spend, roster, "every account together");
    }

    /** As {@link #spendText(Policy, ClassSpend, Roster)}, the header saying {@code whose} figures they are. */
    static String spendText(Policy p, ClassSpend spend, Roster roster, String whose) {
        StringBuilder b = new StringBuilder("== spend (name, owner: this week / in total / instance hours this week, "
                + "source; " + whose + ")\n");
        List<Digest.SpendRow> rows = Digests.spendRows(spend, roster);
        if (rows.isEmpty()) {
            b.append("   nothing was spent\n");
        }
        for (Digest.SpendRow r : rows) {
            Standing st = spend.standing(r.owner());
            b.append("   ").append(r.name()).append(", ").append(r.owner()).append(": ").append(r.week())
                    .append(" / ").append(r.total()).append(" / ").append(r.weekHours()).append(", ")
                    .append(r.source()).append(st != null && st.over() ? ", OVER BUDGET" : "").append('\n');
        }
        return b.append("   ").append(Digests.spendNote(p, spend)).append("\n\n").toString();
    }

    /**
     * The class account's stops of students over budget only by the sum ({@code == budget stops ...} and the
     * report of what was, or in a plan would be, stopped); empty without any.
     */
    static String budgetStopsText(List<AccountRun> stops) {
        StringBuilder b = new StringBuilder();
        for (AccountRun r : stops) {
            b.append("== budget stops by the sum across the accounts, ").append(header(r).substring(3)).append('\n');
            b.append(r.report() != null ? ReportText.render(r.report()) + "\n" : "   " + r.error() + "\n\n");
        }
        return b.toString();
    }

    /** {@code json} with {@code "budgetStops": [...]} (as {@code accounts}) when there are any. */
    static Map<String, Object> withBudgetStops(Map<String, Object> json, List<AccountRun> stops) {
        if (!stops.isEmpty()) {
            json.put("budgetStops", accounts(stops).get("accounts"));
        }
        return json;
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
