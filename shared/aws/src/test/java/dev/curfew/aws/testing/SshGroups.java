package dev.curfew.aws.testing;

import static org.assertj.core.api.Assertions.assertThat;

import software.amazon.awssdk.services.ec2.model.SecurityGroup;

/** What a launch's SSH security group must let in, read back through the SDK. */
public final class SshGroups {
    private SshGroups() {
    }

    /** One rule: TCP port 22 from {@code cidr} only; no IPv6 range, no other group, no prefix list. */
    public static void assertOnlySshFrom(SecurityGroup g, String cidr) {
        assertThat(g.ipPermissions()).singleElement().satisfies(p -> {
            assertThat(p.ipProtocol()).isEqualTo("tcp");
            assertThat(p.fromPort()).isEqualTo(22);
            assertThat(p.toPort()).isEqualTo(22);
            assertThat(p.ipRanges()).extracting(r -> r.cidrIp()).containsExactly(cidr);
            assertThat(p.ipv6Ranges()).isEmpty();
            assertThat(p.userIdGroupPairs()).isEmpty();
            assertThat(p.prefixListIds()).isEmpty();
        });
    }
}
