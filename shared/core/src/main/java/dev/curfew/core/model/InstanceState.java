package dev.curfew.core.model;

import java.util.Locale;

/** EC2 instance states, as EC2 names them. */
public enum InstanceState {
    PENDING, RUNNING, STOPPING, STOPPED, SHUTTING_DOWN, TERMINATED, UNKNOWN;

    public static InstanceState fromAws(String name) {
        if (name == null) {
            return UNKNOWN;
        }
        try {
            return valueOf(name.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
        } catch (IllegalArgumentException e) {
            return UNKNOWN;
        }
    }

    /** Pending or running: it runs, and costs by the hour, or is about to. */
    public boolean isUp() {
        return this == PENDING || this == RUNNING;
    }

    /** Gone or going: nothing left to act on. */
    public boolean isGone() {
        return this == SHUTTING_DOWN || this == TERMINATED;
    }

    public String wireName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
