package dev.curfew.function.sweeper;

import dev.curfew.aws.AwsClients;
import dev.curfew.aws.AwsCloud;
import dev.curfew.aws.AwsSettings;
import dev.curfew.aws.PolicySource;
import dev.curfew.aws.SweepLocks;
import dev.curfew.core.policy.Policy;
import dev.curfew.core.report.SweepReport;
import dev.curfew.core.sweep.Deadline;
import dev.curfew.core.sweep.SampleCloud;
import dev.curfew.core.sweep.SweepEngine;
import dev.curfew.function.common.Deployment;
import dev.curfew.function.common.Priming;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import dev.curfew.aws.notify.Notifier;
import dev.curfew.core.notify.Delivery;
import dev.curfew.core.notify.Digests;
import dev.curfew.core.notify.NotificationReport;
import dev.curfew.core.plan.CurfewTimes;
import dev.curfew.core.policy.Durations;
import dev.curfew.core.policy.Mode;
import dev.curfew.core.policy.Notifications;
import dev.curfew.aws.sentinel.ToldRecords;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/** Runs one sweep with the deployed configuration. The SDK clients live as long as the function instance. */
@Singleton
public class SweepService {
    private static final Logger LOG = LogManager.getLogger(SweepService.class);
    /** Logged when the circuit breaker trips; template.yaml's metric filter counts it and alarms the instructor. */
    public static final String BREAKER_TRIPPED = "CIRCUIT BREAKER TRIPPED";

    private final Deployment deployment;
    private final SweeperConfig config;
    private final AwsClients clients;
    private final Clock clock;

    /**
     * Each student's spend for the budget check (README, "Budgets"); without a bean of its own, the estimate from
     * what the sweep saw, with Cost Explorer's billed figures when the deployment turns it on.
     */
    @jakarta.inject.Inject
    @io.micronaut.core.annotation.Nullable
    dev.curfew.core.budget.SpendSource spendSource;
    /** Where the class page goes; none until the context injects it (a service built by hand writes no page). */
    private ClassPageConfig pages = new ClassPageConfig(null, ClassPageConfig.DEFAULT_LINK_HOURS);

    /** Held here because org.crac keeps registered resources only weakly. */
    private final Priming priming;

    private final CostExplorerSetting costExplorer;

    public SweepService(Deployment deployment, SweeperConfig config, Clock clock) {
        this(deployment, config, clock, new CostExplorerSetting("off"));
    }

    @jakarta.inject.Inject
    public SweepService(Deployment deployment, SweeperConfig config, Clock clock, CostExplorerSetting costExplorer) {
        this.deployment = deployment;
        this.config = config;
        this.clock = clock;
        this.costExplorer = costExplorer;
        this.clients = new AwsClients(AwsSettings.fromEnvironment(deployment.endpoint(), deployment.region()));
        this.priming = Priming.register("curfew-sweeper", this::prime);
    }

    /**
     * What is done before a SnapStart snapshot (README, "SnapStart"): the deployed policy is read and checked; a
     * dry-run sweep of an in-memory sample account runs through the engine, the planner and the report; the SDK
     * clients of the home region are built and make one read-only call (STS GetCallerIdentity), which loads the
     * signer, the HTTP stack and the protocol classes. Nothing in the account is read beyond that or changed.
     */
    void prime() {
        dev.curfew.aws.SdkWarmup.await(Duration.ofSeconds(10));
        Policy policy = withWarningTime(policy()).withMode(Mode.DRY_RUN);
        String home = clients.settings().homeRegion().id();
        SweepReport sample = new SweepEngine(new SampleCloud(home), clock, 1, line -> { })
                .run(policy.withRegions(List.of(home)));
        sample.toMap();
        dev.curfew.core.report.ReportText.render(sample);
        clients.sts().getCallerIdentity();
        clients.ec2(home);
        clients.cloudWatch(home);
        clients.s3();
    }

