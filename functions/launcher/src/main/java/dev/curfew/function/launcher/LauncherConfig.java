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

    public LauncherConfig(@Value("${curfew.launcher.address-wait-seconds:15}") int addressWaitSeconds) {
        this.addressWait = Duration.ofSeconds(Math.max(0, addressWaitSeconds));
    }

    /** How long a launch waits for the new instance's public address before answering without it. */
    public Duration addressWait() {
        return addressWait;
    }
}
