package dev.curfew.function.sweeper;

import com.amazonaws.services.lambda.runtime.Context;
import dev.curfew.aws.AwsClients;
import dev.curfew.aws.SsmLease;
import dev.curfew.aws.SweepLocks;
import dev.curfew.core.accounts.AccountRun;
import dev.curfew.core.accounts.AccountTarget;
import dev.curfew.core.notify.NotificationReport;
import dev.curfew.core.policy.Mode;
import dev.curfew.core.policy.Policy;
import dev.curfew.core.report.SweepReport;
import dev.curfew.function.common.Deployment;
import io.micronaut.json.JsonMapper;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.ssm.model.Parameter;

/**
 * The five steps of the accounts state machine (README, "Students' own accounts"): list the accounts, sweep one
 * account, weigh the budgets summed across them, make one account's budget stops, summarize. Each takes the JSON the state before it produced ({@link AccountStepsJson}) and returns the
 * JSON the next one reads. The sweeping and the messages are {@link AccountsWork}'s.
 */
@Singleton
public class AccountSteps {
    private static final Logger LOG = LogManager.getLogger(AccountSteps.class);
    /**
     * The passes the state machine runs, each on its own schedule (template.yaml AccountsStateMachine's events), as
     * the sweeper's schedules run them in one account.
     */
    static final Set<String> PASSES = Set.of("curfew", "warning", "idle-check");
    /** An idle check's claims of the same time this many days before are deleted when it claims its own. */
    static final int IDLE_CLAIMS_KEPT_DAYS = 7;
    /**
     * What the steps call themselves, beyond the sweep and the messages: the claim of a pass and curfew (below the
     * sweep locks, SweepLocks's actions) and reading the Map's results (s3:GetObject, template.yaml
     * AccountsReadResults).
     */
    public static final java.util.List<String> IAM_ACTIONS = java.util.stream.Stream.concat(
            SweepLocks.IAM_ACTIONS.stream(), java.util.stream.Stream.of("s3:GetObject")).distinct().sorted().toList();

    /** At most this many lines of each of the summary's budget lists (over, partial, stops, notMade). */
    static final int SUMMARY_LINES = 100;

    private final SweepService service;
    private final Deployment deployment;
    private final AccountsConfig config;
    private final RunLog runLog;
    private final AccountsWork work;
    private final Clock clock;
    private final JsonMapper json;
    private final CostExplorerSetting costExplorer;

    public AccountSteps(SweepService service, Deployment deployment, AccountsConfig config, RunLog runLog,
                        AccountsWork work, Clock clock, JsonMapper json, CostExplorerSetting costExplorer) {
        this.costExplorer = costExplorer;
        this.service = service;
        this.deployment = deployment;
        this.config = config;
        this.runLog = runLog;
        this.work = work;
        this.clock = clock;
        this.json = json;
    }

    static String pass(Map<String, Object> in) {
        String pass = AccountStepsJson.text(in, "pass", "pass");
        if (!PASSES.contains(pass)) {
            throw new IllegalArgumentException("pass is \"" + pass + "\"; the accounts state machine runs only "
                    + new java.util.TreeSet<>(PASSES));
        }
        return pass;
    }

    /** "for the curfew of ...", or for the idle check "scheduled for ...". */
    static String forWhat(String pass, Instant at) {
        return ("idle-check".equals(pass) ? "scheduled for " : "for the curfew of ") + at;
    }

    /** The record that one execution, and only one, sweeps a pass and curfew: below the sweep locks. */
    String claimName(SweepLocks.Key key) {
        return SweepLocks.prefix(deployment.stackName()) + "/accounts/" + key.path();
    }

