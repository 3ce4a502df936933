package dev.curfew.core.launch;

import dev.curfew.core.accounts.AccountTarget;
import dev.curfew.core.identity.AwsIdentity;
import dev.curfew.core.identity.Principal;
import dev.curfew.core.identity.Principals;
import dev.curfew.core.policy.IdentityRules;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Matcher;
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
 * @param target    the account the launcher acts in for this caller: the launcher's own account (source HOME), or
 *                  the student's own enrolled account (source ROSTER, owner = the roster's student), or a member
 *                  account of the policy's Organization unit that the roster gives a student (source ORGANIZATION)
 */
public record Caller(String owner, String arn, String accountId, String sourceIp, AccountTarget target) {
    /** The account of a principal's ARN ({@code arn:PARTITION:iam|sts::ACCOUNT:...}); group 1. */
    private static final Pattern ARN_ACCOUNT = Pattern.compile("arn:aws(?:-[a-z]+)*:(?:iam|sts)::(\\d{12}):.+",
            Pattern.DOTALL);
    /** Refusals that say the ARN is not a principal's, whichever account it names. */
    private static final Set<String> NOT_A_PRINCIPAL = Set.of("no-identity", "unknown-identity",
            "inconsistent-identity");

    public Caller {
        if (target == null) {
            target = new AccountTarget(accountId, null, AccountTarget.Source.HOME);
        }
    }

    public Caller(String owner, String arn, String accountId, String sourceIp) {
        this(owner, arn, accountId, sourceIp, null);
    }

    /** Whether the caller signed in to their own enrolled account, where the launcher then acts. */
    public boolean ownAccount() {
        return target.assumesRole();
    }

    /**
     * Who is asking, from the launcher's own account or from a student's own enrolled account (README, "Launch a
     * spot instance"). A principal of the launcher's own account ({@code home}), or an ARN that names no account, is
     * decided exactly as {@link #fromIam}. A principal of another account is that account's student: the roster row
     * whose {@code account} column names it ({@code enrolledOwner}), whatever the principal's own name (an IAM user
     * name in one's own account is one's own choice, so it never stands for a roster name); an account no roster
     * row names is refused, and so is an ARN that is not a principal's.
     *
     * @param home          the launcher's own account; asked only for an ARN that names an account
     * @param enrolledOwner the roster owner whose own account this is, or empty; asked only for another account
     * @throws Refusal 403 when there is no identity, or it is not a student's, or its account is not enrolled
     */
    public static Caller identify(String userArn, String accountId, String sourceIp, IdentityRules rules,
                                  Supplier<String> home, Function<String, Optional<String>> enrolledOwner) {
        return identifyIn(userArn, accountId, sourceIp, rules, home,
                a -> enrolledOwner.apply(a).map(o -> new AccountTarget(a, o, AccountTarget.Source.ROSTER)));
    }

    /**
     * As {@link #identify}, with the account's target as the launcher knows it ({@code enrolled}): a student's own
     * account (ROSTER), or a member account of the policy's Organization unit (ORGANIZATION), whose owner is the
     * student whose roster row names it. A member account no student owns is refused, naming the account: the
     * launcher launches only as a student.
     *
     * @param enrolled the account's target, or empty when it is not enrolled; asked only for another account
     */
    public static Caller identifyIn(String userArn, String accountId, String sourceIp, IdentityRules rules,
                                    Supplier<String> home, Function<String, Optional<AccountTarget>> enrolled) {
        String arn = userArn == null ? "" : userArn.trim();
        Matcher m = ARN_ACCOUNT.matcher(arn);
        if (!m.matches() || m.group(1).equals(home.get())) {
            return fromIam(userArn, accountId, sourceIp, rules);
        }
        String account = m.group(1);
        if (accountId != null && !accountId.isBlank() && !accountId.trim().equals(account)) {
            throw new Refusal(403, "inconsistent-identity", "the identity's account " + printable(accountId)
                    + " does not match its ARN " + printable(arn));
        }
        Principal who = Principals.resolve(AwsIdentity.of(arn), rules, null, null);
        if (who instanceof Principal.Refused r && NOT_A_PRINCIPAL.contains(r.code())) {
            throw new Refusal(403, r.code(), r.reason() + ". Nothing was changed");
        }
        AccountTarget target = enrolled.apply(account).orElseThrow(() -> new Refusal(403, "account-not-enrolled",
                "account " + account + " is not enrolled with this course's Curfew: no student in the roster has it "
                        + "in the account column, so the launcher acts only in its own account " + home.get()
                        + ". Ask the instructor to enrol your account (roster and StudentAccountIds), or sign in to "
                        + "the class account. Nothing was changed", java.util.Map.of("account", account)));
        if (!target.account().equals(account) || !target.assumesRole()) {
            throw new IllegalStateException("the target " + target + " is not account " + account + "'s");
        }
        if (target.owner() == null) {
            throw new Refusal(403, "account-has-no-student", "account " + account + " is a member of the course's "
                    + "Organization unit, but no student in the roster has it in the account column, so nobody "
                    + "would own what the launcher starts there. Ask the instructor to put account " + account
                    + " in your roster row, or sign in to the class account. Nothing was changed",
                    java.util.Map.of("account", account));
        }
        return new Caller(target.owner(), arn, account, sourceIp == null || sourceIp.isBlank() ? null
                : sourceIp.trim(), target);
    }

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
