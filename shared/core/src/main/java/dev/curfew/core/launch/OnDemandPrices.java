package dev.curfew.core.launch;

import java.math.BigDecimal;
import java.util.Map;
import java.util.Optional;

/**
 * On-demand prices to compare a spot price with: a small bundled table, not a live price list (the launcher makes
 * no Pricing API call). Linux/UNIX, shared tenancy, USD per hour, as published on AWS's EC2 On-Demand pricing page
 * (https://aws.amazon.com/ec2/pricing/on-demand/). For a region that is not in the table the us-east-1 price is
 * shown, marked as such; for a type that is not in it, the answer says the price is unknown.
 */
public final class OnDemandPrices {
    public static final String SOURCE = "AWS EC2 On-Demand pricing, Linux/UNIX, shared tenancy "
            + "(https://aws.amazon.com/ec2/pricing/on-demand/)";
    /** When the table was written down; AWS rarely changes these list prices, but check before quoting them. */
    public static final String AS_OF = "2026-11-25";
    public static final String REFERENCE_REGION = "us-east-1";

    private static final Map<String, Map<String, String>> TABLE = Map.of(
            "us-east-1", Map.ofEntries(
                    Map.entry("t2.nano", "0.0058"), Map.entry("t2.micro", "0.0116"), Map.entry("t2.small", "0.023"),
                    Map.entry("t2.medium", "0.0464"), Map.entry("t2.large", "0.0928"),
                    Map.entry("t3.nano", "0.0052"), Map.entry("t3.micro", "0.0104"), Map.entry("t3.small", "0.0208"),
                    Map.entry("t3.medium", "0.0416"), Map.entry("t3.large", "0.0832"),
                    Map.entry("t3.xlarge", "0.1664"), Map.entry("t3.2xlarge", "0.3328"),
                    Map.entry("t3a.nano", "0.0047"), Map.entry("t3a.micro", "0.0094"),
                    Map.entry("t3a.small", "0.0188"), Map.entry("t3a.medium", "0.0376"),
                    Map.entry("t3a.large", "0.0752"),
                    Map.entry("t4g.nano", "0.0042"), Map.entry("t4g.micro", "0.0084"),
                    Map.entry("t4g.small", "0.0168"), Map.entry("t4g.medium", "0.0336"),
                    Map.entry("t4g.large", "0.0672"),
                    Map.entry("m5.large", "0.096"), Map.entry("m5.xlarge", "0.192"),
                    Map.entry("c5.large", "0.085"), Map.entry("c5.xlarge", "0.17")),
            "eu-west-1", Map.of(
                    "t3.nano", "0.0057", "t3.micro", "0.0114", "t3.small", "0.0228", "t3.medium", "0.0456",
                    "t3.large", "0.0912"),
            "eu-central-1", Map.of(
                    "t3.nano", "0.006", "t3.micro", "0.012", "t3.small", "0.024", "t3.medium", "0.048",
                    "t3.large", "0.096"));

    private OnDemandPrices() {
    }

    /** An on-demand price, and the region it is really for (the asked region, or the reference region). */
    public record Quote(BigDecimal perHour, String region) {
        public boolean exact(String asked) {
            return region.equals(asked);
        }
    }

    public static Optional<Quote> lookup(String region, String instanceType) {
        Map<String, String> r = TABLE.get(region);
        if (r != null && r.containsKey(instanceType)) {
            return Optional.of(new Quote(new BigDecimal(r.get(instanceType)), region));
        }
        String ref = TABLE.get(REFERENCE_REGION).get(instanceType);
        return ref == null ? Optional.empty() : Optional.of(new Quote(new BigDecimal(ref), REFERENCE_REGION));
    }
}
