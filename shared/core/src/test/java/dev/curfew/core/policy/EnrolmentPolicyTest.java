package dev.curfew.core.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.curfew.core.accounts.AccountScope;
import dev.curfew.core.accounts.AccountTarget;
import dev.curfew.core.accounts.AccountTarget.Source;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The policy's {@code enrolment} section and {@link Policy#scopeFor}: what of each enrolled account is swept. */
class EnrolmentPolicyTest {
    static final Instant ENROLLED = Instant.parse("2026-09-01T08:30:00Z");
    static final AccountTarget HOME = new AccountTarget("123456789012", null, Source.HOME);
    static final AccountTarget ALICE = new AccountTarget("111111111111", "alice", Source.ROSTER);
    static final AccountTarget BOB = new AccountTarget("222222222222", "bob", Source.ROSTER);
    static final AccountTarget ORG = new AccountTarget("333333333333", null, Source.ORGANIZATION);

    static Policy load(String yaml) {
        return PolicyLoader.load(yaml, "p.yaml");
    }

    static List<String> problems(String yaml) {
        PolicyException e = catchThrowableOfType(PolicyException.class, () -> load(yaml));
        assertThat(e).as("the policy must be refused: nothing is loaded").isNotNull();
        return e.problems();
    }

    @Test
    void withoutTheSectionAnEnrolledAccountIsInScopeSinceEnrolmentAndTheClassAccountWhole() {
        Policy p = PolicyLoader.bundledDefault(List.of());
        assertThat(p.enrolment()).isEqualTo(EnrolmentRules.defaults());
        assertThat(load("course: x").enrolment()).isEqualTo(EnrolmentRules.defaults());
        assertThat(p.scopeFor(ALICE, ENROLLED)).isEqualTo(new AccountScope("111111111111", "alice", ENROLLED));
        assertThat(p.scopeFor(ORG, ENROLLED)).isEqualTo(new AccountScope("333333333333", null, ENROLLED));
        assertThat(p.scopeFor(HOME, ENROLLED)).isEqualTo(AccountScope.everything("123456789012"));
        assertThat(p.scopeFor(HOME, null).limited()).isFalse();
    }

    @Test
    void anAccountIsWidenedToEverythingOrToTheStartOfADayInTheCoursesTimeZone() {
        Policy p = load("""
                time-zone: Europe/Amsterdam
                enrolment:
                  scope: since-enrolment
                  accounts:
                    "111111111111": everything
                    "222222222222": 2026-08-15
                  organization-unit: ou-ab12-cdef3456
                """);
        assertThat(p.enrolment().organizationUnit()).isEqualTo("ou-ab12-cdef3456");
        assertThat(p.enrolment().accounts()).containsExactlyInAnyOrderEntriesOf(Map.of(
                "111111111111", EnrolmentRules.Rule.EVERYTHING,
                "222222222222", EnrolmentRules.Rule.fromDate(LocalDate.of(2026, 8, 15))));
        assertThat(p.scopeFor(ALICE, ENROLLED)).isEqualTo(new AccountScope("111111111111", "alice", null));
        // midnight in Amsterdam (summer time, UTC+2) is 22:00 UTC the day before
        assertThat(p.scopeFor(BOB, ENROLLED)).isEqualTo(new AccountScope("222222222222", "bob",
                Instant.parse("2026-08-14T22:00:00Z")));
        assertThat(p.scopeFor(BOB, null).since()).as("a date needs no enrolment time")
                .isEqualTo(Instant.parse("2026-08-14T22:00:00Z"));
        assertThat(p.scopeFor(ORG, ENROLLED).since()).isEqualTo(ENROLLED);
    }

    @Test
    void everythingByDefaultAndOneAccountNarrowedBackToSinceEnrolment() {
        Policy p = load("""
                enrolment:
                  scope: everything
                  accounts: {"222222222222": since-enrolment}
                  organization-unit: r-a1b2
                """);
        assertThat(p.scopeFor(ALICE, ENROLLED)).isEqualTo(new AccountScope("111111111111", "alice", null));
        assertThat(p.scopeFor(BOB, ENROLLED).since()).isEqualTo(ENROLLED);
        assertThat(p.enrolment().organizationUnit()).isEqualTo("r-a1b2");
    }