    /**
     * The first calls of a pass, for {@link dev.curfew.aws.SdkWarmup} (clients that answer from memory): the account
     * check, then what each region's listing and the buckets' start with.
     */
    static void warmup(AwsClients clients) {
        clients.sts().getCallerIdentity();
        clients.ec2("us-east-1").describeInstances(b -> b.maxResults(1000));
        clients.emr("us-east-1").listClusters(b -> b.clusterStates(
                software.amazon.awssdk.services.emr.model.ClusterState.WAITING));
        clients.s3().listBuckets();
    }

    @jakarta.inject.Inject
    void classPages(ClassPageConfig config) {
        this.pages = config;
    }

    /** AWS calls made so far by this function instance (each sweep starts from zero). */
    java.util.Map<String, Long> calls() {
        return clients.counter().snapshot();
    }

    /** The SDK clients of this function instance (the accounts state machine's steps use them too). */
    AwsClients clients() {
        return clients;
    }

    /** The priming hook (tests run it directly; SnapStart runs it before the snapshot). */
    Priming priming() {
        return priming;
    }

    /** The policy as deployed: the file it names, with the environment's overrides, Curfew's stack exempt. */
    public Policy policy() {
        return PolicySource.load(deployment.policy(), PolicySource.overridesFrom(deployment.overrides()), clients)
                .withExemptStack(deployment.stackName());
    }

    public SweepReport sweep(String pass) {
        return sweep(pass, withWarningTime(policy()), Deadline.NONE);
    }

    /** {@link #run(String, Deadline)} without a time budget for emptying buckets. */
    public Run run(String pass) {
        return run(pass, Deadline.NONE);
    }

    /**
     * One run of a pass, under its lock (dev.curfew.aws.SweepLocks, README "Exactly once"): of two runs for the same
     * pass and curfew one sweeps, the other stands aside, changing and sending nothing. A run that completed keeps
     * the curfew's or warning's lock until it lapses; one that failed releases it, so a retry of the event runs.
     * A dry run takes no lock (it writes nothing); neither does a run the account guard will refuse.
     *
     * @param emptying buckets are emptied only until then, after every other action
     */
    public Run run(String pass, Deadline emptying) {
        Policy policy = withWarningTime(policy());
        if (policy.mode() != Mode.ENFORCE) {
            return new Run(pass, policy, sweep(pass, policy, emptying), "none: a dry run writes nothing, not even a lock", null);
        }
        String account;
        try {
            account = clients.sts().getCallerIdentity().account();
        } catch (RuntimeException e) {
            throw new dev.curfew.core.sweep.SweepException("cannot tell which account these credentials belong to "
                    + "(STS GetCallerIdentity failed): " + e.getMessage() + "; nothing was changed", e);
        }
        if (!policy.accounts().contains(account)) {
            return new Run(pass, policy, sweep(pass, policy, emptying), null, null); // the account guard refuses it
        }
        SweepLocks locks = new SweepLocks(clients, deployment.stackName(), config.lockLifetime(), Clock.systemUTC());
        SweepLocks.Attempt attempt = locks.acquire(SweepLocks.key(pass, policy, clock.instant()), account);
        if (attempt instanceof SweepLocks.StoodAside aside) {
            LOG.info("STOOD ASIDE: {} ({})", aside.message(), aside.name());
            return new Run(pass, policy, null, aside.name(), aside.message());
        }
        SweepLocks.Held held = (SweepLocks.Held) attempt;
        LOG.info("holding the sweep lock {}{}", held.name(), held.tookOver() == null ? "" : ": " + held.tookOver());
        SweepReport report;
        try {
            report = sweep(pass, policy, emptying);
        } catch (RuntimeException | Error e) {
            LOG.warn("the sweep lock {} is {}", held.name(), held.release());
            throw e;
        }
        if ("curfew".equals(pass)) {
            pruneToldRecords();
            if (policy.budgets().any()) {
                pruneBudgetRecords(policy);
            }
        }
        String lock = held.name() + (held.tookOver() == null ? "" : " (" + held.tookOver() + ")") + ": "
                + held.finish();
        LOG.info("the sweep lock {}", lock);
        return new Run(pass, policy, report, lock, null);
    }

