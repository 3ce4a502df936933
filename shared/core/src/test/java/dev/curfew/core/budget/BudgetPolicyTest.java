package dev.curfew.core.budget;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.curfew.core.policy.Policy;
import dev.curfew.core.policy.PolicyException;
import dev.curfew.core.policy.PolicyLoader;
import dev.curfew.core.spend.SpendText;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The policy's {@code budgets} section: amounts in dollars or instance hours; a bad value names its field. */
class BudgetPolicyTest {

    static List<String> problems(String yaml) {
        PolicyException e = catchThrowableOfType(PolicyException.class, () -> PolicyLoader.load(yaml, "p.yaml"));
        assertThat(e).as("the policy must be refused: nothing is loaded").isNotNull();
        return e.problems();
    }

    @Test
    void withoutTheSectionNobodyHasABudget() {
        assertThat(PolicyLoader.bundledDefault(List.of()).budgets().any()).isFalse();
        assertThat(PolicyLoader.load("course: x", "p").budgets()).isEqualTo(BudgetRules.none());
    }

    @Test
    void weeklyInDollarsCourseInHoursAndAStudentsOwn() {
        Policy p = PolicyLoader.load("""
                budgets:
                  weekly: 10.00
                  course: 80h
                  students: {Alice: $15, bob: 30h}
                """, "p");
        BudgetRules b = p.budgets();
        assertThat(b.weekly()).isEqualTo(Amount.dollars(10));
        assertThat(b.course()).isEqualTo(Amount.hours(80));
        assertThat(b.weeklyFor("alice")).as("owners without regard to case").isEqualTo(Amount.dollars(15));
        assertThat(b.weeklyFor("BOB")).isEqualTo(Amount.hours(30));
        assertThat(b.weeklyFor("carol")).isEqualTo(Amount.dollars(10));
        assertThat(p.withMode(dev.curfew.core.policy.Mode.ENFORCE).budgets()).isEqualTo(b);
    }

    @Test
    void aStudentsOwnBudgetAloneNeedsNoWeeklyDefault() {
        BudgetRules b = PolicyLoader.load("budgets: {weekly: none, students: {alice: \"20h\"}}", "p").budgets();
        assertThat(b.weekly()).isNull();
        assertThat(b.weeklyFor("alice")).isEqualTo(Amount.hours(20));
        assertThat(b.weeklyFor("bob")).isNull();
        assertThat(b.any()).isTrue();
    }

    @Test
    void theCourseStartIsADayInTheCoursesZone() {
        Policy p = PolicyLoader.load("""
                time-zone: Europe/Amsterdam
                budgets:
                  course-start: 2026-11-02
                """, "p");
        assertThat(p.budgets().courseStart()).isEqualTo(java.time.LocalDate.of(2026, 11, 2));
        assertThat(p.budgets().courseStartAt(p.timeZone())).isEqualTo(java.time.Instant.parse("2026-11-01T23:00:00Z"));
        assertThat(p.budgets().any()).as("a course start alone is no budget").isFalse();
        assertThat(PolicyLoader.load("course: x", "p").budgets().courseStartAt(p.timeZone())).isNull();
        assertThat(problems("budgets: {weekly: 10, course-start: 2 Nov}")).singleElement().asString()
                .startsWith("budgets.course-start: \"2 Nov\" is not a date");
        assertThat(problems("budgets: {course-start: 2026-02-30}")).singleElement().asString()
                .startsWith("budgets.course-start: \"2026-02-30\" is not a date");
    }

    @Test
    void badValuesNameTheirFieldAndLoadNothing() {
        assertThat(problems("budgets: {weekly: ten}")).singleElement().asString()
                .startsWith("budgets.weekly: \"ten\" is not a budget");
        assertThat(problems("budgets: {weekly: -5}")).singleElement().asString().startsWith("budgets.weekly:");
        assertThat(problems("budgets: {weekly: 0}")).singleElement().asString().startsWith("budgets.weekly:");
        assertThat(problems("budgets: {course: 20 hours}")).singleElement().asString().startsWith("budgets.course:");
        assertThat(problems("budgets: {students: {alice: lots}}")).singleElement().asString()
                .startsWith("budgets.students.alice: \"lots\" is not a budget");
        assertThat(problems("budgets: {students: {alice: }}")).singleElement().asString()
                .startsWith("budgets.students.alice: is empty");
        assertThat(problems("budgets: {students: {alice: 5, ALICE: 6}}")).singleElement().asString()
                .startsWith("budgets.students.ALICE: is listed twice");
        assertThat(problems("budgets: {students: [alice]}")).singleElement().asString()
                .startsWith("budgets.students: expected a mapping");
        assertThat(problems("budgets: {weekly: 10, monthly: 40}")).singleElement().asString()
                .startsWith("budgets.monthly: unknown field");
        assertThat(problems("budgets: 10")).singleElement().asString().startsWith("budgets: expected a mapping");
    }

    @Test
    void amountsReadAsWrittenAndShowInTheirUnit() {
        assertThat(Amount.parse("$3.5")).isEqualTo(Amount.dollars(3.5));
        assertThat(Amount.parse(" 1.5H ")).isEqualTo(Amount.hours(1.5));
        assertThat(Amount.parse("1e3")).isNull();
        assertThat(Amount.parse("2000000")).isNull();
        assertThat(Amount.dollars(10).show()).isEqualTo("$10.00");
        assertThat(Amount.hours(20).show()).as("as the spend lines write a limit").isEqualTo("20 h");
        assertThat(Amount.hours(12.5).show()).isEqualTo("12.5 h");
        assertThat(Amount.show(1234.5, Amount.Unit.DOLLARS)).isEqualTo(SpendText.money(1234.5));
        assertThat(Amount.show(30, Amount.Unit.HOURS)).isEqualTo(SpendText.hours(30));
        assertThat(Amount.hours(20).wire()).isEqualTo("20h");
        assertThat(Amount.parse(Amount.dollars(10).wire())).isEqualTo(Amount.dollars(10));
    }
}
