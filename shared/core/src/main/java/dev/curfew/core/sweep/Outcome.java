package dev.curfew.core.sweep;

import java.util.Locale;

/** What became of one decision. */
public record Outcome(String resourceId, Status status, String detail) {

    public enum Status {
        /** The action was carried out. */
        DONE,
        /** Already in the wanted state or gone: counts as done. */
        ALREADY,
        /** Dry-run: the action would have been carried out. */
        WOULD,
        /** Nothing to carry out (skip, notify). */
        NONE,
        /** The action was refused or failed; detail says why. */
        FAILED;

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public static Outcome done(String id, String detail) {
        return new Outcome(id, Status.DONE, detail);
    }

    public static Outcome failed(String id, String detail) {
        return new Outcome(id, Status.FAILED, detail);
    }
}
