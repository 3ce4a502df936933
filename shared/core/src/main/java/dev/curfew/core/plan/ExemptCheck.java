package dev.curfew.core.plan;

import dev.curfew.core.model.Resource;
import dev.curfew.core.policy.Policy;
import java.time.Instant;

/** The sweep's exemptions (own stack, allow-list, keep tag), for callers outside the planner such as the sentinel. */
public final class ExemptCheck {
    private ExemptCheck() {
    }

    /**
     * Why the resource must not be stopped or terminated now, or null when nothing exempts it. A keep tag that is
     * not a date also counts (it only ever allows a notification, as in the sweep).
     */
    public static String reason(Resource r, Policy p, Instant now) {
        Exempt.Verdict v = Exempt.check(r, p, now);
        return v.kind() == Exempt.Kind.NONE ? null : v.reason();
    }
}
