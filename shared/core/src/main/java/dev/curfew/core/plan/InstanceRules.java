package dev.curfew.core.plan;

import dev.curfew.core.model.Ec2Instance;
import dev.curfew.core.model.InstanceMetrics;
import dev.curfew.core.model.InstanceState;
import dev.curfew.core.model.Inventory;
import dev.curfew.core.model.ResourceKind;
import dev.curfew.core.policy.ByteSizes;
import dev.curfew.core.policy.Durations;
import dev.curfew.core.policy.Ec2Rules;
import dev.curfew.core.policy.KindRule;
import dev.curfew.core.policy.Policy;
import dev.curfew.core.policy.RuleFields;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * EC2 instances ({@code rules.ec2-idle}, {@code rules.ec2-forgotten}, {@code rules.ec2-stopped}): idle by their
 * metrics over the window (no data is not idle), forgotten (past their expiry tag, their maximum lifetime, or still
 * there at the latest curfew), stopped too long. The budget's stops are weighed with the rules' findings. Exemptions
 * first; then what AWS holds against the act is honoured, never overridden: stop and termination protection (read
 * again just before deciding, {@code SweepEngine}; unreadable protection acts on nothing), a one-time spot instance
 * that cannot be stopped, a persistent spot request cancelled before its instance is terminated, a spot instance
 * whose request could not be listed. Instances act at once (no grace period): their rules already wait (a window, a
 * lifetime, the curfew). First in the registry: the kinds after it read its decisions (spot requests).
 */
public final class InstanceRules extends KindRules {
    /** EC2 tags EMR puts on a cluster's instances: they are handled through the cluster, never one by one. */
    public static final String EMR_TAG = "aws:elasticmapreduce:job-flow-id";
    private static final List<String> ACTIONS = List.of("notify", "stop", "terminate");

    /** The rules when the policy says nothing. */
    static final Ec2Rules DEFAULTS = new Ec2Rules(
            new Ec2Rules.Idle(true, 5.0, 5_000_000L, Duration.ofHours(2), Action.STOP),
            new Ec2Rules.Forgotten(true, dev.curfew.core.model.CurfewTags.EXPIRES_AT, Duration.ofHours(12), true,
                    Action.TERMINATE),
            new Ec2Rules.Stopped(true, Duration.ofHours(24), Action.TERMINATE));

    InstanceRules() {
        super(ResourceKind.EC2_INSTANCE, Ec2Rules.IDLE, "EC2 instance", null, DEFAULTS.asKindRule(),
                List.of(Action.NOTIFY, Action.STOP, Action.TERMINATE));
    }

    @Override
    public List<String> policyKeys() {
        return List.of(Ec2Rules.IDLE, Ec2Rules.FORGOTTEN, Ec2Rules.STOPPED);
    }

    @Override
    public KindRule read(RuleFields f) {
        Map<String, Object> idle = f.rule(Ec2Rules.IDLE);
        String p = "rules.ec2-idle.";
        f.known(p, idle, "enabled", "cpu-below", "network-below", "window", "action");
        Ec2Rules.Idle d1 = DEFAULTS.idle();
        Ec2Rules.Idle idleRule = new Ec2Rules.Idle(
                f.bool(p + "enabled", idle.get("enabled"), d1.enabled()),
                f.percent(p + "cpu-below", idle.get("cpu-below"), d1.cpuBelowPercent()),
                f.bytes(p + "network-below", idle.get("network-below"), d1.networkBelowBytes()),
                f.positive(p + "window", f.duration(p + "window", idle.get("window"), d1.window(), false)),
                action(f, p + "action", idle.get("action"), d1.action()));

        Map<String, Object> fg = f.rule(Ec2Rules.FORGOTTEN);
        p = "rules.ec2-forgotten.";
        f.known(p, fg, "enabled", "expires-tag", "max-lifetime", "at-curfew", "action");
        Ec2Rules.Forgotten d2 = DEFAULTS.forgotten();
        Ec2Rules.Forgotten forgotten = new Ec2Rules.Forgotten(
                f.bool(p + "enabled", fg.get("enabled"), d2.enabled()),
                f.tagKey(p + "expires-tag", fg.get("expires-tag"), d2.expiresTag()),
                f.positive(p + "max-lifetime", f.duration(p + "max-lifetime", fg.get("max-lifetime"),
                        d2.maxLifetime(), true)),
                f.bool(p + "at-curfew", fg.get("at-curfew"), d2.atCurfew()),
                action(f, p + "action", fg.get("action"), d2.action()));

        Map<String, Object> st = f.rule(Ec2Rules.STOPPED);
        p = "rules.ec2-stopped.";
        f.known(p, st, "enabled", "longer-than", "action");
        Ec2Rules.Stopped d3 = DEFAULTS.stopped();
        Ec2Rules.Stopped stopped = new Ec2Rules.Stopped(
                f.bool(p + "enabled", st.get("enabled"), d3.enabled()),
                f.duration(p + "longer-than", st.get("longer-than"), d3.longerThan(), false),
                action(f, p + "action", st.get("action"), d3.action()));
        if (stopped.action() == Action.STOP) {
            f.problem(p + "action", "\"stop\" does nothing to a stopped instance; use notify or terminate");
        }
        return new Ec2Rules(idleRule, forgotten, stopped).asKindRule();
    }

