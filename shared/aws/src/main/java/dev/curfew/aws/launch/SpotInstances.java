package dev.curfew.aws.launch;

import dev.curfew.aws.AwsClients;
import dev.curfew.aws.Tagging;
import dev.curfew.core.launch.CloudInstance;
import dev.curfew.core.launch.SpotLaunchSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.CreditSpecificationRequest;
import software.amazon.awssdk.services.ec2.model.DescribeInstancesRequest;
import software.amazon.awssdk.services.ec2.model.DescribeInstancesResponse;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.HttpTokensState;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.InstanceInterruptionBehavior;
import software.amazon.awssdk.services.ec2.model.InstanceMarketOptionsRequest;
import software.amazon.awssdk.services.ec2.model.MarketType;
import software.amazon.awssdk.services.ec2.model.Reservation;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.RunInstancesRequest;
import software.amazon.awssdk.services.ec2.model.SpotInstanceType;
import software.amazon.awssdk.services.ec2.model.SpotMarketOptions;
import software.amazon.awssdk.services.ec2.model.TagSpecification;

/**
 * The launcher's instances: RunInstances with spot market options (one-time, terminate on interruption, max price
 * = the course's cap), IMDSv2 only, burstable types in standard credit mode (so a busy T instance never bills CPU
 * credits above the cap), tagged at launch (instance, volumes, spot request); listing by owner tag; terminating.
 */
public final class SpotInstances {
    /** CreateTags: tagging at launch (TagSpecifications) needs it, with ec2:CreateAction = RunInstances. */
    public static final List<String> IAM_ACTIONS = List.of("ec2:RunInstances", "ec2:CreateTags",
            "ec2:DescribeInstances", "ec2:TerminateInstances");
    static final List<String> NOT_TERMINATED = List.of("pending", "running", "shutting-down", "stopping", "stopped");

    private final AwsClients clients;

    public SpotInstances(AwsClients clients) {
        this.clients = clients;
    }

    public CloudInstance run(SpotLaunchSpec spec) {
        var tags = SshSecurityGroups.tags(spec.tags());
        RunInstancesRequest.Builder b = RunInstancesRequest.builder()
                .imageId(spec.imageId())
                .instanceType(spec.instanceType())
                .keyName(spec.keyName())
                .minCount(1).maxCount(1)
                .placement(p -> p.availabilityZone(spec.zone()))
                .securityGroupIds(spec.securityGroupId())
                .instanceMarketOptions(InstanceMarketOptionsRequest.builder().marketType(MarketType.SPOT)
                        .spotOptions(SpotMarketOptions.builder().spotInstanceType(SpotInstanceType.ONE_TIME)
                                .instanceInterruptionBehavior(InstanceInterruptionBehavior.TERMINATE)
                                .maxPrice(spec.maxPrice().toPlainString()).build())
                        .build())
                .metadataOptions(m -> m.httpTokens(HttpTokensState.REQUIRED))
                .tagSpecifications(
                        TagSpecification.builder().resourceType(ResourceType.INSTANCE).tags(tags).build(),
                        TagSpecification.builder().resourceType(ResourceType.VOLUME).tags(tags).build(),
                        TagSpecification.builder().resourceType(ResourceType.SPOT_INSTANCES_REQUEST).tags(tags)
                                .build());
        if (burstable(spec.instanceType())) {
            b.creditSpecification(CreditSpecificationRequest.builder().cpuCredits("standard").build());
        }
        try {
            Instance i = clients.ec2(spec.region()).runInstances(b.build()).instances().get(0);
            return view(spec.region(), i);
        } catch (AwsServiceException e) {
            throw Failures.of(e);
        }
    }

    static boolean burstable(String type) {
        return type.matches("t\\d[a-z]*\\..*");
    }

    /** Instances carrying the tag, except terminated ones; pages of 1,000. */
    public List<CloudInstance> tagged(String region, String tagKey, String tagValue) {
        Ec2Client ec2 = clients.ec2(region);
        List<CloudInstance> out = new ArrayList<>();
        String token = null;
        try {
            do {
                DescribeInstancesResponse page = ec2.describeInstances(DescribeInstancesRequest.builder()
                        .filters(Filter.builder().name("tag:" + tagKey).values(tagValue).build(),
                                Filter.builder().name("instance-state-name").values(NOT_TERMINATED).build())
                        .maxResults(1000).nextToken(token).build());
                for (Reservation r : page.reservations()) {
                    r.instances().forEach(i -> out.add(view(region, i)));
                }
                token = page.nextToken();
            } while (token != null && !token.isEmpty());
        } catch (AwsServiceException e) {
            throw Failures.of(e);
        }
        return out;
    }

    public Optional<CloudInstance> find(String region, String instanceId) {
        try {
            return clients.ec2(region).describeInstances(b -> b.instanceIds(instanceId)).reservations().stream()
                    .flatMap(r -> r.instances().stream()).findFirst().map(i -> view(region, i));
        } catch (AwsServiceException e) {
            if (Failures.code(e).startsWith("InvalidInstanceID")) {
                return Optional.empty();
            }
            throw Failures.of(e);
        }
    }

    public String terminate(String region, String instanceId) {
        try {
            return clients.ec2(region).terminateInstances(b -> b.instanceIds(instanceId)).terminatingInstances()
                    .stream().findFirst().map(s -> s.currentState().nameAsString()).orElse("shutting-down");
        } catch (AwsServiceException e) {
            if (Failures.code(e).startsWith("InvalidInstanceID.NotFound")) {
                return "terminated";
            }
            throw Failures.of(e);
        }
    }

    /**
     * Polls (every half second) until the instance shows in {@link #tagged}, the listing the next launch counts;
     * false if it does not within {@code max}.
     */
    public boolean awaitListed(String region, String tagKey, String tagValue, String instanceId, Duration max) {
        long deadline = System.nanoTime() + max.toNanos();
        while (true) {
            if (tagged(region, tagKey, tagValue).stream().anyMatch(i -> i.id().equals(instanceId))) {
                return true;
            }
            if (System.nanoTime() >= deadline) {
                return false;
            }
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
    }

    /** Polls once a second for the public address EC2 assigns while the instance starts. */
    public Optional<String> awaitPublicAddress(String region, String instanceId, Duration max) {
        long deadline = System.nanoTime() + max.toNanos();
        while (true) {
            Optional<String> ip = find(region, instanceId).map(CloudInstance::publicIp);
            if (ip.isPresent() || System.nanoTime() >= deadline) {
                return ip;
            }
            try {
                Thread.sleep(Math.min(1000, Math.max(1, (deadline - System.nanoTime()) / 1_000_000)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Optional.empty();
            }
        }
    }

    static CloudInstance view(String region, Instance i) {
        Map<String, String> tags = Tagging.map(i.tags());
        return new CloudInstance(i.instanceId(), region, i.placement() == null ? null
                : i.placement().availabilityZone(), i.instanceTypeAsString(),
                i.state() == null ? null : i.state().nameAsString(), i.instanceLifecycleAsString(), i.launchTime(),
                blankToNull(i.publicIpAddress()), blankToNull(i.publicDnsName()), i.keyName(),
                i.securityGroups().stream().map(g -> g.groupId()).toList(), tags);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
