package dev.curfew.core.launch;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Who is asking, as AWS authenticated them: the IAM identity that signed the Function URL request
 * ({@code requestContext.authorizer.iam}, filled in by Lambda), never anything the body says.
 *
 * @param owner     the value of the owner tag: an IAM user's name, or an assumed role's session name
 * @param arn       the caller's ARN, written to {@code curfew:created-by}
 * @param accountId the caller's account
 * @param sourceIp  where the request came from ({@code requestContext.http.sourceIp}); null when unknown
 */
public record Caller(String owner, String arn, String accountId, String sourceIp) {
    private static final Pattern USER = Pattern.compile(
            "arn:aws(?:-[a-z]+)*:iam::(\\d{12}):user/(?:[\\x21-\\x7e]+/)*([\\w+=,.@-]{1,128})");
    private static final Pattern ASSUMED_ROLE = Pattern.compile(
            "arn:aws(?:-[a-z]+)*:sts::(\\d{12}):assumed-role/[\\w+=,.@-]{1,128}/([\\w+=,.@-]{2,64})");
    private static final Pattern FEDERATED = Pattern.compile(
            "arn:aws(?:-[a-z]+)*:sts::(\\d{12}):federated-user/([\\w+=,.@-]{2,64})");
    private static final Pattern ROOT = Pattern.compile("arn:aws(?:-[a-z]+)*:iam::(\\d{12}):root");
    private static final Pattern IPV4 = Pattern.compile(
            "((25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:]{2,39}");

    /**
     * Reads the identity Lambda put in the request context.
     *
     * @throws Refusal 403 when there is no identity, or one this launcher cannot turn into an owner
     */
    public static Caller fromIam(String userArn, String accountId, String sourceIp) {
        if (userArn == null || userArn.isBlank()) {
            throw new Refusal(403, "no-identity", "the request carries no IAM identity "
                    + "(requestContext.authorizer.iam.userArn): call the launcher's Function URL with a "
                    + "SigV4-signed request (awscurl, or curl --aws-sigv4), as the README shows");
        }
        String arn = userArn.trim();
        String account;
        String owner;
        Matcher m;
        if ((m = USER.matcher(arn)).matches() || (m = ASSUMED_ROLE.matcher(arn)).matches()
                || (m = FEDERATED.matcher(arn)).matches()) {
            account = m.group(1);
            owner = m.group(2);
        } else if ((m = ROOT.matcher(arn)).matches()) {
            account = m.group(1);
            owner = "root";
        } else {
            throw new Refusal(403, "unknown-identity", "cannot tell who \"" + printable(arn)
                    + "\" is: the launcher serves IAM users and assumed-role sessions");
        }
        if (accountId != null && !accountId.isBlank() && !accountId.trim().equals(account)) {
            throw new Refusal(403, "inconsistent-identity", "the identity's account " + printable(accountId)
                    + " does not match its ARN " + arn);
        }
        return new Caller(owner, arn, account, sourceIp == null || sourceIp.isBlank() ? null : sourceIp.trim());
    }

    /**
     * The caller's address as the one CIDR a security group rule should allow: {@code a.b.c.d/32}, or
     * {@code x:y::z/128}.
     *
     * @throws Refusal 400 when the source address is missing or not an IP address
     */
    public String sourceCidr() {
        if (sourceIp == null) {
            throw new Refusal(400, "no-source-ip", "the request has no source address "
                    + "(requestContext.http.sourceIp), so there is no one to open SSH to");
        }
        if (IPV4.matcher(sourceIp).matches()) {
            return sourceIp + "/32";
        }
        if (IPV6.matcher(sourceIp).matches() && sourceIp.contains(":")) {
            return sourceIp.toLowerCase(java.util.Locale.ROOT) + "/128";
        }
        throw new Refusal(400, "bad-source-ip", "the source address \"" + printable(sourceIp)
                + "\" is not an IP address");
    }

    public boolean ipv6() {
        return sourceIp != null && sourceIp.contains(":");
    }

    static String printable(String s) {
        String t = s.length() > 200 ? s.substring(0, 200) + "..." : s;
        return t.replaceAll("[\\p{Cntrl}\"\\\\]", "?");
    }
}
