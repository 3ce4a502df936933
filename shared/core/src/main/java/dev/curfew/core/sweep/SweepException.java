package dev.curfew.core.sweep;

/** A systemic failure: the sweep as a whole failed and the invocation must fail so the alarm fires. */
public class SweepException extends RuntimeException {
    public SweepException(String message) {
        super(message);
    }

    public SweepException(String message, Throwable cause) {
        super(message, cause);
    }
}