    /**
     * Deletes the sentinel's once-records written more than the configured retention ago (30 days) (once a
     * curfew, by the run that holds its lock), so that they never fill the account's SSM parameters. A failure is
     * logged, never the run's.
     */
    void pruneToldRecords() {
        try {
            Instant now = Clock.systemUTC().instant();
            dev.curfew.aws.SsmPrune.Pruned pruned = ToldRecords.prune(clients.ssm(clients.settings().homeRegion().id()),
                    deployment.stackName(), now.minus(config.toldRetention()), now.minus(config.runsRetention()));
            if (pruned.failure() == null) {
                LOG.info("{}", pruned.text());
            } else {
                LOG.warn("{}", pruned.text());
            }
        } catch (RuntimeException e) {
            LOG.warn("sentinel records: not pruned: {}", e.toString());
        }
    }

    /** A run's report, or the words of a run that stood aside; and what became of its lock. */
    public record Run(String pass, Policy policy, SweepReport report, String lock, String stoodAside) {
        /** What a run that stood aside returns: the pass, course and mode, and why it did nothing. */
        public java.util.Map<String, Object> stoodAsideMap() {
            java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
            m.put("course", policy.course());
            m.put("mode", policy.mode().wireName());
            m.put("stoodAside", stoodAside);
            m.put("lock", lock);
            return m;
        }
    }

    SweepReport sweep(String pass, Policy policy, Deadline emptying) {
        clients.counter().reset();
        LOG.info("{} pass for {} in {} mode (policy {})", pass, policy.course(), policy.mode(), deployment.policy());
        if ("warning".equals(pass)) {
            return warn(policy);
        }
        AwsCloud cloud = new AwsCloud(clients, deployment.policy())
                .protect(pages.bucket(), dev.curfew.aws.ProtectedBuckets.CLASS_PAGES);
        SweepEngine engine = new SweepEngine(cloud, clock, 8, LOG::info).withDeadline(emptying);
        // one per pass: the sentinel's run records and this week's top-ups are read at most once, for the budget
        // check, the messages and the page
        dev.curfew.aws.budget.BudgetRecords records = policy.budgets().any() ? budgetRecords() : null;
        dev.curfew.aws.spend.Spending spending = spending().withBudgets(records);
        dev.curfew.aws.budget.BudgetSweep budget = budgetSweep(records, spending);
        if (budget != null) {
            engine = engine.withBudget(budget.hook());
        }
        SweepEngine.Result result = engine.runWithPlan(policy);
        SweepReport report = result.report();
        if (report.breaker().tripped()) {
            LOG.error(BREAKER_TRIPPED + ": {} destructive actions planned, limit {}; nothing was acted on",
                    report.breaker().planned(), report.breaker().limit());
        }
        // a region, a kind in a region ("eu-west-1 ebs-volume") or a bucket that still failed after a second read
        report.regionErrors().forEach((r, e) -> LOG.warn("{} failed after retries: {}", r, e));
        NotificationReport told;
        try {
            told = new Notifier(clients, cloud, deployment.slackApiUrl(), LOG::info, config.summaryParameter())
                    .withSpending(spending).afterAction(policy, pass, result, "curfew".equals(pass),
                            "curfew".equals(pass) ? roster -> classPage(policy, result, roster, spending) : null);
        } catch (RuntimeException e) {
            told = failedToNotify(pass, e);
        }
        if (budget != null && result.budget() != null) {
            told = withBudgetMessages(told, budget, policy, pass, result);
        }
        logFailures(told);
        return report.withNotifications(told);
    }

    /** The budget's part of the class account's sweep, or null when no student has a budget. */
    dev.curfew.aws.budget.BudgetSweep budgetSweep(dev.curfew.aws.budget.BudgetRecords records,
                                                  dev.curfew.aws.spend.Spending spending) {
        if (records == null) {
            return null;
        }
        return new dev.curfew.aws.budget.BudgetSweep(records, spendSource != null ? spendSource : spending);
    }