    @Test
    void anUnknownEnrolmentTimeLeavesEverythingOutAndSaysWhy() {
        AccountScope s = load("course: x").scopeFor(ALICE, null);
        assertThat(s.limited()).isTrue();
        assertThat(s.owner()).isEqualTo("alice");
        var ancient = dev.curfew.core.plan.InstanceBuilder.instance("i-1").launched(Instant.parse("2020-01-01T00:00:00Z"))
                .build();
        var recent = dev.curfew.core.plan.InstanceBuilder.instance("i-2").launched(Instant.parse("2026-11-30T00:00:00Z"))
                .build();
        assertThat(s.outOfScope(ancient)).isEqualTo(s.outOfScope(recent))
                .isEqualTo("out of scope: when this account was enrolled is not known, so nothing in it is touched "
                        + "(the policy's enrolment.accounts can widen it)");
    }

    @Test
    void everyBadValueIsNamedWithItsFieldAndNothingIsLoaded() {
        List<String> p = problems("""
                enrolment:
                  scope: since-forever
                  accounts:
                    "12345": everything
                    "111111111111": sometimes
                    "222222222222": 2026-02-30
                    "333333333333": 15-08-2026
                    "444444444444":
                    "555555555555": [everything]
                  organization-unit: ou-AB12-cdef3456
                  unit: x
                """);
        assertThat(p).containsExactlyInAnyOrder(
                "enrolment.scope: \"since-forever\" is not a scope; use since-enrolment (what was created since the "
                        + "account was enrolled) or everything",
                "enrolment.accounts.12345: \"12345\" is not an AWS account id (12 digits; quote it in YAML)",
                "enrolment.accounts.111111111111: \"sometimes\" is neither everything, since-enrolment nor a date "
                        + "YYYY-MM-DD (in scope from the start of that day, in time-zone)",
                "enrolment.accounts.222222222222: \"2026-02-30\" is neither everything, since-enrolment nor a date "
                        + "YYYY-MM-DD (in scope from the start of that day, in time-zone)",
                "enrolment.accounts.333333333333: \"15-08-2026\" is neither everything, since-enrolment nor a date "
                        + "YYYY-MM-DD (in scope from the start of that day, in time-zone)",
                "enrolment.accounts.444444444444: is empty; write everything, since-enrolment or a date YYYY-MM-DD",
                "enrolment.accounts.555555555555: expected text, found a list",
                "enrolment.organization-unit: \"ou-AB12-cdef3456\" is not an Organizations unit id (ou-xxxx-xxxxxxxx: "
                        + "lower-case letters and digits) or root id (r-xxxx); or write none",
                "enrolment.unit: unknown field; known fields here: scope, accounts, organization-unit");
    }

    @Test
    void malformedUnitsAndSectionsAreRefused() {
        for (String unit : List.of("ou-ab1-cdef3456", "ou-ab12-cdef345", "ou-ab12", "ou-ab12-cdef3456-x",
                "r-ab1", "r-AB12", "123456789012", "ou_ab12_cdef3456", "ou-ab12-cdef3456 ")) {
            if (unit.endsWith(" ")) {
                // surrounding space is trimmed, as everywhere in the policy
                assertThat(load("enrolment: {organization-unit: \"" + unit + "\"}").enrolment().organizationUnit())
                        .isEqualTo(unit.trim());
                continue;
            }
            assertThat(problems("enrolment: {organization-unit: \"" + unit + "\"}")).as(unit).singleElement()
                    .asString().startsWith("enrolment.organization-unit: \"" + unit + "\" is not an Organizations");
        }
        assertThat(load("enrolment: {organization-unit: none}").enrolment().organizationUnit()).isNull();
        assertThat(problems("enrolment: everything")).containsExactly(
                "enrolment: expected a mapping of fields, found \"everything\"");
        assertThat(problems("enrolment: {accounts: [\"111111111111\"]}")).containsExactly(
                "enrolment.accounts: expected a mapping of fields, found a list");
        assertThat(problems("enrolment: {scope: \"\"}")).containsExactly("enrolment.scope: must not be empty");
        assertThat(problems("enrolment: {scope: 2026-01-01}")).singleElement().asString()
                .startsWith("enrolment.scope: \"2026-01-01\" is not a scope");
    }
}
