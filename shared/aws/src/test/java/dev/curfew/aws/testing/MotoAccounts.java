package dev.curfew.aws.testing;

import dev.curfew.aws.AwsClients;
import dev.curfew.aws.AwsSettings;
import dev.curfew.core.enrol.Enrolment;
import java.security.SecureRandom;
import java.util.Base64;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.ssm.model.ParameterType;
import software.amazon.awssdk.services.sts.model.Credentials;

/**
 * Other accounts on the moto server: moto's AssumeRole into a role ARN of account X (existing or not; it checks no
 * trust policy or external id) gives credentials that act in X's own state. So a "student's own account" is clients
 * made from such credentials, and enrolling it is creating its {@code curfew-access} role there.
 */
public final class MotoAccounts {
    /** The class account: moto's default, where the tests' clients act and Curfew is deployed. */
    public static final String HOME = "123456789012";
    /** Two students' own accounts. */
    public static final String ALICE = "111111111111";
    public static final String BOB = "222222222222";

    private MotoAccounts() {
    }

    /** Clients acting in {@code account} (through a role "admin" there, as the student would be signed in). */
    public static AwsClients clientsIn(MotoServer moto, String homeRegion, String account) {
        try (AwsClients home = new AwsClients(moto.settings(homeRegion))) {
            Credentials c = home.sts().assumeRole(b -> b.roleArn("arn:aws:iam::" + account + ":role/admin")
                    .roleSessionName("student")).credentials();
            AwsSettings s = moto.settings(homeRegion);
            return new AwsClients(new AwsSettings(s.homeRegion(), s.endpoint(), StaticCredentialsProvider.create(
                    AwsSessionCredentials.create(c.accessKeyId(), c.secretAccessKey(), c.sessionToken())),
                    s.maxAttempts(), s.callTimeout()));
        }
    }

    /** What the student's deploy of templates/student-account.yaml leaves that matters here: the role. */
    public static void deployRole(AwsClients inAccount) {
        inAccount.iam().createRole(b -> b.roleName(Enrolment.ROLE_NAME).assumeRolePolicyDocument(
                "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":"
                        + "\"arn:aws:iam::123456789012:role/curfew-SweeperFunctionRole\"},"
                        + "\"Action\":\"sts:AssumeRole\"}]}"));
    }

    /**
     * Waits into the next whole second. Moto dates a role to the millisecond but an instance or a volume to the
     * second (rounded down): what is launched after a role is dated after it only from the next second on.
     */
    public static void nextSecond() {
        try {
            Thread.sleep(1050 - System.currentTimeMillis() % 1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The instructor's enrolment key, as ./curfew enroll makes it (SSM SecureString in the home region). */
    public static byte[] putEnrolmentKey(AwsClients home) {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        home.ssm(home.settings().homeRegion().id()).putParameter(b -> b.name("/curfew/enrolment-key")
                .type(ParameterType.SECURE_STRING).value(Base64.getEncoder().encodeToString(key)));
        return key;
    }
}