    /** The stack's budget records (a new object per pass: it lists this week's top-ups at most once). */
    dev.curfew.aws.budget.BudgetRecords budgetRecords() {
        return new dev.curfew.aws.budget.BudgetRecords(clients.ssm(clients.settings().homeRegion().id()),
                deployment.stackName());
    }

    /**
     * Records the week's budget state (enforce only) and tells each student once per threshold; a record or message
     * that fails is named with the other problems and never fails the sweep.
     */
    private NotificationReport withBudgetMessages(NotificationReport told, dev.curfew.aws.budget.BudgetSweep budget,
                                                  Policy policy, String pass, SweepEngine.Result result) {
        // with students' own accounts, this account's spend is not the sum: only the state machine's budget step,
        // which sums every account, may find a student under budget again
        boolean mayClear = !config.studentAccountsEnrolled();
        NotificationReport b = budget.recordAndTell(policy, pass, result.budget(), result.report().now(),
                owner -> mayClear, new Notifier(clients, null, deployment.slackApiUrl(), LOG::info), LOG::info);
        return told.plus(b);
    }

    /** Deletes the budget records of weeks before this one (once a curfew); a failure is logged, never the run's. */
    void pruneBudgetRecords(Policy policy) {
        try {
            dev.curfew.aws.SsmPrune.Pruned pruned = new dev.curfew.aws.budget.BudgetRecords(
                    clients.ssm(clients.settings().homeRegion().id()), deployment.stackName())
                    .prune(dev.curfew.core.budget.CourseWeek.key(policy.timeZone(), clock.instant()));
            LOG.info("{}", pruned.text());
        } catch (RuntimeException e) {
            LOG.warn("budget records: not pruned: {}", e.toString());
        }
    }

    /**
     * The class page of a curfew sweep, written to the stack's bucket in either mode (it is Curfew's own object and
     * changes nothing of the students'); null when no bucket is configured. Each student's spend is Curfew's estimate
     * (Cost Explorer is not asked for the page), against their limits with this week's top-ups.
     */
    private dev.curfew.core.notify.Digest.Page classPage(Policy policy, SweepEngine.Result result,
                                                         dev.curfew.core.notify.Roster roster,
                                                         dev.curfew.aws.spend.Spending spending) {
        if (pages.bucket() == null) {
            return null;
        }
        dev.curfew.core.notify.Digest.Page page = new dev.curfew.aws.notify.ClassPages(clients, pages.bucket(),
                deployment.stackName(), pages.linkLifetime()).publish(policy, result, roster,
                spending.estimate(policy, result.plan().decisions(), result.report().regionErrors().isEmpty()));
        if (page.problem() == null) {
            LOG.info("the class page: s3://{}/{} (the summary's link works until {})", pages.bucket(),
                    dev.curfew.aws.notify.ClassPages.key(result.report().now(), policy.timeZone()), page.expires());
        } else {
            LOG.warn("the class page: {}", page.problem());
        }
        return page;
    }

    /**
     * The warning pass: the plan as of the coming curfew, made in dry-run (it never acts, whatever the mode), and
     * one warning per owner. Run too early (more than the lead time and an hour before the curfew, e.g. after a
     * late delivery past curfew), it plans and reports but tells nobody, so the real warning is not used up.
     */
    private SweepReport warn(Policy policy) {
        Instant now = clock.instant();
        Instant curfew = CurfewTimes.next(policy, now);
        AwsCloud cloud = new AwsCloud(clients, deployment.policy())
                .protect(pages.bucket(), dev.curfew.aws.ProtectedBuckets.CLASS_PAGES);
        SweepEngine engine = new SweepEngine(cloud, Clock.fixed(curfew, ZoneOffset.UTC), 8, LOG::info);
        SweepEngine.Result result = engine.runWithPlan(policy.withMode(Mode.DRY_RUN));
        String tooEarly = tooEarly(policy, now, curfew);
        NotificationReport told;
        if (tooEarly != null) {
            told = new NotificationReport("warning", null, 0, List.of(), List.of(), List.of(), List.of(tooEarly));
        } else {
            try {
                told = new Notifier(clients, cloud, deployment.slackApiUrl(), LOG::info).withSpending(spending()
                        .withBudgets(policy.budgets().any() ? budgetRecords() : null)).warn(policy, curfew, result);
            } catch (RuntimeException e) {
                told = failedToNotify("warning", e);
            }
        }
        logFailures(told);
        return result.report().withNotifications(told);
    }

