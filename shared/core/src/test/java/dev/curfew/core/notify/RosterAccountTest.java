package dev.curfew.core.notify;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The roster's optional {@code account}: a student's own AWS account (README, "Students' own accounts"). */
class RosterAccountTest {

    static Stream<Arguments> accounts() {
        return Stream.of(
                Arguments.of("123456789012", true),
                Arguments.of("000000000000", true),
                Arguments.of("12345678901", false), // 11 digits
                Arguments.of("1234567890123", false), // 13 digits
                Arguments.of("1234-5678-9012", false), // as the console shows it
                Arguments.of("12345678901a", false),
                Arguments.of("１２３４５６７８９０１２", false), // full-width digits: \d would take them
                Arguments.of("١٢٣٤٥٦٧٨٩٠١٢", false), // Arabic-Indic digits
                Arguments.of("12345678901\u00a02", false), // a no-break space inside
                Arguments.of(" 123456789012x", false),
                Arguments.of("arn:aws:iam::123456789012:root", false));
    }

    @ParameterizedTest
    @MethodSource("accounts")
    void csvAccountIsCheckedAndABadOneLeavesItsRowOutNamingLineAndValue(String account, boolean ok) {
        Roster r = RosterParser.parse("owner,email,account\nalice,alice@example.edu,\"" + account.replace("\"", "\"\"")
                + "\"\nbob,bob@example.edu,\n", "roster.csv");
        assertThat(r.find("bob")).as("a row without an account is fine").isNotNull()
                .extracting(Contact::account).isNull();
        if (ok) {
            assertThat(r.problems()).isEmpty();
            assertThat(r.find("alice").account()).isEqualTo(account);
        } else {
            assertThat(r.find("alice")).as("the row is left out").isNull();
            assertThat(r.problems()).containsExactly("roster roster.csv line 2: account \"" + account.trim()
                    + "\" is not an AWS account id (12 digits)");
        }
    }

    @ParameterizedTest
    @MethodSource("accounts")
    void yamlAccountIsCheckedTheSameWay(String account, boolean ok) {
        String quoted = "\"" + account.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
        Roster r = RosterParser.parse("- owner: alice\n  email: alice@example.edu\n  account: " + quoted + "\n",
                "roster.yaml");
        if (ok) {
            assertThat(r.problems()).isEmpty();
            assertThat(r.find("alice").account()).isEqualTo(account);
        } else {
            assertThat(r.find("alice")).isNull();
            assertThat(r.problems()).containsExactly("roster roster.yaml line 1: account \"" + account.trim()
                    + "\" is not an AWS account id (12 digits)");
        }
    }

    @Test
    void yamlMappingFormAndAPlainNumberKeepTheirLeadingZeros() {
        Roster r = RosterParser.parse("alice:\n  email: alice@example.edu\n  account: 012345678901\n", "r.yaml");
        assertThat(r.problems()).isEmpty();
        assertThat(r.find("alice").account()).isEqualTo("012345678901");
    }

    @Test
    void twoStudentsClaimingOneAccountIsAnErrorNamingBoth() {
        Roster r = RosterParser.parse("""
                owner,email,account
                alice,alice@example.edu,123456789012
                bob,bob@example.edu,123456789012
                carol,carol@example.edu,210987654321
                """, "roster.csv");
        assertThat(r.find("alice").account()).isEqualTo("123456789012");
        assertThat(r.find("bob")).isNull();
        assertThat(r.find("carol").account()).isEqualTo("210987654321");
        assertThat(r.problems()).containsExactly("roster roster.csv line 3: account 123456789012 is claimed by both "
                + "\"alice\" and \"bob\"; the first row counts");
    }

    /**
     * Not 12 ASCII digits: refused by the check, and a roster row carrying it is left out with its problem named.
     * (Like every field, the value is trimmed first, and a blank one means "no account".)
     */
    @Property
    void anythingButExactlyTwelveAsciiDigitsIsRefused(@ForAll("notAccountIds") String s) {
        assertThat(RosterParser.isAccountId(s)).as(s).isFalse();
        Roster r = RosterParser.yaml("- owner: alice\n  email: alice@example.edu\n  account: \""
                + s.chars().mapToObj(c -> String.format("\\u%04x", c)).reduce("", String::concat) + "\"\n", "r.yaml");
        if (s.isBlank() || s.trim().isEmpty()) {
            assertThat(r.find("alice").account()).isNull();
        } else if (!s.trim().matches("[0-9]{12}")) {
            assertThat(r.find("alice")).as(s).isNull();
            assertThat(r.problems()).singleElement().asString().contains("account \"")
                    .endsWith("\" is not an AWS account id (12 digits)");
        }
    }

    @Property
    void exactlyTwelveAsciiDigitsIsAccepted(@ForAll("accountIds") String s) {
        assertThat(RosterParser.isAccountId(s)).isTrue();
        assertThat(RosterParser.csv("owner,email,account\nalice,a@example.edu," + s + "\n", "r.csv")
                .find("alice").account()).isEqualTo(s);
    }

    @Provide
    Arbitrary<String> accountIds() {
        return Arbitraries.strings().withCharRange('0', '9').ofLength(12);
    }

    /** Any string at all, and near misses: 12 characters mostly digits, other lengths of digits. */
    @Provide
    Arbitrary<String> notAccountIds() {
        Arbitrary<String> any = Arbitraries.strings().all().ofMaxLength(20);
        Arbitrary<String> nearMiss = Arbitraries.strings().withCharRange('0', '9').ofLength(11)
                .flatMap(d -> Arbitraries.strings().all().ofLength(1).flatMap(c -> Arbitraries.integers()
                        .between(0, 11).map(i -> d.substring(0, i) + c + d.substring(i))));
        Arbitrary<String> otherLength = Arbitraries.strings().withCharRange('0', '9').ofMinLength(0).ofMaxLength(24)
                .filter(d -> d.length() != 12);
        return Arbitraries.oneOf(any, nearMiss, otherLength).filter(s -> !s.matches("[0-9]{12}"));
    }
}
