package dev.curfew.function.sweeper;

import dev.curfew.core.accounts.AccountFigures;
import dev.curfew.core.accounts.AccountRun;
import dev.curfew.core.accounts.AccountTarget;
import dev.curfew.core.page.ClassPage;
import dev.curfew.core.report.SweepReport;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The budget stops of a pass over many accounts as the summary step reads them (README, "Budgets"): what each
 * account's stop did or why it did not, and the accounts' runs as they stand after the stops, so that the class page
 * and the instructor's summary, built after them, show a stopped instance as stopped. Pure.
 */
final class BudgetStops {
    /** What the page says of an instance the pass's budget stops stopped (dry-run: would have). */
    static final String STOPPED = "stopped for budget in this pass";

    private BudgetStops() {
    }

    /**
     * One account's budget stops: made ({@code status} SWEPT: the stop rows and any region its stop could not read)
     * or not (the status and why).
     *
     * @param owners the owners (lower case) over budget whose instances there were to be stopped
     * @param rows   the stop path's rows deciding {@code stop} (done, already, would, failed)
     */
    record Result(AccountTarget target, List<String> owners, AccountRun.Status status, String error,
                  List<SweepReport.Row> rows, Map<String, String> regionErrors) {
        Result {
            owners = List.copyOf(owners);
            rows = List.copyOf(rows);
            regionErrors = Map.copyOf(new TreeMap<>(regionErrors));
        }

        /** What the stop path did in one account. */
        static Result of(AccountsWork.Stop stop, AccountRun run) {
            SweepReport r = run.report();
            return new Result(stop.target(), List.copyOf(stop.over().keySet()), run.status(), run.error(),
                    r == null ? List.of() : r.rows().stream().filter(x -> "stop".equals(x.decision())).toList(),
                    r == null ? Map.of() : r.regionErrors());
        }

        /** A stop that was not made (its invocation failed, or left no result). */
        static Result notMade(AccountsWork.Stop stop, String why) {
            return new Result(stop.target(), List.copyOf(stop.over().keySet()), AccountRun.Status.FAILED, why,
                    List.of(), Map.of());
        }

        boolean made() {
            return status == AccountRun.Status.SWEPT;
        }

        /** "account 111111111111 ([alice] over budget)". */
        String where() {
            return "account " + target.account() + " (" + owners + " over budget)";
        }

        /**
         * "account ... ([alice] over budget): stop i-0abc done", "...: nothing running to stop", or why nothing was
         * done there ("...: unreachable: ...").
         */
        String line() {
            if (!made()) {
                return where() + ": " + status.text() + (error == null ? "" : ": " + error);
            }
            List<String> done = rows.stream().map(x -> x.id() + " " + x.outcome()).toList();
            return where() + ": " + (done.isEmpty() ? "nothing running to stop" : "stop " + String.join(", ", done))
                    + (regionErrors.isEmpty() ? "" : "; failed: " + regionErrors) + (error == null ? "" : "; " + error);
        }
    }

    /**
     * The stops that did not happen, each with why: an account whose stop was not made, and the regions a stop could
     * not read (what runs there was not stopped). A stop row that failed is in the account's report instead.
     */
    static List<String> notMade(List<Result> results) {
        List<String> out = new ArrayList<>();
        for (Result r : results) {
            if (!r.made()) {
                out.add(r.line());
            } else if (r.error() != null) {
                out.add(r.where() + ": " + r.error());
            }
            if (r.made() && !r.regionErrors().isEmpty()) {
                r.regionErrors().forEach((region, e) -> out.add(r.where() + ": " + region + " could not be read: "
                        + e));
            }
        }
        return out;
    }

    /**
     * The runs as they stand after the stops: each stop row replaces the account's row of the same resource (or is
     * added), so the summary counts it as done (dry-run: would be) or failed; on the class page an instance the stops
     * stopped moves from what runs to what the run did, {@value #STOPPED} (dry-run: the page says enforce would stop
     * it). Runs without stops are returned as they were.
     */
    static List<AccountRun> applied(List<AccountRun> runs, List<Result> results) {
        Map<String, List<SweepReport.Row>> byAccount = new LinkedHashMap<>();
        results.stream().filter(Result::made).forEach(r -> byAccount.computeIfAbsent(r.target().account(),
                k -> new ArrayList<>()).addAll(r.rows()));
        List<AccountRun> out = new ArrayList<>();
        for (AccountRun run : runs) {
            List<SweepReport.Row> stops = byAccount.get(run.target().account());
            if (stops == null || stops.isEmpty() || run.report() == null) {
                out.add(run);
                continue;
            }
            out.add(new AccountRun(run.target(), run.status(), withRows(run.report(), stops), run.error(),
                    run.figures() == null ? null : withStops(run.figures(), stops)));
        }
        return out;
    }

    private static SweepReport withRows(SweepReport r, List<SweepReport.Row> stops) {
        Map<String, SweepReport.Row> rows = new LinkedHashMap<>();
        r.rows().forEach(x -> rows.put(x.kind() + " " + x.id(), x));
        stops.forEach(x -> rows.put(x.kind() + " " + x.id(), x));
        return new SweepReport(r.course(), r.account(), r.mode(), r.now(), r.durationMillis(), r.regions(),
                r.regionErrors(), r.guard(), r.breaker(), List.copyOf(rows.values()), r.calls(), r.notifications());
    }

    private static AccountFigures withStops(AccountFigures f, List<SweepReport.Row> stops) {
        List<ClassPage.Student> students = new ArrayList<>(f.students());
        for (SweepReport.Row stop : stops) {
            for (int i = 0; i < students.size(); i++) {
                ClassPage.Student s = students.get(i);
                ClassPage.Entry running = s.running().stream().filter(e -> names(e, stop.id())).findFirst()
                        .orElse(null);
                if (running != null) {
                    students.set(i, stopped(s, running, stop));
                    break;
                }
            }
        }
        return new AccountFigures(f.spend(), f.spendNote(), students, f.weeks());
    }

    /** Whether a page entry is of the resource {@code id} ("EC2 instance i-0abc, t3.micro, eu-west-1"). */
    private static boolean names(ClassPage.Entry e, String id) {
        String what = e.what() + ",";
        return what.contains(" " + id + ",");
    }

    private static ClassPage.Student stopped(ClassPage.Student s, ClassPage.Entry running, SweepReport.Row stop) {
        List<ClassPage.Entry> stillRunning = new ArrayList<>(s.running());
        List<ClassPage.Entry> acted = new ArrayList<>(s.acted());
        int failed = s.failed();
        switch (stop.outcome()) {
            case "done", "already" -> {
                stillRunning.remove(running);
                acted.add(new ClassPage.Entry(running.label(), running.what(), STOPPED, false));
            }
            case "would" -> {
                stillRunning.set(stillRunning.indexOf(running), new ClassPage.Entry(running.label(), running.what(),
                        "enforce would stop it: over budget", false));
                acted.add(new ClassPage.Entry(running.label(), running.what(), "would be " + STOPPED, false));
            }
            case "failed" -> {
                failed++;
                acted.add(new ClassPage.Entry(running.label(), running.what(), "could not be " + STOPPED
                        + (stop.detail() == null ? "" : ": " + stop.detail()), true));
            }
            default -> {
                return s;
            }
        }
        return new ClassPage.Student(s.owner(), s.name(), stillRunning, s.marked(), acted, failed, s.spend(),
                s.budget());
    }
}
