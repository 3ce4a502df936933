package dev.curfew.function.sweeper;

import dev.curfew.aws.AwsCloud;
import dev.curfew.aws.accounts.AccountSessions;
import dev.curfew.aws.accounts.AccountSweeps;
import dev.curfew.aws.notify.Notifier;
import dev.curfew.aws.notify.RosterSource;
import dev.curfew.aws.spend.CostExplorerSpend;
import dev.curfew.core.accounts.AccountRun;
import dev.curfew.core.accounts.AccountTarget;
import dev.curfew.core.budget.CourseWeek;
import dev.curfew.core.notify.NotificationReport;
import dev.curfew.core.notify.Roster;
import dev.curfew.core.policy.Policy;
import dev.curfew.core.sweep.Deadline;
import dev.curfew.function.common.Deployment;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * The accounts steps' work done by the engine the CLI's {@code --accounts all} runs: {@link AccountSweeps} (each
 * account under its own guard and scope, reached through its curfew-access role with the session name
 * {@value #SESSION}, which students see in their CloudTrail) and {@link Notifier#accountsSummary}.
 */
@Singleton
public class AwsAccountsWork implements AccountsWork {
    private static final Logger LOG = LogManager.getLogger(AwsAccountsWork.class);
    /** The role session name in students' accounts. */
    static final String SESSION = "curfew-sweeper";

    private final SweepService service;
    private final Deployment deployment;
    private final SweeperConfig config;
    private final Clock clock;
    /** Each account's clients, kept while the function instance lives (credentials are refreshed as they expire). */
    private final AccountSessions sessions;

    /** Where the class page of the curfew pass goes; none until the context injects it. */
    private ClassPageConfig pages = new ClassPageConfig(null, ClassPageConfig.DEFAULT_LINK_HOURS);

    public AwsAccountsWork(SweepService service, Deployment deployment, SweeperConfig config, Clock clock) {
        this.service = service;
        this.deployment = deployment;
        this.config = config;
        this.clock = clock;
        this.sessions = new AccountSessions(service.clients(), SESSION);
    }

    @jakarta.inject.Inject
    void classPages(ClassPageConfig config) {
        this.pages = config;
    }

    /**
     * A fresh engine per step: it accepts only the accounts its own {@link AccountSweeps#targets} found. Its budget
     * records are the step's one {@code records} (each lists this week's top-ups at most once).
     */
    private AccountSweeps sweeps(dev.curfew.aws.budget.BudgetRecords records) {
        return sweeps(clock, records);
    }

    private AccountSweeps sweeps(Clock at, dev.curfew.aws.budget.BudgetRecords records) {
        return new AccountSweeps(sessions, deployment.policy(), at, LOG::info).withMessages(deployment.slackApiUrl())
                .withBudgets(records);
    }

    @Override
    public Listing list(Policy policy) {
        AccountSweeps sweeps = sweeps(budgetRecords());
        List<String> leftOut = new java.util.ArrayList<>();
        List<AccountTarget> targets = targets(sweeps, policy, leftOut);
        List<String> problems = new java.util.ArrayList<>(sweeps.problems());
        // a row left out may name a student's own account: it was not listed (and its spend is in no week's sum)
        leftOut.forEach(p -> problems.add("the roster left a row out (its account, if any, was not swept): " + p));
        return new Listing(targets, problems);
    }

    private List<AccountTarget> targets(AccountSweeps sweeps, Policy policy) {
        return targets(sweeps, policy, new java.util.ArrayList<>());
    }

    private List<AccountTarget> targets(AccountSweeps sweeps, Policy policy, List<String> leftOut) {
        Roster roster = RosterSource.load(policy.notifications().roster(), service.clients());
        leftOut.addAll(roster.problems());
        if (roster.size() == 0 && !roster.problems().isEmpty()) {
            throw new IllegalStateException("the roster " + policy.notifications().roster() + " could not be read ("
                    + String.join("; ", roster.problems()) + "): no student's own account would be swept");
        }
        return sweeps.targets(policy, roster);
    }

    @Override
    public List<AccountTarget> targets(Policy policy) {
        return targets(sweeps(budgetRecords()), policy);
    }

    /**
     * Cost Explorer asked twice for the whole pass, in the deployment account: the students' own accounts by linked
     * account (AWS has figures for them only where they are members of the deployment's Organization, asked in its
     * management account), and the class account by the owner tag, its own cost alone.
     */
    @Override
    public java.util.Map<String, CostExplorerSpend.Answer> billed(Policy policy, List<AccountTarget> targets) {
        CostExplorerSpend ce = new CostExplorerSpend(service.clients().costExplorer());
        Instant now = clock.instant();
        CostExplorerSpend.Window w = CostExplorerSpend.Window.of(
                CourseWeek.start(policy.timeZone(), now), policy.timeZone(), now, null);
        java.util.Map<String, String> students = new java.util.LinkedHashMap<>();
        targets.stream().filter(t -> t.assumesRole() && t.owner() != null)
                .forEach(t -> students.put(t.account(), t.owner()));
        CostExplorerSpend.Answer byAccount = students.isEmpty() ? null : ce.byAccount(students, w);
        java.util.Map<String, CostExplorerSpend.Answer> out = new java.util.HashMap<>();
        for (AccountTarget t : targets) {
            if (!t.assumesRole()) {
                out.put(t.account(), ce.byOwnerTag(policy.ownerTag(), w, t.account()));
            } else if (t.owner() != null && byAccount != null) {
                out.put(t.account(), !byAccount.ok() ? byAccount : new CostExplorerSpend.Answer(
                        byAccount.billed().containsKey(t.owner()) ? java.util.Map.of(t.owner(),
                                byAccount.billed().get(t.owner())) : java.util.Map.of(), null));
            }
        }
        LOG.info("Cost Explorer: billed figures for {} of {} accounts", out.values().stream()
                .filter(a -> a.ok() && !a.billed().isEmpty()).count(), targets.size());
        return out;
    }

    @Override
    public AccountRun sweep(AccountTarget target, Policy policy, String pass, Instant curfew, Deadline emptying,
                            CostExplorerSpend.Answer billed, List<java.time.LocalDate> weeksOver) {
        // the warning plans as of the curfew the list step named (the first curfew after a second before it)
        AccountSweeps sweeps = sweeps("warning".equals(pass) ? Clock.fixed(curfew.minusSeconds(1),
                java.time.ZoneOffset.UTC) : clock, budgetRecords());
        AccountRun refused = refused(sweeps, policy, target);
        if (refused != null) {
            return refused;
        }
        // the sentinel's records of this account's instances' runs (written in the deployment account), read once
        String account = target.source() == AccountTarget.Source.HOME ? null : target.account();
        return sweeps.sweep(target, policy, pass, emptying, dev.curfew.aws.spend.Spending.answered(billed, clock)
                .withRuns((zone, now) -> dev.curfew.aws.spend.RunRecords.read(service.clients().ssm(service.clients()
                        .settings().homeRegion().id()), deployment.stackName(), zone, now, account))
                .withWeeksOver(weeksOver));
    }

    @Override
    public List<java.time.LocalDate> weeksDue(Policy policy, String pass) {
        return dev.curfew.aws.accounts.AccountWeeks.due(spentRecords(), policy, pass, clock.instant());
    }

    private dev.curfew.aws.budget.SpentRecords spentRecords() {
        return new dev.curfew.aws.budget.SpentRecords(service.clients().ssm(service.clients().settings().homeRegion()
                .id()), deployment.stackName());
    }

    /**
     * The course totals across weeks of one step ({@link dev.curfew.aws.accounts.AccountWeeks#of}): the kept weeks
     * listed once, and the weeks over closed once with every account's figures summed (the budget step closes them;
     * the summary, a step of its own, finds them closed).
     */
    private dev.curfew.aws.accounts.AccountWeeks weeks(Policy policy, String pass, List<AccountRun> runs,
                                                      List<String> uncovered) {
        java.util.Set<String> own = ownAccounts(runs);
        dev.curfew.aws.accounts.AccountWeeks weeks = dev.curfew.aws.accounts.AccountWeeks.of(spentRecords(), policy,
                pass, runs, uncovered, clock.instant(), (target, student) -> counts(target, student, own));
        weeks.problems().forEach(p -> LOG.warn("course weeks: {}", p));
        return weeks;
    }

    /**
     * The account guard of a step given one account: a target that is not one of the accounts the policy and roster
     * cover now (whatever the step's input said) is refused, and nothing is read in it; null when it is covered.
     */
    private AccountRun refused(AccountSweeps sweeps, Policy policy, AccountTarget target) {
        if (targets(sweeps, policy).contains(target)) {
            return null;
        }
        return AccountRun.notSwept(target, AccountRun.Status.REFUSED_BY_GUARD, "account " + target.account()
                + " (" + target.source().text() + (target.owner() == null ? "" : " of " + target.owner())
                + ") is not one of the accounts the policy and roster cover: nothing was read or changed");
    }

    /**
     * The sum of every account's figures, decided once ({@link dev.curfew.core.budget.ClassBudget#summed}), recorded
     * and told through {@link dev.curfew.aws.budget.BudgetSweep#recordAndTell} (enforce only; once per threshold and
     * week by the told records). A partial sum (an account not swept, or its spend not worked out) still records and
     * tells whoever it finds over a threshold (the whole sum can only be higher), but clears the over-budget record
     * of nobody whose spend may be in the accounts missing.
     */
    @Override
    public Budgets budgets(Policy policy, String pass, List<AccountRun> runs, List<String> unlisted) {
        if (!policy.budgets().any() || !("curfew".equals(pass) || "idle-check".equals(pass))) {
            return Budgets.NONE;
        }
        Instant now = clock.instant();
        String week = CourseWeek.key(policy.timeZone(), now);
        dev.curfew.aws.budget.BudgetRecords records = budgetRecords();
        List<AccountRun> missing = runs.stream().filter(AccountSweeps::spendMissing).toList();
        List<String> partial = new java.util.ArrayList<>(missing.stream().map(AwsAccountsWork::missingText).toList());
        unlisted.forEach(u -> partial.add("not listed: " + u));
        java.util.Set<String> ownAccount = ownAccounts(runs);
        List<List<dev.curfew.core.spend.Spend>> spends = runs.stream().filter(r -> r.figures() != null)
                .map(r -> r.figures().spend().stream()
                        .filter(s -> !dev.curfew.core.spend.SpendEstimator.NOBODY.equals(s.student()))
                        .filter(s -> counts(r.target(), s.student(), ownAccount)).toList())
                .toList();
        dev.curfew.core.budget.BudgetCheck.Result result = dev.curfew.core.budget.ClassBudget.summed(
                policy.budgets(), CourseWeek.start(policy.timeZone(), now),
                weeks(policy, pass, runs, unlisted).totalled(spends),
                records.topUpsOnce(week), records.told(week));
        if (!partial.isEmpty()) {
            LOG.warn("budgets: the sums across accounts are partial: {}", String.join("; ", partial));
        }
        NotificationReport told = new dev.curfew.aws.budget.BudgetSweep(records, null).recordAndTell(policy, pass,
                result, now, mayClear(runs, unlisted), new Notifier(service.clients(),
                        null, deployment.slackApiUrl(), LOG::info), LOG::info);
        List<Stop> stops = stops(policy, runs, result, records.topUpsOnce(week), ownAccount);
        return new Budgets(List.copyOf(result.over()), partial, told, stops);
    }

    /**
     * Whose over-budget record the sum may clear (lower case): nobody while the class account's spend, or any
     * account the list step left out (an Organization unit not listed, a roster row left out), is missing from it;
     * otherwise everybody but the students whose own account's spend is missing. A partial sum can only be lower than
     * the whole, so it never finds anybody under budget again who may not be.
     */
    static java.util.function.Predicate<String> mayClear(List<AccountRun> runs, List<String> unlisted) {
        List<AccountRun> missing = runs.stream().filter(AccountSweeps::spendMissing).toList();
        if (!unlisted.isEmpty() || missing.stream().anyMatch(r -> r.target().owner() == null)) {
            return owner -> false;
        }
        java.util.Set<String> mayHaveMore = new java.util.HashSet<>();
        missing.forEach(r -> mayHaveMore.add(dev.curfew.core.budget.BudgetCheck.key(r.target().owner())));
        return owner -> !mayHaveMore.contains(owner);
    }

    /** The students (lower case) with an account of their own among the pass's accounts. */
    static java.util.Set<String> ownAccounts(List<AccountRun> runs) {
        java.util.Set<String> own = new java.util.HashSet<>();
        runs.forEach(r -> {
            if (r.target().assumesRole() && r.target().owner() != null) {
                own.add(dev.curfew.core.budget.BudgetCheck.key(r.target().owner()));
            }
        });
        return own;
    }

    /**
     * Whether a student's spend in an account counts toward their budget, whose sum can stop them everywhere. The
     * class account's owner tags are the sentinel's, which students may not write: it counts. A student's own account
     * counts for that student alone (everything in it is theirs). An account no roster row names goes by owner tags
     * that whoever uses it may set: it never counts for a student with an account of their own, so nobody can put
     * such a student over budget by tagging an instance with their name (safety rule: identity is what AWS vouches
     * for).
     */
    static boolean counts(AccountTarget target, String student, java.util.Set<String> ownAccount) {
        String who = dev.curfew.core.budget.BudgetCheck.key(student);
        if (!target.assumesRole()) {
            return true;
        }
        if (target.owner() != null) {
            return who.equals(dev.curfew.core.budget.BudgetCheck.key(target.owner()));
        }
        return !ownAccount.contains(who);
    }

    /**
     * The stops still to make for whoever the sum found over budget: in every account swept where their spend counts
     * ({@link #counts}) and its own step did not find them over by its own spend (over by that account alone, its own
     * step stopped them), each owner with the summed spend that put them over. A student recorded over budget before
     * this pass is among them too: the record may be this very step's, written by an attempt that failed before the
     * stops were made (Step Functions retries), and the stop path acts only on what still runs, so a second look
     * stops nothing twice.
     */
    static List<Stop> stops(Policy policy, List<AccountRun> runs, dev.curfew.core.budget.BudgetCheck.Result result,
                            java.util.Map<String, dev.curfew.core.budget.TopUp> topUps,
                            java.util.Set<String> ownAccount) {
        if (result.over().isEmpty()) {
            return List.of();
        }
        java.util.Map<AccountTarget, java.util.Map<String, dev.curfew.core.spend.Spend>> byAccount =
                new java.util.LinkedHashMap<>();
        for (AccountRun r : runs) {
            if (r.status() != AccountRun.Status.SWEPT || r.figures() == null) {
                continue;
            }
            for (dev.curfew.core.spend.Spend here : r.figures().spend()) {
                String owner = dev.curfew.core.budget.BudgetCheck.key(here.student());
                if (!result.over().contains(owner) || !counts(r.target(), owner, ownAccount)) {
                    continue;
                }
                dev.curfew.core.budget.Standing alone = dev.curfew.core.budget.Standing.of(policy.budgets(), here,
                        topUps.get(owner));
                if (alone == null || !alone.over()) { // over by this account alone: its own step stopped them
                    byAccount.computeIfAbsent(r.target(), k -> new java.util.TreeMap<>()).put(owner,
                            result.spends().get(owner));
                }
            }
        }
        List<Stop> out = new java.util.ArrayList<>();
        byAccount.forEach((target, over) -> {
            List<String> owners = List.copyOf(over.keySet());
            for (int i = 0; i < owners.size(); i += STOP_OWNERS) {
                java.util.Map<String, dev.curfew.core.spend.Spend> some = new java.util.TreeMap<>();
                owners.subList(i, Math.min(owners.size(), i + STOP_OWNERS)).forEach(o -> some.put(o, over.get(o)));
                out.add(new Stop(target, some));
            }
        });
        return out;
    }

    /**
     * At most this many owners in one stop (a class account with more over budget gets several, each its own
     * invocation): a stop's input stays far below the 256 KB a state's input may hold.
     */
    static final int STOP_OWNERS = 100;

    /**
     * One account's budget stops through {@link AccountSweeps#stopOverBudget} (that account's stop path), after the
     * account guard (as {@link #sweep}: nothing is read in an account the policy and roster do not cover now).
     */
    @Override
    public AccountRun stop(AccountTarget target, Policy policy,
                           java.util.Map<String, dev.curfew.core.spend.Spend> over) {
        AccountSweeps sweeps = sweeps(budgetRecords());
        AccountRun refused = refused(sweeps, policy, target);
        if (refused != null) {
            return refused;
        }
        java.util.Map<String, dev.curfew.core.spend.Spend> recorded = over;
        String skipped = null;
        if (policy.mode() == dev.curfew.core.policy.Mode.ENFORCE) {
            // a stop is justified by Curfew's own record, never by the item (README, "Budgets")
            String week = CourseWeek.key(policy.timeZone(), clock.instant());
            dev.curfew.aws.budget.BudgetRecords records = budgetRecords();
            recorded = new java.util.TreeMap<>();
            List<String> not = new java.util.ArrayList<>();
            for (String owner : over.keySet()) {
                dev.curfew.core.spend.Spend s = records.overRecord(week, owner);
                if (s == null) {
                    not.add(owner);
                } else {
                    recorded.put(owner, s);
                }
            }
            skipped = not.isEmpty() ? null : notRecorded(not, week);
        }
        if (recorded.isEmpty()) {
            LOG.warn("budget stops in account {}: {}", target.account(), skipped);
            return AccountRun.notSwept(target, AccountRun.Status.FAILED, skipped);
        }
        AccountRun run = sweeps.stopOverBudget(target, policy, recorded);
        if (skipped != null) {
            run = new AccountRun(run.target(), run.status(), run.report(), run.error() == null ? skipped
                    : run.error() + "; " + skipped, run.figures());
        }
        LOG.info("budget stops in {}", BudgetStops.Result.of(new Stop(target, over), run).line());
        return run;
    }

    /** Why owners named in a stop were not stopped: Curfew has not recorded them over budget this week. */
    static String notRecorded(List<String> owners, String week) {
        return owners + " not recorded over budget this week (" + week + "): nothing of theirs was stopped";
    }

    /** "account 222222222222 (student's own account of bob): unreachable: ...; its spend is not in the sums". */
    static String missingText(AccountRun r) {
        String who = r.target().source().text() + (r.target().owner() == null ? "" : " of " + r.target().owner());
        String why = r.status() != AccountRun.Status.SWEPT ? r.status().text() + (r.error() == null ? "" : ": "
                + r.error()) : r.figures() == null ? "it carried no spend" : r.figures().spendNote() != null
                ? r.figures().spendNote() : r.figures().weeks().stream().filter(w -> w.note() != null).map(w ->
                "its figures of the week of " + w.week() + " were not worked out (" + w.note() + ")").findFirst()
                .orElse("a region could not be listed");
        return "account " + r.target().account() + " (" + who + "): " + why + "; its spend is not in the sums";
    }

    private dev.curfew.aws.budget.BudgetRecords budgetRecords() {
        return service.budgetRecords();
    }

    @Override
    public NotificationReport summary(Policy policy, String pass, List<AccountRun> runs, Instant curfew) {
        return summary(policy, pass, runs, List.of(), curfew);
    }

    @Override
    public NotificationReport summary(Policy policy, String pass, List<AccountRun> runs, List<String> unlisted,
                                      Instant curfew) {
        return summary(policy, pass, runs, unlisted, List.of(), curfew);
    }

    /**
     * The summary step's messages and class page, after the budget stops ({@code runs} show what they stopped,
     * {@code stopsNotMade} what did not happen). The roster is read once, for the page and the messages; this week's
     * top-ups are listed once.
     */
    @Override
    public NotificationReport summary(Policy policy, String pass, List<AccountRun> runs, List<String> unlisted,
                                      List<String> stopsNotMade, Instant curfew) {
        boolean curfewPass = "curfew".equals(pass);
        if (!curfewPass && policy.mode() != dev.curfew.core.policy.Mode.ENFORCE) {
            // a dry run records nothing, so "once per curfew" would be at every warning and idle check
            return new NotificationReport(pass, null, 0, List.of(), List.of(), List.of(), List.of("dry run: after the "
                    + pass + " nobody is told of the accounts not reached (the curfew sweep's summary lists them)"));
        }
        AwsCloud cloud = new AwsCloud(service.clients(), deployment.policy());
        dev.curfew.core.spend.ClassSpend spend = null;
        java.util.function.Function<Roster, dev.curfew.core.notify.Digest.Page> page = null;
        if (curfewPass) {
            Instant now = clock.instant();
            dev.curfew.core.spend.ClassSpend figures = weeks(policy, pass, runs, unlisted).total(spendOf(policy, runs, now));
            List<String> failures = new java.util.ArrayList<>(unlisted);
            failures.addAll(stopsNotMade);
            spend = figures;
            page = roster -> classPage(policy, runs, failures, roster, figures, now);
        }
        return new Notifier(service.clients(), cloud, deployment.slackApiUrl(), LOG::info, config.summaryParameter())
                .accountsSummary(policy, pass, runs, unlisted, curfew, curfewPass, spend, page, stopsNotMade);
    }

    /**
     * The class's spend across the accounts' runs ({@link AccountSweeps#classSpend}: against each student's limits
     * with this week's top-ups, listed once); the note says when the budgets' sums are partial.
     */
    private dev.curfew.core.spend.ClassSpend spendOf(Policy policy, List<AccountRun> runs, Instant now) {
        dev.curfew.core.spend.ClassSpend spend = sweeps(budgetRecords()).classSpend(policy, runs, now);
        List<String> missing = runs.stream().filter(AccountSweeps::spendMissing).map(AwsAccountsWork::missingText)
                .toList();
        if (missing.isEmpty() || !policy.budgets().any()) {
            return spend;
        }
        String why = "The budgets' sums are partial: " + String.join("; ", missing) + ".";
        return spend.withNoteAdded(why);
    }

    /**
     * The class page of the curfew pass over every account (README, "The class page"), written to the stack's
     * bucket in either mode; null when no bucket is configured. {@code failures}: what kept accounts out of the pass
     * and the budget stops not made. A page that fails comes back with the reason.
     */
    private dev.curfew.core.notify.Digest.Page classPage(Policy policy, List<AccountRun> runs, List<String> failures,
                                                         Roster roster, dev.curfew.core.spend.ClassSpend spend,
                                                         Instant now) {
        if (pages.bucket() == null) {
            return null;
        }
        try {
            String html = dev.curfew.aws.notify.ClassPages.accountsHtml(service.clients(), deployment.stackName(),
                    policy, now, runs, failures, roster, spend);
            dev.curfew.core.notify.Digest.Page written = new dev.curfew.aws.notify.ClassPages(service.clients(),
                    pages.bucket(), deployment.stackName(), pages.linkLifetime()).write(
                    dev.curfew.aws.notify.ClassPages.key(now, policy.timeZone()), html, now, policy.timeZone());
            if (written.problem() == null) {
                LOG.info("the class page of every account: s3://{}/{} (the summary's link works until {})",
                        pages.bucket(), dev.curfew.aws.notify.ClassPages.key(now, policy.timeZone()),
                        written.expires());
            } else {
                LOG.warn("the class page: {}", written.problem());
            }
            return written;
        } catch (RuntimeException e) {
            return new dev.curfew.core.notify.Digest.Page(null, null, "the page could not be made: "
                    + Notifier.unexpected(e));
        }
    }

    @PreDestroy
    public void close() {
        sessions.close();
    }
}
