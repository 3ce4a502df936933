package dev.curfew.core.spend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.curfew.core.budget.CourseWeek;
import dev.curfew.core.model.CurfewTags;
import dev.curfew.core.model.EbsSnapshot;
import dev.curfew.core.model.EbsVolume;
import dev.curfew.core.model.Ec2Instance;
import dev.curfew.core.model.ElasticIp;
import dev.curfew.core.model.EmrCluster;
import dev.curfew.core.model.InstanceState;
import dev.curfew.core.model.NatGateway;
import dev.curfew.core.model.Resource;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SpendEstimatorTest {
    static final ZoneId AMS = ZoneId.of("Europe/Amsterdam");
    // Wed 25 Nov 2026 18:00 in Amsterdam; the week began Mon 23 Nov 00:00 CET = 22 Nov 23:00 UTC
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-25T17:00:00Z"), ZoneOffset.UTC);
    static final Instant NOW = Instant.now(CLOCK);
    static final Instant MONDAY = Instant.parse("2026-11-22T23:00:00Z");

    static Ec2Instance instance(String id, String region, String type, InstanceState state, Instant launch,
                                Instant stopped, String owner) {
        return new Ec2Instance(id, region, type, state, false, null, null, launch, launch, stopped,
                owner == null ? Map.of() : Map.of(CurfewTags.OWNER, owner), null);
    }

    /** A t3.micro running in us-east-1 since {@code launch}. */
    static Ec2Instance running(String id, Instant launch, String owner) {
        return instance(id, "us-east-1", "t3.micro", InstanceState.RUNNING, launch, null, owner);
    }

    static ClassSpend estimate(List<? extends Resource> rs, Instant courseStart) {
        return SpendEstimator.estimate(rs, r -> r.tags().get(CurfewTags.OWNER), AMS, NOW, courseStart);
    }

    @Test
    void theWeekStartsOnMondayAtMidnightInTheCoursesZone() {
        assertThat(CourseWeek.start(AMS, NOW)).isEqualTo(MONDAY);
        // Monday 00:30 in Amsterdam is already the new week; Sunday 23:30 is not
        assertThat(CourseWeek.start(AMS, Instant.parse("2026-11-22T23:30:00Z"))).isEqualTo(MONDAY);
        assertThat(CourseWeek.start(AMS, Instant.parse("2026-11-22T22:30:00Z")))
                .isEqualTo(Instant.parse("2026-11-15T23:00:00Z"));
        // the same instant is in another week in UTC
        assertThat(CourseWeek.start(ZoneOffset.UTC, Instant.parse("2026-11-22T23:30:00Z")))
                .isEqualTo(Instant.parse("2026-11-16T00:00:00Z"));
    }

    @Test
    void aWeekAcrossTheEndOfSummerTimeIs169HoursAndAcrossItsStart167() {
        // summer time ends Sun 25 Oct 2026 03:00 CEST -> 02:00 CET
        Instant octMonday = CourseWeek.start(AMS, Instant.parse("2026-10-25T22:30:00Z"));
        assertThat(octMonday).isEqualTo(Instant.parse("2026-10-18T22:00:00Z")); // Mon 19 Oct 00:00 CEST
        Instant nextMonday = CourseWeek.start(AMS, Instant.parse("2026-10-25T23:30:00Z"));
        assertThat(nextMonday).isEqualTo(Instant.parse("2026-10-25T23:00:00Z")); // Mon 26 Oct 00:00 CET
        assertThat(Duration.between(octMonday, nextMonday).toHours()).isEqualTo(169);
        // summer time starts Sun 29 Mar 2026 02:00 CET -> 03:00 CEST
        Instant marMonday = CourseWeek.start(AMS, Instant.parse("2026-03-29T21:59:00Z"));
        Instant aprMonday = CourseWeek.start(AMS, Instant.parse("2026-03-29T22:00:00Z"));
        assertThat(marMonday).isEqualTo(Instant.parse("2026-03-22T23:00:00Z"));
        assertThat(aprMonday).isEqualTo(Instant.parse("2026-03-29T22:00:00Z"));
        assertThat(Duration.between(marMonday, aprMonday).toHours()).isEqualTo(167);

        // an instance that ran the whole long week: 169 instance hours, priced by the hour
        Instant sundayLate = Instant.parse("2026-10-25T22:59:00Z");
        Ec2Instance all = instance("i-1", "us-east-1", "t3.micro", InstanceState.RUNNING,
                Instant.parse("2026-10-10T00:00:00Z"), null, "alice");
        Spend s = SpendEstimator.estimate(List.of(all), r -> "alice", AMS, sundayLate, null).of("alice");
        assertThat(s.weekStart()).isEqualTo(octMonday);
        assertThat(s.weekInstanceHours()).isCloseTo(169 - 1 / 60.0, within(1e-6));
        assertThat(s.weekDollars()).isCloseTo(s.weekInstanceHours() * 0.0104, within(1e-6));
    }

    @Test
    void aRunningInstanceCountsFromItsLaunchAndTheWeekFromMonday() {
        Instant launch = MONDAY.minus(Duration.ofHours(10));
        ClassSpend c = estimate(List.of(instance("i-1", "us-east-1", "t3.micro", InstanceState.RUNNING, launch, null,
                "alice")), null);
        Spend s = c.of("alice");
        double week = Duration.between(MONDAY, NOW).toHours(); // 66 h
        assertThat(s.weekInstanceHours()).isEqualTo(week);
        assertThat(s.totalInstanceHours()).isEqualTo(week + 10);
        assertThat(s.weekDollars()).isCloseTo(week * 0.0104, within(1e-6));
        assertThat(s.totalDollars()).isCloseTo((week + 10) * 0.0104, within(1e-6));
        assertThat(s.source()).isEqualTo(Spend.Source.ESTIMATE);
        assertThat(s.weekStart()).isEqualTo(MONDAY);
    }

    @Test
    void aStoppedInstanceCountsItsLastRunOnly() {
        Instant launch = NOW.minus(Duration.ofHours(30));
        Ec2Instance stopped = instance("i-2", "us-east-1", "m5.large", InstanceState.STOPPED, launch,
                launch.plus(Duration.ofHours(4)), "bob");
        Spend s = estimate(List.of(stopped), null).of("bob");
        assertThat(s.weekInstanceHours()).isEqualTo(4);
        assertThat(s.weekDollars()).isCloseTo(4 * 0.096, within(1e-6));
        // stopped before the week began: nothing this week, the run still in the total
        Ec2Instance old = instance("i-3", "us-east-1", "m5.large", InstanceState.STOPPED,
                MONDAY.minus(Duration.ofHours(8)), MONDAY.minus(Duration.ofHours(6)), "bob");
        Spend o = estimate(List.of(old), null).of("bob");
        assertThat(o.weekDollars()).isZero();
        assertThat(o.totalInstanceHours()).isEqualTo(2);
    }

    @Test
    void aRegionsOwnPriceOrTheUsEastPriceTimesItsFactor() {
        Instant launch = NOW.minus(Duration.ofHours(10));
        Spend exact = estimate(List.of(instance("i-1", "eu-west-1", "t3.micro", InstanceState.RUNNING, launch, null,
                "a")), null).of("a");
        assertThat(exact.weekDollars()).isCloseTo(10 * 0.0114, within(1e-6));
        Spend factored = estimate(List.of(instance("i-1", "eu-west-1", "m5.large", InstanceState.RUNNING, launch,
                null, "a")), null).of("a");
        assertThat(factored.weekDollars()).isCloseTo(10 * 0.096 * 0.0114 / 0.0104, within(1e-6));
        Spend unknownRegion = estimate(List.of(instance("i-1", "sa-east-1", "m5.large", InstanceState.RUNNING,
                launch, null, "a")), null).of("a");
        assertThat(unknownRegion.weekDollars()).isCloseTo(10 * 0.096, within(1e-6));
    }

    @Test
    void anUnpricedTypeCountsItsHoursNotDollarsAndIsNamed() {
        ClassSpend c = estimate(List.of(instance("i-9", "us-east-1", "x9.huge", InstanceState.RUNNING,
                NOW.minus(Duration.ofHours(3)), null, "a")), null);
        assertThat(c.of("a").weekInstanceHours()).isEqualTo(3);
        assertThat(c.of("a").weekDollars()).isZero();
        assertThat(c.leftOut()).singleElement().asString().contains("i-9", "x9.huge");
    }

    @Test
    void volumesAddressesGatewaysSnapshotsAndEmr() {
        Instant tenDaysAgo = NOW.minus(Duration.ofDays(10));
        double weekH = Duration.between(MONDAY, NOW).toHours();
        double totalH = Duration.ofDays(10).toHours();
        List<Resource> rs = List.of(
                new EbsVolume("vol-1", "us-east-1", "us-east-1a", "gp3", 100, "available", null, tenDaysAgo, null,
                        Map.of(CurfewTags.OWNER, "carol")),
                new ElasticIp("eipalloc-1", "us-east-1", "1.2.3.4", null, null, Map.of(CurfewTags.OWNER, "carol",
                        CurfewTags.CREATED_AT, tenDaysAgo.toString())),
                new NatGateway("nat-1", "us-east-1", "available", "vpc-1", "subnet-1", List.of(), tenDaysAgo,
                        Map.of(CurfewTags.OWNER, "carol")),
                new EbsSnapshot("snap-1", "us-east-1", "vol-0", 20, tenDaysAgo, "completed",
                        Map.of(CurfewTags.OWNER, "carol")),
                new EmrCluster("j-1", "us-east-1", "lab", "WAITING", tenDaysAgo, null, 0, false, 240.0,
                        Map.of(CurfewTags.OWNER, "carol")));
        Spend s = estimate(rs, null).of("carol");
        double perHour = 100 * 0.08 / 730 + 0.005 + 0.045 + 20 * 0.05 / 730;
        double emr = 240 * 0.006;
        assertThat(s.weekDollars()).isCloseTo(weekH * perHour + emr * weekH / totalH, within(1e-5));
        assertThat(s.totalDollars()).isCloseTo(totalH * perHour + emr, within(1e-5));
        assertThat(s.weekInstanceHours()).isZero();
    }

    @Test
    void anAddressWithoutARecordOfItsAllocationIsLeftOutAndNamed() {
        ClassSpend c = estimate(List.of(new ElasticIp("eipalloc-2", "us-east-1", "1.2.3.5", null, null,
                Map.of(CurfewTags.OWNER, "dan"))), null);
        assertThat(c.of("dan").totalDollars()).isZero();
        assertThat(c.leftOut()).singleElement().asString().contains("eipalloc-2");
    }

    @Test
    void whatNobodyOwnsIsKeptApartAndOwnersAreComparedWithoutCase() {
        Instant launch = NOW.minus(Duration.ofHours(2));
        ClassSpend c = estimate(List.of(running("i-1", launch, "Alice"), running("i-2", launch, "alice "),
                running("i-3", launch, null), running("i-4", launch, "  ")), null);
        assertThat(c.byStudent()).containsOnlyKeys("Alice");
        assertThat(c.of("ALICE").weekInstanceHours()).isEqualTo(4);
        assertThat(c.unowned().student()).isEqualTo(SpendEstimator.NOBODY);
        assertThat(c.unowned().weekInstanceHours()).isEqualTo(4);
        assertThat(c.rows()).extracting(Spend::student).containsExactly("Alice", SpendEstimator.NOBODY);
        assertThat(estimate(List.of(), null).rows()).isEmpty();
    }

    @Test
    void aCourseStartBoundsTheTotalAndAWeekItFallsIn() {
        Instant launch = NOW.minus(Duration.ofDays(20));
        Instant courseStart = NOW.minus(Duration.ofHours(5)); // this Wednesday
        Spend s = estimate(List.of(instance("i-1", "us-east-1", "t3.micro", InstanceState.RUNNING, launch, null,
                "a")), courseStart).of("a");
        assertThat(s.totalInstanceHours()).isEqualTo(5);
        assertThat(s.weekInstanceHours()).isEqualTo(5);
        assertThat(s.weekStart()).isEqualTo(courseStart);
    }

    @Test
    void billedFiguresReplaceTheEstimateWhereAwsHasThem() {
        Instant launch = NOW.minus(Duration.ofHours(10));
        ClassSpend c = estimate(List.of(running("i-1", launch, "alice"), running("i-2", launch, "bob"),
                running("i-3", launch, null)), null);
        ClassSpend b = c.withBilled(Map.of("ALICE", new Billed(3.10, 12.40), "erin", new Billed(1, 0.5),
                "", new Billed(0.2, 0.3)));
        assertThat(b.of("alice")).isEqualTo(new Spend("alice", MONDAY, 3.10, 12.40, 10, 10,
                Spend.Source.COST_EXPLORER));
        assertThat(b.of("bob")).isEqualTo(c.of("bob"));
        assertThat(b.of("erin").totalDollars()).isEqualTo(1); // never less than the week
        assertThat(b.of("erin").source()).isEqualTo(Spend.Source.COST_EXPLORER);
        assertThat(b.unowned().weekDollars()).isEqualTo(0.2);
        assertThat(b.sources()).contains("Cost Explorer", "estimate");
        assertThat(c.sources()).isEqualTo("Curfew's estimate from list prices");
    }

    @Test
    void theStudentsSentenceSaysWhichFigureItShowsAndTheBudgetWhenThereIsOne() {
        Spend est = new Spend("alice", MONDAY, 3.1, 12.4, 20, 80, Spend.Source.ESTIMATE);
        assertThat(SpendText.sentence(est, null, AMS)).isEqualTo("Your spending this week (since Mon 23 Nov): "
                + "$3.10; $12.40 in total (Curfew's estimate from list prices).");
        Spend billed = new Spend("alice", MONDAY, 3.1, 12.4, 20, 80, Spend.Source.COST_EXPLORER);
        assertThat(SpendText.sentence(billed, 10.0, AMS)).isEqualTo("Your spending this week (since Mon 23 Nov): "
                + "$3.10 of your $10.00; $12.40 in total (billed, from AWS Cost Explorer).");
    }
}
