package dev.curfew.aws.accounts;

import dev.curfew.aws.AwsClients;
import dev.curfew.aws.AwsCloud;
import dev.curfew.aws.notify.Notifier;
import dev.curfew.core.accounts.AccountFigures;
import dev.curfew.core.accounts.AccountRun;
import dev.curfew.core.accounts.AccountScope;
import dev.curfew.core.accounts.AccountTarget;
import dev.curfew.core.enrol.Enrolment;
import dev.curfew.core.notify.Contact;
import dev.curfew.core.notify.NotificationReport;
import dev.curfew.core.notify.Roster;
import dev.curfew.core.plan.CurfewTimes;
import dev.curfew.core.policy.Mode;
import dev.curfew.core.policy.Policy;
import dev.curfew.core.report.SweepReport;
import dev.curfew.core.sweep.AccountGuardException;
import dev.curfew.core.sweep.Deadline;
import dev.curfew.core.sweep.Parallel;
import dev.curfew.core.sweep.SweepEngine;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import software.amazon.awssdk.awscore.exception.AwsServiceException;

/**
 * Sweeps many accounts (README, "Students' own accounts (enrolment)"): the class account with Curfew's own
 * credentials, every enrolled account through the role it grants ({@link AccountSessions}), a few at a time. Each
 * account is swept whole (every region the policy names), under its own account guard and scope, and ends as one
 * {@link AccountRun}: one account's failure is that account's line and never stops the others.
 *
 * <p>The account guard, per account: a target is read at all only if its account is listed in the policy's
 * {@code accounts}, or {@link #targets} found it enrolled (the roster's account column, for the same student); the
 * class account must be listed. Any other target is refused before a call is made in it. The engine then refuses credentials that belong to another account than
 * the target's. In a student's own account the scope is what was created since enrolment, dated by the creation time
 * of its {@code curfew-access} role (AWS sets it; a student who re-creates the role only narrows the scope).
 */
public final class AccountSweeps {
    /**
     * What sweeping many accounts calls with Curfew's own credentials, besides the sweep itself: the role of each
     * enrolled account, the enrolment key. (With an account's role it reads that role, iam:GetRole: granted by
     * templates/student-account.yaml.)
     */
    public static final List<String> IAM_ACTIONS = List.of("sts:AssumeRole", "ssm:GetParameter");

    /**
     * The passes a sweep runs: the curfew sweep, the warning before it (a dry-run plan as of the curfew), the idle
     * check during the day (the curfew sweep's engine at the time it runs, as the sweeper's own idle check), a plan.
     */
    public static final Set<String> PASSES = Set.of("curfew", "warning", "idle-check", "plan");

    private final AccountSessions sessions;
    private final String policyLocation;
    private final Clock clock;
    private final Consumer<String> progress;
    private final String slackApiBase;
    private final boolean messages;
    /** The accounts {@link #targets} found enrolled: the only role-assuming targets {@link #sweep} accepts. */
    private final Map<String, AccountTarget> enrolled;
    private final Map<String, String> home;
    /** {@link #problems()}. */
    private final List<String> problems = new java.util.concurrent.CopyOnWriteArrayList<>();
    /** The stack's budget records (in the class account), or null: no budgets ({@link #withBudgets}). */
    private final dev.curfew.aws.budget.BudgetRecords budgets;

    public AccountSweeps(AccountSessions sessions, String policyLocation, Clock clock, Consumer<String> progress) {
        this(sessions, policyLocation, clock, progress, null, false, new ConcurrentHashMap<>(),
                new ConcurrentHashMap<>(), null);
    }

    private AccountSweeps(AccountSessions sessions, String policyLocation, Clock clock, Consumer<String> progress,
                          String slackApiBase, boolean messages, Map<String, AccountTarget> enrolled,
                          Map<String, String> home, dev.curfew.aws.budget.BudgetRecords budgets) {
        this.budgets = budgets;
        this.sessions = sessions;
        this.policyLocation = policyLocation;
        this.clock = clock;
        this.progress = progress == null ? s -> { } : progress;
        this.slackApiBase = slackApiBase;
        this.messages = messages;
        this.enrolled = enrolled;
        this.home = home;
    }

