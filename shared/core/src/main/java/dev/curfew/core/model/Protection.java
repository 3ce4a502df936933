package dev.curfew.core.model;

/**
 * Termination and stop protection of an instance ({@code DisableApiTermination}, {@code DisableApiStop}).
 * {@code null} means not known yet: EC2 does not return these in DescribeInstances, so they are read only for the
 * instances a plan would act on.
 */
public record Protection(Boolean termination, Boolean stop, boolean unreadable) {
    public static final Protection UNKNOWN = new Protection(null, null, false);
    /** Reading it failed: nothing destructive is done to the instance. */
    public static final Protection UNREADABLE = new Protection(null, null, true);

    public Protection(Boolean termination, Boolean stop) {
        this(termination, stop, false);
    }

    /** Neither protection on, for each of {@code ids}: an account made up in memory (priming, tests). */
    public static java.util.Map<String, Protection> noneOn(java.util.Collection<String> ids) {
        java.util.Map<String, Protection> out = new java.util.HashMap<>();
        ids.forEach(id -> out.put(id, new Protection(false, false)));
        return out;
    }

    public boolean terminationOn() {
        return Boolean.TRUE.equals(termination);
    }

    public boolean stopOn() {
        return Boolean.TRUE.equals(stop);
    }
}
