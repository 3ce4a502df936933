package dev.curfew.core.policy;

import java.math.BigDecimal;
import java.util.List;

/**
 * What the spot launcher may hand out (the policy's {@code launcher} section).
 *
 * @param allowedTypes          instance types a student may ask for
 * @param maxHours              the longest a student may ask for; the instance's expiry is now + hours
 * @param maxRunningPerStudent  a student's cap on running (or pending) instances
 * @param regions               regions a student may launch in; empty means the function's own region only
 * @param priceCapPerHour       the most the course pays per instance-hour (USD); also the spot max price
 * @param ami                   an AMI id ({@code ami-...}) or an SSM parameter ({@code ssm:/aws/service/...})
 */
public record LaunchLimits(List<String> allowedTypes, int maxHours, int maxRunningPerStudent, List<String> regions,
                           BigDecimal priceCapPerHour, String ami) {
    public static final String DEFAULT_AMI =
            "ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64";

    public LaunchLimits {
        allowedTypes = List.copyOf(allowedTypes);
        regions = List.copyOf(regions);
    }
}
