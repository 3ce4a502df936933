package dev.curfew.function.sweeper;

import com.amazonaws.services.lambda.runtime.Context;
import dev.curfew.core.report.SweepReport;
import dev.curfew.core.sweep.Deadline;
import io.micronaut.context.ApplicationContextBuilder;
import io.micronaut.function.aws.MicronautRequestHandler;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The scheduled sweep: EventBridge Scheduler invokes it with a "Scheduled Event" whose detail names the pass
 * ({@code {"pass": "curfew"}}, {@code {"pass": "idle-check"}} or {@code {"pass": "warning"}}: before curfew, tell
 * each owner what will happen); it returns the sweep report, with the messages sent, as JSON, and logs it with its
 * metrics ({@link RunLog}: the scheduler discards what a function returns). A run that finds another run of the
 * same pass and curfew holding the sweep lock returns {@code stoodAside} (why), logs it, and does nothing.
 * A systemic failure (credentials, policy, the account guard) fails the invocation so the error alarm fires.
 */
public class SweeperHandler extends MicronautRequestHandler<Map<String, Object>, Map<String, Object>> {
    static final Set<String> PASSES = Set.of("curfew", "idle-check", "warning");
    static final Set<String> SOURCES = Set.of("aws.events", "aws.scheduler");

    static {
        // the SDK's request path loads on a thread of its own while Micronaut starts (dev.curfew.aws.SdkWarmup)
        dev.curfew.aws.SdkWarmup.start(SweepService::warmup);
    }

    @Inject
    SweepService service;

    /** Used by Lambda. */
    public SweeperHandler() {
        super();
    }

    /** Used by tests: an application context built with chosen properties and beans. */
    public SweeperHandler(ApplicationContextBuilder builder) {
        super(builder);
    }

    /** Writes each run's report and metrics, or its failure, to the log (README, "What the sweeper logs"). */
    @Inject
    RunLog runLog;

    @Override
    public Map<String, Object> execute(Map<String, Object> event) {
        try {
            return sweep(event);
        } catch (RuntimeException e) {
            String pass;
            try {
                pass = passOf(event);
            } catch (RuntimeException badEvent) {
                pass = null;
            }
            runLog.failed(pass, e);
            throw e;
        }
    }

    private Map<String, Object> sweep(Map<String, Object> event) {
        String pass = passOf(event);
        SweepService.Run run = service.run(pass, emptyingDeadline(getApplicationContext()
                .findBean(Context.class).orElse(null), Clock.systemUTC()));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("pass", pass);
        if (run.stoodAside() != null) { // another run of this pass and curfew holds the lock: nothing was done
            out.putAll(run.stoodAsideMap());
            runLog.stoodAside(out);
            return out;
        }
        SweepReport report = run.report();
        if ("warning".equals(pass)) {
            out.put("warningFor", report.now().toString()); // the warning pass plans as of the coming curfew
        }
        out.putAll(report.toMap());
        out.put("lock", run.lock());
        runLog.finished(pass, out, report);
        return out;
    }

    /**
     * Kept back from the invocation's remaining time for what follows emptying buckets: the second tries, the report,
     * the messages (template.yaml gives the sweeper 300 s).
     */
    static final Duration MARGIN = Duration.ofSeconds(60);

    /**
     * Until when buckets may be emptied: the Lambda context's remaining time (read when the invocation starts, on the
     * real clock) less {@link #MARGIN}; no limit without a context (a test calling the handler directly).
     */
    static Deadline emptyingDeadline(Context context, Clock clock) {
        if (context == null) {
            return Deadline.NONE;
        }
        return Deadline.after(Duration.ofMillis(context.getRemainingTimeInMillis()).minus(MARGIN), clock);
    }

    /**
     * Checks the event's shape and reads its pass; a wrong shape is refused before anything is read or changed. The
     * event is read as JSON's own shape (a map): of an EventBridge event the sweeper needs three fields, and reading
     * it as Lambda's {@code ScheduledEvent} class would load Joda-Time and its serde at each cold start.
     */
    static String passOf(Map<String, Object> event) {
        if (event == null) {
            throw new IllegalArgumentException("no event: expected an EventBridge \"Scheduled Event\"");
        }
        Object detailType = event.get("detail-type");
        if (!"Scheduled Event".equals(detailType)) {
            throw new IllegalArgumentException("detail-type is \"" + detailType
                    + "\"; the sweeper takes only \"Scheduled Event\"");
        }
        Object source = event.get("source");
        if (!(source instanceof String) || !SOURCES.contains(source)) {
            throw new IllegalArgumentException("source is \"" + source + "\"; expected one of "
                    + SOURCES);
        }
        Object d = event.get("detail");
        if (d != null && !(d instanceof Map<?, ?>)) {
            throw new IllegalArgumentException("detail is \"" + d + "\"; expected an object such as "
                    + "{\"pass\": \"curfew\"}");
        }
        Map<?, ?> detail = (Map<?, ?>) d;
        Object pass = detail == null ? null : detail.get("pass");
        if (pass == null) {
            return "curfew";
        }
        if (!PASSES.contains(String.valueOf(pass))) {
            throw new IllegalArgumentException("detail.pass is \"" + pass + "\"; expected one of curfew, idle-check, warning");
        }
        return String.valueOf(pass);
    }
}
