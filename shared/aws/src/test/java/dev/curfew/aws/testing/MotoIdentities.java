package dev.curfew.aws.testing;

import java.net.URI;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.AccessKey;
import software.amazon.awssdk.services.iam.model.EntityAlreadyExistsException;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.Credentials;

/**
 * Real principal ARNs, as STS issues them on the emulator: an IAM user (its own access key, then GetCallerIdentity
 * signed with it), an assumed role's session (AssumeRole with a session name of the caller's choosing, then
 * GetCallerIdentity signed with the session), a federated user (GetFederationToken with a name of the caller's
 * choosing; moto's GetCallerIdentity does not know federation credentials, so the ARN is the one STS returned).
 */
public final class MotoIdentities implements AutoCloseable {
    public static final String ACCOUNT = "123456789012";
    private final MotoServer moto;
    private final IamClient iam;

    public MotoIdentities(MotoServer moto) {
        this.moto = moto;
        this.iam = IamClient.builder().region(Region.AWS_GLOBAL).endpointOverride(URI.create(moto.endpoint()))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("testing",
                        "testing"))).httpClient(UrlConnectionHttpClient.create()).build();
    }

    /** Creates the IAM user {@code path + name} with an access key; the ARN STS gives a call signed with that key. */
    public String iamUser(String path, String name) {
        iam.createUser(b -> b.path(path).userName(name));
        AccessKey key = iam.createAccessKey(b -> b.userName(name)).accessKey();
        try (StsClient sts = sts(AwsBasicCredentials.create(key.accessKeyId(), key.secretAccessKey()))) {
            return sts.getCallerIdentity().arn();
        }
    }

    /** Assumes the role {@code role} (created if need be) as session {@code session}; the ARN STS gives the session. */
    public String roleSession(String role, String session) {
        try {
            iam.createRole(b -> b.roleName(role).assumeRolePolicyDocument("{\"Version\":\"2012-10-17\",\"Statement\":"
                    + "[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::" + ACCOUNT + ":root\"},"
                    + "\"Action\":\"sts:AssumeRole\"}]}"));
        } catch (EntityAlreadyExistsException ignored) {
            // assumed before
        }
        try (StsClient caller = sts(AwsBasicCredentials.create("testing", "testing"))) {
            Credentials c = caller.assumeRole(b -> b.roleArn("arn:aws:iam::" + ACCOUNT + ":role/" + role)
                    .roleSessionName(session)).credentials();
            try (StsClient asSession = sts(AwsSessionCredentials.create(c.accessKeyId(), c.secretAccessKey(),
                    c.sessionToken()))) {
                return asSession.getCallerIdentity().arn();
            }
        }
    }

    /** A federation token named {@code name}, asked for by a fresh IAM user; the federated user's ARN. */
    public String federatedUser(String name) {
        String broker = "broker-" + Long.toHexString(System.nanoTime());
        iam.createUser(b -> b.userName(broker));
        AccessKey key = iam.createAccessKey(b -> b.userName(broker)).accessKey();
        try (StsClient sts = sts(AwsBasicCredentials.create(key.accessKeyId(), key.secretAccessKey()))) {
            return sts.getFederationToken(b -> b.name(name)).federatedUser().arn();
        }
    }

    private StsClient sts(AwsCredentials credentials) {
        return StsClient.builder().region(Region.EU_WEST_1).endpointOverride(URI.create(moto.endpoint()))
                .credentialsProvider(StaticCredentialsProvider.create(credentials))
                .httpClient(UrlConnectionHttpClient.create()).build();
    }

    @Override
    public void close() {
        iam.close();
    }
}
