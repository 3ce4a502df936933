package dev.curfew.core.budget;

import dev.curfew.core.model.Inventory;
import dev.curfew.core.policy.Policy;
import java.time.Instant;

/**
 * The budget's part of a sweep ({@code SweepEngine.withBudget}): given what the sweep saw, each student's standing and
 * the instances to stop. It reads the spend and the week's records (top-ups, who was told) and decides with
 * {@link BudgetCheck}; it writes nothing (the sweep's caller records and tells afterwards, in enforce mode only).
 */
@FunctionalInterface
public interface BudgetHook {
    BudgetCheck.Result check(Inventory inventory, Policy policy, Instant now);
}
