package dev.curfew.function.sweeper;

import dev.curfew.core.report.Json;
import dev.curfew.core.report.RunMetrics;
import dev.curfew.core.report.SweepReport;
import dev.curfew.function.common.Deployment;
import jakarta.inject.Singleton;
import java.io.PrintStream;
import java.time.Clock;
import java.util.LinkedHashMap;
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

    private final String stackName;
    private final Consumer<String> out;
    /** The wall clock: an EMF timestamp must be near now, whatever instant the sweep planned for. */
    private final Clock wall = Clock.systemUTC();

    public RunLog(Deployment deployment) {
        this.stackName = deployment.stackName();
        this.out = RunLog::print;
    }

    private static void print(String line) {
        PrintStream s = System.out;
        synchronized (s) {
            s.println(line);
            s.flush();
        }
    }

    /** A finished run: the handler's answer (pass, then the report) as one line, then the metrics' line. */
    void finished(String pass, Map<String, Object> answer, SweepReport report) {
        try {
            Map<String, Object> line = new LinkedHashMap<>();
            line.put("log", REPORT);
            line.putAll(answer);
            out.accept(Json.line(line));
            out.accept(RunMetrics.line(stackName, pass, report, wall.instant()));
        } catch (RuntimeException e) {
            LOG.error("the sweep is done, but its report could not be written to the log", e);
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