    /**
     * The same sweeps, each followed by its students' messages (the curfew pass: what was done; the warning pass:
     * what will be). Off by default; never after a {@code plan}. The instructor's summary across accounts is not
     * sent here.
     *
     * @param slackApiBase the Slack API's base URL (null for Slack's own)
     */
    public AccountSweeps withMessages(String slackApiBase) {
        return new AccountSweeps(sessions, policyLocation, clock, progress, slackApiBase, true, enrolled, home,
                budgets);
    }

    /**
     * The same sweeps with the policy's budgets (README, "Budgets"), their records in the class account's SSM. With
     * {@link #withMessages}, the curfew pass and the idle check stop, through the account's stop path, the running
     * instances of whoever is over budget by the account's own spend or is recorded over budget this week by the sum
     * across the accounts ({@link dev.curfew.core.budget.ClassBudget#inAccount}); each run's figures carry its spend.
     * An account's sweep records and tells nothing: the caller adds every account's figures up, decides once, records
     * and tells ({@link dev.curfew.core.budget.ClassBudget#summed}, {@link
     * dev.curfew.aws.budget.BudgetSweep#recordAndTell}).
     */
    public AccountSweeps withBudgets(dev.curfew.aws.budget.BudgetRecords records) {
        return new AccountSweeps(sessions, policyLocation, clock, progress, slackApiBase, messages, enrolled, home,
                records);
    }

    /** The class account: STS GetCallerIdentity of the home clients, asked once. */
    public String homeAccount() {
        return home.computeIfAbsent("account", k -> sessions.home().sts().getCallerIdentity().account());
    }

    /**
     * The class account (HOME, from STS GetCallerIdentity of the home clients), every student the roster gives an
     * account (ROSTER), in roster order, and, when the policy names {@code enrolment.organization-unit}, the unit's
     * ACTIVE member accounts (ORGANIZATION, listed with {@link OrganizationAccounts}); no account twice (an account in
     * both: HOME wins). A unit that cannot be listed hides nothing else: the class account and the roster's accounts
     * are returned, and why the unit was not listed is one of {@link #problems()} (and a progress line).
     */
    public List<AccountTarget> targets(Policy policy, Roster roster) {
        String unit = policy.enrolment().organizationUnit();
        if (unit == null) {
            return targets(policy, roster, List.of());
        }
        List<AccountTarget> members;
        try {
            members = new OrganizationAccounts(sessions.home()).targets(unit, roster, homeAccount());
        } catch (OrganizationAccounts.UnitException | IllegalArgumentException e) {
            String problem = "the Organization unit's accounts were not swept: " + e.getMessage();
            problems.add(problem);
            progress.accept(problem);
            return targets(policy, roster, List.of());
        }
        progress.accept("Organization unit " + unit + ": " + members.size() + " active member account(s)");
        return targets(policy, roster, members);
    }

    /**
     * What kept {@link #targets(Policy, Roster)} from covering an account it should have (a policy's Organization unit
     * that could not be listed, naming it), in the order found; empty when nothing did. For the instructor's report.
     */
    public List<String> problems() {
        return List.copyOf(problems);
    }

