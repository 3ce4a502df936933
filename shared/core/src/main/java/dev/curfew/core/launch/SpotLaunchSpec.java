package dev.curfew.core.launch;

import java.math.BigDecimal;
import java.util.Map;

/**
 * One one-time spot instance: in {@code zone}, at most {@code maxPrice} USD per hour, terminated (never stopped or
 * hibernated) when AWS interrupts it, tagged (instance and volumes) with {@code tags} at launch.
 */
public record SpotLaunchSpec(String region, String zone, String imageId, String instanceType, String keyName,
                             BigDecimal maxPrice, String securityGroupId, Map<String, String> tags) {
    public SpotLaunchSpec {
        tags = Map.copyOf(tags);
    }
}
