package dev.curfew.aws.launch;

import dev.curfew.aws.AwsClients;
import dev.curfew.core.launch.CloudFailure;
import java.util.List;
import software.amazon.awssdk.awscore.exception.AwsServiceException;

/** What a launch names, looked up in the launch region: the course's AMI and the student's key pair. */
public final class LaunchLookups {
    public static final List<String> IAM_ACTIONS = List.of("ssm:GetParameter", "ec2:DescribeKeyPairs");

    private final AwsClients clients;

    public LaunchLookups(AwsClients clients) {
        this.clients = clients;
    }

    /**
     * The course's AMI: an id ({@code ami-...}) as it is, or an SSM parameter ({@code ssm:/aws/service/...}, AWS's
     * public "latest AMI" parameters) read in the launch region, where AMI ids differ.
     */
    public String imageId(String region, String ami) {
        if (!ami.startsWith("ssm:")) {
            return ami;
        }
        String name = ami.substring("ssm:".length());
        try {
            String value = clients.ssm(region).getParameter(b -> b.name(name)).parameter().value();
            if (value == null || !value.startsWith("ami-")) {
                throw new CloudFailure("NotAnAmi", "SSM parameter " + name + " in " + region + " holds \"" + value
                        + "\", not an AMI id", null);
            }
            return value;
        } catch (AwsServiceException e) {
            throw new CloudFailure(Failures.code(e), "cannot read the course's AMI from SSM parameter " + name
                    + " in " + region + ": " + Failures.message(e), e);
        }
    }

    /** Whether a key pair exists in a region (key pairs are regional). */
    public boolean keyPairExists(String region, String keyName) {
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