    /**
     * As {@link #targets(Policy, Roster)}, and the member accounts of the policy's Organization unit
     * ({@code organization}: targets of source ORGANIZATION, e.g. from OrganizationAccounts), after the roster's. An
     * account both in the roster and in the unit is swept as the unit's (its role was deployed by the Organization's
     * StackSet, with the Organization's external id).
     */
    public List<AccountTarget> targets(Policy policy, Roster roster, List<AccountTarget> organization) {
        String own = homeAccount();
        Map<String, AccountTarget> byAccount = new LinkedHashMap<>();
        byAccount.put(own, new AccountTarget(own, null, AccountTarget.Source.HOME));
        Map<String, AccountTarget> unit = new LinkedHashMap<>();
        for (AccountTarget t : organization == null ? List.<AccountTarget>of() : organization) {
            if (t.source() != AccountTarget.Source.ORGANIZATION) {
                throw new IllegalArgumentException("account " + t.account() + " is given as an Organization "
                        + "account but its source is " + t.source());
            }
            if (!t.account().equals(own)) {
                unit.putIfAbsent(t.account(), t);
            }
        }
        if (roster != null) {
            for (Contact c : Enrolment.enrolled(roster)) {
                if (unit.containsKey(c.account())) {
                    continue;
                }
                AccountTarget before = byAccount.get(c.account());
                if (before != null) {
                    progress.accept("account " + c.account() + " of " + c.owner() + " is already swept as the "
                            + (before.owner() == null ? before.source().text() : before.owner() + "'s account")
                            + ": not swept twice");
                    continue;
                }
                AccountTarget t = new AccountTarget(c.account(), c.owner(), AccountTarget.Source.ROSTER);
                byAccount.put(c.account(), t);
                enrolled.put(c.account(), t);
            }
        }
        unit.values().forEach(t -> {
            byAccount.put(t.account(), t);
            enrolled.put(t.account(), t);
        });
        return List.copyOf(byAccount.values());
    }

    /**
     * Every target with at most {@code threads} at once, results in the targets' order; one account's failure never
     * stops the others.
     */
    public List<AccountRun> sweepAll(List<AccountTarget> targets, Policy policy, String pass, Deadline emptying,
                                     int threads) {
        return sweepAll(targets, policy, pass, emptying, threads, t -> null);
    }

