package dev.curfew.aws;

import dev.curfew.core.model.Ec2Instance;
import dev.curfew.core.model.InstanceMetrics;
import dev.curfew.core.model.InstanceState;
import dev.curfew.core.model.Inventory;
import dev.curfew.core.model.Protection;
import dev.curfew.core.plan.Action;
import dev.curfew.core.plan.Decision;
import dev.curfew.core.policy.Policy;
import dev.curfew.core.sweep.CloudPort;
import dev.curfew.core.sweep.Outcome;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** The sweep engine's view of AWS: every call goes through the resource-kind classes of this package. */
public final class AwsCloud implements CloudPort {
    private final AwsClients clients;
    private final AccountRegions account;
    private final Ec2Instances instances;
    private final InstanceMetricsReader metrics;

    public AwsCloud(AwsClients clients) {
        this.clients = clients;
        this.account = new AccountRegions(clients);
        this.instances = new Ec2Instances(clients);
        this.metrics = new InstanceMetricsReader(clients);
    }

    /** Every IAM action the sweep may call; template.yaml grants each of them (a test checks). */
    public static List<String> iamActions() {
        return Stream.of(AccountRegions.IAM_ACTIONS, Ec2Instances.IAM_ACTIONS, InstanceMetricsReader.IAM_ACTIONS,
                PolicySource.IAM_ACTIONS).flatMap(List::stream).distinct().sorted().toList();
    }

    @Override
    public String accountId() {
        return account.accountId();
    }

    @Override
    public List<String> enabledRegions() {
        return account.enabled();
    }

    @Override
    public Inventory inventory(String region, Policy policy, Instant now) {
        List<Ec2Instance> found = instances.list(region);
        Map<String, InstanceMetrics> m = Map.of();
        if (policy.ec2().idle().enabled()) {
            List<String> running = found.stream().filter(i -> i.state() == InstanceState.RUNNING)
                    .map(Ec2Instance::id).toList();
            m = metrics.read(region, running, policy.ec2().idle().window(), now);
        }
        return new Inventory(found, m);
    }

    @Override
    public Map<String, Protection> protection(String region, Map<String, Action> candidates) {
        return instances.protection(region, candidates);
    }

    @Override
    public List<Outcome> apply(String region, List<Decision> decisions) {
        return instances.apply(region, decisions);
    }

    @Override
    public Map<String, Long> calls() {
        return clients.counter().snapshot();
    }
}
