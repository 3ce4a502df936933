package dev.curfew.core.sweep;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * When emptying buckets must stop, on a clock of its own: the real clock in Lambda (the invocation's remaining time
 * less a margin for the report and the messages) and in the CLI ({@code --time-budget}), a test's ticker in tests.
 * It is never the sweep's {@code now}, which may be a rehearsal's fixed instant.
 */
public final class Deadline {
    /** No time budget: emptying runs until it is done. */
    public static final Deadline NONE = new Deadline(null, null);

    private final Clock clock;
    private final Instant at;

    private Deadline(Clock clock, Instant at) {
        this.clock = clock;
        this.at = at;
    }

    /** The deadline {@code budget} from now on {@code clock} (a negative budget has already passed). */
    public static Deadline after(Duration budget, Clock clock) {
        return new Deadline(clock, clock.instant().plus(budget));
    }

    /** True once the deadline is reached; never for {@link #NONE}. */
    public boolean passed() {
        return at != null && !clock.instant().isBefore(at);
    }

    /** The instant it passes, or null for {@link #NONE}. */
    public Instant at() {
        return at;
    }

    @Override
    public String toString() {
        return at == null ? "no time budget" : "until " + at;
    }
}
