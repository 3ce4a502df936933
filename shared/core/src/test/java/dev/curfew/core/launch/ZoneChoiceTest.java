package dev.curfew.core.launch;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The zone choice, fed histories shaped like DescribeSpotPriceHistory's answers for [now - 1h, now]: prices as EC2
 * writes them (six decimals), an entry per change, the entry in effect at the window's start with an older stamp.
 */
class ZoneChoiceTest {
    static final Instant NOW = Instant.parse("2026-11-25T10:00:00Z");
    static final BigDecimal CAP = new BigDecimal("0.05");

    static SpotPrice p(String zone, String price, String at) {
        return new SpotPrice(zone, "t3.micro", "Linux/UNIX", new BigDecimal(price), Instant.parse(at));
    }

    /** eu-west-1 on an ordinary morning: b is cheapest now, a was cheapest an hour ago, c never moved. */
    static List<SpotPrice> euWest1() {
        return List.of(
                p("eu-west-1a", "0.003500", "2026-11-25T08:41:12Z"), // in effect when the hour began
                p("eu-west-1a", "0.004100", "2026-11-25T09:20:05Z"),
                p("eu-west-1b", "0.004300", "2026-11-24T22:03:51Z"),
                p("eu-west-1b", "0.003800", "2026-11-25T09:47:30Z"),
                p("eu-west-1c", "0.003900", "2026-11-23T14:00:00Z"));
    }

    @Test
    void theZoneCheapestNowWins() {
        ZoneChoice c = ZoneChoice.choose(euWest1(), "t3.micro", CAP, NOW);

        assertThat(c.chosen()).get().extracting(ZoneQuote::zone).isEqualTo("eu-west-1b");
        assertThat(c.chosen().get().current()).isEqualByComparingTo("0.0038");
        assertThat(c.chosen().get().highestInHour()).isEqualByComparingTo("0.0043");
        assertThat(c.zones()).extracting(ZoneQuote::zone).containsExactly("eu-west-1b", "eu-west-1c", "eu-west-1a");
        assertThat(c.zones()).extracting(ZoneQuote::current).map(BigDecimal::toPlainString)
                .containsExactly("0.003800", "0.003900", "0.004100");
    }

    @Test
    void anOldEntryIsStillTheCurrentPriceWhenNothingChanged() {
        ZoneChoice c = ZoneChoice.choose(List.of(p("eu-west-1c", "0.0039", "2026-11-01T00:00:00Z")), "t3.micro", CAP,
                NOW);
        assertThat(c.chosen()).get().extracting(ZoneQuote::zone).isEqualTo("eu-west-1c");
        assertThat(c.chosen().get().since()).isEqualTo(Instant.parse("2026-11-01T00:00:00Z"));
    }

    @Test
    void zonesOverTheCapAreNeverChosenEvenIfTheyWereCheapEarlier() {
        List<SpotPrice> h = List.of(
                p("us-east-1a", "0.0020", "2026-11-25T09:10:00Z"),
                p("us-east-1a", "0.0600", "2026-11-25T09:55:00Z"), // spiked over the cap
                p("us-east-1d", "0.0310", "2026-11-25T09:30:00Z"));
        ZoneChoice c = ZoneChoice.choose(h, "t3.micro", CAP, NOW);
        assertThat(c.chosen()).get().extracting(ZoneQuote::zone).isEqualTo("us-east-1d");
        assertThat(c.zones()).filteredOn(z -> z.zone().equals("us-east-1a")).singleElement()
                .extracting(ZoneQuote::underCap).isEqualTo(false);
    }

    @Test
    void atTheCapExactlyIsAllowed() {
        ZoneChoice c = ZoneChoice.choose(List.of(p("eu-west-1a", "0.050000", "2026-11-25T09:00:00Z")), "t3.micro",
                CAP, NOW);
        assertThat(c.chosen()).isPresent();
    }

