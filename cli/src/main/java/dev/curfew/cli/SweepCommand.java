package dev.curfew.cli;

import dev.curfew.aws.AwsClients;
import dev.curfew.aws.AwsCloud;
import dev.curfew.aws.PolicySource;
import dev.curfew.aws.accounts.AccountSessions;
import dev.curfew.aws.accounts.AccountSweeps;
import dev.curfew.aws.budget.BudgetRecords;
import dev.curfew.aws.notify.ClassPages;
import dev.curfew.aws.spend.RunRecords;
import dev.curfew.aws.spend.Spending;
import dev.curfew.core.accounts.AccountRun;
import dev.curfew.core.accounts.AccountTarget;
import dev.curfew.core.notify.Roster;
import dev.curfew.core.policy.Durations;
import dev.curfew.core.policy.Mode;
import dev.curfew.core.policy.Policy;
import dev.curfew.core.policy.PolicyOverride;
import dev.curfew.core.report.Json;
import dev.curfew.core.report.ReportText;
import dev.curfew.core.report.SweepReport;
import dev.curfew.core.spend.ClassSpend;
import dev.curfew.core.sweep.Deadline;
import dev.curfew.core.sweep.SweepEngine;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** The options {@code plan} and {@code apply} share, and the sweep they run. */
public abstract class SweepCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--policy", paramLabel = "FILE|s3://BUCKET/KEY|bundled", defaultValue = "bundled",
            description = "The policy to sweep with (default: ${DEFAULT-VALUE}, the lesson's own).")
    String policy;

    @Mixin
    AwsOptions aws;

    @Option(names = "--regions", paramLabel = "all|R1,R2",
            description = "Regions to sweep, overriding the policy's.")
    String regions;

    @Option(names = "--accounts", paramLabel = "ID,ID|all",
            description = "Accounts the guard allows, overriding the policy's; or all: sweep the class account and "
                    + "every student's own account in the roster (through its curfew-access role).")
    String accounts;

    @Option(names = "--account-threads", paramLabel = "N", defaultValue = "8",
            description = "With --accounts all: accounts swept at once, 1 to 64 (default: ${DEFAULT-VALUE}).")
    int accountThreads;

    @Option(names = "--roster", paramLabel = "FILE|s3://BUCKET/KEY|ssm:/NAME",
            description = "With --accounts all: the roster whose account column names the students' accounts; "
                    + "with --html: the page's students, read before anything is swept (default: the policy's "
                    + "notifications.roster).")
    String roster;

    @Option(names = "--now", paramLabel = "INSTANT", description = "Sweep as if it were this ISO-8601 instant, "
            + "e.g. 2026-11-25T18:00:00Z (for rehearsals and tests).")
    String now;

    @Option(names = "--json", description = "Print the report as JSON instead of a table.")
    boolean json;

    @Option(names = "--html", paramLabel = "FILE", description = "Also save the class page as one self-contained "
            + "HTML file (its directory must exist): every student, what runs, what is marked and when it goes, spend "
            + "against budget, money saved by week; with --accounts all one page of every account.")
    String html;
    /** Where {@link #html} is saved, checked before anything is read; null without {@code --html}. */
    Path page;

    @Option(names = "--stack", paramLabel = "NAME", description = "The deployed Curfew stack whose records the "
            + "spend only reads (default: the stack curfew's): its sentinel's run records priced, this week's budget "
            + "top-ups counted and, with --html of one account, the kept figures of closed weeks added to the course "
            + "totals; the class page charts what its runs saved (CloudWatch Curfew/NAME; default: this sweep's only).")
    String stack;

    @Option(names = "--time-budget", paramLabel = "DURATION", defaultValue = "10m",
            description = "How long buckets may be emptied, counted from the start (default: ${DEFAULT-VALUE}); "
                    + "every other action comes first whatever the time. A bucket not finished keeps its mark and "
                    + "the next run continues.")
    String timeBudget;

    abstract Mode mode();

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Clock clock = clock(now);
        Deadline emptying = Deadline.after(timeBudget(timeBudget), Clock.systemUTC());
        List<PolicyOverride> overrides = new ArrayList<>();
        overrides.add(new PolicyOverride("mode", mode().wireName(), "curfew " + spec.name()));
        if (regions != null) {
            overrides.add(new PolicyOverride("regions", regions, "--regions"));
        }
        boolean all = accounts != null && accounts.trim().equalsIgnoreCase("all");
        if (!all && accounts != null && java.util.Arrays.stream(accounts.split(",")).map(String::trim)
                .anyMatch(x -> x.equalsIgnoreCase("all"))) {
            throw new IllegalArgumentException("--accounts \"" + accounts + "\": all sweeps every account and is "
                    + "given alone; or list account ids (12 digits, comma-separated)");
        }
        if (all && (accountThreads < 1 || accountThreads > 64)) {
            throw new IllegalArgumentException("--account-threads " + accountThreads + " is not between 1 and 64");
        }
        if (stack != null && !stack.matches("[A-Za-z][A-Za-z0-9-]{0,127}")) {
            throw new IllegalArgumentException("--stack \"" + stack + "\" is not a CloudFormation stack name");
        }
        page = html == null ? null : ReportCommand.checked(html);
        if (accounts != null && !all) {
            overrides.add(new PolicyOverride("accounts", accounts, "--accounts"));
        }
        try (AwsClients clients = aws.clients()) {
            Policy p = PolicySource.load(policy, overrides, clients);
            if (all) {
                return allAccounts(clients, p, clock, emptying, out, err);
            }
            // the page's roster is read before the sweep: one that cannot be read is refused with nothing changed
            Roster r = page == null ? null : pageRoster(clients, p, err);
            SweepEngine engine = new SweepEngine(new AwsCloud(clients, policy), clock, 8, line -> {
                err.println("curfew: " + line);
                err.flush();
            }).withDeadline(emptying);
            SweepEngine.Result result = engine.runWithPlan(p);
            SweepReport report = result.report();
            // with --html, the page's figures are printed with the report: the same spend, read once; the report of
            // what was done is printed whatever fails after the sweep
            ClassSpend spend;
            try {
                spend = page == null ? null : spend(clients, p, result, err);
            } catch (RuntimeException e) {
                print(out, p, report, null, r);
                throw e;
            }
            print(out, p, report, spend, r);
            if (page != null) {
                save(ClassPages.html(clients, stack, p, result, r, spend), err);
            }
            return report.anyFailed() ? 1 : 0;
        }
    }

    /** The report of one account's sweep, with {@code spend} (null: none) as on the class page. */
    private void print(PrintWriter out, Policy p, SweepReport report, ClassSpend spend, Roster r) {
        if (json) {
            java.util.Map<String, Object> m = report.toMap();
            if (spend != null) {
                m.putAll(AccountRuns.spendJson(p, spend, r));
            }
            out.println(Json.write(m));
        } else {
            out.println(ReportText.render(report) + (spend == null ? "" : "\n"
                    + AccountRuns.spendText(p, spend, r, "as on the class page").stripTrailing()));
        }
        out.flush();
    }

    /** The class page's roster: {@code --roster}, else the policy's; none: the owners the sweep saw. */
    private Roster pageRoster(AwsClients clients, Policy p, PrintWriter err) {
        String location = roster != null ? roster : p.notifications().roster();
        return location == null || location.isBlank() ? Roster.empty(null) : Rosters.load(location, clients, err);
    }

    /**
     * Each student's spend as the deployed sweeper's class page has it: Curfew's estimate from what the plan listed
     * with the week's runs the sentinel recorded, and the course totals with the kept figures of closed weeks, only
     * read (a CLI run never closes a week); against their limits when the policy sets budgets, with this week's
     * top-ups. All are the records of {@code --stack} (default {@code curfew}). What cannot be read is said here and
     * in the figures (kept weeks: totals "at least"; top-ups: no budgets), never counted as nothing.
     */
    private ClassSpend spend(AwsClients clients, Policy p, SweepEngine.Result result, PrintWriter err) {
        Instant now = result.report().now();
        software.amazon.awssdk.services.ssm.SsmClient ssm = clients.ssm(clients.settings().homeRegion().id());
        ClassSpend spend = new Spending(null, Clock.fixed(now, ZoneOffset.UTC)).withBudgets(budgetRecords(clients, p))
                .withRuns((zone, at) -> RunRecords.read(ssm, stackName(), zone, at, null))
                .withKeptWeeks(new dev.curfew.aws.budget.SpentRecords(ssm, stackName()))
                .estimate(p, result.plan().decisions(), result.report().regionErrors().isEmpty());
        if (spend.note() != null) {
            err.println("curfew: " + spend.note());
            err.flush();
        }
        return spend;
    }

    /** The budget records of {@code --stack} (default {@code curfew}) when the policy sets budgets, else null. */
    private BudgetRecords budgetRecords(AwsClients clients, Policy p) {
        return p.budgets().any() ? new BudgetRecords(clients.ssm(clients.settings().homeRegion().id()), stackName())
                : null;
    }

    /** {@code --stack}, else the stack Curfew deploys as by default. */
    String stackName() {
        return stack == null ? BudgetCommand.DEFAULT_STACK : stack;
    }

    /** Writes the class page to {@link #page}. */
    private void save(String html, PrintWriter err) {
        try {
            Files.writeString(page, html, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalArgumentException("--html " + this.html + " cannot be written: " + e);
        }
        err.println("curfew: the class page is in " + page);
        err.flush();
    }

    /**
     * {@code --accounts all}: the class account and every enrolled account, a few at a time; with budgets the class
     * account first, so that a student's spend there counts toward their budget in their own account. Then every
     * student's spend across the accounts, and with {@code --html} one class page of every account.
     */
    private int allAccounts(AwsClients clients, Policy p, Clock clock, Deadline emptying, PrintWriter out,
                            PrintWriter err) {
        Roster r = roster(clients, p, err);
        try (AccountSessions sessions = new AccountSessions(clients, SESSION)) {
            AccountSweeps sweeps = new AccountSweeps(sessions, policy, clock, line -> {
                err.println("curfew: " + line);
                err.flush();
            }).withBudgets(budgetRecords(clients, p));
            List<AccountTarget> targets = sweeps.targets(p, r);
            // the curfew pass in the policy's mode (plan: dry-run), which carries each account's spend and page rows;
            // the sweeps send no messages. With budgets the class account goes first: what a student spent there is
            // added to their spend where their budget is weighed, in their own account.
            List<AccountTarget> first = p.budgets().any() ? targets.stream().filter(t -> !t.assumesRole()).toList()
                    : List.of();
            List<AccountRun> before = sweeps.sweepAll(first, p, "curfew", emptying, accountThreads,
                    t -> spending(clients, clock, t, null));
            ClassSpend there = sweeps.classSpend(p, before, clock.instant());
            List<AccountRun> after = sweeps.sweepAll(targets.stream().filter(t -> !first.contains(t)).toList(), p,
                    "curfew", emptying, accountThreads, t -> spending(clients, clock, t, there.of(t.owner())));
            List<AccountRun> runs = new ArrayList<>(before);
            runs.addAll(after);
            runs.sort(java.util.Comparator.comparingInt(x -> targets.indexOf(x.target())));
            List<String> problems = sweeps.problems();
            Instant now = clock.instant();
            ClassSpend spend = sweeps.classSpend(p, runs, now);
            // the class account was swept before the sum existed: a student over budget only by the sum is stopped
            // there now, through its stop path acting on the budget's stops alone (plan: what would be stopped)
            List<AccountRun> stops = classStops(sweeps, first, p, spend, there);
            out.println(json ? Json.write(AccountRuns.withBudgetStops(AccountRuns.json(runs, problems, p, spend, r),
                    stops)) : AccountRuns.text(runs, problems, AccountRuns.spendText(p, spend, r)
                    + AccountRuns.budgetStopsText(stops)));
            if (page != null) {
                save(ClassPages.accountsHtml(clients, stack, p, now, runs, problems, r, spend), err);
            }
            boolean unread = r.size() == 0 && !r.problems().isEmpty();
            if (unread) {
                err.println("curfew: the roster could not be read: no student's own account was swept");
                err.flush();
            }
            // a unit that could not be listed: its accounts were not swept, which the exit code must say too
            List<AccountRun> all = new ArrayList<>(runs);
            all.addAll(stops);
            return unread || !problems.isEmpty() ? 1 : AccountRuns.exitCode(all);
        }
    }

    /**
     * The class account's stops of the students over budget by their spend summed across the accounts and not by
     * their spend there alone (those its own sweep already weighed): none without budgets or such a student.
     */
    private static List<AccountRun> classStops(AccountSweeps sweeps, List<AccountTarget> classAccount, Policy p,
                                               ClassSpend summed, ClassSpend there) {
        java.util.Map<String, dev.curfew.core.spend.Spend> over = new java.util.LinkedHashMap<>();
        for (dev.curfew.core.spend.Spend s : summed.rows()) {
            dev.curfew.core.budget.Standing sum = summed.standing(s.student());
            dev.curfew.core.budget.Standing alone = there.standing(s.student()); // null: no spend there
            if (sum != null && sum.over() && there.of(s.student()) != null && (alone == null || !alone.over())) {
                over.put(dev.curfew.core.budget.BudgetCheck.key(s.student()), s);
            }
        }
        if (over.isEmpty()) {
            return List.of();
        }
        return classAccount.stream().map(t -> sweeps.stopOverBudget(t, p, over)).toList();
    }

    /**
     * One account's spend: Curfew's estimate with the week's runs the sentinel recorded of its instances (the records
     * of {@code --stack}), and {@code elsewhere} (the account's student's spend in the class account; null: none)
     * added for their budget.
     */
    private Spending spending(AwsClients clients, Clock clock, AccountTarget t, dev.curfew.core.spend.Spend elsewhere) {
        return new Spending(null, clock).withRuns((zone, at) -> RunRecords.read(clients.ssm(clients.settings()
                .homeRegion().id()), stackName(), zone, at, t.assumesRole() ? t.account() : null))
                .withElsewhere(elsewhere == null ? List.of() : List.of(elsewhere));
    }

    /** The role session name in students' accounts: what they see in their CloudTrail. */
    static final String SESSION = "curfew-cli";

    /** The roster of {@code --roster}, else the policy's; none: only the class account is swept. */
    Roster roster(AwsClients clients, Policy p, PrintWriter err) {
        String location = roster != null ? roster : p.notifications().roster();
        if (location == null || location.isBlank()) {
            err.println("curfew: no roster (--roster or the policy's notifications.roster): only the class account "
                    + "is swept");
            return Roster.empty(null);
        }
        return Rosters.load(location, clients, err);
    }

    static Clock clock(String now) {
        if (now == null) {
            return Clock.systemUTC();
        }
        try {
            return Clock.fixed(Instant.parse(now), ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("--now \"" + now + "\" is not an ISO-8601 instant such as "
                    + "2026-11-25T18:00:00Z");
        }
    }

    /** The {@code --time-budget}: a duration as policies write them (90s, 10m, 1h30m), more than zero. */
    static Duration timeBudget(String text) {
        Duration d = Durations.parse(text);
        if (d == null) {
            throw new IllegalArgumentException("--time-budget \"" + text + "\" is not a duration such as 10m, 90s "
                    + "or 1h30m");
        }
        if (d.isZero()) {
            throw new IllegalArgumentException("--time-budget \"" + text + "\" is zero: give the time buckets may be "
                    + "emptied for, such as 10m");
        }
        return d;
    }

    @Command(name = "plan", mixinStandardHelpOptions = true,
            description = "Show what Curfew would do now. Always a dry-run: nothing is changed.")
    public static final class Plan extends SweepCommand {
        @Override
        Mode mode() {
            return Mode.DRY_RUN;
        }
    }

    @Command(name = "apply", mixinStandardHelpOptions = true,
            description = "Sweep in enforce mode: stop and terminate what the policy says. The account guard "
                    + "refuses any account the policy (or --accounts) does not list.")
    public static final class Apply extends SweepCommand {
        @Override
        Mode mode() {
            return Mode.ENFORCE;
        }
    }
}
