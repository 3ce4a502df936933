package dev.curfew.core.budget;

import dev.curfew.core.model.Inventory;
import dev.curfew.core.policy.Policy;
import dev.curfew.core.spend.Spend;
import java.time.Instant;
import java.util.List;

/**
 * Where a sweep's budget check gets each student's spend in the course week ({@link CourseWeek}) of {@code now}:
 * the estimate from what the sweep saw, or Cost Explorer's figure. A source that fails throws; the sweep then stops
 * nobody for their budget and reports why.
 */
@FunctionalInterface
public interface SpendSource {
    List<Spend> spend(Inventory inventory, Policy policy, Instant now);
}
