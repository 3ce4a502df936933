package dev.curfew.core.plan;

import dev.curfew.core.model.Ec2Instance;
import dev.curfew.core.model.InstanceMetrics;
import dev.curfew.core.model.InstanceState;
import dev.curfew.core.model.Inventory;
import dev.curfew.core.policy.ByteSizes;
import dev.curfew.core.policy.Durations;
import dev.curfew.core.policy.Ec2Rules;
import dev.curfew.core.policy.Policy;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The pure heart of Curfew: {@code plan(inventory, policy, now)} decides, for every resource, what to do and why.
 * Everything dangerous is decided here: exemptions, protection, spot-request handling and the circuit breaker.
 * No I/O, no clock but the {@code now} it is given.
 */
public final class Planner {
    public static final String STACK_TAG = Exempt.STACK_TAG;
    private static final DateTimeFormatter SHOW = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm z", Locale.ROOT);

    private Planner() {
    }

    public static Plan plan(Inventory inventory, Policy policy, Instant now) {
        return plan(inventory, policy, now, Map.of());
    }

    /**
     * As {@link #plan(Inventory, Policy, Instant)}, with findings made outside the rules for some instances (by id):
     * the budget's stops ({@code dev.curfew.core.budget.BudgetCheck}). They are weighed with the rules' findings and
     * go through the same exemptions, keep tags and protection.
     */
    public static Plan plan(Inventory inventory, Policy policy, Instant now, Map<String, Finding> extra) {
        return breaker(decideAll(inventory, policy, now, extra), policy, now);
    }

    /** Every resource's decision before the circuit breaker is applied. */
    public static List<Decision> decideAll(Inventory inventory, Policy policy, Instant now) {
        return decideAll(inventory, policy, now, Map.of());
    }

    /** As {@link #decideAll(Inventory, Policy, Instant)}, with {@code extra} findings by instance id. */
    public static List<Decision> decideAll(Inventory inventory, Policy policy, Instant now,
                                           Map<String, Finding> extra) {
        List<Decision> decisions = new ArrayList<>();
        inventory.instances().stream()
                .filter(i -> !i.state().isGone())
                .sorted(Comparator.comparing(Ec2Instance::region).thenComparing(Ec2Instance::id))
                .forEach(i -> decisions.add(partialView(decide(i, inventory.metricsOf(i.id()), policy, now,
                        extra.get(i.id())), i, inventory).withCost(instanceCost(i, inventory))));
        decisions.addAll(LeftoverPlanner.decide(inventory, decisions, policy, now));
        return decisions;
    }

    /**
     * A spot instance whose region's spot requests could not be listed is not stopped or terminated: whether its
     * request is persistent (and must be cancelled first, or AWS launches it again) is not known.
     */
    private static Decision partialView(Decision d, Ec2Instance i, Inventory inventory) {
        if (i.spot() && (d.action() == Action.STOP || d.action() == Action.TERMINATE)
                && inventory.failed(i.region(), dev.curfew.core.model.ResourceKind.SPOT_REQUEST)) {
            return d.skip("the spot requests of " + i.region() + " could not be listed, so whether its request "
                    + "would launch it again is not known; not " + d.action().wireName() + "; " + d.reason());
        }
        return d;
    }

    /** What an instance costs while it stays as it is: compute while running, plus its volumes. */
    static Double instanceCost(Ec2Instance i, Inventory inventory) {
        double volumes = 0;
        for (var v : inventory.volumes()) {
            if (i.id().equals(v.attachedTo())) {
                Double h = Prices.volumeHourly(v.volumeType(), v.sizeGiB());
                volumes += h == null ? 0 : h;
            }
        }
        if (i.state() == InstanceState.STOPPED) {
            return volumes;
        }
        Double compute = Prices.instanceHourly(i.type());
        return compute == null ? null : compute + volumes;
    }

    /** Trips when more destructive actions are planned than the policy allows: then none of them is done. */
    private static Plan breaker(List<Decision> decisions, Policy policy, Instant now) {
        int planned = (int) decisions.stream().filter(Decision::destructive).count();
        int limit = policy.maxDestructiveActions();
        if (planned <= limit) {
            return new Plan(policy.mode(), now, decisions, new Plan.Breaker(false, planned, limit));
        }
        String why = "circuit breaker: " + planned + " destructive actions planned, the policy allows " + limit
                + " (limits.max-destructive-actions); nothing was acted on and the instructor is alerted";
        List<Decision> held = decisions.stream().map(d -> d.destructive() ? d.skip(why) : d).toList();
        return new Plan(policy.mode(), now, held, new Plan.Breaker(true, planned, limit));
    }

