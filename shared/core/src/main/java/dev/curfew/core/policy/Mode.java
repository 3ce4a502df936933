package dev.curfew.core.policy;

/** Dry-run (the default everywhere) changes nothing; enforce acts. */
public enum Mode {
    DRY_RUN("dry-run"), ENFORCE("enforce");

    private final String wireName;

    Mode(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public static Mode parse(String s) {
        for (Mode m : values()) {
            if (m.wireName.equals(s)) {
                return m;
            }
        }
        throw new IllegalArgumentException("\"" + s + "\" is not a mode; use dry-run or enforce");
    }

    @Override
    public String toString() {
        return wireName;
    }
}
