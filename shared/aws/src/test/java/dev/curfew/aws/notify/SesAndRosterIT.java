package dev.curfew.aws.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.curfew.aws.testing.MotoServer;
import dev.curfew.aws.testing.MotoTest;
import dev.curfew.core.launch.JsonBody;
import dev.curfew.core.notify.Roster;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;

/** SES v2, Secrets Manager and the roster's S3 object and SSM parameter, on the emulator. */
class SesAndRosterIT extends MotoTest {
    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> sent(MotoServer moto) {
        Map<String, Object> data = (Map<String, Object>) JsonBody.parse(moto.data());
        Map<String, Object> ses = (Map<String, Object>) data.get("ses");
        return ses == null || ses.get("Message") == null ? List.of() : (List<Map<String, Object>>) ses.get("Message");
    }

    @Test
    void anEmailWithTextAndHtmlFromAVerifiedSenderArrives() throws Exception {
        clients.ses().createEmailIdentity(b -> b.emailIdentity("curfew@example.edu"));

        String id = new SesMailer(clients, "curfew@example.edu").send("alice@example.edu", "Before curfew",
                "plain text", "<p>html &amp; more</p>");

        assertThat(id).isNotBlank();
        assertThat(sent(moto)).singleElement().satisfies(m -> {
            assertThat(m).containsEntry("id", id).containsEntry("source", "curfew@example.edu")
                    .containsEntry("subject", "Before curfew").containsEntry("body", "<p>html &amp; more</p>");
            assertThat(m.get("destinations")).isEqualTo(Map.of("ToAddresses", List.of("alice@example.edu")));
        });
    }

    @Test
    void anUnverifiedSenderIsRefusedClearly() {
        assertThatThrownBy(() -> new SesMailer(clients, "nobody@example.edu").send("alice@example.edu", "s", "t",
                "<p>h</p>"))
                .isInstanceOf(SesMailer.RejectedException.class)
                .hasMessageStartingWith("SES refused (MessageRejected: Email address not verified nobody@example.edu)")
                .hasMessageContaining("verify");
        assertThat(sent(moto)).isEmpty();
    }

    @Test
    void secretsArePlainValuesOrJsonAndErrorsNameOnlyTheSecret() {
        clients.secrets().createSecret(b -> b.name("curfew/hook").secretString("https://hooks.example/T/B/x"));
        clients.secrets().createSecret(b -> b.name("curfew/bot").secretString("{\"token\": \"xoxb-1\"}"));
        Secrets s = new Secrets(clients);

        assertThat(s.read("curfew/hook", "url")).isEqualTo("https://hooks.example/T/B/x");
        assertThat(s.read("curfew/bot", "token")).isEqualTo("xoxb-1");
        assertThatThrownBy(() -> s.read("curfew/bot", "url")).hasMessage("the secret curfew/bot is JSON without any "
                + "of the keys url").message().doesNotContain("xoxb");
        assertThatThrownBy(() -> s.read("curfew/missing", "url"))
                .hasMessage("cannot read the secret curfew/missing (ResourceNotFoundException)");
    }

    @Test
    void theRosterIsReadFromS3OrSsmAndAMissingOneIsAProblemNotAFailure() {
        clients.s3().createBucket(b -> b.bucket("course-admin"));
        clients.s3().putObject(b -> b.bucket("course-admin").key("roster.csv"),
                RequestBody.fromString("owner,name,email\nalice,Alice,alice@example.edu\nbob,,bob@\n"));
        clients.ssm("eu-west-1").putParameter(b -> b.name("/curfew/roster").type("SecureString")
                .value("alice: {email: alice@example.edu, slack: U01ALICE}\n"));

        Roster fromS3 = RosterSource.load("s3://course-admin/roster.csv", clients);
        assertThat(fromS3.find("alice").email()).isEqualTo("alice@example.edu");
        assertThat(fromS3.problems()).containsExactly("roster s3://course-admin/roster.csv line 3: email \"bob@\" "
                + "is not an email address");

        Roster fromSsm = RosterSource.load("ssm:/curfew/roster", clients);
        assertThat(fromSsm.find("ALICE").slackId()).isEqualTo("U01ALICE");
        assertThat(fromSsm.problems()).isEmpty();

        Roster missing = RosterSource.load("ssm:/curfew/nope", clients);
        assertThat(missing.size()).isZero();
        assertThat(missing.problems()).singleElement().asString().startsWith("roster ssm:/curfew/nope could not be "
                + "read (ParameterNotFound").endsWith("every message went to the instructor");
    }
}
