package dev.curfew.core.identity;

import dev.curfew.core.policy.IdentityRules;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one place that decides whose a call is, for the launcher (the signed Function URL request) and the sentinel
 * (the CloudTrail record) alike. Pure: nothing is called.
 *
 * <p>Only a name AWS vouches for makes a student:
 * <ul>
 *   <li>an IAM user ({@code arn:aws:iam::ACCOUNT:user/PATH/NAME}): the user name, unique in the account;</li>
 *   <li>an IAM Identity Center session ({@code assumed-role/AWSReservedSSO_*}/NAME): AWS sets the session name to
 *   the Identity Center user name; where CloudTrail shows the role behind the session, its path must be Identity
 *   Center's ({@code /aws-reserved/sso.amazonaws.com/});</li>
 *   <li>a session of a role the policy names in {@code identity.student-roles}, whose trust policy pins the session
 *   name to the caller's IAM user name.</li>
 * </ul>
 * Root, Curfew's own roles ({@code <stack>-...}) and whoever matches {@code identity.instructors} are
 * {@link Principal.Staff}: never a student. A federated user ({@code sts:GetFederationToken}: the name is the
 * caller's choice), any other role session (the session name is the caller's choice), an AWS service's role, a
 * principal of another account and anything that is not a principal's ARN are {@link Principal.Refused}.
 */
public final class Principals {
    public static final String IDENTITY_CENTER_ROLE_PREFIX = "AWSReservedSSO_";
    public static final String SERVICE_LINKED_ROLE_PREFIX = "AWSServiceRoleFor";
    /** The path of the roles IAM Identity Center creates in an account. */
    public static final String IDENTITY_CENTER_PATH = "/aws-reserved/sso.amazonaws.com/";

    private static final Pattern ARN = Pattern.compile("arn:(aws(?:-[a-z]+)*):(iam|sts)::(\\d{12}):(.+)",
            Pattern.DOTALL);
    private static final Pattern USER = Pattern.compile("user/((?:[\\x21-\\x2e\\x30-\\x7e]+/)*)([\\w+=,.@-]{1,64})");
    private static final Pattern ROLE_SESSION = Pattern.compile("assumed-role/([\\w+=,.@-]{1,64})/([\\w+=,.@-]{2,64})");
    private static final Pattern FEDERATED = Pattern.compile("federated-user/(.{1,64})", Pattern.DOTALL);
    private static final Pattern ROLE_NAME = Pattern.compile("[\\w+=,.@-]{1,64}");
    private static final Pattern PATTERN_SHAPE = Pattern.compile("arn:[^:\\s]+:(iam|sts|\\*):[^:\\s]*:[^:\\s]+:\\S+");

    private enum Form { USER, ROLE_SESSION, FEDERATED, ROOT }

    /** CloudTrail's {@code userIdentity.type} for each form. */
    private static final Map<String, Form> TYPES = Map.of("IAMUser", Form.USER, "AssumedRole", Form.ROLE_SESSION,
            "FederatedUser", Form.FEDERATED, "Root", Form.ROOT);

    private Principals() {
    }

