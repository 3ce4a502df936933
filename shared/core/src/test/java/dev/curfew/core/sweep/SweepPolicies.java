package dev.curfew.core.sweep;

import dev.curfew.core.policy.Policy;
import dev.curfew.core.policy.PolicyLoader;

/** The policies of the engine's tests: one account, a mode, and the test's own sections. */
final class SweepPolicies {
    private SweepPolicies() {
    }

    /** @param sections YAML at the top level, each line ending in a newline */
    static Policy policy(String account, String mode, String sections) {
        return PolicyLoader.load("accounts: [\"" + account + "\"]\nmode: " + mode + "\n" + sections, "sweep-test");
    }
}
