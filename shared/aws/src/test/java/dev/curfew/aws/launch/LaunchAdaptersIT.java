package dev.curfew.aws.launch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.curfew.aws.testing.MotoTest;
import dev.curfew.aws.testing.SshGroups;
import dev.curfew.aws.testing.MotoTest.OneAccount;
import dev.curfew.core.launch.CloudFailure;
import dev.curfew.core.launch.CloudInstance;
import dev.curfew.core.launch.LaunchPort;
import dev.curfew.core.launch.SpotLaunchSpec;
import dev.curfew.core.launch.SpotPrice;
import dev.curfew.core.launch.SshGroupSpec;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.SecurityGroup;
import software.amazon.awssdk.services.ec2.model.Tag;

/** The launcher's SDK adapters against the moto server: what each call really sends and reads back. */
@OneAccount
class LaunchAdaptersIT extends MotoTest {
    static final String AL2023 = "ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64";
    static final Map<String, String> TAGS = Map.of("curfew:owner", "alice",
            "curfew:created-by", "arn:aws:iam::123456789012:user/alice", "curfew:expires-at", "2026-11-25T12:00:00Z");
    static AwsLaunchPort port;

    @BeforeAll
    static void start() {
        port = new AwsLaunchPort(clients);
    }

    @Test
    void spotPriceHistoryCoversEveryZoneOfTheRegion() {
        Instant now = Instant.now();
        List<SpotPrice> h = port.spotPrices(EU, "t3.micro", now.minusSeconds(3600), now);
        List<String> zones = ec2().describeAvailabilityZones().availabilityZones().stream().map(z -> z.zoneName())
                .toList();
        assertThat(h).extracting(SpotPrice::zone).containsExactlyInAnyOrderElementsOf(zones);
        assertThat(h).allSatisfy(p -> {
            assertThat(p.instanceType()).isEqualTo("t3.micro");
            assertThat(p.productDescription()).startsWith("Linux/UNIX");
            assertThat(p.pricePerHour()).isPositive();
        });
        assertThat(clients.counter().get("ec2:DescribeSpotPriceHistory")).isPositive();
    }

    @Test
    void theCoursesAmiComesFromAwssPublicSsmParameterOrIsAnId() {
        String id = port.imageId(EU, AL2023);
        assertThat(id).startsWith("ami-");
        assertThat(port.imageId("us-east-1", AL2023)).startsWith("ami-").isNotEqualTo(id); // AMI ids are regional
        assertThat(port.imageId(EU, "ami-0123456789abcdef0")).isEqualTo("ami-0123456789abcdef0");
        assertThatThrownBy(() -> port.imageId(EU, "ssm:/aws/service/no/such/parameter"))
                .isInstanceOf(CloudFailure.class).hasMessageContaining("/aws/service/no/such/parameter")
                .satisfies(e -> assertThat(((CloudFailure) e).code()).isEqualTo("ParameterNotFound"));
    }

    @Test
    void keyPairsExistOnlyWhereTheyWereCreated() {
        ec2().createKeyPair(b -> b.keyName("alice-key"));
        assertThat(port.keyPairExists(EU, "alice-key")).isTrue();
        assertThat(port.keyPairExists(EU, "bob-key")).isFalse();
        assertThat(port.keyPairExists("us-east-1", "alice-key")).isFalse();
    }

    @Test
    void theSshGroupAllowsPort22FromTheOneAddressAndIsTagged() {
        String id = port.createSshGroup(new SshGroupSpec(EU, "curfew-ssh-alice-1", "Curfew launcher: SSH from "
                + "203.0.113.7/32 only, for alice", "203.0.113.7/32", TAGS));

        SecurityGroup g = ec2().describeSecurityGroups(b -> b.groupIds(id)).securityGroups().get(0);
        SshGroups.assertOnlySshFrom(g, "203.0.113.7/32");
        assertThat(g.tags()).extracting(Tag::key, Tag::value).containsExactlyInAnyOrder(
                org.assertj.core.groups.Tuple.tuple("curfew:owner", "alice"),
                org.assertj.core.groups.Tuple.tuple("curfew:created-by", "arn:aws:iam::123456789012:user/alice"),
                org.assertj.core.groups.Tuple.tuple("curfew:expires-at", "2026-11-25T12:00:00Z"));

        assertThat(port.groupsTagged(EU, "curfew:owner", "alice", "curfew-ssh-")).extracting(LaunchPort.TaggedGroup::id)
                .contains(id);
        assertThat(port.groupsTagged(EU, "curfew:owner", "bob", "curfew-ssh-")).isEmpty();
        assertThat(port.groupsTagged(EU, "curfew:owner", "alice", "other-")).isEmpty();

        assertThat(port.deleteGroup(EU, id)).isTrue();
        assertThat(port.deleteGroup(EU, id)).as("already gone counts as deleted").isTrue();
    }

