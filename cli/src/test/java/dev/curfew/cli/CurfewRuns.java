package dev.curfew.cli;

import dev.curfew.aws.testing.MotoTest;
import java.util.ArrayList;
import java.util.List;

/**
 * A command-line emulator test: {@code curfew} run as a user types it, each call ending with the options the class
 * adds ({@link #options()}), and what the last call printed ({@link #out}) and said on stderr ({@link #err}).
 */
abstract class CurfewRuns extends MotoTest {
    String out;
    String err;

    /** The options every call of the class ends with: none unless the class says. */
    List<String> options() {
        return List.of();
    }

    int curfew(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(options());
        CliRun run = CliRun.of(all.toArray(String[]::new));
        out = run.out();
        err = run.err();
        return run.code();
    }
}