    /**
     * Whose a call is.
     *
     * @param who           what AWS says made the call
     * @param rules         the policy's {@code identity} section
     * @param homeAccount   the account Curfew serves; a principal of another account is refused (null: not checked)
     * @param ownRolePrefix the names of Curfew's own roles start with this ({@code <stack>-}); null: none known
     */
    public static Principal resolve(AwsIdentity who, IdentityRules rules, String homeAccount, String ownRolePrefix) {
        String arn = who == null || who.arn() == null ? "" : who.arn().trim();
        if (arn.isEmpty()) {
            return new Principal.Refused("no-identity", "the call carries no principal ARN", arn, null);
        }
        Matcher m = ARN.matcher(arn);
        if (!m.matches()) {
            return unknown(arn, null);
        }
        String partition = m.group(1);
        String service = m.group(2);
        String account = m.group(3);
        String resource = m.group(4);
        Form form;
        String name = null;
        String role = null;
        Matcher r;
        if (service.equals("iam") && resource.equals("root")) {
            form = Form.ROOT;
        } else if (service.equals("iam") && (r = USER.matcher(resource)).matches()) {
            form = Form.USER;
            name = r.group(2);
        } else if (service.equals("sts") && (r = ROLE_SESSION.matcher(resource)).matches()) {
            form = Form.ROLE_SESSION;
            role = r.group(1);
            name = r.group(2);
        } else if (service.equals("sts") && (r = FEDERATED.matcher(resource)).matches()) {
            form = Form.FEDERATED;
            name = r.group(1);
        } else {
            return unknown(arn, account);
        }

        String type = who.type() == null || who.type().isBlank() ? null : who.type().trim();
        if (type != null) {
            Form expected = TYPES.get(type);
            if (expected == null) {
                return new Principal.Refused("not-a-person", "CloudTrail names the caller's type \"" + printable(type)
                        + "\", which is never a student (students are IAM users, IAM Identity Center sessions and "
                        + "sessions of the roles the policy names)", arn, account);
            }
            if (expected != form) {
                return new Principal.Refused("inconsistent-identity", "CloudTrail's type \"" + type + "\" does not "
                        + "match the ARN " + printable(arn), arn, account);
            }
        }
        if (homeAccount != null && !homeAccount.equals(account)) {
            return new Principal.Refused("other-account", printable(arn) + " belongs to account " + account
                    + ", not to " + homeAccount + ": only this account's own principals are students", arn, account);
        }
        if (form == Form.ROOT) {
            return new Principal.Staff(null, Principal.Kind.ROOT, arn, account);
        }
        String issuer = who.issuerArn() == null || who.issuerArn().isBlank() ? null : who.issuerArn().trim();
        if (form == Form.ROLE_SESSION) {
            if (ownRolePrefix != null && !ownRolePrefix.isBlank() && role.startsWith(ownRolePrefix)) {
                return new Principal.Staff(null, Principal.Kind.CURFEW, arn, account);
            }
            if (issuer != null && !issuerNames(issuer, partition, account, role)) {
                return new Principal.Refused("inconsistent-identity", "the role behind the session, "
                        + printable(issuer) + ", is not the role " + role + " of account " + account + " that the ARN "
                        + printable(arn) + " names", arn, account);
            }
        }

        // a name AWS vouches for, or null
        String vouched = null;
        boolean identityCenter = form == Form.ROLE_SESSION && role.startsWith(IDENTITY_CENTER_ROLE_PREFIX);
        boolean namedRole = false;
        for (String x : form == Form.ROLE_SESSION ? rules.studentRoles() : List.<String>of()) {
            namedRole |= x.equalsIgnoreCase(role);
        }
        boolean identityCenterVerified = identityCenter && (issuer == null || identityCenterPath(issuer));
        if (form == Form.USER || identityCenterVerified || namedRole) {
            vouched = name;
        }

        if (instructor(rules, arn, form == Form.ROLE_SESSION ? "arn:" + partition + ":iam::" + account + ":role/"
                + role : null)) {
            return new Principal.Staff(vouched, Principal.Kind.INSTRUCTOR, arn, account);
        }
        switch (form) {
            case USER:
                return new Principal.Student(name, Principal.Via.IAM_USER, arn, account);
            case FEDERATED:
                return new Principal.Refused("federated-user", "the federated user \"" + printable(name)
                        + "\" (sts:GetFederationToken) is not a student: whoever asks for a federation token chooses "
                        + "its name, so the name proves nothing. Sign in as your own IAM user or through IAM Identity "
                        + "Center instead", arn, account);
            default:
                break;
        }
        if (role.startsWith(SERVICE_LINKED_ROLE_PREFIX)) {
            return new Principal.Refused("aws-service", "the role " + role + " is a service-linked role: an AWS "
                    + "service acting on its own behalf, not a student", arn, account);
        }
        if (identityCenter) {
            if (!identityCenterVerified) {
                return new Principal.Refused("not-identity-center", "the role " + role + " is named like an IAM "
                        + "Identity Center role but is not one (" + printable(issuer) + " is not under "
                        + IDENTITY_CENTER_PATH + "), so its session name \"" + name + "\" was chosen by the caller",
                        arn, account);
            }
            return new Principal.Student(name, Principal.Via.IDENTITY_CENTER, arn, account);
        }
        if (namedRole) {
            return new Principal.Student(name, Principal.Via.STUDENT_ROLE, arn, account);
        }
        return new Principal.Refused("role-not-named", "the session \"" + name + "\" of the role " + role
                + " is not a student: a role session's name is chosen by whoever assumes the role, and the course "
                + "policy does not name " + role + " in identity.student-roles. Sign in as your own IAM user or "
                + "through IAM Identity Center instead, or ask the instructor to name the role (its trust policy must "
                + "pin the session name to your user name)", arn, account);
    }

