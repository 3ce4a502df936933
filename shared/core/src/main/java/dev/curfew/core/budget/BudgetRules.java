package dev.curfew.core.budget;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The policy's {@code budgets} section (README, "Budgets"): what each student may spend per course week, and in the
 * whole course, in dollars or instance hours. A student's own entry in {@code students} replaces {@code weekly} for
 * them. No section (all null and empty) means no budgets: nobody is warned, stopped or refused for spending.
 *
 * @param weekly   every student's limit per course week ({@link CourseWeek}), or null for none
 * @param course   every student's limit for the whole course, or null for none
 * @param students per owner (the owner tag's value, matched without regard to case), their own weekly limit
 * @param courseStart the day the course began ({@code course-start}, from 00:00 in the course's zone), or null: then
 *                    a course total counts each resource since it came to be, and every kept week
 */
public record BudgetRules(Amount weekly, Amount course, Map<String, Amount> students,
                          java.time.LocalDate courseStart) {
    /** The shares of a limit at which the student is told, and at which their instances are stopped. */
    public static final int[] THRESHOLDS = {50, 80, 100};

    public BudgetRules {
        Map<String, Amount> m = new LinkedHashMap<>();
        if (students != null) {
            students.forEach((k, v) -> m.put(k.trim().toLowerCase(Locale.ROOT), v));
        }
        students = java.util.Collections.unmodifiableMap(m);
    }

    /** Without a course start. */
    public BudgetRules(Amount weekly, Amount course, Map<String, Amount> students) {
        this(weekly, course, students, null);
    }

    /** When the course began (00:00 of {@code courseStart} in {@code zone}), or null when the policy does not say. */
    public java.time.Instant courseStartAt(java.time.ZoneId zone) {
        return courseStart == null ? null : courseStart.atStartOfDay(zone).toInstant();
    }

    public static BudgetRules none() {
        return new BudgetRules(null, null, Map.of());
    }

    /** True when any student has a limit. */
    public boolean any() {
        return weekly != null || course != null || !students.isEmpty();
    }

    /** The owner's weekly limit before any top-up: their own entry, else {@code weekly}; null for none. */
    public Amount weeklyFor(String owner) {
        Amount own = owner == null ? null : students.get(owner.trim().toLowerCase(Locale.ROOT));
        return own != null ? own : weekly;
    }
}
