package dev.curfew.core.sweep;

import dev.curfew.core.accounts.AccountScope;
import dev.curfew.core.model.Ec2Instance;
import dev.curfew.core.model.Inventory;
import dev.curfew.core.model.Protection;
import dev.curfew.core.plan.Action;
import dev.curfew.core.plan.Decision;
import dev.curfew.core.plan.Finding;
import dev.curfew.core.plan.Plan;
import dev.curfew.core.plan.Planner;
import dev.curfew.core.policy.Mode;
import dev.curfew.core.policy.Policy;
import dev.curfew.core.report.SweepReport;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * One sweep: guard, inventory (regions in parallel), plan, re-check protection, act (only in enforce), report.
 * The safety rules live here and in {@link Planner}, not in the adapters:
 * dry-run never calls {@link CloudPort#apply}; enforce never acts before the account guard passed; a tripped
 * circuit breaker acts on nothing; one region or resource failing never stops the others.
 */
public final class SweepEngine {
    private final CloudPort cloud;
    private final Clock clock;
    private final int parallelism;
    private final Consumer<String> progress;
    private final Deadline deadline;
    private final AccountScope scope;
    private final dev.curfew.core.budget.BudgetHook budget;
    /** Only the budget's stops are planned and acted on ({@link #withBudgetStopsOnly}). */
    private final boolean budgetStopsOnly;

    public SweepEngine(CloudPort cloud, Clock clock, int parallelism, Consumer<String> progress) {
        this(cloud, clock, parallelism, progress, Deadline.NONE, null, null, false);
    }

    private SweepEngine(CloudPort cloud, Clock clock, int parallelism, Consumer<String> progress,
                        Deadline deadline, AccountScope scope, dev.curfew.core.budget.BudgetHook budget,
                        boolean budgetStopsOnly) {
        this.budgetStopsOnly = budgetStopsOnly;
        this.cloud = cloud;
        this.clock = clock;
        this.parallelism = Math.max(1, parallelism);
        this.progress = progress == null ? s -> { } : progress;
        this.deadline = deadline == null ? Deadline.NONE : deadline;
        this.scope = scope;
        this.budget = budget;
    }

    /**
     * The same engine with a time budget for emptying buckets: every other action is taken first, whatever the time;
     * buckets are emptied until {@code deadline}, and those it does not reach are left for the next run.
     */
    public SweepEngine withDeadline(Deadline deadline) {
        return new SweepEngine(cloud, clock, parallelism, progress, deadline, scope, budget, budgetStopsOnly);
    }

    /**
     * The same engine for one account of many (README, "Students' own accounts"): the credentials must belong to
     * {@code scope.account()} (else the guard refuses, in any mode), and only what is in the scope is planned; the
     * rest is reported "out of scope" and never touched.
     */
    public SweepEngine withScope(AccountScope scope) {
        return new SweepEngine(cloud, clock, parallelism, progress, deadline, scope, budget, budgetStopsOnly);
    }

    /**
     * The same engine with the students' budgets (README, "Budgets"): the hook's stop findings join the rules' and go
     * through the same exemptions, protection, dry-run and circuit breaker. A hook that fails is reported under
     * "budget" and the sweep goes on without it.
     */
    public SweepEngine withBudget(dev.curfew.core.budget.BudgetHook hook) {
        return new SweepEngine(cloud, clock, parallelism, progress, deadline, scope, hook, budgetStopsOnly);
    }

    /**
     * The same engine acting on the budget's stops alone (a student found over budget after the account's own sweep,
     * by the sum across accounts): only the instances the hook stops are planned, each with every rule and exemption
     * as in a sweep (keep tags, the allow-list, protection read again, one-time spot, the circuit breaker, dry-run),
     * and any decision of theirs but a stop is skipped. Nothing else in the account is planned or touched.
     */
    public SweepEngine withBudgetStopsOnly(dev.curfew.core.budget.BudgetHook hook) {
        return new SweepEngine(cloud, clock, parallelism, progress, deadline, scope, hook, true);
    }

    public SweepReport run(Policy policy) {
        return runWithPlan(policy).report();
    }

    /** A sweep's report and the plan behind it (the messages need the resources' tags and the marks' times). */
    public record Result(SweepReport report, Plan plan, dev.curfew.core.budget.BudgetCheck.Result budget) {
        public Result(SweepReport report, Plan plan) {
            this(report, plan, null);
        }
    }

    public Result runWithPlan(Policy policy) {
        long started = System.nanoTime();
        Instant now = clock.instant();

        String account;
        try {
            account = cloud.accountId();
        } catch (RuntimeException e) {
            throw new SweepException("cannot tell which account these credentials belong to "
                    + "(STS GetCallerIdentity failed): " + e.getMessage(), e);
        }
        if (scope != null && !scope.account().equals(account)) {
            throw new AccountGuardException("account guard: these credentials belong to account " + account
                    + ", not to account " + scope.account() + " that this sweep is for; nothing was changed");
        }
        boolean listed = policy.accounts().contains(account);
        if (policy.mode() == Mode.ENFORCE && !listed) {
            throw new AccountGuardException("account guard: these credentials belong to account " + account
                    + ", which is not in the policy's accounts " + policy.accounts() + "; nothing was changed");
        }
        String guard = listed ? "passed: account " + account + " is listed in the policy"
                : "account " + account + " is not listed in the policy: enforce would refuse to change anything";

        List<String> regions;
        try {
            regions = policy.allRegions() ? cloud.enabledRegions() : policy.regions();
        } catch (RuntimeException e) {
            throw new SweepException("cannot list the account's regions: " + e.getMessage(), e);
        }
        progress.accept("sweeping " + regions.size() + " region" + (regions.size() == 1 ? "" : "s") + " of account "
                + account + " (" + policy.mode() + ")");

        Map<String, String> regionErrors = new TreeMap<>();
        Map<String, Inventory> byRegion = perRegion(regions, r -> cloud.inventory(r, policy, now), regionErrors);
        // a region, or a kind in it, that failed after the SDK's retries is read once more, after all the others
        List<String> again = regions.stream().filter(r -> regionErrors.containsKey(r)
                || (byRegion.containsKey(r) && !byRegion.get(r).failures().isEmpty())).toList();
        if (!again.isEmpty()) {
            progress.accept("reading again what failed: " + again.stream().map(r -> regionErrors.containsKey(r) ? r
                    : byRegion.get(r).failures().keySet().toString()).toList());
            Map<String, String> secondErrors = new TreeMap<>();
            Map<String, Inventory> second = perRegion(again, r -> cloud.inventory(r, policy, now), secondErrors);
            second.forEach((r, inv) -> {
                if (!byRegion.containsKey(r) || inv.failures().size() <= byRegion.get(r).failures().size()) {
                    byRegion.put(r, inv);
                    regionErrors.remove(r);
                }
            });
            secondErrors.forEach((r, e) -> {
                if (regionErrors.containsKey(r)) {
                    regionErrors.put(r, e);
                }
            });
        }
        byRegion.forEach((r, inv) -> progress.accept(r + ": " + inv.instances().size() + " instance"
                + (inv.instances().size() == 1 ? "" : "s")));
        if (!regions.isEmpty() && regionErrors.size() == regions.size()) {
            throw new SweepException("every region failed; first: " + regionErrors.entrySet().iterator().next());
        }
        List<Inventory> parts = new ArrayList<>(byRegion.values());
        Inventory global = null;
        String globalError = null;
        for (int attempt = 1; attempt <= 2 && (global == null || !global.failures().isEmpty()); attempt++) {
            try {
                Inventory g = cloud.global(policy, now);
                if (global == null || g.failures().size() <= global.failures().size()) {
                    global = g;
                }
                globalError = null;
            } catch (RuntimeException e) {
                globalError = global != null ? null : e.getClass().getSimpleName() + ": " + e.getMessage();
                progress.accept("global resources (S3): failed: " + e.getClass().getSimpleName() + ": "
                        + e.getMessage() + (attempt == 1 ? "; reading them again" : ""));
            }
        }
        if (global != null) {
            parts.add(global);
        } else if (globalError != null) {
            regionErrors.put("global", globalError);
        }
        Inventory inventory = Inventory.merge(parts);
        List<AccountScope.Left> outOfScope = List.of();
        if (scope != null) {
            AccountScope.Split split = scope.split(inventory, policy.ownerTag());
            inventory = split.inScope();
            outOfScope = split.outOfScope();
            if (!outOfScope.isEmpty()) {
                progress.accept(outOfScope.size() + " resource" + (outOfScope.size() == 1 ? " is" : "s are")
                        + " out of scope (" + (scope.since().equals(AccountScope.UNKNOWN_ENROLMENT)
                        ? "the account's enrolment time is not known" : "created before enrolment on " + scope.since())
                        + "): left alone");
            }
        }
        // what still failed is reported by name; the planner skips what depends on it
        inventory.failures().forEach((what, e) -> {
            regionErrors.put(what, e);
            progress.accept(what + ": failed: " + e);
        });

        dev.curfew.core.budget.BudgetCheck.Result budgets = null;
        if (budget != null && policy.budgets().any()) {
            try {
                budgets = budget.check(inventory, policy, now);
                progress.accept("budgets: " + budgets.standings().size() + " with a budget, " + budgets.over().size()
                        + " over it, " + budgets.stops().size() + " instance" + (budgets.stops().size() == 1 ? "" : "s")
                        + " to stop");
            } catch (RuntimeException e) {
                regionErrors.put("budget", e.getClass().getSimpleName() + ": " + e.getMessage());
                progress.accept("budget: failed: " + e.getClass().getSimpleName() + ": " + e.getMessage()
                        + "; nobody is stopped for their budget this time");
            }
        }
        Map<String, Finding> extra = budgets == null ? Map.of() : budgets.stops();
        if (budgetStopsOnly) {
            inventory = Inventory.empty().with(dev.curfew.core.model.ResourceKind.EC2_INSTANCE,
                    inventory.instances().stream().filter(i -> extra.containsKey(i.id())).toList());
        }
        inventory = withProtection(inventory, Planner.decideAll(inventory, policy, now, extra), regionErrors);
        Plan plan = Planner.plan(inventory, policy, now, extra);
        if (budgetStopsOnly) {
            plan = new Plan(plan.mode(), plan.now(), plan.decisions().stream().map(d -> !d.changes()
                    || d.action() == Action.STOP ? d : d.skip("only the budget's stops are acted on here; the "
                    + "account's own sweep decides the rest")).toList(), plan.breaker());
        }
        if (plan.breaker().tripped()) {
            progress.accept("circuit breaker tripped: " + plan.breaker().planned() + " destructive actions planned, "
                    + "limit " + plan.breaker().limit() + "; nothing will be acted on");
        }

        Map<String, Outcome> outcomes = new HashMap<>();
        // a tripped breaker writes nothing at all, not even marks
        if (policy.mode() == Mode.ENFORCE && !plan.breaker().tripped()) {
            act(plan.decisions().stream().filter(Decision::changes).toList(), outcomes);
        }

        List<SweepReport.Row> rows = new ArrayList<>();
        for (Decision d : plan.decisions()) {
            Outcome o = outcomes.get(d.resource().id());
            if (o == null) {
                if (!d.changes()) {
                    o = new Outcome(d.resource().id(), Outcome.Status.NONE, null);
                } else if (policy.mode() == Mode.DRY_RUN) {
                    o = new Outcome(d.resource().id(), Outcome.Status.WOULD, "dry-run: would " + d.action().wireName());
                } else {
                    o = new Outcome(d.resource().id(), Outcome.Status.NONE, "not done: the circuit breaker tripped");
                }
            }
            rows.add(row(d, o));
        }
        for (AccountScope.Left left : outOfScope) {
            rows.add(row(new Decision(left.resource(), scope.owner(), List.of(), Action.SKIP, left.reason(), null),
                    new Outcome(left.resource().id(), Outcome.Status.NONE, null)));
        }
        long millis = (System.nanoTime() - started) / 1_000_000;
        SweepReport report = new SweepReport(policy.course(), account, policy.mode().wireName(), now, millis,
                regions, regionErrors, guard, plan.breaker(), rows, cloud.calls());
        progress.accept("done in " + millis + " ms: " + report.decisionCounts() + ", " + report.totalCalls()
                + " AWS calls");
        return new Result(report, plan, budgets);
    }

    /**
     * Carries out the decisions in three steps. First the main job: every decision but emptying or deleting a bucket
     * (instances, spot requests, volumes, addresses, snapshots, images, EMR, security groups, every mark), all
     * regions in parallel, whatever the time. Then buckets, until the deadline: a bucket not reached is reported
     * "not started", one cut short "partial" (its mark stays; the next run continues). Last, what failed for a reason
     * that may pass (throttling, a server error, a timeout) is tried once more; a refusal never is.
     */
    private void act(List<Decision> changing, Map<String, Outcome> outcomes) {
        List<Decision> main = changing.stream().filter(d -> !emptiesBucket(d)).toList();
        List<Decision> buckets = changing.stream().filter(SweepEngine::emptiesBucket).toList();
        applyByRegion(main, outcomes);
        if (!buckets.isEmpty()) {
            progress.accept("emptying " + buckets.size() + " bucket" + (buckets.size() == 1 ? "" : "s") + " ("
                    + deadline + ")");
            applyBuckets(buckets, outcomes);
        }
        List<Decision> again = changing.stream().filter(d -> {
            Outcome o = outcomes.get(d.resource().id());
            return o != null && o.status() == Outcome.Status.FAILED && o.retryable();
        }).toList();
        if (again.isEmpty()) {
            return;
        }
        progress.accept("trying once more what failed for a reason that may pass: " + again.stream()
                .map(d -> d.resource().id()).toList());
        Map<String, Outcome> second = new HashMap<>();
        applyByRegion(again.stream().filter(d -> !emptiesBucket(d)).toList(), second);
        List<Decision> bucketsAgain = again.stream().filter(SweepEngine::emptiesBucket).toList();
        if (!bucketsAgain.isEmpty()) {
            applyBuckets(bucketsAgain, second);
        }
        for (Decision d : again) {
            String id = d.resource().id();
            Outcome first = outcomes.get(id);
            Outcome o = second.get(id);
            if (o == null || o.status() == Outcome.Status.DEFERRED) {
                outcomes.put(id, Outcome.failed(id, first.detail() + "; not tried again: the time budget was used "
                        + "up; it is done on the next run"));
            } else if (o.status() == Outcome.Status.FAILED) {
                outcomes.put(id, Outcome.failed(id, "still not done after a second try at the end of the run: "
                        + o.detail() + " (first try: " + first.detail() + ")"));
                progress.accept(id + ": still not done after a second try: " + o.detail());
            } else {
                outcomes.put(id, new Outcome(id, o.status(), o.detail() + " (on a second try at the end of the run; "
                        + "the first failed: " + first.detail() + ")"));
            }
        }
    }

    /** Emptying or deleting a bucket: the part of a sweep the time budget bounds, as its kind says. */
    static boolean emptiesBucket(Decision d) {
        dev.curfew.core.plan.KindRules k = dev.curfew.core.plan.Kinds.of(d.resource().kind());
        return k != null && k.timeBudgeted(d.action());
    }

    /** Applies decisions region by region, regions in parallel; a region that fails fails its decisions. */
    private void applyByRegion(List<Decision> decisions, Map<String, Outcome> outcomes) {
        Map<String, List<Decision>> toApply = decisions.stream()
                .collect(Collectors.groupingBy(d -> d.resource().region(), TreeMap::new, Collectors.toList()));
        Map<String, String> applyErrors = new TreeMap<>();
        Map<String, List<Outcome>> applied = perRegion(new ArrayList<>(toApply.keySet()),
                r -> cloud.apply(r, toApply.get(r), Deadline.NONE), applyErrors);
        applied.values().forEach(l -> l.stream().filter(java.util.Objects::nonNull)
                .forEach(o -> outcomes.put(o.resourceId(), o)));
        toApply.forEach((r, list) -> list.forEach(d -> outcomes.putIfAbsent(d.resource().id(),
                Outcome.failed(d.resource().id(), applyErrors.getOrDefault(r, "no outcome")))));
    }

    /**
     * Empties buckets, up to {@code parallelism} at a time, each in a call of its own; a bucket whose turn comes after
     * the deadline is not started.
     */
    private void applyBuckets(List<Decision> buckets, Map<String, Outcome> outcomes) {
        Map<String, Decision> byId = new LinkedHashMap<>();
        buckets.forEach(d -> byId.put(d.resource().id(), d));
        Map<String, String> errors = new TreeMap<>();
        Map<String, Outcome> done = perRegion(new ArrayList<>(byId.keySet()), id -> {
            Decision d = byId.get(id);
            if (deadline.passed()) {
                return Outcome.deferred(id);
            }
            List<Outcome> o = cloud.apply(d.resource().region(), List.of(d), deadline);
            return o.isEmpty() || o.get(0) == null ? Outcome.failed(id, "no outcome") : o.get(0);
        }, errors);
        outcomes.putAll(done);
        errors.forEach((id, e) -> outcomes.put(id, Outcome.failed(id, e)));
        long deferred = done.values().stream().filter(o -> o.status() == Outcome.Status.DEFERRED).count();
        long partial = done.values().stream().filter(o -> o.status() == Outcome.Status.PARTIAL).count();
        if (deferred + partial > 0) {
            progress.accept("time budget used up: " + partial + " bucket" + (partial == 1 ? "" : "s")
                    + " partly emptied, " + deferred + " not started; the next run continues");
        }
    }

    /**
     * Reads protection for what a plan would stop or terminate, so the planner can honour it: each kind holds what
     * was read of its own ({@link dev.curfew.core.plan.KindRules#withProtection}: instances).
     */
    private Inventory withProtection(Inventory inv, List<Decision> decisions, Map<String, String> regionErrors) {
        Map<String, Map<String, Action>> candidates = decisions.stream()
                .filter(d -> (d.action() == Action.STOP || d.action() == Action.TERMINATE)
                        && hasProtection(d.resource().kind()))
                .collect(Collectors.groupingBy(d -> d.resource().region(), TreeMap::new,
                        Collectors.toMap(d -> d.resource().id(), Decision::action)));
        if (candidates.isEmpty()) {
            return inv;
        }
        Map<String, String> errors = new TreeMap<>();
        Map<String, Map<String, Protection>> found = perRegion(new ArrayList<>(candidates.keySet()),
                r -> cloud.protection(r, candidates.get(r)), errors);
        errors.forEach((r, e) -> regionErrors.put(r, "reading protection: " + e));
        Map<String, Protection> all = new HashMap<>();
        found.values().forEach(all::putAll);
        // a candidate whose protection could not be read is not acted on
        candidates.values().forEach(m -> m.keySet().forEach(id -> all.putIfAbsent(id, Protection.UNREADABLE)));
        Map<dev.curfew.core.model.ResourceKind, List<dev.curfew.core.model.Resource>> byKind = new java.util.EnumMap<>(
                dev.curfew.core.model.ResourceKind.class);
        inv.byKind().forEach((kind, list) -> {
            dev.curfew.core.plan.KindRules k = dev.curfew.core.plan.Kinds.of(kind);
            byKind.put(kind, list.stream().map(r -> k != null && all.containsKey(r.id())
                    ? k.withProtection(r, all.get(r.id())) : r).toList());
        });
        return new Inventory(byKind, inv.metrics(), inv.failures());
    }

    /** Whether a kind's resources have protection to read before a stop or terminate (the registry says). */
    private static boolean hasProtection(dev.curfew.core.model.ResourceKind kind) {
        dev.curfew.core.plan.KindRules k = dev.curfew.core.plan.Kinds.of(kind);
        return k != null && k.hasProtection();
    }

    private <T> Map<String, T> perRegion(List<String> regions, Function<String, T> work, Map<String, String> errors) {
        java.util.Set<String> failed = new java.util.HashSet<>();
        List<T> values = Parallel.map(regions, parallelism, "curfew-region", work, (r, c) -> {
            if (c instanceof InterruptedException) {
                throw new SweepException("interrupted", c);
            }
            String msg = c.getClass().getSimpleName() + ": " + c.getMessage();
            errors.put(r, msg);
            progress.accept(r + ": failed: " + msg);
            failed.add(r);
            return null;
        });
        Map<String, T> results = new LinkedHashMap<>();
        for (int i = 0; i < regions.size(); i++) {
            if (!failed.contains(regions.get(i))) {
                results.put(regions.get(i), values.get(i));
            }
        }
        return results;
    }

    private static SweepReport.Row row(Decision d, Outcome o) {
        String state = d.resource() instanceof Ec2Instance i ? i.state().wireName() : null;
        String type = d.resource() instanceof Ec2Instance i ? i.type() + (i.spot() ? " (spot)" : "") : null;
        return new SweepReport.Row(d.resource().kind().wireName(), d.resource().id(), d.resource().name(),
                d.resource().region(), d.owner(), state, type,
                d.findings().stream().map(Finding::summary).toList(), d.action().wireName(), d.reason(),
                o.status().wireName(), o.detail(), d.costPerHour());
    }

    /** Ids of destructive decisions in a plan: for tests and summaries. */
    public static Set<String> destructiveIds(Plan plan) {
        return plan.destructive().stream().map(d -> d.resource().id()).collect(Collectors.toSet());
    }
}
