package dev.curfew.function.sweeper;

import dev.curfew.core.policy.Policy;
import dev.curfew.core.report.SweepReport;
import dev.curfew.function.common.Deployment;
import io.micronaut.context.annotation.Replaces;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;
import java.time.Clock;

/**
 * The sweep itself failing after its lock was taken (a bug, an error nobody foresaw), for the test that such a run
 * releases its lock: only in a context with {@code curfew.test.sweep-fails}. Everything before it (the policy, the
 * account, the lock on the emulator) is the real service's.
 */
@Singleton
@Replaces(SweepService.class)
@Requires(property = "curfew.test.sweep-fails")
class FailingSweepService extends SweepService {
    FailingSweepService(Deployment deployment, SweeperConfig config, Clock clock) {
        super(deployment, config, clock);
    }

    @Override
    SweepReport sweep(String pass, Policy policy, dev.curfew.core.sweep.Deadline emptying) {
        throw new IllegalStateException("the sweep failed half-way (test)");
    }
}
