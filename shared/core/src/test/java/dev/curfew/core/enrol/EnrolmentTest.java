package dev.curfew.core.enrol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.curfew.core.notify.Roster;
import dev.curfew.core.notify.RosterParser;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.AlphaChars;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;

class EnrolmentTest {
    static final byte[] KEY = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    static final byte[] OTHER_KEY = "fedcba9876543210fedcba9876543210".getBytes(StandardCharsets.US_ASCII);

    @Test
    void theExternalIdIsAKnownHmacOfTheOwnerNameAndFitsTheTemplatesPattern() throws Exception {
        String id = Enrolment.externalId(KEY, "alice");
        javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
        mac.init(new javax.crypto.spec.SecretKeySpec(KEY, "HmacSHA256"));
        String expected = "curfew-" + java.util.HexFormat.of().formatHex(
                mac.doFinal("curfew-enrolment:alice".getBytes(StandardCharsets.UTF_8)), 0, 20);
        assertThat(id).isEqualTo(expected).hasSize(47).matches("[\\w+=,.@:/-]{32,1224}");
        assertThat(Enrolment.externalId(KEY, " Alice ")).as("owners match without regard to case").isEqualTo(id);
    }

    @Property
    void theIdIsStablePerStudentAndDependsOnTheKey(@ForAll @AlphaChars @StringLength(min = 1, max = 30) String a,
                                                   @ForAll @AlphaChars @StringLength(min = 1, max = 30) String b) {
        assertThat(Enrolment.externalId(KEY, a)).isEqualTo(Enrolment.externalId(KEY, a));
        assertThat(Enrolment.externalId(OTHER_KEY, a)).as("not guessable without the key")
                .isNotEqualTo(Enrolment.externalId(KEY, a));
        if (!a.equalsIgnoreCase(b)) {
            assertThat(Enrolment.externalId(KEY, a)).isNotEqualTo(Enrolment.externalId(KEY, b));
        }
    }

    @Test
    void aShortOrMissingKeyIsRefused() {
        assertThatThrownBy(() -> Enrolment.externalId(new byte[15], "alice")).hasMessageContaining("15 bytes");
        assertThatThrownBy(() -> Enrolment.externalId(null, "alice")).hasMessageContaining("missing");
    }

    @Test
    void aStudentMustBeInTheRosterWithAnAccount() {
        Roster r = RosterParser.parse("owner,email,account\nalice,a@example.edu,123456789012\nbob,b@example.edu,\n",
                "roster.csv");
        assertThat(Enrolment.student(r, "ALICE").account()).isEqualTo("123456789012");
        assertThat(Enrolment.enrolled(r)).extracting(c -> c.owner()).containsExactly("alice");
        assertThatThrownBy(() -> Enrolment.student(r, "dave")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("--student \"dave\" is not in the roster roster.csv");
        assertThatThrownBy(() -> Enrolment.student(r, "bob")).hasMessageContaining("\"bob\" has no account");
        assertThatThrownBy(() -> Enrolment.student(r, "al ice")).hasMessageContaining("\"al ice\" is not a roster "
                + "owner name");
        assertThatThrownBy(() -> Enrolment.student(r, null)).isInstanceOf(IllegalArgumentException.class);
        Set<String> ids = new HashSet<>();
        for (String s : new String[] {"alice", "bob", "carol"}) {
            ids.add(Enrolment.externalId(KEY, s));
        }
        assertThat(ids).hasSize(3);
        assertThat(Enrolment.roleArn("aws", "123456789012")).isEqualTo("arn:aws:iam::123456789012:role/curfew-access");
    }

    @Test
    void theStoredKeyIsBase64OfAtLeastSixteenBytesAndAnErrorNamesWhereItIsKept() {
        // the one check the CLI (enroll, accounts) and the functions (AccountSessions) read the key with
        String stored = java.util.Base64.getEncoder().encodeToString(KEY);
        assertThat(Enrolment.decodeKey("ssm:/k", " " + stored + "\n")).isEqualTo(KEY);
        assertThatThrownBy(() -> Enrolment.decodeKey("ssm:/k", "not base64!"))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("the enrolment key ssm:/k is not base64");
        String shortKey = java.util.Base64.getEncoder().encodeToString(new byte[15]);
        assertThatThrownBy(() -> Enrolment.decodeKey("ssm:/k", shortKey))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the enrolment key ssm:/k is 15 bytes; it must be at least 16");
    }
}