    /** EC2 tags EMR puts on a cluster's instances: they are handled through the cluster, never one by one. */
    public static final String EMR_TAG = "aws:elasticmapreduce:job-flow-id";

    static Decision decide(Ec2Instance i, InstanceMetrics m, Policy p, Instant now) {
        return decide(i, m, p, now, null);
    }

    static Decision decide(Ec2Instance i, InstanceMetrics m, Policy p, Instant now, Finding extra) {
        String owner = i.tag(p.ownerTag());
        if (i.tag(EMR_TAG) != null) {
            return new Decision(i, owner, List.of(), Action.SKIP, "part of the EMR cluster " + i.tag(EMR_TAG)
                    + ": handled through the cluster", null);
        }
        List<Finding> findings = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        Ec2Rules rules = p.ec2();
        idle(i, m, rules.idle(), now, findings, notes);
        forgotten(i, rules.forgotten(), p, now, findings, notes);
        stopped(i, rules.stopped(), now, findings, notes);
        if (extra != null) {
            findings.add(extra);
        }

        if (findings.isEmpty()) {
            String why = notes.isEmpty() ? "no rule matched" : String.join("; ", notes);
            return new Decision(i, owner, findings, Action.SKIP, why, null);
        }
        Finding strongest = findings.stream().max(Comparator.comparingInt(f -> f.action().strength())).get();
        Action action = strongest.action();
        String reason = strongest.summary();
        Decision d = new Decision(i, owner, findings, action, reason, null);

        Exempt.Verdict exempt = Exempt.check(i, p, now);
        if (!exempt.record().isEmpty()) {
            // the keep cap is written once, so that it stays where it is
            return d.with(Action.MARK, exempt.reason(), exempt.record(), List.of());
        }
        if (exempt.kind() == Exempt.Kind.SKIP) {
            return d.skip(exempt.reason());
        }
        if (exempt.kind() == Exempt.Kind.NOTIFY_ONLY && action.destructive()) {
            return new Decision(i, owner, findings, Action.NOTIFY, exempt.reason(), null);
        }
        if (action == Action.STOP && i.state() != InstanceState.RUNNING && i.state() != InstanceState.PENDING) {
            return d.skip("already " + i.state().wireName() + "; " + reason);
        }
        if (action.destructive() && i.protection().unreadable()) {
            return d.skip("protection could not be read, so nothing is done to it this time; " + reason);
        }
        if (action == Action.TERMINATE && i.protection().terminationOn()) {
            return d.skip("protected: termination protection is on (reported, never overridden); " + reason);
        }
        if (action == Action.STOP && i.protection().stopOn()) {
            return d.skip("protected: stop protection is on (reported, never overridden); " + reason);
        }
        if (action == Action.STOP && i.spot() && !i.persistentSpot()) {
            return d.skip("one-time spot instance: it cannot be stopped, and the rule says stop, not terminate; "
                    + reason);
        }
        if (action == Action.TERMINATE && i.persistentSpot()) {
            return new Decision(i, owner, findings, action, reason + "; its persistent spot request "
                    + i.spotRequestId() + " is cancelled first", i.spotRequestId(), ActionTag.of(action, now),
                    List.of(), null);
        }
        if (action.destructive()) {
            // written on the instance just before the act; IAM allows the act only on an instance carrying it
            return new Decision(i, owner, findings, action, reason, null, ActionTag.of(action, now), List.of(), null);
        }
        return d;
    }

    private static void idle(Ec2Instance i, InstanceMetrics m, Ec2Rules.Idle r, Instant now,
                             List<Finding> findings, List<String> notes) {
        if (!r.enabled() || i.state() != InstanceState.RUNNING) {
            return;
        }
        String window = Durations.format(r.window());
        Instant started = i.launchTime() != null ? i.launchTime() : i.createdAt();
        if (started != null && Duration.between(started, now).compareTo(r.window()) < 0) {
            notes.add("not idle yet: running " + Durations.format(truncate(Duration.between(started, now)))
                    + " of the " + window + " window");
            return;
        }
        if (!m.hasData()) {
            notes.add("no data: no CPU datapoints in the last " + window + " (no data is not idle)");
            return;
        }
        double cpu = m.cpuAverage();
        double net = m.networkTotalBytes();
        String figures = String.format(Locale.ROOT, "CPU %.1f%% average, network %s over %s", cpu,
                ByteSizes.format(net), window);
        if (cpu < r.cpuBelowPercent() && net < r.networkBelowBytes()) {
            Map<String, String> ev = new LinkedHashMap<>();
            ev.put("cpuAveragePercent", String.format(Locale.ROOT, "%.2f", cpu));
            ev.put("networkBytes", String.format(Locale.ROOT, "%.0f", net));
            ev.put("window", window);
            ev.put("cpuBelowPercent", String.valueOf(r.cpuBelowPercent()));
            ev.put("networkBelowBytes", String.valueOf(r.networkBelowBytes()));
            findings.add(new Finding("ec2-idle", r.action(), "idle: " + figures, ev));
        } else {
            notes.add("busy: " + figures);
        }
    }

