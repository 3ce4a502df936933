package dev.curfew.aws.launch;

import dev.curfew.aws.AccountRegions;
import dev.curfew.aws.AwsClients;
import dev.curfew.aws.PolicySource;
import dev.curfew.core.launch.CloudInstance;
import dev.curfew.core.launch.LaunchPort;
import dev.curfew.core.launch.SpotLaunchSpec;
import dev.curfew.core.launch.SpotPrice;
import dev.curfew.core.launch.SshGroupSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import software.amazon.awssdk.awscore.exception.AwsServiceException;

/** The launcher's {@link LaunchPort} over the SDK: every call it makes goes through the classes of this package. */
public final class AwsLaunchPort implements LaunchPort {
    /**
     * Every IAM action the launcher function may call; its role in template.yaml grants exactly these (a test
     * checks). sts:GetCallerIdentity (the account guard) needs no permission; s3:GetObject only for a policy in S3.
     */
    public static final List<String> IAM_ACTIONS = Stream.of(SpotPriceHistory.IAM_ACTIONS, LaunchLookups.IAM_ACTIONS,
                    SshSecurityGroups.IAM_ACTIONS, SpotInstances.IAM_ACTIONS,
                    LaunchLeases.IAM_ACTIONS, List.of("sts:GetCallerIdentity"), PolicySource.IAM_ACTIONS,
                    AwsLaunchAccounts.IAM_ACTIONS, dev.curfew.aws.budget.BudgetRecords.LAUNCHER_ACTIONS)
            .flatMap(List::stream).distinct().sorted().toList();

    private final AccountRegions account;
    private final SpotPriceHistory prices;
    private final LaunchLookups lookups;
    private final SshSecurityGroups groups;
    private final SpotInstances instances;
    private final LaunchLeases leases;
    private final dev.curfew.aws.budget.BudgetRecords budgets;

    /** With leases outside any stack ({@code /curfew/launch-lease/...}) that lapse after two minutes. */
    public AwsLaunchPort(AwsClients clients) {
        this(clients, new LaunchLeases(clients, null, LaunchLeases.DEFAULT_LIFETIME, java.time.Clock.systemUTC()));
    }

    public AwsLaunchPort(AwsClients clients, LaunchLeases leases) {
        this(clients, leases, null);
    }

    /** @param budgets the stack's budget records (in the launcher's own account); null where there are none */
    public AwsLaunchPort(AwsClients clients, LaunchLeases leases, dev.curfew.aws.budget.BudgetRecords budgets) {
        this.budgets = budgets;
        this.leases = leases;
        this.account = new AccountRegions(clients);
        this.prices = new SpotPriceHistory(clients);
        this.lookups = new LaunchLookups(clients);
        this.groups = new SshSecurityGroups(clients);
        this.instances = new SpotInstances(clients);
    }

    @Override
    public dev.curfew.core.budget.OverBudget.Records budget(String owner, String week) {
        if (budgets == null) {
            return dev.curfew.core.budget.OverBudget.Records.NONE;
        }
        try {
            return new dev.curfew.core.budget.OverBudget.Records(budgets.overRecord(week, owner),
                    budgets.topUp(week, owner));
        } catch (AwsServiceException e) {
            throw Failures.of(e);
        }
    }

    @Override
    public String accountId() {
        try {
            return account.accountId();
        } catch (AwsServiceException e) {
            throw Failures.of(e);
        }
    }

    @Override
    public boolean keyPairExists(String region, String keyName) {
        return lookups.keyPairExists(region, keyName);
    }

    @Override
    public List<SpotPrice> spotPrices(String region, String instanceType, Instant from, Instant to) {
        return prices.read(region, instanceType, from, to);
    }

    @Override
    public String imageId(String region, String ami) {
        return lookups.imageId(region, ami);
    }

    @Override
    public List<CloudInstance> instancesTagged(String region, String tagKey, String tagValue) {
        return instances.tagged(region, tagKey, tagValue);
    }

    @Override
    public Optional<CloudInstance> instance(String region, String instanceId) {
        return instances.find(region, instanceId);
    }

    @Override
    public String createSshGroup(SshGroupSpec spec) {
        return groups.create(spec);
    }

    @Override
    public List<TaggedGroup> groupsTagged(String region, String tagKey, String tagValue, String namePrefix) {
        return groups.tagged(region, tagKey, tagValue, namePrefix);
    }

    @Override
    public boolean deleteGroup(String region, String groupId) {
        return groups.delete(region, groupId);
    }

    @Override
    public CloudInstance runSpot(SpotLaunchSpec spec) {
        return instances.run(spec);
    }

    @Override
    public Optional<String> awaitPublicAddress(String region, String instanceId, Duration max) {
        return instances.awaitPublicAddress(region, instanceId, max);
    }

    @Override
    public Optional<Lease> launchLease(String owner, Duration wait) {
        return leases.acquire(owner, wait);
    }

    @Override
    public boolean awaitListed(String region, String tagKey, String tagValue, String instanceId, Duration max) {
        return instances.awaitListed(region, tagKey, tagValue, instanceId, max);
    }

    @Override
    public String terminate(String region, String instanceId) {
        return instances.terminate(region, instanceId);
    }
}
