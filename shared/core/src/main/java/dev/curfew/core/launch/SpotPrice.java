package dev.curfew.core.launch;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * One entry of EC2's spot price history: from {@code timestamp} on, the spot price of {@code instanceType} in
 * {@code zone} was {@code pricePerHour} (USD).
 */
public record SpotPrice(String zone, String instanceType, String productDescription, BigDecimal pricePerHour,
                        Instant timestamp) {
}