    @Test
    void anIpv6CallerGetsAnIpv6Rule() {
        String id = port.createSshGroup(new SshGroupSpec(EU, "curfew-ssh-alice-6", "Curfew launcher", "2001:db8::7/128",
                TAGS));
        SecurityGroup g = ec2().describeSecurityGroups(b -> b.groupIds(id)).securityGroups().get(0);
        assertThat(g.ipPermissions()).singleElement().satisfies(p -> {
            assertThat(p.ipv6Ranges()).extracting(r -> r.cidrIpv6()).containsExactly("2001:db8::7/128");
            assertThat(p.ipRanges()).isEmpty();
        });
        port.deleteGroup(EU, id);
    }

    @Test
    void aSpotInstanceIsLaunchedTaggedInItsZoneAndCanBeFoundListedAndTerminated() {
        ec2().createKeyPair(b -> b.keyName("alice-run"));
        String group = port.createSshGroup(new SshGroupSpec(EU, "curfew-ssh-alice-2", "Curfew launcher",
                "203.0.113.7/32", TAGS));
        CloudInstance i = port.runSpot(new SpotLaunchSpec(EU, "eu-west-1c", port.imageId(EU, AL2023), "t3.micro",
                "alice-run", new BigDecimal("0.05"), group, TAGS));

        assertThat(i.id()).startsWith("i-");
        assertThat(i.zone()).isEqualTo("eu-west-1c");
        assertThat(i.lifecycle()).isEqualTo("spot");
        assertThat(i.securityGroupIds()).containsExactly(group);
        assertThat(i.tags()).isEqualTo(TAGS);

        Instance raw = ec2().describeInstances(b -> b.instanceIds(i.id())).reservations().get(0).instances().get(0);
        assertThat(raw.keyName()).isEqualTo("alice-run");
        assertThat(raw.metadataOptions().httpTokensAsString()).isEqualTo("required");
        String volume = raw.blockDeviceMappings().get(0).ebs().volumeId();
        assertThat(ec2().describeVolumes(b -> b.volumeIds(volume)).volumes().get(0).tags())
                .extracting(Tag::key).contains("curfew:owner", "curfew:expires-at");

        assertThat(port.instancesTagged(EU, "curfew:owner", "alice")).extracting(CloudInstance::id).contains(i.id());
        assertThat(port.instancesTagged(EU, "curfew:owner", "bob")).isEmpty();
        assertThat(port.instance(EU, i.id())).get().extracting(CloudInstance::keyName).isEqualTo("alice-run");
        assertThat(port.instance(EU, "i-0123456789abcdef0")).isEmpty();
        assertThat(port.awaitPublicAddress(EU, i.id(), Duration.ofSeconds(5))).isPresent();

        assertThat(port.terminate(EU, i.id())).isIn("shutting-down", "terminated");
        assertThat(port.instancesTagged(EU, "curfew:owner", "alice")).extracting(CloudInstance::id)
                .doesNotContain(i.id());
        assertThat(port.terminate(EU, "i-0123456789abcdef0")).as("already gone").isEqualTo("terminated");
    }

    @Test
    void theAccountComesFromSts() {
        assertThat(port.accountId()).isEqualTo("123456789012");
    }

    @Test
    void everyDeclaredActionIsAnIamActionName() {
        assertThat(AwsLaunchPort.IAM_ACTIONS).allMatch(a -> a.matches("(ec2|ssm|sts|s3|organizations):[A-Z][A-Za-z]+"))
                .contains("ec2:RunInstances", "ec2:TerminateInstances", "ec2:DescribeSpotPriceHistory",
                        "ssm:GetParameter", "ec2:CreateTags", "ec2:DescribeKeyPairs")
                .doesNotHaveDuplicates();
    }
}
