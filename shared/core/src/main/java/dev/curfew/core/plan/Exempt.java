package dev.curfew.core.plan;

import dev.curfew.core.model.Resource;
import dev.curfew.core.model.TagValues;
import dev.curfew.core.policy.AllowEntry;
import dev.curfew.core.policy.Durations;
import dev.curfew.core.policy.Policy;
import java.time.Instant;
import java.time.LocalDate;

/** Exemptions, the same for every resource kind: own stack, the allow-list, a keep tag in date. */
final class Exempt {
    static final String STACK_TAG = "aws:cloudformation:stack-name";

    /** SKIP: leave it alone; NOTIFY_ONLY: an unreadable keep tag, so never destroy, only tell; NONE: not exempt. */
    enum Kind { NONE, SKIP, NOTIFY_ONLY }

    /**
     * @param record tags to write so that the verdict holds still (the keep cap), empty when none
     */
    record Verdict(Kind kind, String reason, java.util.Map<String, String> record) {
        static final Verdict NONE = new Verdict(Kind.NONE, null, java.util.Map.of());

        Verdict(Kind kind, String reason) {
            this(kind, reason, java.util.Map.of());
        }
    }

    /**
     * The latest day a keep tag can reach, recorded the first time Curfew sees a keep tag that is not a date or
     * reaches past the policy's longest keep: without it the cap would move forward with every sweep.
     */
    static final String KEEP_CAP_TAG = dev.curfew.core.model.CurfewTags.KEEP_CAP;

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
        LocalDate recordedCap = parseDate(r.tags().get(KEEP_CAP_TAG));
        Instant capFromNow = now.plus(p.exemptions().longestKeep());
        LocalDate capDay = capFromNow.atZone(p.timeZone()).toLocalDate();
        LocalDate day = parseDate(keep);
        if (day == null) {
            if (recordedCap == null) {
                return new Verdict(Kind.NOTIFY_ONLY, "the keep tag " + tag + "=\"" + keep + "\" is not a date (write "
                        + "YYYY-MM-DD): nothing is destroyed until the end of " + capDay + " at the latest; fix the tag",
                        java.util.Map.of(KEEP_CAP_TAG, capDay.toString()));
            }
            if (now.isBefore(CurfewTimes.endOfDay(p, recordedCap))) {
                return new Verdict(Kind.NOTIFY_ONLY, "the keep tag " + tag + "=\"" + keep + "\" is not a date (write "
                        + "YYYY-MM-DD): nothing is destroyed until the end of " + recordedCap + " at the latest; fix "
                        + "the tag");
            }
            return Verdict.NONE;
        }
        Instant until = CurfewTimes.endOfDay(p, day);
        if (!now.isBefore(until)) {
            return Verdict.NONE;
        }
        if (until.isAfter(capFromNow)) {
            if (recordedCap == null) {
                return new Verdict(Kind.SKIP, "kept until the end of " + capDay + " (" + tag + "=" + keep
                        + ", capped by the policy's longest keep of " + Durations.format(p.exemptions().longestKeep())
                        + ")", java.util.Map.of(KEEP_CAP_TAG, capDay.toString()));
            }
            Instant capped = CurfewTimes.endOfDay(p, recordedCap);
            if (now.isBefore(capped)) {
                return new Verdict(Kind.SKIP, "kept until the end of " + recordedCap + " (" + tag + "=" + keep
                        + ", capped by the policy's longest keep of " + Durations.format(p.exemptions().longestKeep())
                        + ")");
            }
            return Verdict.NONE;
        }
        return new Verdict(Kind.SKIP, "kept until the end of " + day + " (" + tag + ")");
    }

    private static LocalDate parseDate(String s) {
        return TagValues.parsed(s, LocalDate::parse);
    }
}
