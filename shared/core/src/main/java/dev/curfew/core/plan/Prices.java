package dev.curfew.core.plan;

import java.util.Map;

/**
 * A bundled price table for cost estimates: US East (N. Virginia) on-demand list prices in USD, Linux, as
 * published on the AWS pricing pages (EC2 On-Demand, EBS, Public IPv4 address, S3) and checked 2026-11; other
 * regions differ, typically by 0-30%. Estimates, not bills.
 */
public final class Prices {
    public static final String SOURCE = "AWS list prices, us-east-1, on-demand, Linux, checked 2026-11 (estimates)";
    public static final double HOURS_PER_MONTH = 730;

    /** On-demand USD per hour by instance type. */
    static final Map<String, Double> INSTANCE_HOURLY = Map.ofEntries(
            Map.entry("t2.nano", 0.0058), Map.entry("t2.micro", 0.0116), Map.entry("t2.small", 0.023),
            Map.entry("t2.medium", 0.0464), Map.entry("t2.large", 0.0928),
            Map.entry("t3.nano", 0.0052), Map.entry("t3.micro", 0.0104), Map.entry("t3.small", 0.0208),
            Map.entry("t3.medium", 0.0416), Map.entry("t3.large", 0.0832), Map.entry("t3.xlarge", 0.1664),
            Map.entry("t3a.micro", 0.0094), Map.entry("t3a.small", 0.0188), Map.entry("t3a.medium", 0.0376),
            Map.entry("t4g.micro", 0.0084), Map.entry("t4g.small", 0.0168), Map.entry("t4g.medium", 0.0336),
            Map.entry("m5.large", 0.096), Map.entry("m5.xlarge", 0.192), Map.entry("m5.2xlarge", 0.384),
            Map.entry("m6i.large", 0.096), Map.entry("m6i.xlarge", 0.192), Map.entry("m7i.large", 0.1008),
            Map.entry("c5.large", 0.085), Map.entry("c5.xlarge", 0.17), Map.entry("c6i.large", 0.085),
            Map.entry("r5.large", 0.126), Map.entry("r6i.large", 0.126),
            Map.entry("g4dn.xlarge", 0.526), Map.entry("p3.2xlarge", 3.06));

    /** EBS USD per GiB-month by volume type. */
    static final Map<String, Double> EBS_GB_MONTH = Map.of("gp2", 0.10, "gp3", 0.08, "io1", 0.125, "io2", 0.125,
            "st1", 0.045, "sc1", 0.015, "standard", 0.05);

    /** A public IPv4 address (in use or idle Elastic IP), USD per hour. */
    public static final double PUBLIC_IPV4_HOURLY = 0.005;
    /** A NAT gateway's hourly charge, USD per hour (data processed is extra, and its addresses are billed too). */
    public static final double NAT_GATEWAY_HOURLY = 0.045;
    /** EBS snapshot storage, USD per GiB-month (standard tier; the first snapshot is a full copy at most). */
    public static final double SNAPSHOT_GB_MONTH = 0.05;

    private Prices() {
    }

    /** @return USD per hour, or null for a type not in the table */
    public static Double instanceHourly(String type) {
        return type == null ? null : INSTANCE_HOURLY.get(type);
    }

    /** @return USD per hour for a volume, or null for an unknown type */
    public static Double volumeHourly(String volumeType, int sizeGiB) {
        Double gbMonth = volumeType == null ? null : EBS_GB_MONTH.get(volumeType);
        return gbMonth == null ? null : gbMonth * sizeGiB / HOURS_PER_MONTH;
    }

    public static String monthly(Double perHour) {
        return perHour == null ? "?" : String.format(java.util.Locale.ROOT, "$%.2f/month", perHour * HOURS_PER_MONTH);
    }
}