    private static void forgotten(Ec2Instance i, Ec2Rules.Forgotten r, Policy p, Instant now,
                                  List<Finding> findings, List<String> notes) {
        if (!r.enabled()) {
            return;
        }
        boolean running = i.state() == InstanceState.RUNNING || i.state() == InstanceState.PENDING;
        String expires = i.tag(r.expiresTag());
        if (expires != null && running) {
            Instant at = parseExpiry(expires, p.timeZone());
            if (at == null) {
                notes.add("the tag " + r.expiresTag() + "=\"" + expires + "\" is not a date or time");
            } else if (!now.isBefore(at)) {
                findings.add(new Finding("ec2-forgotten", r.action(), "expired: " + r.expiresTag() + " was "
                        + show(at, p.timeZone()), Map.of("expiresAt", at.toString())));
            }
        }
        Instant created = i.createdAt();
        if (r.maxLifetime() != null && running && created != null) {
            Duration age = Duration.between(created, now);
            if (age.compareTo(r.maxLifetime()) >= 0) {
                findings.add(new Finding("ec2-forgotten", r.action(), "running " + Durations.format(truncate(age))
                        + ", longer than the " + Durations.format(r.maxLifetime()) + " maximum lifetime",
                        Map.of("age", Durations.format(truncate(age)),
                                "maxLifetime", Durations.format(r.maxLifetime()))));
            }
        }
        if (r.atCurfew()) {
            Instant curfew = CurfewTimes.latest(p, now);
            Instant since = running ? (i.launchTime() != null ? i.launchTime() : created) : created;
            boolean stopped = i.state() == InstanceState.STOPPED;
            if ((running || stopped) && since != null && since.isBefore(curfew)) {
                findings.add(new Finding("ec2-forgotten", r.action(), (running ? "still running" : "still there "
                        + "(stopped)") + " after curfew (" + show(curfew, p.timeZone()) + ")",
                        Map.of("curfew", curfew.toString(), "since", since.toString())));
            }
        }
    }

    private static void stopped(Ec2Instance i, Ec2Rules.Stopped r, Instant now, List<Finding> findings,
                                List<String> notes) {
        if (!r.enabled() || i.state() != InstanceState.STOPPED) {
            return;
        }
        if (i.stoppedAt() == null) {
            notes.add("stopped since an unknown time");
            return;
        }
        Duration d = Duration.between(i.stoppedAt(), now);
        if (d.compareTo(r.longerThan()) >= 0) {
            findings.add(new Finding("ec2-stopped", r.action(), "stopped for " + Durations.format(truncate(d))
                    + " (its EBS storage still costs money), longer than " + Durations.format(r.longerThan()),
                    Map.of("stoppedAt", i.stoppedAt().toString())));
        } else {
            notes.add("stopped for " + Durations.format(truncate(d)));
        }
    }

    /** An ISO-8601 instant or offset date-time, a local date-time or a date (its end) in the course zone. */
    static Instant parseExpiry(String v, ZoneId zone) {
        String s = v.trim();
        try {
            return OffsetDateTime.parse(s).toInstant();
        } catch (DateTimeException ignored) {
            // next form
        }
        try {
            return LocalDateTime.parse(s).atZone(zone).toInstant();
        } catch (DateTimeException ignored) {
            // next form
        }
        try {
            return LocalDate.parse(s).plusDays(1).atStartOfDay(zone).toInstant();
        } catch (DateTimeException e) {
            return null;
        }
    }

    static String show(Instant t, ZoneId zone) {
        return SHOW.format(t.atZone(zone));
    }

    private static Duration truncate(Duration d) {
        return Duration.ofMinutes(Math.max(0, d.toMinutes()));
    }
}
