package dev.curfew.core.launch;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * What one availability zone costs now.
 *
 * @param current        the price in effect now (the latest history entry at or before now)
 * @param highestInHour  the highest price in effect at any time in the last hour
 * @param since          when the current price took effect
 * @param underCap       whether the current price is at or under the course's cap
 */
public record ZoneQuote(String zone, BigDecimal current, BigDecimal highestInHour, Instant since, boolean underCap) {
}
