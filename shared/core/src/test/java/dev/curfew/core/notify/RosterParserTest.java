package dev.curfew.core.notify;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class RosterParserTest {

    /** Parses a roster that has problems: asserts how many contacts still count, and gives the problems. */
    static List<String> problems(String text, String source, int contacts) {
        Roster r = RosterParser.parse(text, source);
        assertThat(r.size()).isEqualTo(contacts);
        return r.problems();
    }

    @Test
    void csvWithHeaderInAnyOrderQuotesAndComments() {
        Roster r = RosterParser.parse("""
                # the class of 2026
                email,owner,name,slack
                alice@example.edu,alice,"Liddell, Alice",U01ALICE
                bob@example.edu,Bob,Bob Builder,

                ,carol,Carol,U03CAROL
                """, "s3://course/roster.csv");

        assertThat(r.problems()).isEmpty();
        assertThat(r.size()).isEqualTo(3);
        assertThat(r.find("alice")).isEqualTo(new Contact("alice", "Liddell, Alice", "alice@example.edu", "U01ALICE"));
        assertThat(r.find("BOB")).as("IAM names are case-insensitive").extracting(Contact::email)
                .isEqualTo("bob@example.edu");
        assertThat(r.find("carol").email()).isNull();
        assertThat(r.find("dave")).isNull();
        assertThat(r.find(null)).isNull();
    }

    @Test
    void badCsvRowsAreNamedByLineAndTheGoodOnesStillCount() {
        List<String> problems = problems("""
                owner,name,email,slack
                alice,Alice,alice@example.edu,U01ALICE
                ,Nobody,nobody@example.edu,
                bob,Bob,bob@,
                carol,Carol,carol@example.edu,carol
                dave,Dave
                alice,Alice Again,alice2@example.edu,
                erin,Erin,,
                "frank,Frank,frank@example.edu,
                """, "roster.csv", 1);

        assertThat(problems).containsExactly(
                "roster roster.csv line 3: owner is missing (the curfew:owner tag: an IAM user or role session name)",
                "roster roster.csv line 4: email \"bob@\" is not an email address",
                "roster roster.csv line 5: slack \"carol\" is not a Slack member id (U0123ABCD)",
                "roster roster.csv line 6: 2 fields, the header has 4 (a comma inside a name needs double quotes)",
                "roster roster.csv line 7: owner \"alice\" is listed twice; the first row counts",
                "roster roster.csv line 8: owner \"erin\" has neither an email nor a slack id: nobody could be told",
                "roster roster.csv line 9: an unclosed double quote");
    }

    @Test
    void csvWithoutAnOwnerColumnIsRefusedWhole() {
        assertThat(problems("user,mail\nalice,alice@example.edu\n", "r.csv", 0))
                .contains("roster r.csv line 1: unknown column \"user\"; the columns are owner, name, email, slack, "
                        + "account")
                .anyMatch(p -> p.contains("owner among them"));
    }

    @Test
    void yamlListAndMappingForms() {
        Roster list = RosterParser.parse("""
                - owner: alice
                  name: Alice
                  email: alice@example.edu
                - {owner: bob, slack: U02BOB}
                """, "ssm:/curfew/roster");
        assertThat(list.problems()).isEmpty();
        assertThat(list.find("bob")).isEqualTo(new Contact("bob", "bob", null, "U02BOB"));

        Roster map = RosterParser.parse("""
                alice: {name: Alice, email: alice@example.edu}
                bob:
                  name: Bob
                  slack: U02BOB
                """, "roster.yaml");
        assertThat(map.problems()).isEmpty();
        assertThat(map.find("alice").name()).isEqualTo("Alice");
        assertThat(map.find("bob").slackId()).isEqualTo("U02BOB");
    }

    @Test
    void badYamlRowsAreNamedByLine() {
        List<String> problems = problems("""
                - owner: alice
                  email: alice@example.edu
                - owner: bob
                  mail: bob@example.edu
                - owner: carol
                  email: [carol@example.edu]
                - just text
                - owner: dave
                  email: not-an-address
                """, "roster.yaml", 1);
        assertThat(problems).containsExactly(
                "roster roster.yaml line 4: unknown field \"mail\"; the fields are owner, name, email, slack, account",
                "roster roster.yaml line 6: email: expected text, found a list",
                "roster roster.yaml line 7: expected {owner, name, email, slack}, found \"just text\"",
                "roster roster.yaml line 8: email \"not-an-address\" is not an email address");
    }

    @Test
    void notYamlNorCsvIsOneProblem() {
        assertThat(problems("alice: [unclosed", "ssm:/roster", 0)).singleElement().asString()
                .startsWith("roster ssm:/roster not valid YAML or CSV");
    }

    @Test
    void formatIsGuessedFromTheFirstLineWithoutAnExtension() {
        assertThat(RosterParser.parse("owner,email\nalice,a@example.edu\n", "ssm:/r").find("alice")).isNotNull();
        assertThat(RosterParser.parse("alice: {email: a@example.edu}\n", "ssm:/r").find("alice")).isNotNull();
    }
}