    /**
     * What one execution is for, and so what it claims: the curfew pass the curfew nearest its clock, the warning the
     * coming curfew (SweepLocks's keys), the idle check the time its schedule was due ({@code input.scheduled}, the
     * schedule's {@code <aws.scheduler.scheduled-time>}; started by hand without it, the minute it starts). The
     * claims to delete with it: the curfew's before, or the idle check's of the same time on the days before.
     */
    record Occasion(SweepLocks.Key key, String words, List<SweepLocks.Key> stale) {
        static Occasion of(String pass, Instant scheduled, Policy policy, Instant now) {
            if (!"idle-check".equals(pass)) {
                SweepLocks.Key key = SweepLocks.key(pass, policy, now);
                return new Occasion(key, key.describe(null), key.previous() == null ? List.of()
                        : List.of(new SweepLocks.Key(pass, key.previous())));
            }
            Instant at = scheduled != null ? scheduled.truncatedTo(java.time.temporal.ChronoUnit.SECONDS)
                    : now.truncatedTo(java.time.temporal.ChronoUnit.MINUTES);
            List<SweepLocks.Key> stale = java.util.stream.IntStream.rangeClosed(1, IDLE_CLAIMS_KEPT_DAYS)
                    .mapToObj(d -> new SweepLocks.Key(pass, at.atZone(policy.timeZone()).minusDays(d).toInstant()))
                    .toList();
            return new Occasion(new SweepLocks.Key(pass, at), "idle check " + forWhat(pass, at), stale);
        }

        /** The curfew the pass is for; the idle check's scheduled time. */
        Instant at() {
            return key.curfew();
        }
    }

    /**
     * The list step. In enforce mode it first claims the pass and its curfew (the idle check: its scheduled time)
     * for this execution: an SSM parameter created without overwrite whose value is the execution's ARN. A second
     * execution for the same pass and curfew (the schedule delivered twice, or started by hand) finds another
     * execution's ARN there and stands aside; a retry of this step within the same execution finds its own and goes
     * on. Step Functions cannot refuse the duplicate by itself: Scheduler names each execution afresh (it cannot give
     * one a name made of the curfew), and execution names are unique only as given. A dry run claims nothing (it
     * changes nothing); the claim of the curfew before (the idle check's of the days before) is deleted. If listing
     * the accounts fails, the claim is given back so that the execution can be started again. A warning more than
     * the lead and {@link SweepService#WARNING_TOLERANCE} before its curfew (a start long after its time) stands
     * aside without a claim: its curfew's warning is still to come.
     */
    public Map<String, Object> list(Map<String, Object> input) {
        AccountStepsJson.ListIn in = AccountStepsJson.ListIn.of(input);
        String pass = in.pass();
        String execution = in.execution();
        Policy policy = service.withWarningTime(service.policy());
        Instant now = clock.instant();
        Occasion occasion = Occasion.of(pass, in.scheduled(), policy, now);
        SweepLocks.Key key = occasion.key();
        Instant curfew = occasion.at();
        String tooEarly = "warning".equals(pass) ? SweepService.tooEarly(policy, now, curfew) : null;
        if (tooEarly != null) {
            String why = tooEarly + "; no account was read";
            LOG.info("STOOD ASIDE: {}", why);
            Map<String, Object> out = AccountStepsJson.stoodAside(pass, curfew, why);
            runLog.stoodAside(out);
            return out;
        }
        SsmLease records = new SsmLease(service.clients(), Duration.ofDays(1), Clock.systemUTC());
        String name = claimName(key);
        boolean claimed = false;
        if (policy.mode() == Mode.ENFORCE) {
            String description = "Curfew accounts state machine: the execution sweeping the " + occasion.words();
            if (!records.create(name, execution, description)) {
                Parameter held = records.read(name);
                if (held == null && records.create(name, execution, description)) {
                    held = records.read(name); // deleted in between (the instructor's rerun): ours now
                }
                if (held == null || !execution.equals(held.value())) {
                    String why = "the " + occasion.words() + " is swept by the execution "
                            + (held == null ? "that claimed it" : held.value() + " (started " + held.lastModifiedDate()
                            + ")") + ": nothing was done or sent; to run it again, delete the SSM parameter " + name;
                    LOG.info("STOOD ASIDE: {}", why);
                    Map<String, Object> out = AccountStepsJson.stoodAside(pass, curfew, why);
                    runLog.stoodAside(out);
                    return out;
                }
            }
            claimed = true;
            occasion.stale().forEach(k -> records.delete(claimName(k)));
            if ("curfew".equals(pass)) {
                service.pruneToldRecords();
                if (policy.budgets().any()) {
                    service.pruneBudgetRecords(policy);
                }
            }
        }
        List<AccountTarget> targets;
        List<String> problems;
        try {
            AccountsWork.Listing listing = work.list(policy);
            targets = listing.targets();
            problems = listing.problems();
        } catch (RuntimeException e) {
            if (claimed) {
                records.release(name, execution);
            }
            throw e;
        }
        LOG.info("{} pass {}: {} accounts, at most {} at once", pass, forWhat(pass, curfew), targets.size(),
                config.maxConcurrency());
        problems.forEach(x -> LOG.warn("{} pass {}: {}", pass, forWhat(pass, curfew), x));
        Map<String, Object> out = AccountStepsJson.listed(pass, curfew, policy.course(), policy.mode().wireName(),
                config.maxConcurrency(), targets, problems);
        AccountStepsJson.putWeeksOver(out, weeksDue(policy, pass));
        if (costExplorer.on()) {
            // once per pass, in the deployment account: each account's worker gets its own figures
            Map<String, dev.curfew.aws.spend.CostExplorerSpend.Answer> billed;
            try {
                billed = work.billed(policy, targets);
            } catch (RuntimeException e) {
                dev.curfew.aws.spend.CostExplorerSpend.Answer failed = new dev.curfew.aws.spend.CostExplorerSpend
                        .Answer(Map.of(), "Cost Explorer could not be read (" + dev.curfew.aws.Errors.describe(e)
                        + ")");
                billed = new java.util.HashMap<>();
                for (AccountTarget t : targets) {
                    billed.put(t.account(), failed);
                }
            }
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> items = (List<Map<String, Object>>) out.get("accounts");
            for (Map<String, Object> item : items) {
                AccountStepsJson.putBilled(item, billed.get(String.valueOf(item.get("account"))));
            }
        }
        return out;
    }

