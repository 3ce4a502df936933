package dev.curfew.core.enrol;

import dev.curfew.core.notify.Contact;
import dev.curfew.core.notify.Roster;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A student's own AWS account, enrolled (README, "Students' own accounts (enrolment)"): the role Curfew assumes there
 * and the external id it presents.
 *
 * <p>The external id is {@code curfew-} and the first 20 bytes (hex) of HMAC-SHA256 over the student's owner name
 * (lower case, as the roster matches it), keyed with the instructor's enrolment key: the same every time for a
 * student, different for every student, and not to be worked out from the name without the key (which stays in the
 * instructor's account, an SSM SecureString). Changing the key changes every student's id (they deploy again).
 */
public final class Enrolment {
    /** The role templates/student-account.yaml creates: the same name in every enrolled account. */
    public static final String ROLE_NAME = "curfew-access";
    /** The stack name the printed command deploys in the student's account. */
    public static final String STACK_NAME = "curfew-student";
    /** The smallest key accepted, in bytes. */
    public static final int MIN_KEY_BYTES = 16;

    private Enrolment() {
    }

    /**
     * The enrolment key as it is stored (base64 text), checked: at least {@link #MIN_KEY_BYTES} bytes.
     *
     * @param where where the key is kept, for the error (such as {@code ssm:/curfew/enrolment-key})
     * @throws IllegalArgumentException naming {@code where} when the text is not base64 or the key is too short
     */
    public static byte[] decodeKey(String where, String base64) {
        byte[] key;
        try {
            key = Base64.getDecoder().decode(base64.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the enrolment key " + where + " is not base64");
        }
        if (key.length < MIN_KEY_BYTES) {
            throw new IllegalArgumentException("the enrolment key " + where + " is " + key.length
                    + " bytes; it must be at least " + MIN_KEY_BYTES);
        }
        return key;
    }

    /** The external id Curfew presents for this student. */
    public static String externalId(byte[] key, String owner) {
        if (key == null || key.length < MIN_KEY_BYTES) {
            throw new IllegalArgumentException("the enrolment key is " + (key == null ? "missing" : key.length
                    + " bytes") + "; it must be at least " + MIN_KEY_BYTES + " random bytes");
        }
        if (owner == null || owner.isBlank()) {
            throw new IllegalArgumentException("no student named for the external id");
        }
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            byte[] h = mac.doFinal(("curfew-enrolment:" + owner.trim().toLowerCase(Locale.ROOT))
                    .getBytes(StandardCharsets.UTF_8));
            return "curfew-" + HexFormat.of().formatHex(h, 0, 20);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    /** The role Curfew assumes in an enrolled account. */
    public static String roleArn(String partition, String account) {
        return "arn:" + partition + ":iam::" + account + ":role/" + ROLE_NAME;
    }

    /** The roster's students who named an account of their own, in roster order. */
    public static List<Contact> enrolled(Roster roster) {
        return roster.byOwner().values().stream().filter(c -> c.account() != null).toList();
    }

    /**
     * The roster's row for {@code name}, which must name an account; otherwise an {@link IllegalArgumentException}
     * that names what is wrong.
     */
    public static Contact student(Roster roster, String name) {
        if (name == null || !name.matches("[\\w+=,.@-]{1,128}")) {
            throw new IllegalArgumentException("--student \"" + name + "\" is not a roster owner name (an IAM user "
                    + "or role session name)");
        }
        Contact c = roster.find(name);
        if (c == null) {
            throw new IllegalArgumentException("--student \"" + name + "\" is not in the roster "
                    + (roster.source() == null ? "" : roster.source() + " ")
                    + (roster.problems().isEmpty() ? "" : "(its problems: " + String.join("; ", roster.problems())
                    + ")"));
        }
        if (c.account() == null) {
            throw new IllegalArgumentException("--student \"" + name + "\" has no account in the roster: add their "
                    + "12-digit AWS account id in the account column");
        }
        return c;
    }
}
