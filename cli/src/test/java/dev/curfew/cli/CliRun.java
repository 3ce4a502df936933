package dev.curfew.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/** One run of {@code curfew} as a user types it: its exit code, what it printed and what it said on stderr. */
record CliRun(int code, String out, String err) {
    static CliRun of(String... args) {
        StringWriter o = new StringWriter();
        StringWriter e = new StringWriter();
        int code = Main.run(new PrintWriter(o), new PrintWriter(e), args);
        return new CliRun(code, o.toString(), e.toString());
    }
}