    /** The weeks over the accounts' steps work out (their closed records read once); none when that fails. */
    private List<java.time.LocalDate> weeksDue(Policy policy, String pass) {
        try {
            return work.weeksDue(policy, pass);
        } catch (RuntimeException e) {
            LOG.warn("{} pass: the weeks over to close could not be found ({}); none is closed this time", pass,
                    dev.curfew.aws.Errors.describe(e));
            return List.of();
        }
    }

    /**
     * The worker: one account. The target is checked against the accounts the policy and roster cover now (what
     * the input says is never proof of enrolment: {@link AccountsWork#sweep}); one that is not covered is refused and
     * nothing is read in it.
     * The full report goes to the log as the sweeper's does ({@link RunLog}); the answer is the compact row.
     */
    public Map<String, Object> sweep(Map<String, Object> input, Context context) {
        AccountStepsJson.SweepIn in = AccountStepsJson.SweepIn.of(input);
        String pass = in.pass();
        Instant curfew = in.curfew();
        AccountTarget target = in.target();
        Policy policy = service.withWarningTime(service.policy());
        AccountRun run;
        if ("warning".equals(pass) && !clock.instant().isBefore(curfew)) {
            // a warning after its curfew would tell students of what is done already, and tag curfew:warned
            run = AccountRun.notSwept(target, AccountRun.Status.FAILED, "the warning of the curfew of " + curfew
                    + " reached this account after that curfew: nothing was read and nobody was told");
        } else {
            run = work.sweep(target, policy, pass, curfew, SweeperHandler.emptyingDeadline(context,
                    Clock.systemUTC()), in.billed(), in.weeksOver());
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("pass", pass);
        answer.put("curfew", curfew.toString());
        answer.putAll(AccountStepsJson.target(target));
        answer.put("status", run.status().name());
        if (run.error() != null) {
            answer.put("error", run.error());
        }
        SweepReport report = run.report();
        if (report != null) {
            if (report.breaker().tripped()) {
                LOG.error(SweepService.BREAKER_TRIPPED + " in account {}: {} destructive actions planned, limit {}; "
                        + "nothing was acted on", target.account(), report.breaker().planned(),
                        report.breaker().limit());
            }
            answer.putAll(report.toMap());
            runLog.finished(pass, answer, report);
        } else {
            runLog.accountNotSwept(answer);
        }
        return AccountStepsJson.row(run, where(context, target));
    }

    /** Where the account's full report is: this invocation's log stream, the line {@value RunLog#REPORT}. */
    static Map<String, Object> where(Context context, AccountTarget target) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("line", RunLog.REPORT);
        m.put("account", target.account());
        if (context != null) {
            m.put("logGroup", String.valueOf(context.getLogGroupName()));
            m.put("logStream", String.valueOf(context.getLogStreamName()));
            m.put("requestId", String.valueOf(context.getAwsRequestId()));
        }
        return m;
    }

