package dev.curfew.core.model;

/**
 * CloudWatch figures for one instance over the idle window. A null figure means CloudWatch returned no datapoint:
 * no data is not idle.
 *
 * @param cpuAverage      average CPUUtilization, percent
 * @param networkInBytes  sum of NetworkIn, bytes
 * @param networkOutBytes sum of NetworkOut, bytes
 */
public record InstanceMetrics(Double cpuAverage, Double networkInBytes, Double networkOutBytes) {
    public static final InstanceMetrics NONE = new InstanceMetrics(null, null, null);

    public boolean hasData() {
        return cpuAverage != null;
    }

    public double networkTotalBytes() {
        return (networkInBytes == null ? 0 : networkInBytes) + (networkOutBytes == null ? 0 : networkOutBytes);
    }
}
