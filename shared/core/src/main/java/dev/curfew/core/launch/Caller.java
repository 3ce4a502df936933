package dev.curfew.core.launch;

import dev.curfew.core.identity.AwsIdentity;
import dev.curfew.core.identity.Principal;
import dev.curfew.core.identity.Principals;
import dev.curfew.core.policy.IdentityRules;
import java.util.regex.Pattern;

/**
 * Who is asking, as AWS authenticated them: the IAM identity that signed the Function URL request
 * ({@code requestContext.authorizer.iam}, filled in by Lambda), never anything the body says. Whose the identity is
 * (a student, the instructor, or neither) is decided by {@link Principals}, as in the sentinel.
 *
 * @param owner     the value of the owner tag: the student's (or a listed instructor's) name as AWS vouches for it
 * @param arn       the caller's ARN, written to {@code curfew:created-by}
 * @param accountId the caller's account
 * @param sourceIp  where the request came from ({@code requestContext.http.sourceIp}); null when unknown
 */
public record Caller(String owner, String arn, String accountId, String sourceIp) {
    private static final Pattern IPV4 = Pattern.compile(
            "((25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:]{2,39}");

    /**
     * Reads the identity Lambda put in the request context. Students launch as themselves; an instructor listed in
     * the policy's {@code identity.instructors} does too, when AWS vouches for their name (an IAM user, an Identity
     * Center session); everyone else is refused.
     *
     * @throws Refusal 403 when there is no identity, or one that is neither a student nor a named instructor; the
     *                 message says why and what to sign in as instead
     */
    public static Caller fromIam(String userArn, String accountId, String sourceIp, IdentityRules rules) {
        if (userArn == null || userArn.isBlank()) {
            throw new Refusal(403, "no-identity", "the request carries no IAM identity "
                    + "(requestContext.authorizer.iam.userArn): call the launcher's Function URL with a "
                    + "SigV4-signed request (awscurl, or curl --aws-sigv4), as the README shows");
        }
        String arn = userArn.trim();
        Principal who = Principals.resolve(AwsIdentity.of(arn), rules, null, null);
        String owner;
        if (who instanceof Principal.Student s) {
            owner = s.name();
        } else if (who instanceof Principal.Staff s && s.name() != null) {
            owner = s.name();
        } else if (who instanceof Principal.Staff s) {
            throw new Refusal(403, s.kind() == Principal.Kind.ROOT ? "root" : "no-named-identity", s.reason()
                    + ": the launcher serves students and instructors by a name AWS vouches for. Sign in as an IAM "
                    + "user or through IAM Identity Center. Nothing was changed");
        } else {
            Principal.Refused r = (Principal.Refused) who;
            throw new Refusal(403, r.code(), r.reason() + ". Nothing was changed");
        }
        String account = who.account();
        if (accountId != null && !accountId.isBlank() && !accountId.trim().equals(account)) {
            throw new Refusal(403, "inconsistent-identity", "the identity's account " + printable(accountId)
                    + " does not match its ARN " + printable(arn));
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
