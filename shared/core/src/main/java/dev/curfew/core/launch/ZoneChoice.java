package dev.curfew.core.launch;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Picks the availability zone to launch in from the last hour of spot price history: the zone whose current price
 * is lowest and at or under the cap. Ties go to the zone whose price stayed lower over the hour, then to the first
 * zone by name, so the choice is deterministic.
 *
 * <p>EC2 answers a history request for [now - 1h, now] with every change in that window <em>and</em> the entry in
 * effect at its start, whose timestamp can be much older: the current price of a zone is its latest entry at or
 * before now, however old. Entries stamped after now (clock skew) are ignored; only Linux/UNIX prices count.
 *
 * @param chosen the zone to launch in, if any is at or under the cap
 * @param zones  every zone with a price, cheapest first
 */
public record ZoneChoice(Optional<ZoneQuote> chosen, List<ZoneQuote> zones, BigDecimal cap) {
    public static final Duration WINDOW = Duration.ofHours(1);

    public static ZoneChoice choose(List<SpotPrice> history, String instanceType, BigDecimal cap, Instant now) {
        Map<String, List<SpotPrice>> byZone = new TreeMap<>();
        for (SpotPrice p : history) {
            if (p == null || p.zone() == null || p.pricePerHour() == null || p.timestamp() == null
                    || !instanceType.equals(p.instanceType()) || p.timestamp().isAfter(now)
                    || p.pricePerHour().signum() < 0 || !linux(p.productDescription())) {
                continue;
            }
            byZone.computeIfAbsent(p.zone(), z -> new ArrayList<>()).add(p);
        }
        Instant hourAgo = now.minus(WINDOW);
        List<ZoneQuote> quotes = new ArrayList<>();
        byZone.forEach((zone, entries) -> {
            SpotPrice current = entries.stream()
                    .max(Comparator.comparing(SpotPrice::timestamp).thenComparing(SpotPrice::pricePerHour))
                    .orElseThrow();
            BigDecimal highest = current.pricePerHour();
            for (SpotPrice e : entries) {
                if (e.timestamp().isAfter(hourAgo) && e.pricePerHour().compareTo(highest) > 0) {
                    highest = e.pricePerHour();
                }
            }
            // the entry in effect when the hour began counts too: it was the price for the hour's first minutes
            BigDecimal inEffectAtStart = entries.stream().filter(e -> !e.timestamp().isAfter(hourAgo))
                    .max(Comparator.comparing(SpotPrice::timestamp).thenComparing(SpotPrice::pricePerHour))
                    .map(SpotPrice::pricePerHour).orElse(highest);
            if (inEffectAtStart.compareTo(highest) > 0) {
                highest = inEffectAtStart;
            }
            quotes.add(new ZoneQuote(zone, current.pricePerHour(), highest, current.timestamp(),
                    current.pricePerHour().compareTo(cap) <= 0));
        });
        quotes.sort(Comparator.comparing(ZoneQuote::current).thenComparing(ZoneQuote::highestInHour)
                .thenComparing(ZoneQuote::zone));
        Optional<ZoneQuote> chosen = quotes.stream().filter(ZoneQuote::underCap).findFirst();
        return new ZoneChoice(chosen, List.copyOf(quotes), cap);
    }

    static boolean linux(String productDescription) {
        return productDescription == null || productDescription.startsWith("Linux/UNIX");
    }
}
