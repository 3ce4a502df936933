package dev.curfew.core.plan;

import dev.curfew.core.model.Resource;
import dev.curfew.core.policy.AllowEntry;
import dev.curfew.core.policy.Durations;
import dev.curfew.core.policy.Policy;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;

/** Exemptions, the same for every resource kind: own stack, the allow-list, a keep tag in date. */
final class Exempt {
    static final String STACK_TAG = "aws:cloudformation:stack-name";

    /** SKIP: leave it alone; NOTIFY_ONLY: an unreadable keep tag, so never destroy, only tell; NONE: not exempt. */
    enum Kind { NONE, SKIP, NOTIFY_ONLY }

    record Verdict(Kind kind, String reason) {
        static final Verdict NONE = new Verdict(Kind.NONE, null);
    }

    private Exempt() {
    }

    static Verdict check(Resource r, Policy p, Instant now) {
        String stack = r.tags().get(STACK_TAG);
        if (stack != null && p.exemptions().stacks().contains(stack)) {
            return new Verdict(Kind.SKIP, "exempt: part of the stack " + stack);
        }
        for (AllowEntry e : p.exemptions().allowList()) {
            if (e.match().equals(r.id()) || e.match().equals(r.name())) {
                if (e.forever()) {
                    return new Verdict(Kind.SKIP, "exempt: on the instructor's allow-list");
                }
                if (now.isBefore(CurfewTimes.endOfDay(p, e.until()))) {
                    return new Verdict(Kind.SKIP, "exempt: on the instructor's allow-list until " + e.until());
                }
            }
        }
        String keep = r.tags().get(p.exemptions().keepTag());
        if (keep == null) {
            return Verdict.NONE;
        }
        String tag = p.exemptions().keepTag();
        LocalDate day;
        try {
            day = LocalDate.parse(keep.trim());
        } catch (DateTimeException e) {
            return new Verdict(Kind.NOTIFY_ONLY, "the keep tag " + tag + "=\"" + keep + "\" is not a date (write "
                    + "YYYY-MM-DD): nothing is destroyed, the owner is told to fix it");
        }
        Instant until = CurfewTimes.endOfDay(p, day);
        if (!now.isBefore(until)) {
            return Verdict.NONE;
        }
        Instant cap = now.plus(p.exemptions().longestKeep());
        if (until.isAfter(cap)) {
            return new Verdict(Kind.SKIP, "kept until " + Planner.show(cap, p.timeZone()) + " (" + tag + "=" + keep
                    + ", capped by the policy's longest keep of " + Durations.format(p.exemptions().longestKeep())
                    + ")");
        }
        return new Verdict(Kind.SKIP, "kept until the end of " + day + " (" + tag + ")");
    }
}
