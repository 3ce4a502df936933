package dev.curfew.core.plan;

import dev.curfew.core.model.Inventory;
import dev.curfew.core.policy.Policy;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The pure heart of Curfew: {@code plan(inventory, policy, now)} decides, for every resource, what to do and why.
 * Everything dangerous is decided here: each kind of the registry ({@link Kinds}) through its own rules and the
 * shared guard (exemptions, protection, spot-request handling), then the circuit breaker over all of them.
 * No I/O, no clock but the {@code now} it is given.
 */
public final class Planner {
    public static final String STACK_TAG = Exempt.STACK_TAG;
    private static final DateTimeFormatter SHOW = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm z", Locale.ROOT);

    private Planner() {
    }

    public static Plan plan(Inventory inventory, Policy policy, Instant now) {
        return plan(inventory, policy, now, Map.of());
    }

    /**
     * As {@link #plan(Inventory, Policy, Instant)}, with findings made outside the rules for some resources (by id):
     * the budget's stops ({@code dev.curfew.core.budget.BudgetCheck}). They are weighed with the rules' findings and
     * go through the same exemptions, keep tags and protection.
     */
    public static Plan plan(Inventory inventory, Policy policy, Instant now, Map<String, Finding> extra) {
        return breaker(decideAll(inventory, policy, now, extra), policy, now);
    }

    /** Every resource's decision before the circuit breaker is applied. */
    public static List<Decision> decideAll(Inventory inventory, Policy policy, Instant now) {
        return decideAll(inventory, policy, now, Map.of());
    }

    /** As {@link #decideAll(Inventory, Policy, Instant)}, with {@code extra} findings by resource id. */
    public static List<Decision> decideAll(Inventory inventory, Policy policy, Instant now,
                                           Map<String, Finding> extra) {
        return LeftoverPlanner.decide(inventory, policy, now, extra);
    }

    /** Trips when more destructive actions are planned than the policy allows: then none of them is done. */
    private static Plan breaker(List<Decision> decisions, Policy policy, Instant now) {
        int planned = (int) decisions.stream().filter(Decision::destructive).count();
        int limit = policy.maxDestructiveActions();
        if (planned <= limit) {
            return new Plan(policy.mode(), now, decisions, new Plan.Breaker(false, planned, limit));
        }
        String why = "circuit breaker: " + planned + " destructive actions planned, the policy allows " + limit
                + " (limits.max-destructive-actions); nothing was acted on and the instructor is alerted";
        List<Decision> held = decisions.stream().map(d -> d.destructive() ? d.skip(why) : d).toList();
        return new Plan(policy.mode(), now, held, new Plan.Breaker(true, planned, limit));
    }

    /** An ISO-8601 instant or offset date-time, a local date-time or a date (its end) in the course zone. */
    static Instant parseExpiry(String v, ZoneId zone) {
        String s = v.trim();
        try {
            return OffsetDateTime.parse(s).toInstant();
        } catch (DateTimeException ignored) {
            // next form
        }
        try {
            return LocalDateTime.parse(s).atZone(zone).toInstant();
        } catch (DateTimeException ignored) {
            // next form
        }
        try {
            return LocalDate.parse(s).plusDays(1).atStartOfDay(zone).toInstant();
        } catch (DateTimeException e) {
            return null;
        }
    }

    static String show(Instant t, ZoneId zone) {
        return SHOW.format(t.atZone(zone));
    }
}
