package dev.curfew.core.plan;

import java.util.Locale;

/** What a plan decides for a resource. */
public enum Action {
    NOTIFY(false), MARK(false), UNMARK(false), STOP(true), TERMINATE(true), SNAPSHOT_THEN_DELETE(true), DELETE(true),
    EMPTY(true), RELEASE(true), CANCEL(true), NARROW(true), SKIP(false);

    private final boolean destructive;

    Action(boolean destructive) {
        this.destructive = destructive;
    }

    /** Destructive actions count against the circuit breaker and never touch exempt resources. */
    public boolean destructive() {
        return destructive;
    }

    /** Strength order used when several rules match: the strongest action wins. */
    public int strength() {
        return switch (this) {
            case SKIP -> 0;
            case UNMARK -> 0;
            case NOTIFY -> 1;
            case MARK -> 2;
            case STOP -> 3;
            default -> 4;
        };
    }

    public String wireName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public static Action fromWire(String s) {
        for (Action a : values()) {
            if (a.wireName().equals(s)) {
                return a;
            }
        }
        return null;
    }

    @Override
    public String toString() {
        return wireName();
    }
}
