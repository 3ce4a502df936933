package dev.curfew.aws.launch;

import dev.curfew.aws.AwsClients;
import java.util.List;
import software.amazon.awssdk.awscore.exception.AwsServiceException;

/** Whether a key pair exists in a region (key pairs are regional). */
public final class KeyPairs {
    public static final List<String> IAM_ACTIONS = List.of("ec2:DescribeKeyPairs");

    private final AwsClients clients;

    public KeyPairs(AwsClients clients) {
        this.clients = clients;
    }

    public boolean exists(String region, String keyName) {
        try {
            return clients.ec2(region).describeKeyPairs(b -> b.keyNames(keyName)).keyPairs().stream()
                    .anyMatch(k -> keyName.equals(k.keyName()));
        } catch (AwsServiceException e) {
            if (Failures.code(e).startsWith("InvalidKeyPair")) {
                return false;
            }
            throw Failures.of(e);
        }
    }
}