    /** As above, each account's spend from {@code spending} (null for an account: the estimate alone). */
    public List<AccountRun> sweepAll(List<AccountTarget> targets, Policy policy, String pass, Deadline emptying,
                                     int threads, java.util.function.Function<AccountTarget,
                                     dev.curfew.aws.spend.Spending> spending) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads " + threads + " is not at least 1");
        }
        checkPass(pass);
        return Parallel.map(targets, threads, "curfew-account", t -> sweep(t, policy, pass, emptying,
                        spending.apply(t)),
                (t, c) -> AccountRun.notSwept(t, AccountRun.Status.FAILED, c instanceof InterruptedException
                        ? "interrupted" : c.getClass().getSimpleName() + ": " + c.getMessage()));
    }

    /**
     * The class's spend across the runs (each account's {@link AccountFigures}, a student's from several accounts added
     * up), against each student's limits with this week's top-ups when the policy sets budgets and
     * {@link #withBudgets} gave the records (listed once); top-ups that cannot be read leave the figures without
     * budgets, and the note says why.
     */
    public dev.curfew.core.spend.ClassSpend classSpend(Policy policy, List<AccountRun> runs, Instant now) {
        return new dev.curfew.aws.spend.Spending(null, clock).withBudgets(budgets).budgeted(
                dev.curfew.core.page.AccountsPage.spend(policy, runs, now), policy, now);
    }

    /**
     * One account's sweep of {@code pass} ("curfew", "warning", "idle-check" or "plan"); never throws for that account's own
     * failures: they become the AccountRun's status and error.
     */
    public AccountRun sweep(AccountTarget target, Policy policy, String pass, Deadline emptying) {
        return sweep(target, policy, pass, emptying, null);
    }

    /**
     * As above, each student's spend from {@code spending} (the estimate from what this account's sweep listed, with
     * Cost Explorer's billed figures where it was given them; null: the estimate): in the students' messages, in the
     * budget check ({@link #withBudgets}), and, after the curfew pass (and, with budgets, the idle check: the spend
     * alone), in the run's {@link AccountFigures}.
     */
    public AccountRun sweep(AccountTarget target, Policy policy, String pass, Deadline emptying,
                            dev.curfew.aws.spend.Spending spending) {
        checkPass(pass);
        return sweep(target, policy, pass, emptying, spending, null);
    }

    /**
     * The stops of students found over budget by the sum across the accounts, in one account, after its own sweep
     * of the pass ({@link dev.curfew.core.budget.ClassBudget#summed}): the account's stop path acting on the running
     * instances of {@code over}'s owners alone (README, "Budgets"; {@link SweepEngine#withBudgetStopsOnly}), in the
     * policy's mode (dry-run: what would be stopped). Each owner is weighed again against this week's top-up. Nobody
     * is messaged here (the sum's notice tells them); needs {@link #withBudgets}.
     *
     * @param over each owner (lower case) over budget, with the summed spend that put them over
     */
    public AccountRun stopOverBudget(AccountTarget target, Policy policy,
                                     Map<String, dev.curfew.core.spend.Spend> over) {
        if (budgets == null) {
            throw new IllegalStateException("stopOverBudget needs the budget records (withBudgets)");
        }
        return sweep(target, policy, "budget", Deadline.NONE, null, Map.copyOf(over));
    }

    private AccountRun sweep(AccountTarget target, Policy policy, String pass, Deadline emptying,
                             dev.curfew.aws.spend.Spending spending, Map<String, dev.curfew.core.spend.Spend> over) {
        dev.curfew.aws.spend.Spending spend = spending != null ? spending
                : new dev.curfew.aws.spend.Spending(null, clock);
        Consumer<String> log = line -> progress.accept(target.account() + ": " + line);
        try {
            String refused = refusal(target, policy);
            if (refused != null) {
                log.accept(refused);
                return AccountRun.notSwept(target, AccountRun.Status.REFUSED_BY_GUARD, refused);
            }
            AwsClients clients = sessions.clients(target);
            AccountScope scope;
            Policy p = policy;
            if (target.assumesRole()) {
                Instant enrolledAt = clients.iam().getRole(b -> b.roleName(Enrolment.ROLE_NAME)).role().createDate();
                scope = scope(policy, target, enrolledAt);
                // enrolled is the guard's word for this account: enforce may act in it, and in no other
                p = forAccount(policy, target.account());
            } else {
                scope = AccountScope.everything(target.account());
            }
            AwsCloud cloud = new AwsCloud(clients, policyLocation);
            boolean warning = "warning".equals(pass);
            Instant curfew = warning ? CurfewTimes.next(p, clock.instant()) : null;
            // the warning's messages go out in the policy's own mode (its plan is a dry run, whatever the mode)
            Policy telling = p;
            if (warning) {
                p = p.withMode(Mode.DRY_RUN);
            }
            SweepEngine engine = new SweepEngine(cloud, warning ? Clock.fixed(curfew, ZoneOffset.UTC) : clock, 8, log)
                    .withDeadline(emptying == null ? Deadline.NONE : emptying).withScope(scope);
            if (over != null) {
                engine = engine.withBudgetStopsOnly((inventory, pol, now) -> dev.curfew.core.budget.ClassBudget
                        .inAccount(pol.budgets(), dev.curfew.core.budget.CourseWeek.start(pol.timeZone(), now),
                                List.of(), budgets.topUpsOnce(dev.curfew.core.budget.CourseWeek.key(pol.timeZone(),
                                        now)), over, inventory.instances(), pol.ownerTag()));
                SweepEngine.Result result = engine.runWithPlan(p);
                return AccountRun.swept(target, target.assumesRole() ? enrolledGuard(result.report(), target, policy,
                        scope) : result.report());
            }
            boolean budgeted = budgets != null && !warning && !"plan".equals(pass) && p.budgets().any();
            if (budgeted) {
                engine = engine.withBudget(budgetHook(spend));
            }
            SweepEngine.Result result = engine.runWithPlan(p);
            SweepReport report = result.report();
            if (target.assumesRole()) {
                report = enrolledGuard(report, target, policy, scope);
            }
            if (messages && !"plan".equals(pass)) {
                report = report.withNotifications(tell(telling, pass, curfew, cloud, result, log, spend));
            }
            AccountRun run = AccountRun.swept(target, report);
            if ("curfew".equals(pass)) {
                return run.withFigures(figures(p, target, result, spend, log));
            }
            // the idle check's figures are its spend alone, for the budget summed across the accounts
            return budgeted ? run.withFigures(spendOnly(p, target, result, spend, log)) : run;
        } catch (AccountGuardException e) {
            log.accept(e.getMessage());
            return AccountRun.notSwept(target, AccountRun.Status.REFUSED_BY_GUARD, e.getMessage());
        } catch (RuntimeException e) {
            String unreachable = target.assumesRole() ? unreachable(target.account(), e) : null;
            if (unreachable != null) {
                log.accept(unreachable);
                return AccountRun.notSwept(target, AccountRun.Status.UNREACHABLE, unreachable);
            }
            String msg = e.getClass().getSimpleName() + ": " + e.getMessage();
            log.accept("failed: " + msg);
            return AccountRun.notSwept(target, AccountRun.Status.FAILED, msg);
        }
    }

    /** The scope of an enrolled account: the policy's enrolment rule for it (since enrolment by default). */
    private static AccountScope scope(Policy policy, AccountTarget target, Instant enrolledAt) {
        return policy.scopeFor(target, enrolledAt);
    }

    /** The guard line's words for a scope. */
    private static String scopeWords(AccountScope scope) {
        if (!scope.limited()) {
            return "everything in it";
        }
        if (AccountScope.UNKNOWN_ENROLMENT.equals(scope.since())) {
            return "nothing (its enrolment time is not known)";
        }
        return "what was created since " + scope.since();
    }

    /** Why the guard refuses to read {@code target} at all, or null when it may be swept. */
    private String refusal(AccountTarget target, Policy policy) {
        if (!target.assumesRole()) {
            if (policy.accounts().contains(target.account())) {
                return null;
            }
            return "account guard: the class account " + target.account() + " is not in the policy's accounts "
                    + new java.util.TreeSet<>(policy.accounts()) + ": nothing was read (list it under accounts: in "
                    + "the policy)";
        }
        AccountTarget known = enrolled.get(target.account());
        if (known != null) {
            return target.equals(known) ? null : "account guard: account " + target.account() + " is enrolled as "
                    + known.owner() + "'s, not as " + target.source().text() + (target.owner() == null ? ""
                    : " of " + target.owner()) + ": nothing was read";
        }
        if (policy.accounts().contains(target.account())) {
            return null;
        }
        return "account guard: account " + target.account() + (target.owner() == null ? "" : " (" + target.owner()
                + ")") + " is neither in the policy's accounts nor enrolled (no student of the roster has it): "
                + "nothing was read";
    }

    /** The report's guard line for an enrolled account: what let it be swept, in the instructor's words. */
    private SweepReport enrolledGuard(SweepReport r, AccountTarget target, Policy policy, AccountScope scope) {
        String why = target.equals(enrolled.get(target.account()))
                ? "account " + target.account() + " is enrolled" + (target.owner() == null
                ? " (" + target.source().text() + ")" : " as " + target.owner() + "'s own account")
                : "account " + target.account() + " is listed in the policy";
        return new SweepReport(r.course(), r.account(), r.mode(), r.now(), r.durationMillis(), r.regions(),
                r.regionErrors(), "passed: " + why + "; in scope: " + scopeWords(scope), r.breaker(),
                r.rows(), r.calls(), r.notifications());
    }

    /**
     * The policy for one enrolled account: the guard's list is that account alone, every other part the same. The
     * record is copied component by component, so a part added to {@link Policy} later is carried over too.
     */
    static Policy forAccount(Policy p, String account) {
        try {
            java.lang.reflect.RecordComponent[] parts = Policy.class.getRecordComponents();
            Object[] values = new Object[parts.length];
            Class<?>[] types = new Class<?>[parts.length];
            for (int i = 0; i < parts.length; i++) {
                types[i] = parts[i].getType();
                values[i] = parts[i].getName().equals("accounts") ? Set.of(account)
                        : parts[i].getAccessor().invoke(p);
            }
            return Policy.class.getDeclaredConstructor(types).newInstance(values);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot copy the policy for account " + account, e);
        }
    }

    /** The students' messages of one account; a failure here is reported, never the account's failure. */
    private NotificationReport tell(Policy p, String pass, Instant curfew, AwsCloud cloud, SweepEngine.Result result,
                                    Consumer<String> log, dev.curfew.aws.spend.Spending spend) {
        try {
            Notifier n = new Notifier(sessions.home(), cloud, slackApiBase, log).withSpending(spend);
            return "warning".equals(pass) ? n.warn(p, curfew, result) : n.afterAction(p, pass, result, false);
        } catch (RuntimeException e) {
            log.accept("messages failed; the sweep itself is done: " + e.getClass().getSimpleName());
            return new NotificationReport(pass, null, 0, List.of(), List.of(), List.of(),
                    List.of("messages failed: " + Notifier.unexpected(e)));
        }
    }

    /**
     * The budget's part of one account's sweep within a pass over many
     * ({@link dev.curfew.core.budget.ClassBudget#inAccount}): stops the running instances of whoever is over budget by this account's spend alone, or was recorded over
     * budget this week by the sum across the accounts (and still is, against the budget with this week's top-up).
     * It records and tells nothing: after every account's step, the sum does
     * ({@link dev.curfew.aws.budget.BudgetSweep#recordAndTell}, from the state machine's summary step).
     */
    private dev.curfew.core.budget.BudgetHook budgetHook(dev.curfew.aws.spend.Spending spend) {
        return (inventory, pol, now) -> {
            String week = dev.curfew.core.budget.CourseWeek.key(pol.timeZone(), now);
            return dev.curfew.core.budget.ClassBudget.inAccount(pol.budgets(),
                    dev.curfew.core.budget.CourseWeek.start(pol.timeZone(), now), spend.spend(inventory, pol, now),
                    budgets.topUpsOnce(week), budgets.overRecords(week), inventory.instances(), pol.ownerTag());
        };
    }

    /** The most resources of each list (running, marked, acted) one owner's class-page row carries from an account. */
    public static final int PAGE_ENTRIES = 20;

    /**
     * What the curfew pass of one account adds to the class's spend table and class page: each owner's spend (the
     * estimate, the billed figure in its place where given) and class-page row, never the listing itself. In an
     * enrolled account each resource names the account. A failure here is the figures' note, never the account's.
     */
    private AccountFigures figures(Policy p, AccountTarget target, SweepEngine.Result result,
                                   dev.curfew.aws.spend.Spending spend, Consumer<String> log) {
        AccountFigures spent = spendOnly(p, target, result, spend, log);
        SweepReport r = result.report();
        List<dev.curfew.core.page.ClassPage.Student> students = dev.curfew.core.page.ClassPage.of(p.course(),
                r.mode(), target.account(), p.timeZone(), r.now(), dev.curfew.core.notify.Item.of(r, result.plan()),
                Roster.empty(null), null, List.of(), null, List.of()).students().stream()
                .map(s -> new dev.curfew.core.page.ClassPage.Student(s.owner(), s.name(),
                        capped(s.running(), target), capped(s.marked(), target), capped(s.acted(), target),
                        s.failed(), null, null)).toList();
        return new AccountFigures(spent.spend(), spent.spendNote(), students, spent.weeks());
    }

    /** What a spend note starts with when the account's spend could not be worked out at all. */
    static final String NOT_WORKED_OUT = "spend in account ";

    /**
     * Whether a run carries no spend to add up: not swept, no figures, or its spend not worked out. A sum of the
     * accounts' figures without it is partial.
     */
    public static boolean spendMissing(AccountRun run) {
        AccountFigures f = run.figures();
        return run.status() != AccountRun.Status.SWEPT || f == null
                || f.spend().isEmpty() && f.spendNote() != null && f.spendNote().startsWith(NOT_WORKED_OUT)
                // a region whose listing failed: what runs there is not in the figures
                || run.report() != null && !run.report().regionErrors().isEmpty()
                // its figures of a week over that the pass closes could not be worked out: not in the course totals
                || f.weeks().stream().anyMatch(w -> w.note() != null);
    }

    /**
     * Each owner's spend in the account (no class-page rows), and its figures of the weeks over that the pass closes
     * ({@link dev.curfew.aws.spend.Spending#weeksOver}); a failure here is the figures' note.
     */
    private AccountFigures spendOnly(Policy p, AccountTarget target, SweepEngine.Result result,
                                     dev.curfew.aws.spend.Spending spend, Consumer<String> log) {
        try {
            dev.curfew.core.spend.ClassSpend c = spend.of(p, result.plan().decisions());
            return new AccountFigures(c.rows(), c.note(), List.of(), spend.weeksOver(p, result.plan().decisions(),
                    result.report().regionErrors().isEmpty()));
        } catch (RuntimeException e) {
            String note = NOT_WORKED_OUT + target.account() + " not worked out: " + Notifier.unexpected(e);
            log.accept(note);
            return new AccountFigures(List.of(), note, List.of());
        }
    }

    private static List<dev.curfew.core.page.ClassPage.Entry> capped(List<dev.curfew.core.page.ClassPage.Entry> all,
                                                                     AccountTarget target) {
        List<dev.curfew.core.page.ClassPage.Entry> out = new java.util.ArrayList<>();
        all.stream().limit(PAGE_ENTRIES).forEach(e -> out.add(!target.assumesRole() ? e
                : new dev.curfew.core.page.ClassPage.Entry(e.label(), e.what() + ", account " + target.account(),
                e.note(), e.failed())));
        if (all.size() > PAGE_ENTRIES) {
            out.add(new dev.curfew.core.page.ClassPage.Entry("\u2026", (all.size() - PAGE_ENTRIES) + " more in "
                    + "account " + target.account() + " (the sweep's report has them)", null, false));
        }
        return out;
    }

    /**
     * What an error from reaching an enrolled account means: AWS answers {@code AccessDenied} to AssumeRole for a
     * role that does not trust Curfew (or a wrong external id, or a role that is gone), and IAM answers
     * {@code NoSuchEntity} when the role is not there. Null for any other error.
     */
    static String unreachable(String account, Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof AwsServiceException s && s.awsErrorDetails() != null) {
                String code = s.awsErrorDetails().errorCode() == null ? "" : s.awsErrorDetails().errorCode();
                String text = code + ": " + s.awsErrorDetails().errorMessage();
                switch (code) {
                    case "AccessDenied", "AccessDeniedException" -> {
                        return "Curfew can no longer reach account " + account + ": " + text;
                    }
                    case "NoSuchEntity", "NoSuchEntityException" -> {
                        return "Curfew can no longer reach account " + account + ": the " + Enrolment.ROLE_NAME
                                + " role is not deployed (" + text + ")";
                    }
                    default -> {
                        return null;
                    }
                }
            }
        }
        return null;
    }

    private static void checkPass(String pass) {
        if (!PASSES.contains(pass)) {
            throw new IllegalArgumentException("pass \"" + pass + "\" is not one of curfew, warning, idle-check, plan");
        }
    }
}
