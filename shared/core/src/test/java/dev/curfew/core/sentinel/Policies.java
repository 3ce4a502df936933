package dev.curfew.core.sentinel;

import dev.curfew.core.policy.Policy;
import dev.curfew.core.policy.PolicyLoader;

/** The course of the sentinel's tests: Cloud Computing 101, Europe/Amsterdam, curfew 18:00, the class account. */
final class Policies {
    private Policies() {
    }

    /** @param sections the policy's own sections (YAML at the top level, each line ending in a newline) */
    static Policy course(String sections) {
        return PolicyLoader.load("course: Cloud Computing 101\ntime-zone: Europe/Amsterdam\ncurfew: \"18:00\"\n"
                + "accounts: [\"123456789012\"]\n" + sections, "test");
    }
}
