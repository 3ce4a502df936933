package dev.curfew.core.report;

import dev.curfew.core.plan.Plan;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** What one sweep saw, decided and did: the CLI prints it, the function returns it as JSON. */
public record SweepReport(
        String course,
        String account,
        String mode,
        Instant now,
        long durationMillis,
        List<String> regions,
        Map<String, String> regionErrors,
        String guard,
        Plan.Breaker breaker,
        List<Row> rows,
        Map<String, Long> calls,
        dev.curfew.core.notify.NotificationReport notifications) {

    public SweepReport {
        regions = List.copyOf(regions);
        regionErrors = Map.copyOf(new TreeMap<>(regionErrors));
        rows = List.copyOf(rows);
        calls = Map.copyOf(calls);
    }

    /** A report without messages (the sweep itself; {@link #withNotifications} adds what was sent). */
    public SweepReport(String course, String account, String mode, Instant now, long durationMillis,
                       List<String> regions, Map<String, String> regionErrors, String guard, Plan.Breaker breaker,
                       List<Row> rows, Map<String, Long> calls) {
        this(course, account, mode, now, durationMillis, regions, regionErrors, guard, breaker, rows, calls, null);
    }

    public SweepReport withNotifications(dev.curfew.core.notify.NotificationReport n) {
        return new SweepReport(course, account, mode, now, durationMillis, regions, regionErrors, guard, breaker,
                rows, calls, n);
    }

    /** One resource: what it is, what was found, what was decided, and what came of it. */
    public record Row(String kind, String id, String name, String region, String owner, String state,
                      String type, List<String> findings, String decision, String reason, String outcome,
                      String detail, Double costPerHour) {
        public Row {
            findings = List.copyOf(findings);
        }

        public Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("kind", kind);
            m.put("id", id);
            m.put("name", name);
            m.put("region", region);
            m.put("owner", owner);
            m.put("state", state);
            m.put("type", type);
            m.put("findings", findings);
            m.put("decision", decision);
            m.put("reason", reason);
            m.put("outcome", outcome);
            m.put("detail", detail);
            m.put("costPerMonthUsd", costPerHour == null ? null
                    : Math.round(costPerHour * dev.curfew.core.plan.Prices.HOURS_PER_MONTH * 100) / 100.0);
            return m;
        }
    }

    /** Counts of decisions and of outcomes. */
    public Map<String, Long> decisionCounts() {
        Map<String, Long> m = new TreeMap<>();
        rows.forEach(r -> m.merge(r.decision(), 1L, Long::sum));
        return m;
    }

    public Map<String, Long> outcomeCounts() {
        Map<String, Long> m = new TreeMap<>();
        rows.forEach(r -> m.merge(r.outcome(), 1L, Long::sum));
        return m;
    }

    /**
     * Monthly cost (USD) of what the run acted on ("done") or, in dry-run, would act on: what it saves, for the
     * destructive actions whose resource's price is known. A stop saves the instance's compute, not its volumes.
     */
    public double savedPerMonth() {
        return savedPerMonth(rows);
    }

    /** The same estimate for some of the rows (one student's, in the instructor's summary). */
    public static double savedPerMonth(List<Row> some) {
        return some.stream().filter(r -> ("done".equals(r.outcome()) || "would".equals(r.outcome()))
                        && DESTRUCTIVE.contains(r.decision()))
                .mapToDouble(r -> {
                    Double perHour = "stop".equals(r.decision()) ? computeHourly(r.type()) : r.costPerHour();
                    return perHour == null ? 0 : perHour * dev.curfew.core.plan.Prices.HOURS_PER_MONTH;
                }).sum();
    }

    /** The compute price of an instance row's type ("t3.micro" or "t3.micro (spot)"), null when not known. */
    private static Double computeHourly(String type) {
        return type == null ? null : dev.curfew.core.plan.Prices.instanceHourly(type.replace(" (spot)", "").trim());
    }

    static final java.util.Set<String> DESTRUCTIVE = java.util.Arrays.stream(dev.curfew.core.plan.Action.values())
            .filter(dev.curfew.core.plan.Action::destructive)
            .map(dev.curfew.core.plan.Action::wireName).collect(java.util.stream.Collectors.toSet());

    public long totalCalls() {
        return calls.values().stream().mapToLong(Long::longValue).sum();
    }

    public boolean anyFailed() {
        return !regionErrors.isEmpty() || rows.stream().anyMatch(r -> "failed".equals(r.outcome()));
    }

    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("course", course);
        m.put("account", account);
        m.put("mode", mode);
        m.put("now", now.toString());
        m.put("durationMillis", durationMillis);
        m.put("regions", regions);
        m.put("regionErrors", new TreeMap<>(regionErrors));
        m.put("guard", guard);
        Map<String, Object> b = new LinkedHashMap<>();
        b.put("tripped", breaker.tripped());
        b.put("planned", breaker.planned());
        b.put("limit", breaker.limit());
        m.put("breaker", b);
        m.put("decisions", decisionCounts());
        m.put("outcomes", outcomeCounts());
        m.put("savedPerMonthUsd", Math.round(savedPerMonth() * 100) / 100.0);
        m.put("pricesSource", dev.curfew.core.plan.Prices.SOURCE);
        m.put("resources", rows.stream().map(Row::toMap).toList());
        m.put("apiCalls", new TreeMap<>(calls));
        m.put("apiCallsTotal", totalCalls());
        if (notifications != null) {
            m.put("notifications", notifications.toMap());
        }
        return m;
    }
}
