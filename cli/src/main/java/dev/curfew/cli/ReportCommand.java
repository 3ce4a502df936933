package dev.curfew.cli;

import dev.curfew.aws.AwsClients;
import dev.curfew.aws.notify.ClassPages;
import dev.curfew.core.notify.Roster;
import dev.curfew.core.policy.Mode;
import dev.curfew.core.policy.Policy;
import dev.curfew.core.sweep.SweepEngine;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./curfew report --html out.html}: the plan (a dry run, nothing is changed) and the class page the curfew
 * sweep writes (README, "The class page"), saved to a local file.
 */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = "Show the plan (a dry run: nothing is changed) and save the class page as one self-contained "
                + "HTML file: every student, what runs, what is marked and when it goes, money saved by week.")
public final class ReportCommand extends SweepCommand {
    @Option(names = "--html", paramLabel = "FILE", required = true,
            description = "Where to save the class page (a file; its directory must exist).")
    String html;

    @Option(names = "--stack", paramLabel = "NAME",
            description = "The deployed Curfew stack: its runs' savings are charted (CloudWatch Curfew/NAME; "
                    + "default: this sweep's figure only) and its budget top-ups counted (default: the stack curfew's).")
    String stack;

    Path target;

    @Override
    Mode mode() {
        return Mode.DRY_RUN;
    }

    @Override
    public Integer call() {
        if ("all".equals(accounts)) {
            throw new IllegalArgumentException("--accounts all: the class page of ./curfew report covers one "
                    + "account; leave --accounts out or name the class account");
        }
        target = checked(html);
        return super.call();
    }

    /** The page's path, checked before anything is read: a directory that exists, a file that can be written. */
    static Path checked(String html) {
        Path p;
        try {
            p = Path.of(html).toAbsolutePath();
        } catch (InvalidPathException e) {
            throw new IllegalArgumentException("--html \"" + html + "\" is not a file name: " + e.getMessage());
        }
        if (Files.isDirectory(p)) {
            throw new IllegalArgumentException("--html " + html + " is a directory: name a file, such as "
                    + "class-page.html");
        }
        Path dir = p.getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            throw new IllegalArgumentException("--html " + html + ": the directory " + dir + " does not exist");
        }
        if (!Files.isWritable(dir) || Files.exists(p) && !Files.isWritable(p)) {
            throw new IllegalArgumentException("--html " + html + " cannot be written (permission denied)");
        }
        return p;
    }

    /**
     * Each student's spend, Curfew's estimate from what the plan listed, against their limits when the policy sets
     * budgets: this week's top-ups are read from the records of {@code --stack} (default {@code curfew}); when they
     * cannot be read the page shows the spend without budgets, and says why here.
     */
    private dev.curfew.core.spend.ClassSpend spend(AwsClients clients, Policy p, SweepEngine.Result result,
                                                   PrintWriter err) {
        java.time.Instant now = result.report().now();
        dev.curfew.core.spend.ClassSpend spend = new dev.curfew.aws.spend.Spending(null,
                java.time.Clock.fixed(now, java.time.ZoneOffset.UTC)).withBudgets(p.budgets().any()
                ? new dev.curfew.aws.budget.BudgetRecords(clients.ssm(clients.settings().homeRegion().id()),
                stack == null ? BudgetCommand.DEFAULT_STACK : stack) : null).estimate(p, result.plan().decisions());
        if (spend.note() != null) {
            err.println("curfew: " + spend.note());
            err.flush();
        }
        return spend;
    }

    @Override
    void afterSweep(AwsClients clients, Policy p, SweepEngine.Result result, PrintWriter err) {
        String location = roster != null ? roster : p.notifications().roster();
        Roster r = location == null || location.isBlank() ? Roster.empty(null) : Rosters.load(location, clients, err);
        String page = ClassPages.html(clients, stack, p, result, r, spend(clients, p, result, err));
        try {
            Files.writeString(target, page, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalArgumentException("--html " + html + " cannot be written: " + e);
        }
        err.println("curfew: the class page is in " + target);
        err.flush();
    }
}
