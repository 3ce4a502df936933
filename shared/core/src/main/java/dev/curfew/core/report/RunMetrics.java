package dev.curfew.core.report;

import dev.curfew.core.plan.Action;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The metrics of one sweep, as one {@link Emf} event: template.yaml's alarms read {@link #REGIONS_FAILED} and
 * {@link #ACTIONS_FAILED} in the namespace {@code Curfew/<stack name>}. Each metric is published twice: without
 * dimensions (what the alarms watch, whatever the pass) and by {@code Pass} (curfew, idle-check, warning).
 */
public final class RunMetrics {
    /** What could not be read after retries: regions, kinds in a region, buckets ({@link SweepReport#regionErrors}). */
    public static final String REGIONS_FAILED = "RegionsFailed";
    /** Actions tried and failed (outcome failed). */
    public static final String ACTIONS_FAILED = "ActionsFailed";
    /** Actions carried out, or found already done (outcome done or already). */
    public static final String ACTIONS_DONE = "ActionsDone";
    /**
     * Changes planned in enforce and not carried out, or not finished: the circuit breaker tripped, or the time
     * budget for emptying buckets ran out (a bucket partly emptied, or not started: both go on next run).
     */
    public static final String ACTIONS_NOT_DONE = "ActionsNotDone";
    /** What the actions done save a month, in US dollars at list prices (a stop saves the compute only). */
    public static final String SAVED_PER_MONTH_USD = "SavedPerMonthUsd";
    public static final String DURATION = "Duration";
    public static final String AWS_CALLS = "AwsCalls";
    public static final String PASS = "Pass";

    private RunMetrics() {
    }

    /** The namespace of a stack's metrics (template.yaml: {@code Curfew/${AWS::StackName}}). */
    public static String namespace(String stackName) {
        return "Curfew/" + (stackName == null || stackName.isBlank() ? "local" : stackName);
    }

    public static List<Emf.Metric> of(SweepReport r) {
        long failed = r.rows().stream().filter(x -> "failed".equals(x.outcome())).count();
        long done = r.rows().stream().filter(x -> "done".equals(x.outcome()) || "already".equals(x.outcome()))
                .count();
        long notDone = r.rows().stream().filter(x -> ("none".equals(x.outcome()) && changes(x.decision()))
                || "partial".equals(x.outcome()) || "deferred".equals(x.outcome())).count();
        double saved = SweepReport.savedPerMonth(r.rows().stream().filter(x -> "done".equals(x.outcome())).toList());
        return List.of(
                new Emf.Metric(REGIONS_FAILED, Emf.Unit.COUNT, r.regionErrors().size()),
                new Emf.Metric(ACTIONS_FAILED, Emf.Unit.COUNT, failed),
                new Emf.Metric(ACTIONS_DONE, Emf.Unit.COUNT, done),
                new Emf.Metric(ACTIONS_NOT_DONE, Emf.Unit.COUNT, notDone),
                new Emf.Metric(SAVED_PER_MONTH_USD, Emf.Unit.NONE, Math.round(saved * 100) / 100.0),
                new Emf.Metric(DURATION, Emf.Unit.MILLISECONDS, r.durationMillis()),
                new Emf.Metric(AWS_CALLS, Emf.Unit.COUNT, r.totalCalls()));
    }

    private static boolean changes(String decision) {
        Action a = Action.fromWire(decision);
        return a != null && (a.destructive() || a == Action.MARK || a == Action.UNMARK);
    }

    /**
     * The EMF line of one run: the metrics above, published without dimensions and by pass; the course, mode and
     * account ride along as plain members (searchable in Logs Insights, no metric cost).
     */
    public static String line(String stackName, String pass, SweepReport r, Instant at) {
        Map<String, Object> other = new java.util.LinkedHashMap<>();
        other.put("course", r.course());
        other.put("mode", r.mode());
        other.put("account", r.account());
        return new Emf(namespace(stackName), List.of(List.of(), List.of(PASS)), Map.of(PASS, pass), of(r), other)
                .line(at);
    }
}
