package dev.curfew.aws.accounts;

import dev.curfew.aws.AwsClients;
import dev.curfew.aws.AwsSettings;
import dev.curfew.core.accounts.AccountTarget;
import dev.curfew.core.enrol.Enrolment;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.services.ssm.model.ParameterNotFoundException;
import software.amazon.awssdk.services.sts.auth.StsAssumeRoleCredentialsProvider;

/**
 * SDK clients for the accounts Curfew reaches through the role they grant it (README, "Students' own accounts"):
 * {@code sts:AssumeRole} on {@code arn:<partition>:iam::<account>:role/curfew-access} with a session name that names
 * Curfew's function and the external id derived from the instructor's enrolment key. The home account's clients are
 * the ones given. Credentials are refreshed before they expire; the clients of each account are built once.
 *
 * <p>A role that cannot be assumed shows on the first call made with the account's clients (an
 * {@code AccessDenied} from STS), which is that account's error and nobody else's.
 */
public final class AccountSessions implements AutoCloseable {
    /** The SSM SecureString (in the home region) holding the enrolment key, base64 (./curfew enroll makes it). */
    public static final String KEY_PARAMETER = "/curfew/enrolment-key";
    /** The subject of the external id shared by every account of the policy's Organization unit. */
    public static final String ORGANIZATION_SUBJECT = "organization:";

    private final AwsClients home;
    private final String sessionName;
    private final String keyParameter;
    private final Map<String, AwsClients> byAccount = new ConcurrentHashMap<>();
    private volatile byte[] key;
    private volatile String partition;

    /**
     * @param sessionName the role session name, which names Curfew's function (e.g. {@code curfew-sweeper}): it is
     *                    what the student sees in their CloudTrail
     */
    public AccountSessions(AwsClients home, String sessionName) {
        this(home, sessionName, KEY_PARAMETER);
    }

    public AccountSessions(AwsClients home, String sessionName, String keyParameter) {
        if (sessionName == null || !sessionName.matches("[\\w+=,.@-]{2,64}")) {
            throw new IllegalArgumentException("\"" + sessionName + "\" is not a role session name");
        }
        this.home = home;
        this.sessionName = sessionName;
        this.keyParameter = keyParameter;
    }

    public AwsClients home() {
        return home;
    }

    /** The clients acting in {@code target}'s account: the home clients for the home account. */
    public AwsClients clients(AccountTarget target) {
        if (!target.assumesRole()) {
            return home;
        }
        // keyed by the external id's subject too: an account taken as a student's own and later as the Organization's
        // (or given to another student) is reached with the id its role expects
        return byAccount.computeIfAbsent(target.account() + "/" + subject(target), a -> open(target));
    }

    /** The external id Curfew presents to {@code target}'s role. */
    public String externalId(AccountTarget target) {
        return Enrolment.externalId(key(), subject(target));
    }

    /** Whose external id {@code target}'s role expects: its student's, or the Organization's (a StackSet's role). */
    public static String subject(AccountTarget target) {
        return target.source() == AccountTarget.Source.ORGANIZATION || target.owner() == null
                ? ORGANIZATION_SUBJECT : target.owner();
    }

    /** The role assumed in {@code account}. */
    public String roleArn(String account) {
        return Enrolment.roleArn(partition(), account);
    }

    private AwsClients open(AccountTarget target) {
        String role = roleArn(target.account());
        String externalId = externalId(target);
        StsAssumeRoleCredentialsProvider credentials = StsAssumeRoleCredentialsProvider.builder()
                .stsClient(home.sts())
                .refreshRequest(b -> b.roleArn(role).roleSessionName(sessionName).externalId(externalId)
                        .durationSeconds(3600))
                .asyncCredentialUpdateEnabled(false)
                .build();
        AwsSettings s = home.settings();
        return new AwsClients(new AwsSettings(s.homeRegion(), s.endpoint(), credentials, s.maxAttempts(),
                s.callTimeout(), s.attemptTimeout(), s.baseDelay(), s.maxBackoff()));
    }

    private String partition() {
        if (partition == null) {
            partition = home.sts().getCallerIdentity().arn().split(":")[1];
        }
        return partition;
    }

    /** The enrolment key, read once from SSM; an {@link IllegalStateException} that names the parameter if absent. */
    byte[] key() {
        if (key == null) {
            key = readKey(home, keyParameter);
        }
        return key;
    }

    /** Reads the enrolment key from SSM (home region), checked: base64, at least {@link Enrolment#MIN_KEY_BYTES}. */
    public static byte[] readKey(AwsClients clients, String parameter) {
        String value;
        try {
            value = clients.ssm(clients.settings().homeRegion().id())
                    .getParameter(b -> b.name(parameter).withDecryption(true)).parameter().value();
        } catch (ParameterNotFoundException e) {
            throw new IllegalStateException("no enrolment key at ssm:" + parameter + " in "
                    + clients.settings().homeRegion().id() + ": nobody is enrolled yet (./curfew enroll makes it)");
        }
        try {
            return Enrolment.decodeKey("ssm:" + parameter, value);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(e.getMessage()); // the deployment's key, not the caller's input
        }
    }

    @Override
    public void close() {
        byAccount.values().forEach(AwsClients::close);
        byAccount.clear();
    }
}
