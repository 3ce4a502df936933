package dev.curfew.core.model;

/**
 * Termination and stop protection of an instance ({@code DisableApiTermination}, {@code DisableApiStop}).
 * {@code null} means not known yet: EC2 does not return these in DescribeInstances, so they are read only for the
 * instances a plan would act on.
 */
public record Protection(Boolean termination, Boolean stop) {
    public static final Protection UNKNOWN = new Protection(null, null);

    public boolean terminationOn() {
        return Boolean.TRUE.equals(termination);
    }

    public boolean stopOn() {
        return Boolean.TRUE.equals(stop);
    }
}