    private static Principal.Refused unknown(String arn, String account) {
        return new Principal.Refused("unknown-identity", "cannot tell who \"" + printable(arn) + "\" is: students "
                + "are IAM users, IAM Identity Center sessions and sessions of the roles the policy names", arn,
                account);
    }

    /** Whether {@code issuer} is the IAM role {@code role} of this account (any path). */
    private static boolean issuerNames(String issuer, String partition, String account, String role) {
        String prefix = "arn:" + partition + ":iam::" + account + ":role/";
        if (!issuer.startsWith(prefix)) {
            return false;
        }
        String path = issuer.substring(prefix.length());
        return path.substring(path.lastIndexOf('/') + 1).equalsIgnoreCase(role);
    }

    /** {@code arn:...:role/aws-reserved/sso.amazonaws.com/[REGION/]AWSReservedSSO_...}. */
    private static boolean identityCenterPath(String issuer) {
        int at = issuer.indexOf(":role/");
        if (at < 0) {
            return false;
        }
        String path = issuer.substring(at + ":role".length());
        if (!path.startsWith(IDENTITY_CENTER_PATH)) {
            return false;
        }
        String rest = path.substring(IDENTITY_CENTER_PATH.length());
        return rest.matches("(?:[a-z]{2}(?:-[a-z]+)+-\\d+/)?" + Pattern.quote(IDENTITY_CENTER_ROLE_PREFIX)
                + "[\\w+=,.@-]+");
    }

    private static boolean instructor(IdentityRules rules, String arn, String roleArn) {
        for (String p : rules.instructors()) {
            Pattern glob = glob(p);
            if (glob.matcher(arn).matches() || roleArn != null && glob.matcher(roleArn).matches()) {
                return true;
            }
        }
        return false;
    }

    /** {@code *} matches any characters; everything else stands for itself, letter case ignored. */
    static Pattern glob(String pattern) {
        List<String> parts = new ArrayList<>();
        for (String s : pattern.split("\\*", -1)) {
            parts.add(s.isEmpty() ? "" : Pattern.quote(s));
        }
        return Pattern.compile(String.join(".*", parts), Pattern.CASE_INSENSITIVE | Pattern.DOTALL);
    }

    /** What is wrong with an {@code identity.instructors} entry, or null when it is an ARN (pattern). */
    public static String patternProblem(String pattern) {
        if (!PATTERN_SHAPE.matcher(pattern).matches()) {
            return "\"" + printable(pattern) + "\" is not an ARN such as arn:aws:iam::123456789012:user/teacher or "
                    + "arn:aws:sts::123456789012:assumed-role/AWSReservedSSO_Admin_*/* (* matches any characters)";
        }
        return null;
    }

    /** What is wrong with an {@code identity.student-roles} entry, or null when it is a role name. */
    public static String roleNameProblem(String name) {
        if (!ROLE_NAME.matcher(name).matches()) {
            return "\"" + printable(name) + "\" is not an IAM role name (letters, digits and +=,.@_-, at most 64; "
                    + "the name only, not the ARN)";
        }
        return null;
    }

    static String printable(String s) {
        String t = s.length() > 200 ? s.substring(0, 200) + "..." : s;
        return t.replaceAll("[\\p{Cntrl}\"\\\\]", "?");
    }
}
