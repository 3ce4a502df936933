package dev.curfew.core.sweep;

import java.util.Locale;

/**
 * What became of one decision.
 *
 * @param retryable for a failure: its cause may pass (throttling, a server error, a timeout or a reset connection
 *                  after the SDK's own retries), so the action is tried once more at the end of the run; never for a
 *                  refusal (protection, IAM, the guard)
 */
public record Outcome(String resourceId, Status status, String detail, boolean retryable) {

    /** The detail of a bucket the time budget did not reach. */
    public static final String NOT_STARTED = "not started: time budget used up; it is done on the next run";

    public enum Status {
        /** The action was carried out. */
        DONE,
        /** Already in the wanted state or gone: counts as done. */
        ALREADY,
        /** Dry-run: the action would have been carried out. */
        WOULD,
        /** Nothing to carry out (skip, notify). */
        NONE,
        /** Part of it was carried out before the time budget ran out; the rest continues on the next run. */
        PARTIAL,
        /** Not started: the time budget was used up first; it is done on the next run. */
        DEFERRED,
        /** The action was refused or failed; detail says why. */
        FAILED;

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public Outcome(String resourceId, Status status, String detail) {
        this(resourceId, status, detail, false);
    }

    public static Outcome done(String id, String detail) {
        return new Outcome(id, Status.DONE, detail);
    }

    public static Outcome failed(String id, String detail) {
        return new Outcome(id, Status.FAILED, detail);
    }

    /** A failure whose cause may pass (throttling, 5xx, a timeout): tried once more at the end of the run. */
    public static Outcome failedRetryable(String id, String detail) {
        return new Outcome(id, Status.FAILED, detail, true);
    }

    public static Outcome partial(String id, String detail) {
        return new Outcome(id, Status.PARTIAL, detail);
    }

    public static Outcome deferred(String id) {
        return new Outcome(id, Status.DEFERRED, NOT_STARTED);
    }

    /** Done, or already so: the action need not be tried again. */
    public boolean succeeded() {
        return status == Status.DONE || status == Status.ALREADY;
    }
}
