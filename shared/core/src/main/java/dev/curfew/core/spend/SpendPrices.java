package dev.curfew.core.spend;

import dev.curfew.core.launch.OnDemandPrices;
import dev.curfew.core.plan.Prices;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Optional;

/**
 * The hourly prices the spend estimate uses: the bundled tables ({@link Prices}, {@link OnDemandPrices}) with a region
 * factor where one is known. An instance type with its own price in the region is priced at it; anything else at the
 * us-east-1 list price times the region's factor, which is the ratio of the region's t3.micro price to us-east-1's in
 * {@link OnDemandPrices} (1.0 for a region not in that table: then the estimate is us-east-1's list price).
 */
public final class SpendPrices {
    /** EMR's own charge per normalized instance hour (EMR's m5.xlarge price $0.048/h over its normalization factor 8). */
    public static final double EMR_NORMALIZED_HOURLY = 0.006;
    private static final String REFERENCE_TYPE = "t3.micro";

    private SpendPrices() {
    }

    /** The region's price level against us-east-1's; 1.0 when not known. */
    public static double regionFactor(String region) {
        if (region == null) {
            return 1.0;
        }
        Optional<OnDemandPrices.Quote> here = OnDemandPrices.lookup(region, REFERENCE_TYPE);
        Optional<OnDemandPrices.Quote> ref = OnDemandPrices.lookup(OnDemandPrices.REFERENCE_REGION, REFERENCE_TYPE);
        if (here.isEmpty() || ref.isEmpty() || !here.get().exact(region)) {
            return 1.0;
        }
        return here.get().perHour().divide(ref.get().perHour(), MathContext.DECIMAL64).doubleValue();
    }

    /** An instance type's on-demand USD per hour in a region, or null for a type in neither table. */
    public static Double instanceHourly(String region, String type) {
        if (type == null) {
            return null;
        }
        Optional<OnDemandPrices.Quote> q = region == null ? Optional.empty() : OnDemandPrices.lookup(region, type);
        if (q.isPresent() && q.get().exact(region)) {
            return q.get().perHour().doubleValue();
        }
        Double base = Prices.instanceHourly(type);
        if (base == null) {
            base = q.map(OnDemandPrices.Quote::perHour).map(BigDecimal::doubleValue).orElse(null);
        }
        return base == null ? null : base * regionFactor(region);
    }
}