    private static Action action(RuleFields f, String path, Object v, Action dflt) {
        return f.action(path, v, dflt, ACTIONS, "instances");
    }

    /** A running instance that has been there since the day before: forgotten at the latest curfew. */
    @Override
    public dev.curfew.core.model.Resource sample(String region, Map<String, String> tags, Instant now) {
        Instant launched = now.minus(Duration.ofDays(1));
        return new Ec2Instance("i-00000000000000003", region, "t3.micro", InstanceState.RUNNING, false, null, null,
                launched, launched, null, tags, dev.curfew.core.model.Protection.UNKNOWN);
    }

    /** Its stop and termination protection, as just read for the action a plan would take. */
    @Override
    public dev.curfew.core.model.Resource withProtection(dev.curfew.core.model.Resource r,
                                                         dev.curfew.core.model.Protection p) {
        return ((Ec2Instance) r).withProtection(p);
    }

    @Override
    public boolean hasProtection() {
        return true;
    }

    @Override
    public List<Decision> decide(Inventory inv, List<Decision> earlier, KindRule rule, Policy p, Instant now) {
        return decide(inv, earlier, rule, p, now, Map.of());
    }

    @Override
    public List<Decision> decide(Inventory inv, List<Decision> earlier, KindRule rule, Policy p, Instant now,
                                 Map<String, Finding> extra) {
        Ec2Rules rules = Ec2Rules.of(rule);
        return inv.instances().stream()
                .filter(i -> !i.state().isGone())
                .sorted(Guard.<Ec2Instance>order())
                .map(i -> partialView(decide(i, inv.metricsOf(i.id()), rules, p, now, extra.get(i.id())), i, inv)
                        .withCost(instanceCost(i, inv)))
                .toList();
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

    static Decision decide(Ec2Instance i, InstanceMetrics m, Ec2Rules rules, Policy p, Instant now, Finding extra) {
        String owner = i.tag(p.ownerTag());
        if (i.tag(EMR_TAG) != null) {
            return new Decision(i, owner, List.of(), Action.SKIP, "part of the EMR cluster " + i.tag(EMR_TAG)
                    + ": handled through the cluster", null);
        }
        List<Finding> findings = new ArrayList<>();
        List<String> notes = new ArrayList<>();
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
        if (action == Action.STOP && !i.state().isUp()) {
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
        boolean running = i.state().isUp();
        String expires = i.tag(r.expiresTag());
        if (expires != null && running) {
            Instant at = Planner.parseExpiry(expires, p.timeZone());
            if (at == null) {
                notes.add("the tag " + r.expiresTag() + "=\"" + expires + "\" is not a date or time");
            } else if (!now.isBefore(at)) {
                findings.add(new Finding("ec2-forgotten", r.action(), "expired: " + r.expiresTag() + " was "
                        + Planner.show(at, p.timeZone()), Map.of("expiresAt", at.toString())));
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
                        + "(stopped)") + " after curfew (" + Planner.show(curfew, p.timeZone()) + ")",
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

    private static Duration truncate(Duration d) {
        return Duration.ofMinutes(Math.max(0, d.toMinutes()));
    }
}
