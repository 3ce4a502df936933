package dev.curfew.function.launcher;

import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;
import java.time.Duration;

/**
 * The launcher's own settings (what every function reads, the policy and its overrides included, is in
 * {@link dev.curfew.function.common.Deployment}). The launcher reads the same policy as the sweeper; its
 * {@code launcher} section and the account guard ({@code accounts}) are what it uses.
 */
@Singleton
public class LauncherConfig {
    private final Duration addressWait;
    private final Duration leaseLifetime;
    private final Duration leaseWait;

    /**
     * @param leaseSeconds     a launch lease lapses this long after it was written (its holder died); longer than
     *                         the function's timeout (60 s in template.yaml), or a live launch could lose it
     * @param leaseWaitSeconds how long a launch waits for a lease another launch of the same student holds
     */
    public LauncherConfig(@Value("${curfew.launcher.address-wait-seconds:15}") int addressWaitSeconds,
                          @Value("${curfew.launcher.lease-seconds:120}") int leaseSeconds,
                          @Value("${curfew.launcher.lease-wait-seconds:10}") int leaseWaitSeconds) {
        this.addressWait = Duration.ofSeconds(Math.max(0, addressWaitSeconds));
        this.leaseLifetime = Duration.ofSeconds(Math.max(1, leaseSeconds));
        this.leaseWait = Duration.ofSeconds(Math.max(0, leaseWaitSeconds));
    }

    /** How long a launch waits for the new instance's public address before answering without it. */
    public Duration addressWait() {
        return addressWait;
    }

    /** How long after its last write a student's launch lease lapses by itself. */
    public Duration leaseLifetime() {
        return leaseLifetime;
    }

    /** How long a launch waits while another launch of the same student holds the lease. */
    public Duration leaseWait() {
        return leaseWait;
    }
}
