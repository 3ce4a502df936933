package dev.curfew.core.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.curfew.core.policy.Policy;
import dev.curfew.core.policy.PolicyLoader;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class CurfewTimesTest {

    static Policy policy(String zone, String curfew) {
        return PolicyLoader.load("time-zone: " + zone + "\ncurfew: \"" + curfew + "\"\n", "curfew-times");
    }

    static Instant t(String iso) {
        return Instant.parse(iso);
    }

    @ParameterizedTest(name = "{0} {1} at {2}: latest {3}, next {4}")
    @CsvSource({
            // Europe/Amsterdam: CET (UTC+1) -> CEST (UTC+2) on 2026-03-29 at 01:00Z, back on 2026-10-25 at 01:00Z
            "Europe/Amsterdam, 18:00, 2026-03-29T12:00:00Z, 2026-03-28T17:00:00Z, 2026-03-29T16:00:00Z",
            "Europe/Amsterdam, 18:00, 2026-03-29T16:30:00Z, 2026-03-29T16:00:00Z, 2026-03-30T16:00:00Z",
            "Europe/Amsterdam, 18:00, 2026-03-28T23:30:00Z, 2026-03-28T17:00:00Z, 2026-03-29T16:00:00Z",
            "Europe/Amsterdam, 18:00, 2026-10-25T12:00:00Z, 2026-10-24T16:00:00Z, 2026-10-25T17:00:00Z",
            "Europe/Amsterdam, 18:00, 2026-10-25T16:30:00Z, 2026-10-24T16:00:00Z, 2026-10-25T17:00:00Z",
            "Europe/Amsterdam, 18:00, 2026-10-25T17:30:00Z, 2026-10-25T17:00:00Z, 2026-10-26T17:00:00Z",
            // after local midnight but before UTC midnight: the local day decides
            "Europe/Amsterdam, 18:00, 2026-06-01T22:30:00Z, 2026-06-01T16:00:00Z, 2026-06-02T16:00:00Z",
            // America/New_York: EST (UTC-5) -> EDT (UTC-4) on 2026-03-08 at 07:00Z, back on 2026-11-01 at 06:00Z
            "America/New_York, 18:00, 2026-03-08T18:00:00Z, 2026-03-07T23:00:00Z, 2026-03-08T22:00:00Z",
            "America/New_York, 18:00, 2026-03-08T22:00:00Z, 2026-03-08T22:00:00Z, 2026-03-09T22:00:00Z",
            "America/New_York, 18:00, 2026-11-01T18:00:00Z, 2026-10-31T22:00:00Z, 2026-11-01T23:00:00Z",
            "America/New_York, 18:00, 2026-11-01T22:30:00Z, 2026-10-31T22:00:00Z, 2026-11-01T23:00:00Z",
            // before UTC midnight is already the next day in UTC, still the same local day in New York
            "America/New_York, 18:00, 2026-07-02T02:00:00Z, 2026-07-01T22:00:00Z, 2026-07-02T22:00:00Z",
            // a curfew in the spring-forward gap (02:30 does not exist that day): shifted forward by the gap
            // (03:30 local), so the curfew still happens once that day
            "Europe/Amsterdam, 02:30, 2026-03-29T00:00:00Z, 2026-03-28T01:30:00Z, 2026-03-29T01:30:00Z",
            "Europe/Amsterdam, 02:30, 2026-03-29T01:00:00Z, 2026-03-28T01:30:00Z, 2026-03-29T01:30:00Z",
            "Europe/Amsterdam, 02:30, 2026-03-29T01:30:00Z, 2026-03-29T01:30:00Z, 2026-03-30T00:30:00Z",
            "America/New_York, 02:30, 2026-03-08T07:00:00Z, 2026-03-07T07:30:00Z, 2026-03-08T07:30:00Z",
            // a curfew in the fall-back overlap (02:30 happens twice): the earlier one, once that day
            "Europe/Amsterdam, 02:30, 2026-10-25T00:00:00Z, 2026-10-24T00:30:00Z, 2026-10-25T00:30:00Z",
            "Europe/Amsterdam, 02:30, 2026-10-25T01:00:00Z, 2026-10-25T00:30:00Z, 2026-10-26T01:30:00Z",
            "Europe/Amsterdam, 02:30, 2026-10-25T01:45:00Z, 2026-10-25T00:30:00Z, 2026-10-26T01:30:00Z",
            // midnight curfew
            "UTC, 00:00, 2026-03-10T00:00:00Z, 2026-03-10T00:00:00Z, 2026-03-11T00:00:00Z",
            "UTC, 00:00, 2026-03-10T23:59:59Z, 2026-03-10T00:00:00Z, 2026-03-11T00:00:00Z",
    })
    void latestAndNext(String zone, String curfew, String now, String latest, String next) {
        Policy p = policy(zone, curfew);
        assertThat(CurfewTimes.latest(p, t(now))).isEqualTo(t(latest));
        assertThat(CurfewTimes.next(p, t(now))).isEqualTo(t(next));
    }

    @Test
    void theCourseDayIsShorterAndLongerAcrossDst() {
        Policy p = policy("Europe/Amsterdam", "18:00");
        assertThat(Duration.between(CurfewTimes.latest(p, t("2026-03-29T12:00:00Z")),
                CurfewTimes.next(p, t("2026-03-29T12:00:00Z")))).isEqualTo(Duration.ofHours(23));
        assertThat(Duration.between(CurfewTimes.latest(p, t("2026-10-25T12:00:00Z")),
                CurfewTimes.next(p, t("2026-10-25T12:00:00Z")))).isEqualTo(Duration.ofHours(25));
    }

    @Test
    void nowExactlyAtCurfew() {
        Policy p = policy("Europe/Amsterdam", "18:00");
        Instant curfew = t("2026-03-29T16:00:00Z");
        assertThat(CurfewTimes.latest(p, curfew)).as("latest is at or before now").isEqualTo(curfew);
        assertThat(CurfewTimes.next(p, curfew)).as("next is strictly after now").isEqualTo(t("2026-03-30T16:00:00Z"));

        Instant justBefore = curfew.minusNanos(1);
        assertThat(CurfewTimes.latest(p, justBefore)).isEqualTo(t("2026-03-28T17:00:00Z"));
        assertThat(CurfewTimes.next(p, justBefore)).isEqualTo(curfew);
    }

    @Test
    void endOfDayIsLocalMidnight() {
        Policy p = policy("Europe/Amsterdam", "18:00");
        assertThat(CurfewTimes.endOfDay(p, LocalDate.of(2026, 3, 28))).isEqualTo(t("2026-03-28T23:00:00Z"));
        assertThat(CurfewTimes.endOfDay(p, LocalDate.of(2026, 3, 29))).isEqualTo(t("2026-03-29T22:00:00Z"));
        assertThat(CurfewTimes.endOfDay(p, LocalDate.of(2026, 10, 25))).isEqualTo(t("2026-10-25T23:00:00Z"));
        Policy ny = policy("America/New_York", "18:00");
        assertThat(CurfewTimes.endOfDay(ny, LocalDate.of(2026, 3, 8))).isEqualTo(t("2026-03-09T04:00:00Z"));
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({"Europe/Amsterdam, 18:00", "Europe/Amsterdam, 02:30", "America/New_York, 18:00",
            "America/New_York, 01:30", "Australia/Lord_Howe, 02:15", "Asia/Kolkata, 23:59", "UTC, 00:00"})
    void invariantsHoldAllYearRound(String zone, String curfew) {
        Policy p = policy(zone, curfew);
        ZoneId z = ZoneId.of(zone);
        Instant end = t("2027-01-02T00:00:00Z");
        for (Instant now = t("2026-01-01T00:00:00Z"); now.isBefore(end); now = now.plusSeconds(37 * 60 + 11)) {
            Instant latest = CurfewTimes.latest(p, now);
            Instant next = CurfewTimes.next(p, now);
            assertThat(latest).as("latest at " + now).isBeforeOrEqualTo(now);
            assertThat(next).as("next at " + now).isAfter(now);
            Duration day = Duration.between(latest, next);
            assertThat(day).as("a course day at " + now).isBetween(Duration.ofHours(23), Duration.ofHours(25));
            // no curfew is skipped: the one after the latest is the next
            assertThat(CurfewTimes.next(p, latest)).as("next after latest at " + now).isEqualTo(next);
            assertThat(CurfewTimes.latest(p, next)).isEqualTo(next);
            // each is on the local day it belongs to, at the curfew time unless that time did not exist
            ZonedDateTime local = latest.atZone(z);
            ZonedDateTime asked = ZonedDateTime.of(local.toLocalDate(), p.curfew(), z);
            assertThat(local.toInstant()).isEqualTo(asked.toInstant());
        }
    }
}