    /**
     * Students' spend for the messages: the estimate with the runs the sentinel recorded this week, and Cost
     * Explorer's billed figures when the setting is on; the course totals with the kept figures of closed weeks
     * (a pass in enforce closes the weeks over first).
     */
    private dev.curfew.aws.spend.Spending spending() {
        dev.curfew.aws.spend.Spending spending = new dev.curfew.aws.spend.Spending(costExplorer.on()
                ? new dev.curfew.aws.spend.CostExplorerSpend(clients.costExplorer()) : null, clock)
                .withRuns((zone, now) -> dev.curfew.aws.spend.RunRecords.read(clients.ssm(clients.settings()
                        .homeRegion().id()), deployment.stackName(), zone, now, null));
        dev.curfew.aws.budget.SpentRecords kept = new dev.curfew.aws.budget.SpentRecords(clients.ssm(clients
                .settings().homeRegion().id()), deployment.stackName());
        // enrolled: the accounts state machine closes the weeks over with every account's figures; never from here
        return config.studentAccountsEnrolled() ? spending.withKeptWeeks(kept) : spending.withClosedWeeks(kept);
    }

    /** How much earlier than curfew minus the lead a warning pass may still run (a late or manual run). */
    static final Duration WARNING_TOLERANCE = Duration.ofHours(1);

    /**
     * Why a warning at {@code now} of {@code curfew} tells nobody: the curfew is more than the lead and
     * {@link #WARNING_TOLERANCE} away (a run long after its time warns of tomorrow's curfew); null when it may tell.
     */
    static String tooEarly(Policy policy, Instant now, Instant curfew) {
        if (Duration.between(now, curfew).compareTo(policy.notifications().warningLead().plus(WARNING_TOLERANCE))
                <= 0) {
            return null;
        }
        return "the next curfew is " + Digests.when(curfew, policy.timeZone()) + ", more than the warning lead ("
                + Durations.format(policy.notifications().warningLead()) + ") and " + Durations.format(
                WARNING_TOLERANCE) + " away: nobody was told (the warning pass runs at curfew minus the lead)";
    }

    /** The template's WarningTime parameter sets the lead: the time from it to the curfew. */
    Policy withWarningTime(Policy p) {
        String w = config.warningTime();
        if (w == null || !w.matches("\\d{1,2}:\\d{2}")) {
            return p;
        }
        String[] hm = w.split(":");
        int minutes = (p.curfew().getHour() * 60 + p.curfew().getMinute())
                - (Integer.parseInt(hm[0]) * 60 + Integer.parseInt(hm[1]));
        if (minutes <= 0) {
            minutes += 24 * 60;
        }
        Notifications n = p.notifications();
        return p.withNotifications(new Notifications(n.roster(), Duration.ofMinutes(minutes), n.slackWebhookSecret(),
                n.slackBotTokenSecret(), n.emailSender(), n.instructorName(), n.instructorEmail(),
                n.instructorSlack(), n.studentsInDryRun()));
    }

    private static NotificationReport failedToNotify(String pass, RuntimeException e) {
        LOG.error("messages failed; the sweep itself is done", e);
        return new NotificationReport(pass, null, 0, List.of(), List.of(), List.of(),
                List.of("messages failed: " + e.getClass().getSimpleName() + ": " + e.getMessage()));
    }

    private static void logFailures(NotificationReport told) {
        told.deliveries().stream().filter(d -> d.status() == Delivery.Status.FAILED).forEach(d -> LOG.warn(
                "{} to {} by {} FAILED: {}", d.message(), d.to(), d.channel(), d.detail()));
        told.rosterProblems().forEach(p -> LOG.warn("{}", p));
        told.problems().forEach(p -> LOG.warn("{}", p));
    }

    @PreDestroy
    public void close() {
        clients.close();
    }
}
