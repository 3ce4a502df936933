package dev.curfew.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code curfew plan | apply | report | demo | enroll | accounts | budget}: the sweep engine from a terminal. */
@Command(name = "curfew", mixinStandardHelpOptions = true, version = "curfew 0.1.0",
        description = "A cost watchdog for classroom AWS accounts.",
        subcommands = {SweepCommand.Plan.class, SweepCommand.Apply.class, ReportCommand.class, DemoCommand.class,
                EnrolCommand.Enroll.class, EnrolCommand.Accounts.class, BudgetCommand.class,
                CommandLine.HelpCommand.class})
public final class Main implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(),
                "name a command: plan, apply, report, demo, enroll, accounts or budget");
    }

    public static void main(String[] args) {
        System.exit(run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
    }

    /** Runs a command line; returns the exit code (0 done, 1 the sweep failed, 2 bad input). */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cl = new CommandLine(new Main());
        cl.setOut(out);
        cl.setErr(err);
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            int code = ex instanceof IllegalArgumentException || ex instanceof dev.curfew.core.policy.PolicyException
                    ? 2 : 1;
            String msg = ex.getMessage() == null ? ex.toString() : ex.getMessage();
            if (msg.contains("Unable to load credentials")) {
                msg = "no AWS credentials found: set them as for the AWS CLI (AWS_PROFILE, or AWS_ACCESS_KEY_ID and "
                        + "AWS_SECRET_ACCESS_KEY), or give --endpoint-url for an emulator with dummy keys";
            }
            commandLine.getErr().println("curfew: " + msg);
            commandLine.getErr().flush();
            return code;
        });
        int code = cl.execute(args);
        out.flush();
        err.flush();
        return code;
    }
}
