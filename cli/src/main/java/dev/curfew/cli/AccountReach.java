package dev.curfew.cli;

import dev.curfew.aws.AwsClients;
import dev.curfew.aws.accounts.AccountSessions;
import dev.curfew.core.accounts.AccountTarget;
import dev.curfew.core.enrol.Enrolment;
import dev.curfew.core.notify.Contact;
import dev.curfew.core.sweep.Parallel;
import java.util.List;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.sts.model.Credentials;

/**
 * Whether Curfew can reach each enrolled account: {@code sts:AssumeRole} on the account's {@code curfew-access} role
 * with the student's external id, then {@code iam:GetRole} on that role with the credentials it gave. One account's
 * failure is that account's line; the others are still checked, a few at a time.
 */
public final class AccountReach {
    /** What the check calls with the assumed role (granted by templates/student-account.yaml, ReadThisRole). */
    public static final List<String> IAM_ACTIONS = List.of("iam:GetRole");
    static final String SESSION = "curfew-accounts-check";

    public enum Status {
        OK("ok"), REFUSED("refused"), NOT_DEPLOYED("not deployed"), ERROR("error");

        final String text;

        Status(String text) {
            this.text = text;
        }
    }

    public record Reach(String owner, String account, Status status, String detail) {
        public String line() {
            return status.text + (detail == null ? "" : " (" + detail + ")");
        }
    }

    private AccountReach() {
    }

    /**
     * Checks every target's account with at most {@code threads} at once, with the external id its role was deployed
     * with ({@link AccountSessions#subject}: a roster account's student's, an Organization member's the
     * Organization's); results in the targets' order. A member account nobody owns is shown under {@link #NO_OWNER}.
     */
    public static List<Reach> check(AwsClients clients, List<AccountTarget> targets, byte[] key, int threads) {
        if (targets.isEmpty()) {
            return List.of();
        }
        String partition = clients.sts().getCallerIdentity().arn().split(":")[1];
        try (SdkHttpClient http = UrlConnectionHttpClient.create()) {
            return Parallel.map(targets, threads, "curfew-reach",
                    t -> one(clients, http, partition, new Contact(owner(t), null, null, null, t.account()),
                            Enrolment.externalId(key, AccountSessions.subject(t))),
                    (t, e) -> classify(owner(t), t.account(), e));
        }
    }

    /** How a member account of the Organization unit that no roster row names is listed. */
    public static final String NO_OWNER = "(no student)";

    private static String owner(AccountTarget t) {
        return t.owner() == null ? NO_OWNER : t.owner();
    }

    static Reach one(AwsClients clients, SdkHttpClient http, String partition, Contact c, String externalId) {
        Credentials creds;
        try {
            creds = clients.sts().assumeRole(b -> b.roleArn(Enrolment.roleArn(partition, c.account()))
                    .roleSessionName(SESSION).externalId(externalId).durationSeconds(900)).credentials();
        } catch (RuntimeException e) {
            return classify(c.owner(), c.account(), e);
        }
        var builder = IamClient.builder().region(Region.AWS_GLOBAL).httpClient(http)
                .credentialsProvider(StaticCredentialsProvider.create(AwsSessionCredentials.create(
                        creds.accessKeyId(), creds.secretAccessKey(), creds.sessionToken())))
                .overrideConfiguration(ClientOverrideConfiguration.builder()
                        .apiCallTimeout(clients.settings().callTimeout()).build());
        if (clients.settings().endpoint() != null) {
            builder.endpointOverride(clients.settings().endpoint());
        }
        try (IamClient iam = builder.build()) {
            iam.getRole(b -> b.roleName(Enrolment.ROLE_NAME));
            return new Reach(c.owner(), c.account(), Status.OK, null);
        } catch (RuntimeException e) {
            return classify(c.owner(), c.account(), e);
        }
    }

    /**
     * What an error means for the account. AWS answers {@code AccessDenied} to AssumeRole both for a role that
     * does not trust Curfew (or a wrong external id) and for a role that is not there: both are "refused".
     */
    static Reach classify(String owner, String account, Throwable e) {
        if (e instanceof AwsServiceException s && s.awsErrorDetails() != null) {
            String code = s.awsErrorDetails().errorCode();
            String text = code + ": " + s.awsErrorDetails().errorMessage();
            Status status = switch (code == null ? "" : code) {
                case "AccessDenied", "AccessDeniedException" -> Status.REFUSED;
                case "NoSuchEntity", "NoSuchEntityException" -> Status.NOT_DEPLOYED;
                default -> Status.ERROR;
            };
            return new Reach(owner, account, status, text);
        }
        return new Reach(owner, account, Status.ERROR, e.getClass().getSimpleName() + ": " + e.getMessage());
    }
}
