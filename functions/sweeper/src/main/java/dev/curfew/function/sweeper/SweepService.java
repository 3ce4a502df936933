package dev.curfew.function.sweeper;

import dev.curfew.aws.AwsClients;
import dev.curfew.aws.AwsCloud;
import dev.curfew.aws.AwsSettings;
import dev.curfew.aws.PolicySource;
import dev.curfew.core.policy.Policy;
import dev.curfew.core.report.SweepReport;
import dev.curfew.core.sweep.SweepEngine;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.time.Clock;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/** Runs one sweep with the deployed configuration. The SDK clients live as long as the function instance. */
@Singleton
public class SweepService {
    private static final Logger LOG = LogManager.getLogger(SweepService.class);

    private final SweeperConfig config;
    private final AwsClients clients;
    private final Clock clock;

    public SweepService(SweeperConfig config, Clock clock) {
        this.config = config;
        this.clock = clock;
        this.clients = new AwsClients(AwsSettings.fromEnvironment(config.endpoint(), config.region()));
    }

    /** The policy as deployed: the file it names, with the environment's overrides, Curfew's stack exempt. */
    public Policy policy() {
        return PolicySource.load(config.policy(), PolicySource.overridesFrom(config.overrides()), clients)
                .withExemptStack(config.stackName());
    }

    public SweepReport sweep(String pass) {
        Policy policy = policy();
        clients.counter().reset();
        LOG.info("{} pass for {} in {} mode (policy {})", pass, policy.course(), policy.mode(), config.policy());
        SweepEngine engine = new SweepEngine(new AwsCloud(clients), clock, 8, LOG::info);
        SweepReport report = engine.run(policy);
        if (report.breaker().tripped()) {
            LOG.error("CIRCUIT BREAKER TRIPPED: {} destructive actions planned, limit {}; nothing was acted on",
                    report.breaker().planned(), report.breaker().limit());
        }
        report.regionErrors().forEach((r, e) -> LOG.warn("region {} failed: {}", r, e));
        return report;
    }

    @PreDestroy
    public void close() {
        clients.close();
    }
}