    /** The Map's results as the budget step and the summary read them: each account's run. */
    private List<AccountRun> runs(AccountStepsJson.SummaryIn in) {
        Map<String, Object> manifest = read(resultsBucket(in.bucket(), "results.ResultWriterDetails.Bucket"),
                in.key());
        return AccountStepsJson.runs(in, manifest, k -> readAny(in.bucket(), k),
                text -> parse(text, "a child execution's JSON"));
    }

    /**
     * Where the budget step puts an execution's STOP items in the results bucket: the SHA-256 (hex) of the whole
     * execution ARN, so that two executions never share a key whatever their names.
     */
    static String stopsKey(String execution) {
        try {
            return "stops/" + java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(execution.getBytes(java.nio.charset.StandardCharsets.UTF_8))) + ".json";
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Where the budget step puts its whole answer (who is over, why partial, the messages), beside the stops. */
    static String answerKey(String stopsKey) {
        return stopsKey.substring(0, stopsKey.length() - ".json".length()) + ".budgets.json";
    }

    /**
     * The budget step (README, "Budgets"), after every account's step: reads the Map's results as the summary does,
     * adds each student's spend up across the accounts, decides once, records and tells
     * ({@link AccountsWork#budgets}); it stops nothing. The stops still to make, one STOP item per account, go to the
     * results bucket ({@link #stopsKey}), where the stops' Map reads them: the state stays small whatever the number
     * of accounts. A retry writes the same items again; the told records keep anyone from being told twice. A
     * failure here is the answer's {@code error}: the summary still goes out, and says so.
     */
    public Map<String, Object> budgets(Map<String, Object> input) {
        AccountStepsJson.SummaryIn in = AccountStepsJson.SummaryIn.of(input);
        String execution = AccountStepsJson.text(input, "execution", "execution");
        Policy policy = service.withWarningTime(service.policy());
        if (!policy.budgets().any() || !("curfew".equals(in.pass()) || "idle-check".equals(in.pass()))) {
            return AccountStepsJson.notWeighed("why", policy.budgets().any() ? "budgets are weighed after the curfew "
                    + "pass and the idle check" : "the policy sets no budgets");
        }
        List<AccountRun> runs = runs(in);
        AccountsWork.Budgets budgets;
        try {
            budgets = work.budgets(policy, in.pass(), runs, in.problems());
        } catch (RuntimeException e) {
            LOG.error("the budgets across accounts failed; the sweeps themselves are done", e);
            return AccountStepsJson.notWeighed("error", failed(e));
        }
        LOG.info("budgets of the {} pass {}: over {}; stops to make in {} account(s){}", in.pass(),
                forWhat(in.pass(), in.curfew()), budgets.over(), budgets.stops().size(), budgets.partial().isEmpty()
                ? "" : "; partial: " + budgets.partial());
        String key = stopsKey(execution);
        List<String> errors = new java.util.ArrayList<>();
        if (!budgets.stops().isEmpty()) {
            try {
                put(in.bucket(), key, budgets.stops().stream().map(AccountStepsJson::stopItem).toList());
            } catch (RuntimeException e) {
                LOG.error("the budget stops to make could not be written", e);
                errors.add("the budget stops to make (" + budgets.stops().size() + " account(s)) could not be "
                        + "written to s3://" + in.bucket() + "/" + key + " (" + dev.curfew.aws.Errors.describe(e)
                        + "): none was made; the next pass's steps stop whoever is recorded over budget");
                budgets = new AccountsWork.Budgets(budgets.over(), budgets.partial(), budgets.told(), List.of());
            }
        }
        // the whole answer goes beside the stops: the state keeps only counts and keys, whatever the class's size
        String answerKey = answerKey(key);
        try {
            put(in.bucket(), answerKey, AccountStepsJson.budgetsAnswer(budgets));
        } catch (RuntimeException e) {
            LOG.error("the budget step's answer could not be written", e);
            errors.add("the budget step's answer could not be written to s3://" + in.bucket() + "/" + answerKey
                    + " (" + dev.curfew.aws.Errors.describe(e) + "): who is over budget and why the sums are partial"
                    + " are in the accounts function's log");
            answerKey = null;
        }
        Map<String, Object> out = AccountStepsJson.weighed(budgets, in.bucket(), key, answerKey);
        if (!errors.isEmpty()) {
            out.put("error", String.join("; ", errors));
        }
        return out;
    }

    /** What the budget step's answer says when weighing failed: some may have been recorded or told already. */
    static String failed(RuntimeException e) {
        return "budgets failed: " + e.getClass().getSimpleName() + ": " + e.getMessage() + "; no stop was made, and "
                + "some students may have been recorded over budget or told before it failed (the told records say "
                + "who)";
    }

    private void put(String bucket, String key, Object value) {
        byte[] bytes;
        try {
            bytes = json.writeValueAsBytes(value);
        } catch (IOException e) {
            throw new IllegalStateException("s3://" + bucket + "/" + key + " could not be written as JSON", e);
        }
        service.clients().s3().putObject(b -> b.bucket(bucket).key(key),
                software.amazon.awssdk.core.sync.RequestBody.fromBytes(bytes));
    }

    /**
     * One account's budget stops, in its own invocation (the stops' Map): the STOP item the budget step wrote,
     * through that account's stop path ({@link AccountsWork#stop}: the account guard first, dry-run stops nothing).
     * The answer is what was stopped (would be) or why nothing was; a bad item fails the step naming the field.
     */
    public Map<String, Object> stop(Map<String, Object> input) {
        AccountStepsJson.StopIn in = AccountStepsJson.StopIn.of(input);
        Policy policy = service.withWarningTime(service.policy());
        AccountRun run = work.stop(in.stop().target(), policy, in.stop().over());
        return AccountStepsJson.stopped(BudgetStops.Result.of(in.stop(), run));
    }

    /**
     * The summary: reads the Map's results from the stack's results bucket (the ResultWriter manifest, then each
     * results file), rebuilds each account's run ({@link AccountStepsJson#runs}), reads what the budget stops did
     * (the stops' Map results) and has the class page and the summary made after them: an instance they stopped
     * shows as stopped, and each stop not made is said, with why.
     */
    public Map<String, Object> summary(Map<String, Object> input) {
        AccountStepsJson.SummaryIn in = AccountStepsJson.SummaryIn.of(input);
        List<AccountRun> runs = runs(in);
        Policy policy = service.withWarningTime(service.policy());
        Map<String, Object> b = in.budgets();
        List<BudgetStops.Result> stops = List.of();
        List<String> notMade = new java.util.ArrayList<>();
        NotificationReport budgetsTold = null;
        Map<String, Object> answer = Map.of();
        boolean weighedHere = b == null;
        if (weighedHere) {
            // an execution started before the budget step was its own: weigh and stop here, as the summary did then
            b = new LinkedHashMap<>();
            try {
                AccountsWork.Budgets weighed = work.budgets(policy, in.pass(), runs, in.problems());
                answer = AccountStepsJson.budgetsAnswer(weighed);
                budgetsTold = weighed.told();
                List<BudgetStops.Result> made = new java.util.ArrayList<>();
                for (AccountsWork.Stop stop : weighed.stops()) {
                    try {
                        made.add(BudgetStops.Result.of(stop, work.stop(stop.target(), policy, stop.over())));
                    } catch (RuntimeException e) {
                        made.add(BudgetStops.Result.notMade(stop, dev.curfew.aws.Errors.describe(e)));
                    }
                }
                stops = made;
                notMade.addAll(BudgetStops.notMade(stops));
                b.put("weighed", weighed != AccountsWork.Budgets.NONE);
            } catch (RuntimeException e) {
                LOG.error("the budgets across accounts failed; the sweeps themselves are done", e);
                notMade.add(failed(e));
            }
        }
        if (b.get("Error") != null) {
            notMade.add("the budget step failed (" + b.get("Error") + (b.get("Cause") == null ? "" : ": "
                    + AccountStepsJson.lambdaMessage(String.valueOf(b.get("Cause")))) + "): the sums across the "
                    + "accounts may not all be recorded or told, and none of their stops was made");
        } else if (b.get("error") != null) {
            notMade.add(String.valueOf(b.get("error")));
        }
        if (!weighedHere && b.get("Error") == null && Boolean.TRUE.equals(b.get("weighed"))) {
            if (b.get("answer") != null) {
                try {
                    answer = answer(b);
                } catch (RuntimeException e) {
                    LOG.error("the budget step's answer could not be read", e);
                    notMade.add("the budget step's answer could not be read (" + dev.curfew.aws.Errors.describe(e)
                            + "): who is over budget, why the sums are partial and whom it told are not in this "
                            + "summary; they are in the accounts function's log");
                }
            }
            budgetsTold = AccountStepsJson.notifications(in.pass(), answer.get("notifications"));
            try {
                stops = stops(in, b);
            } catch (RuntimeException e) {
                LOG.error("the budget stops' results could not be read", e);
                notMade.add("what the budget stops did could not be read (" + dev.curfew.aws.Errors.describe(e)
                        + "); each account's stop is in the accounts function's log");
            }
            notMade.addAll(BudgetStops.notMade(stops));
        }
        List<AccountRun> after = BudgetStops.applied(runs, stops);
        NotificationReport told;
        try {
            told = work.summary(policy, in.pass(), after, in.problems(), notMade, in.curfew());
        } catch (RuntimeException e) {
            LOG.error("the summary across accounts failed; the sweeps themselves are done", e);
            told = new NotificationReport(in.pass(), null, 0, List.of(), List.of(), List.of(),
                    List.of("messages failed: " + e.getClass().getSimpleName() + ": " + e.getMessage()));
        }
        if (budgetsTold != null) {
            told = told.plus(budgetsTold);
        }
        Map<String, Object> out = AccountStepsJson.summarized(in.pass(), in.curfew(), after, in.problems(), told);
        if (Boolean.TRUE.equals(b.get("weighed")) || !notMade.isEmpty()) {
            Map<String, Object> budgets = new LinkedHashMap<>();
            // the execution's output is a state too (256 KB): long lists are cut, the whole is in the bucket and log
            budgets.put("over", AccountStepsJson.capped(answer.getOrDefault("over", List.of()), SUMMARY_LINES));
            budgets.put("partial", AccountStepsJson.capped(answer.getOrDefault("partial", List.of()),
                    SUMMARY_LINES));
            budgets.put("stops", AccountStepsJson.capped(stops.stream().map(BudgetStops.Result::line).toList(),
                    SUMMARY_LINES));
            budgets.put("notMade", AccountStepsJson.capped(notMade, SUMMARY_LINES));
            out.put("budgets", budgets);
        }
        LOG.info("summary of the {} pass {}: {}", in.pass(), forWhat(in.pass(), in.curfew()), out.get("byStatus"));
        return out;
    }

    /**
     * What each planned stop did: the STOP items the budget step wrote, and the stops' Map results
     * ({@code stopped}) or its failure ({@code stopsFailed}: every stop not made, with the Map's error).
     */
    @SuppressWarnings("unchecked")
    private List<BudgetStops.Result> stops(AccountStepsJson.SummaryIn in, Map<String, Object> b) {
        if (!Boolean.TRUE.equals(b.get("stopping"))) {
            return List.of();
        }
        Map<String, Object> where = AccountStepsJson.object(b.get("stops"), "budgets.stops");
        String bucket = resultsBucket(AccountStepsJson.text(where, "Bucket", "budgets.stops.Bucket"),
                "budgets.stops.Bucket");
        Object items = readAny(bucket, AccountStepsJson.text(where, "Key", "budgets.stops.Key"));
        if (!(items instanceof List<?> list)) {
            throw new IllegalArgumentException("budgets.stops.Key is not a JSON array of STOP items");
        }
        List<AccountsWork.Stop> planned = list.stream().map(x -> AccountStepsJson.stop(x, "stops[]")).toList();
        if (b.get("stopsFailed") != null) {
            Map<String, Object> f = AccountStepsJson.object(b.get("stopsFailed"), "budgets.stopsFailed");
            String why = "the stops' Map failed: " + f.get("Error") + (f.get("Cause") == null ? "" : ": "
                    + AccountStepsJson.lambdaMessage(String.valueOf(f.get("Cause"))));
            return planned.stream().map(p -> BudgetStops.Result.notMade(p, why)).toList();
        }
        if (b.get("stopped") == null) {
            return planned.stream().map(p -> BudgetStops.Result.notMade(p, "the stops' Map left no results"))
                    .toList();
        }
        Map<String, Object> details = AccountStepsJson.object(AccountStepsJson.object(b.get("stopped"),
                "budgets.stopped").get("ResultWriterDetails"), "budgets.stopped.ResultWriterDetails");
        String mapBucket = resultsBucket(AccountStepsJson.text(details, "Bucket",
                "budgets.stopped.ResultWriterDetails.Bucket"), "budgets.stopped.ResultWriterDetails.Bucket");
        Map<String, Object> manifest = read(mapBucket, AccountStepsJson.text(details, "Key",
                "budgets.stopped.ResultWriterDetails.Key"));
        return AccountStepsJson.stops(planned, manifest, k -> readAny(mapBucket, k),
                text -> parse(text, "a stop's JSON"));
    }

    /** The budget step's whole answer, from the results bucket ({@code budgets.answer}). */
    private Map<String, Object> answer(Map<String, Object> b) {
        Map<String, Object> where = AccountStepsJson.object(b.get("answer"), "budgets.answer");
        String bucket = resultsBucket(AccountStepsJson.text(where, "Bucket", "budgets.answer.Bucket"),
                "budgets.answer.Bucket");
        return read(bucket, AccountStepsJson.text(where, "Key", "budgets.answer.Key"));
    }

    /**
     * {@code bucket}, the input's {@code field}, when it is the stack's results bucket: the steps read nothing else,
     * whatever their input names.
     */
    private String resultsBucket(String bucket, String field) {
        if (config.resultsBucket() == null || !config.resultsBucket().equals(bucket)) {
            throw new IllegalArgumentException(field + " is \"" + bucket + "\"; the steps read only the stack's "
                    + "results bucket (" + config.resultsBucket() + ")");
        }
        return bucket;
    }

    private Map<String, Object> read(String bucket, String key) {
        return AccountStepsJson.object(readAny(bucket, key), "s3://" + bucket + "/" + key);
    }

    private Object readAny(String bucket, String key) {
        byte[] bytes;
        try {
            bytes = service.clients().s3().getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray();
        } catch (NoSuchKeyException e) {
            throw new IllegalArgumentException("s3://" + bucket + "/" + key + " does not exist");
        }
        try {
            return json.readValue(bytes, Object.class);
        } catch (IOException e) {
            throw new IllegalArgumentException("s3://" + bucket + "/" + key + " is not JSON: " + e.getMessage());
        }
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> parse(String text, String field) {
        try {
            return AccountStepsJson.object(json.readValue(text, Map.class), field);
        } catch (IOException e) {
            throw new IllegalArgumentException(field + " is not JSON: " + e.getMessage());
        }
    }

    AwsClients clients() {
        return service.clients();
    }
}
