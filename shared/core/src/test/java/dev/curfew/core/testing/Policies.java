package dev.curfew.core.testing;

import dev.curfew.core.policy.Policy;
import dev.curfew.core.policy.PolicyLoader;

/** The course of the tests: Cloud Computing 101, Europe/Amsterdam, curfew 18:00, the class account. */
public final class Policies {
    /** The course's own lines of a policy file; the sections of a test follow. */
    public static final String COURSE = """
            course: Cloud Computing 101
            time-zone: Europe/Amsterdam
            curfew: "18:00"
            accounts: ["123456789012"]
            """;

    private Policies() {
    }

    /** @param sections the policy's own sections (YAML at the top level, each line ending in a newline) */
    public static Policy course(String sections) {
        return PolicyLoader.load(COURSE + sections, "test");
    }
}
