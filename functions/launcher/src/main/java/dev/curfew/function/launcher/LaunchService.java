package dev.curfew.function.launcher;

import dev.curfew.aws.AwsClients;
import dev.curfew.aws.AwsSettings;
import dev.curfew.aws.PolicySource;
import dev.curfew.aws.accounts.AccountSessions;
import dev.curfew.aws.accounts.OrganizationAccounts;
import dev.curfew.aws.accounts.UnitMembers;
import dev.curfew.aws.launch.AwsLaunchAccounts;
import dev.curfew.aws.launch.AwsLaunchPort;
import dev.curfew.aws.launch.LaunchLeases;
import dev.curfew.core.launch.HttpAnswer;
import dev.curfew.core.launch.HttpCall;
import dev.curfew.core.launch.Launcher;
import dev.curfew.core.policy.Policy;
import jakarta.annotation.PreDestroy;
import dev.curfew.function.common.Deployment;
import dev.curfew.function.common.Priming;
import jakarta.inject.Singleton;
import java.time.Clock;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Answers one launcher request with the deployed configuration. The policy is read for every request (an
 * instructor's change applies at once); the SDK clients live as long as the function instance.
 */
@Singleton
public class LaunchService {
    private static final Logger LOG = LogManager.getLogger(LaunchService.class);

    private final Deployment deployment;
    private final AwsClients clients;
    /**
     * Students' own enrolled accounts and the policy's Organization unit's, reached through their curfew-access role
     * (README, "Launch a spot instance").
     */
    private final AccountSessions sessions;
    private final Launcher launcher;
    /** Held here because org.crac keeps registered resources only weakly. */
    private final Priming priming;

    public LaunchService(Deployment deployment, LauncherConfig config, Clock clock) {
        this.deployment = deployment;
        AwsSettings settings = AwsSettings.fromEnvironment(deployment.endpoint(), deployment.region());
        this.clients = new AwsClients(settings);
        // leases compare SSM's LastModifiedDate with the real time, never the (test-settable) business clock
        LaunchLeases leases = new LaunchLeases(clients, deployment.stackName(), config.leaseLifetime(),
                Clock.systemUTC());
        this.sessions = new AccountSessions(clients, AwsLaunchAccounts.SESSION_NAME);
        // the policy's Organization unit is listed at most once per UnitMembers.TTL in a warm instance
        UnitMembers unit = new UnitMembers(new OrganizationAccounts(clients), Clock.systemUTC(), UnitMembers.TTL);
        this.launcher = new Launcher(new AwsLaunchPort(clients, leases, new dev.curfew.aws.budget.BudgetRecords(
                clients.ssm(settings.homeRegion().id()), deployment.stackName())),
                new AwsLaunchAccounts(sessions, leases, unit, LOG::warn), this::policy, clock,
                new Launcher.Settings(settings.homeRegion().id(), Launcher.Settings.MAX_BODY_BYTES,
                        config.addressWait(), config.leaseWait()), LOG::info);
        this.priming = Priming.register("curfew-launcher", this::prime);
    }

    /**
     * Before a SnapStart snapshot: the deployed policy is read and checked, the EC2 and SSM clients of the home
     * region are built and STS GetCallerIdentity is called once (signer, HTTP stack, protocol classes). Nothing is
     * launched, tagged or changed.
     */
    void prime() {
        dev.curfew.aws.SdkWarmup.await(java.time.Duration.ofSeconds(10));
        policy();
        String home = clients.settings().homeRegion().id();
        clients.sts().getCallerIdentity();
        clients.ec2(home);
        clients.ssm(home);
    }

    /**
     * A request's first kinds of calls, for {@link dev.curfew.aws.SdkWarmup} (clients that answer from memory): EC2's
     * protocol and SSM's JSON one (the leases and the course's records).
     */
    static void warmup(dev.curfew.aws.AwsClients clients) {
        clients.ec2("us-east-1").describeInstances(b -> b.maxResults(5));
        clients.ssm("us-east-1").getParameter(b -> b.name("/curfew/warmup"));
    }

    Priming priming() {
        return priming;
    }

    /** The SDK clients, whose call counter tells a test which AWS calls the last request made. */
    AwsClients clients() {
        return clients;
    }

    public Policy policy() {
        return PolicySource.load(deployment.policy(), PolicySource.overridesFrom(deployment.overrides()), clients);
    }

    public HttpAnswer handle(HttpCall call) {
        clients.counter().reset();
        HttpAnswer a = launcher.handle(call);
        LOG.info("AWS calls: {}", clients.counter().snapshot());
        return a;
    }

    @PreDestroy
    public void close() {
        sessions.close();
        clients.close();
    }
}
