package dev.curfew.aws.budget;

import static org.assertj.core.api.Assertions.assertThat;

import dev.curfew.aws.testing.MotoTest;
import dev.curfew.core.spend.ClassSpend;
import dev.curfew.core.spend.ClosedWeeks;
import dev.curfew.core.spend.Spend;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The kept weeks' names and calls, against the moto server: an owner name too long for a record's name is kept under
 * a short one and read back whole; the weeks due are found with one call (the accounts state machine's list step);
 * the listing of a long course costs one call per 10 records.
 */
class SpentRecordsNamesIT extends MotoTest {
    static final Instant NOW = Instant.parse("2026-11-25T17:00:00Z"); // Wed; the week of Mon 23 Nov (UTC)
    static final LocalDate START = LocalDate.parse("2026-11-09");

    static ClassSpend week(LocalDate monday, Map<String, Double> hours) {
        Instant start = monday.atStartOfDay(ZoneOffset.UTC).toInstant();
        Map<String, Spend> by = new java.util.TreeMap<>();
        hours.forEach((who, h) -> by.put(who, new Spend(who, start, h, h, h, h, Spend.Source.ESTIMATE)));
        return new ClassSpend(start, NOW, by, null, List.of(), null, Map.of());
    }

    @Test
    void aLongOwnerNameIsKeptUnderAShortNameAndReadBackWhole() {
        // a tag value may be 256 characters; each non-ASCII one is 5 in a name's segment
        String longName = "\u00e9".repeat(250);
        String otherLong = "\u00e9".repeat(249) + "x";
        SpentRecords records = new SpentRecords(clients.ssm(EU), "a-stack-name-of-some-length");
        records.close(ZoneOffset.UTC, NOW, START, monday -> week(monday, Map.of(longName, 2.0, otherLong, 3.0,
                "bob", 1.0)));

        assertThat(records.problems()).isEmpty();
        assertThat(records.name("2026-11-16", longName)).hasSizeLessThan(700)
                .isNotEqualTo(records.name("2026-11-16", otherLong));
        ClosedWeeks read = new SpentRecords(clients.ssm(EU), "a-stack-name-of-some-length").read();
        assertThat(read.closed()).containsExactly("2026-11-09", "2026-11-16");
        assertThat(read.figures().get("2026-11-16")).containsOnlyKeys(longName, otherLong, "bob");
        assertThat(read.figures().get("2026-11-16").get(longName).hours()).isEqualTo(2.0);
        assertThat(read.figures().get("2026-11-16").get(otherLong).hours()).isEqualTo(3.0);
    }

    @Test
    void theWeeksDueAreFoundInOneCallAndALongCourseIsListedTenRecordsACall() {
        SpentRecords records = new SpentRecords(clients.ssm(EU), "calls");
        clients.ssm(EU).putParameter(b -> b.name("/curfew/calls/budget/spent/2026-11-09/_closed").value("students=0")
                .type("String"));
        clients.counter().reset();
        assertThat(records.due(ZoneOffset.UTC, NOW, START)).containsExactly(LocalDate.parse("2026-11-16"));
        assertThat(clients.counter().snapshot()).containsOnly(Map.entry("ssm:GetParameters", 1L));

        // a course of 6 weeks kept, 10 students each: 6 x 11 records
        for (int w = 0; w < 6; w++) {
            String week = START.minusWeeks(w).toString();
            for (int i = 0; i <= 10; i++) {
                String name = i == 10 ? SpentRecords.CLOSED : "student" + i;
                clients.ssm(EU).putParameter(b -> b.name("/curfew/long/budget/spent/" + week + "/" + name)
                        .value(name.equals(SpentRecords.CLOSED) ? "students=10" : "dollars=1.000000 hours=1.000000")
                        .type("String"));
            }
        }
        clients.counter().reset();
        ClosedWeeks all = new SpentRecords(clients.ssm(EU), "long").read();
        assertThat(all.closed()).hasSize(6);
        assertThat(clients.counter().get("ssm:GetParametersByPath")).as("one call per 10 records").isEqualTo(7);
    }
}