    @Test
    void whenEveryZoneIsOverTheCapNothingIsChosenAndEveryPriceIsKept() {
        List<SpotPrice> h = List.of(
                p("eu-west-1a", "0.0710", "2026-11-25T09:00:00Z"),
                p("eu-west-1b", "0.0650", "2026-11-25T09:30:00Z"),
                p("eu-west-1c", "0.0900", "2026-11-25T08:00:00Z"));
        ZoneChoice c = ZoneChoice.choose(h, "t3.micro", CAP, NOW);
        assertThat(c.chosen()).isEmpty();
        assertThat(c.zones()).extracting(ZoneQuote::zone).containsExactly("eu-west-1b", "eu-west-1a", "eu-west-1c");

        Refusal r = Answers.overCap(new LaunchRequest("t3.micro", 2, "k", "eu-west-1"), c);
        assertThat(r.status()).isEqualTo(409);
        assertThat(r.getMessage()).isEqualTo("no zone of eu-west-1 sells t3.micro at or under the course's cap of "
                + "$0.05/h right now; current spot prices: eu-west-1b $0.065/h, eu-west-1a $0.071/h, "
                + "eu-west-1c $0.09/h. Try a smaller type, another region, or later; nothing was launched");
    }

    @Test
    void tiesGoToTheSteadierZoneThenToTheName() {
        List<SpotPrice> h = List.of(
                p("eu-west-1c", "0.0040", "2026-11-25T09:00:00Z"),
                p("eu-west-1a", "0.0048", "2026-11-25T09:10:00Z"),
                p("eu-west-1a", "0.0040", "2026-11-25T09:40:00Z"),
                p("eu-west-1b", "0.0040", "2026-11-25T08:00:00Z"));
        ZoneChoice c = ZoneChoice.choose(h, "t3.micro", CAP, NOW);
        assertThat(c.zones()).extracting(ZoneQuote::zone).containsExactly("eu-west-1b", "eu-west-1c", "eu-west-1a");
        assertThat(c.chosen()).get().extracting(ZoneQuote::zone).isEqualTo("eu-west-1b");
    }

    @Test
    void otherTypesOtherSystemsAndFutureStampsAreIgnored() {
        List<SpotPrice> h = new ArrayList<>(euWest1());
        h.add(new SpotPrice("eu-west-1c", "t3.small", "Linux/UNIX", new BigDecimal("0.0001"),
                Instant.parse("2026-11-25T09:59:00Z")));
        h.add(new SpotPrice("eu-west-1c", "t3.micro", "Windows", new BigDecimal("0.0001"),
                Instant.parse("2026-11-25T09:59:00Z")));
        h.add(p("eu-west-1c", "0.0001", "2026-11-25T10:05:00Z")); // stamped after now
        h.add(new SpotPrice("eu-west-1c", "t3.micro", "Linux/UNIX (Amazon VPC)", new BigDecimal("0.0037"),
                Instant.parse("2026-11-25T09:58:00Z")));
        ZoneChoice c = ZoneChoice.choose(h, "t3.micro", CAP, NOW);
        assertThat(c.chosen()).get().extracting(ZoneQuote::zone).isEqualTo("eu-west-1c");
        assertThat(c.chosen().get().current()).isEqualByComparingTo("0.0037");
    }

    @Test
    void noHistoryMeansNoZones() {
        ZoneChoice c = ZoneChoice.choose(List.of(), "t3.micro", CAP, NOW);
        assertThat(c.zones()).isEmpty();
        assertThat(c.chosen()).isEmpty();
    }

    @Test
    void theEmulatorsConstantPriceIsHandledLikeAnyOldEntry() {
        // moto answers every zone with 0.00001 stamped 2006-01-02T15:04:05Z
        List<SpotPrice> h = List.of(
                new SpotPrice("eu-west-1a", "t3.micro", "Linux/UNIX (Amazon VPC)", new BigDecimal("0.00001"),
                        Instant.parse("2006-01-02T15:04:05Z")),
                new SpotPrice("eu-west-1b", "t3.micro", "Linux/UNIX (Amazon VPC)", new BigDecimal("0.00001"),
                        Instant.parse("2006-01-02T15:04:05Z")));
        assertThat(ZoneChoice.choose(h, "t3.micro", CAP, NOW).chosen()).get().extracting(ZoneQuote::zone)
                .isEqualTo("eu-west-1a");
    }
}
