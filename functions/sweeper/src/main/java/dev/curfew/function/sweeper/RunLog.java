package dev.curfew.function.sweeper;

import dev.curfew.core.report.Json;
import dev.curfew.core.report.RunMetrics;
import dev.curfew.core.report.SweepReport;
import dev.curfew.function.common.Deployment;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * What every run of the sweeper leaves in its log group, whatever happens (the scheduler discards the function's
 * return value): the report, every outcome, as one JSON line ({@value #REPORT}), then its metrics as one line in
 * CloudWatch's embedded metric format ({@link RunMetrics}); a run that failed leaves one JSON line
 * ({@value #FAILED}) with the error. These lines go straight to standard output, not through Log4j's layout: Lambda
 * sends each line printed there to CloudWatch Logs as one event, and CloudWatch reads a JSON object (and extracts
 * EMF metrics) only when the event is that object alone, with no time or level before it.
 */
@Singleton
public class RunLog {
    private static final Logger LOG = LogManager.getLogger(RunLog.class);
    /** The value of {@code "log"} in the report line (search for it in Logs Insights). */
    public static final String REPORT = "curfew-sweep-report";
    /** The value of {@code "log"} in the line of a run that failed. */
    public static final String FAILED = "curfew-sweep-failed";
    /** The value of {@code "log"} in the line of a run that stood aside (another run of its pass holds the lock). */
    public static final String STOOD_ASIDE = "curfew-sweep-stood-aside";
    /** The value of {@code "log"} in the lines that carry the resources of a report too big for one line. */
    public static final String RESOURCES = "curfew-sweep-resources";
    /** CloudWatch Logs truncates an event over 256 KB: a longer report is written in parts of at most this. */
    static final int MAX_LINE_BYTES = 200_000;

    private final String stackName;
    private final Consumer<String> out;
    private final int maxLineBytes;
    /** The wall clock: an EMF timestamp must be near now, whatever instant the sweep planned for. */
    private final Clock wall = Clock.systemUTC();

    @Inject
    public RunLog(Deployment deployment) {
        this(deployment.stackName(), RunLog::print, MAX_LINE_BYTES);
    }

    /** For tests: where the lines go, and how long one may be. */
    RunLog(String stackName, Consumer<String> out, int maxLineBytes) {
        this.stackName = stackName;
        this.out = out;
        this.maxLineBytes = maxLineBytes;
    }

    private static void print(String line) {
        PrintStream s = System.out;
        synchronized (s) {
            s.println(line);
            s.flush();
        }
    }

    /**
     * A finished run: the handler's answer (pass, then the report) as one line, then the metrics' line. A report
     * too long for one log event is written without its resources, which follow in numbered lines ({@value
     * #RESOURCES}) of at most {@link #MAX_LINE_BYTES} each: no outcome is cut off.
     */
    void finished(String pass, Map<String, Object> answer, SweepReport report) {
        try {
            Map<String, Object> line = new LinkedHashMap<>();
            line.put("log", REPORT);
            line.putAll(answer);
            String whole = Json.line(line);
            if (bytes(whole) <= maxLineBytes || !(answer.get("resources") instanceof List<?> resources)) {
                out.accept(whole);
            } else {
                inParts(line, resources);
            }
            out.accept(RunMetrics.line(stackName, pass, report, wall.instant()));
        } catch (RuntimeException e) {
            LOG.error("the sweep is done, but its report could not be written to the log", e);
        }
    }

    private void inParts(Map<String, Object> line, List<?> resources) {
        List<List<Object>> parts = new ArrayList<>();
        List<Object> part = new ArrayList<>();
        int size = 0;
        for (Object r : resources) {
            int n = bytes(Json.line(r)) + 1;
            if (!part.isEmpty() && size + n > maxLineBytes - 200) {
                parts.add(part);
                part = new ArrayList<>();
                size = 0;
            }
            part.add(r);
            size += n;
        }
        parts.add(part);
        Map<String, Object> head = new LinkedHashMap<>(line);
        head.put("resources", "in " + parts.size() + " lines \"log\":\"" + RESOURCES + "\" after this one");
        head.put("resourceCount", resources.size());
        out.accept(Json.line(head));
        for (int i = 0; i < parts.size(); i++) {
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("log", RESOURCES);
            p.put("pass", line.get("pass"));
            p.put("now", line.get("now"));
            p.put("part", i + 1);
            p.put("parts", parts.size());
            p.put("resources", parts.get(i));
            out.accept(Json.line(p));
        }
    }

    private static int bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }

    /** A run that stood aside: the handler's answer (pass, course, mode, why, the lock) as one line; no metrics. */
    void stoodAside(Map<String, Object> answer) {
        answer(STOOD_ASIDE, answer, "the run stood aside");
    }

    /** The value of {@code "log"} in the line of an account a sweep of many could not sweep (unreachable, refused). */
    public static final String ACCOUNT_NOT_SWEPT = "curfew-account-not-swept";

    /** An account of a sweep of many that has no report: the worker's answer (account, status, error) as one line. */
    void accountNotSwept(Map<String, Object> answer) {
        answer(ACCOUNT_NOT_SWEPT, answer, "an account was not swept");
    }

    /** One line {@code "log":log}, then the answer's fields, then when; {@code what} names it when it fails. */
    private void answer(String log, Map<String, Object> answer, String what) {
        try {
            Map<String, Object> line = new LinkedHashMap<>();
            line.put("log", log);
            line.putAll(answer);
            line.put("at", wall.instant().toString());
            out.accept(Json.line(line));
        } catch (RuntimeException e) {
            LOG.error(what + ", and that could not be written to the log", e);
        }
    }

    /** A run that failed (a systemic failure: credentials, the policy, the account guard, a bad event). */
    void failed(String pass, RuntimeException failure) {
        try {
            Map<String, Object> line = new LinkedHashMap<>();
            line.put("log", FAILED);
            line.put("pass", pass);
            line.put("error", failure.getClass().getSimpleName());
            line.put("message", failure.getMessage());
            line.put("at", wall.instant().toString());
            out.accept(Json.line(line));
        } catch (RuntimeException e) {
            LOG.error("the sweep failed, and its failure could not be written to the log", e);
        }
    }
}
