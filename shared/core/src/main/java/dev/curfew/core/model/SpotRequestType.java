package dev.curfew.core.model;

/**
 * The type of the spot request behind a spot instance. A persistent request launches a new instance when its
 * instance goes away, so it is cancelled before its instance is terminated; a one-time instance cannot be stopped.
 */
public enum SpotRequestType {
    ONE_TIME, PERSISTENT;

    public static SpotRequestType fromAws(String value) {
        return "persistent".equalsIgnoreCase(value) ? PERSISTENT : ONE_TIME;
    }
}
