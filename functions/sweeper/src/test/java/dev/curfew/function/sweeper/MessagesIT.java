package dev.curfew.function.sweeper;

import static dev.curfew.aws.testing.Seed.tags;
import static org.assertj.core.api.Assertions.assertThat;

import dev.curfew.aws.testing.FakeSlack;
import dev.curfew.aws.testing.MotoServer;
import dev.curfew.core.budget.CourseWeek;
import dev.curfew.core.launch.JsonBody;
import io.micronaut.json.JsonMapper;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ec2.model.InstanceStateName;
import software.amazon.awssdk.services.ec2.model.Tag;

/**
 * The warning pass and the curfew pass through the deployed handler, against the emulator (EC2, SSM roster,
 * Secrets Manager, SES) and a local HTTP server standing in for Slack: who hears what, once.
 */
class MessagesIT extends SweeperPasses {
    String alice1;
    String alice2;
    String bob1;
    String mallory1;
    String aliceVolume;

    /** The first curfew (18:00 Amsterdam) is at least an hour after the instances are launched. */
    MessagesIT() {
        super("messages-it-policy.yaml");
    }

    @BeforeEach
    void seed() throws Exception {
        alice1 = seed.instance(EU, tags("curfew:owner", "alice", "Name", "web <b>&</b> db"));
        alice2 = seed.instance(EU, tags("curfew:owner", "alice"));
        bob1 = seed.instance(EU, tags("curfew:owner", "bob"));
        mallory1 = seed.instance(EU, tags("curfew:owner", "mallory"));
        aliceVolume = Sweepers.markedVolume(clients, "alice", curfew); // due before the curfew pass
        Sweepers.messaging(clients, slack, "carol,Carol,carol@,\n");
    }

    private Map<String, Object> run(String pass, Instant now, String mode) throws Exception {
        return run(pass, now, mode, Map.of());
    }

    /** The emails SES accepted, from moto's whole state (which can pass JsonBody's 8 MB: EC2's default AMIs). */
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> emails() throws java.io.IOException {
        Map<String, Object> ses = (Map<String, Object>) JsonMapper.createDefault().readValue(moto.data(), Map.class)
                .get("ses");
        return ses == null || ses.get("Message") == null ? List.of() : (List<Map<String, Object>>) ses.get("Message");
    }

    static String to(Map<String, Object> email) {
        return String.valueOf(((List<?>) ((Map<?, ?>) email.get("destinations")).get("ToAddresses")).get(0));
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> deliveries(Map<String, Object> out) {
        return (List<Map<String, Object>>) ((Map<String, Object>) out.get("notifications")).get("deliveries");
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> notifications(Map<String, Object> out) {
        return (Map<String, Object>) out.get("notifications");
    }

    String tag(String instance, String key) {
        return clients.ec2(EU).describeInstances(b -> b.instanceIds(instance)).reservations().get(0).instances().get(0)
                .tags().stream().filter(t -> t.key().equals(key)).map(Tag::value).findFirst().orElse(null);
    }

    @Test
    void theWarningPassTellsEachOwnerOnceWhatWillHappenAtCurfewAndActsOnNothing() throws Exception {
        Map<String, Object> out = run("warning", curfew.minus(Duration.ofMinutes(30)), "enforce");

        assertThat(out).containsEntry("pass", "warning").containsEntry("warningFor", curfew.toString());
        for (String id : List.of(alice1, alice2, bob1, mallory1)) {
            assertThat(seed.state(EU, id)).as(id).isEqualTo(InstanceStateName.RUNNING);
        }
        // Slack: one message per person (alice, bob, and the instructor for mallory's), never one per resource
        List<FakeSlack.Request> posts = slack.requests("/hook");
        assertThat(posts).hasSize(3);
        String alices = posts.get(0).body();
        assertThat(alices).contains("<@U01ALICE>").contains(alice1).contains(alice2).contains(aliceVolume)
                .contains("web &lt;b&gt;&amp;&lt;/b&gt; db").doesNotContain("<b>")
                .contains("aws ec2 create-tags --region eu-west-1 --resources " + alice1
                        + " --tags Key=curfew:keep,Value=" + curfew.atZone(java.time.ZoneId.of("Europe/Amsterdam"))
                        .toLocalDate())
                .contains("will be terminated").contains("will be snapshotted, then deleted");
        assertThat(posts.get(1).body()).contains(bob1).doesNotContain(alice1).doesNotContain("<@U01ALICE>");
        assertThat(posts.get(2).body()).contains("<@U0TEACHER>").contains(mallory1).contains("no known owner");
        // email: the same three, with the warning in the subject
        List<Map<String, Object>> mails = emails();
        assertThat(mails).extracting(MessagesIT::to).containsExactlyInAnyOrder("alice@example.edu",
                "bob@example.edu", "teacher@example.edu");
        assertThat(mails).allSatisfy(m -> assertThat(m.get("subject")).asString()
                .startsWith("[Cloud Computing 101] Curfew at 18:00:"));
        // the report: every delivery, the bad roster row by its line, the webhook URL nowhere
        assertThat(deliveries(out)).hasSize(6).allSatisfy(d -> assertThat(d).containsEntry("status", "sent"));
        assertThat((List<String>) notifications(out).get("rosterProblems")).containsExactly(
                "roster ssm:/curfew/roster line 4: email \"carol@\" is not an email address");
        assertThat(out.toString()).doesNotContain(slack.webhookUrl());
        // enforce: each warned resource remembers the curfew it was warned about
        assertThat(tag(alice1, "curfew:warned")).isEqualTo(curfew.toString());
        assertThat(tag(mallory1, "curfew:warned")).isEqualTo(curfew.toString());
    }

    /** What the sweep lock's lapse does (SweeperRunsOnceIT shows it): the next run of the same pass is not kept out. */
    void letTheSweepLockLapse(String pass) {
        String lock = new dev.curfew.aws.SweepLocks(clients, null, dev.curfew.aws.SweepLocks.DEFAULT_LIFETIME,
                java.time.Clock.systemUTC()).name(new dev.curfew.aws.SweepLocks.Key(pass, curfew));
        clients.ssm(EU).deleteParameter(b -> b.name(lock));
    }

    @Test
    @SuppressWarnings("unchecked")
    void runningTheWarningPassTwiceDoesNotWarnTwice() throws Exception {
        run("warning", curfew.minus(Duration.ofMinutes(30)), "enforce");
        slack.clear();
        int mails = emails().size();
        String late = seed.instance(EU, tags("curfew:owner", "bob"));
        // at once, the warning's lock keeps the second run out
        assertThat(run("warning", curfew.minus(Duration.ofMinutes(29)), "enforce").get("stoodAside")).asString()
                .startsWith("the warning pass of account 123456789012 for the curfew of " + curfew + " finished");
        assertThat(slack.requests()).isEmpty();
        letTheSweepLockLapse("warning");

        Map<String, Object> again = run("warning", curfew.minus(Duration.ofMinutes(25)), "enforce");

        // only bob's new instance is news
        assertThat(slack.requests("/hook")).singleElement().satisfies(r -> assertThat(r.body()).contains(late)
                .doesNotContain(bob1));
        assertThat(emails()).hasSize(mails + 1);
        assertThat((List<String>) notifications(again).get("alreadyWarned")).contains("ec2-instance/" + alice1,
                "ec2-instance/" + bob1, "ec2-instance/" + mallory1, "ebs-volume/" + aliceVolume);
    }

    @Test
    @SuppressWarnings("unchecked")
    void withABotTokenStudentsGetDirectMessagesByMemberIdOrEmail() throws Exception {
        clients.secrets().createSecret(b -> b.name("curfew/slack-bot").secretString("{\"token\": \""
                + FakeSlack.TOKEN + "\"}"));
        slack.members.put("bob@example.edu", "U02BOB");

        Map<String, Object> out = run("warning", curfew.minus(Duration.ofMinutes(30)), "enforce",
                Map.of("curfew.slack-bot-token-secret", "curfew/slack-bot"));

        assertThat(slack.requests("/hook")).isEmpty();
        assertThat(slack.requests("/api/users.lookupByEmail")).singleElement()
                .satisfies(r -> assertThat(r.body()).isEqualTo("email=bob%40example.edu"));
        List<FakeSlack.Request> dms = slack.requests("/api/chat.postMessage");
        assertThat(dms).hasSize(3).allSatisfy(r -> assertThat(r.header("Authorization"))
                .isEqualTo("Bearer " + FakeSlack.TOKEN));
        List<Object> channels = dms.stream().map(r -> ((Map<String, Object>) JsonBody.parse(r.body())).get("channel"))
                .toList();
        assertThat(channels).containsExactly("U01ALICE", "U02BOB", "U0TEACHER");
        assertThat(dms.get(0).body()).contains(alice1).doesNotContain("<@U01ALICE>");
        assertThat(deliveries(out)).filteredOn(d -> "slack-dm".equals(d.get("channel")))
                .extracting(d -> d.get("address")).containsExactly("U01ALICE", "U02BOB", "U0TEACHER");
        assertThat(out.toString()).doesNotContain(FakeSlack.TOKEN);
    }

    @Test
    void inDryRunOnlyTheInstructorHearsAndNothingIsTagged() throws Exception {
        Map<String, Object> out = run("warning", curfew.minus(Duration.ofMinutes(30)), "dry-run");

        assertThat(slack.requests("/hook")).singleElement().satisfies(r -> assertThat(r.body())
                .contains("<@U0TEACHER>").contains("[dry run]").contains(mallory1));
        assertThat(emails()).extracting(MessagesIT::to).containsExactly("teacher@example.edu");
        assertThat(deliveries(out)).filteredOn(d -> "alice".equals(d.get("to")))
                .extracting(d -> d.get("status")).containsOnly("would-send");
        assertThat(tag(alice1, "curfew:warned")).isNull();
    }

    @Test
    void aWarningPassLongBeforeCurfewTellsNobody() throws Exception {
        Map<String, Object> out = run("warning", curfew.minus(Duration.ofHours(5)), "enforce");

        assertThat(slack.requests()).isEmpty();
        assertThat(emails()).isEmpty();
        assertThat(notifications(out).get("problems")).asString().contains("more than the warning lead");
        assertThat(tag(alice1, "curfew:warned")).isNull();
    }

    @Test
    @SuppressWarnings("unchecked")
    void theCurfewPassSendsEachOwnerWhatWasDoneAndTheInstructorOneSummary() throws Exception {
        Map<String, Object> out = run("curfew", curfew.plus(Duration.ofMinutes(1)), "enforce");

        assertThat(seed.state(EU, alice1)).isEqualTo(InstanceStateName.TERMINATED);
        assertThat(seed.state(EU, mallory1)).isEqualTo(InstanceStateName.TERMINATED);
        List<Map<String, Object>> mails = emails();
        assertThat(mails).extracting(MessagesIT::to).containsExactly("alice@example.edu", "bob@example.edu",
                "teacher@example.edu", "teacher@example.edu");
        Map<String, Object> alices = mails.get(0);
        assertThat(alices.get("subject")).asString().startsWith("[Cloud Computing 101] After curfew: 3 of your "
                + "resources were terminated or deleted");
        assertThat(alices.get("body")).asString().contains(alice1).contains(aliceVolume)
                .contains("To get it back, run:").contains("aws ec2 create-volume")
                .contains("Your spending this week").contains("estimate from list prices).");
        Map<String, Object> summary = mails.get(3);
        assertThat(summary.get("subject")).asString().contains("Curfew summary for").contains("5 found, 5 done, "
                + "0 errors");
        assertThat(summary.get("body")).asString().contains("Alice Liddell").contains("mallory")
                .contains("not in the roster").contains("carol@");
        assertThat(slack.requests("/hook")).hasSize(4);
        assertThat(slack.requests("/hook").get(3).body()).contains("Curfew summary").contains("<@U0TEACHER>");
        assertThat(deliveries(out)).extracting(d -> d.get("message") + " " + d.get("to") + " " + d.get("channel"))
                .contains("summary instructor email", "summary instructor slack-webhook",
                        "after-action alice slack-webhook");
    }

    @Test
    void withCostExplorerOnAStudentIsToldTheBilledFigureWhereAwsHasOne() throws Exception {
        Instant now = curfew.plus(Duration.ofMinutes(1));
        java.time.ZoneId zone = java.time.ZoneId.of("Europe/Amsterdam");
        java.time.LocalDate week = CourseWeek.start(zone, now).atZone(zone)
                .toLocalDate();
        moto.costExplorerAnswers(MotoServer.costResult(MotoServer.costDay(week,
                MotoServer.costGroup("curfew:owner$alice", "2.50"))));

        run("curfew", now, "enforce", Map.of("curfew.cost-explorer", "on"));

        Map<String, String> bodies = new java.util.HashMap<>();
        emails().forEach(m -> bodies.merge(to(m), String.valueOf(m.get("body")), String::concat));
        assertThat(bodies.get("alice@example.edu")).contains("Your spending this week (since ")
                .contains(": $2.50; $2.50 in total (billed, from AWS Cost Explorer).");
        // bob is not in Cost Explorer yet: his estimate
        assertThat(bodies.get("bob@example.edu")).contains("estimate from list prices).")
                .doesNotContain("Cost Explorer");
        // the instructor's summary: alice's billed figure, and where the figures come from
        assertThat(bodies.get("teacher@example.edu")).contains("$2.50")
                .contains("billed (Cost Explorer) where AWS has it, else Curfew");
    }

    @Test
    void aRepeatedCurfewEventDoesNotSendASecondSummary() throws Exception {
        clients.ssm(EU).putParameter(b -> b.name("/curfew/test/last-summary").type("String").value("never"));
        Map<String, Object> ledger = Map.of("curfew.summary-parameter", "/curfew/test/last-summary");
        run("curfew", curfew.plus(Duration.ofMinutes(1)), "enforce", ledger);
        long summaries = emails().stream().filter(m -> String.valueOf(m.get("subject")).contains("summary")).count();
        assertThat(clients.ssm(EU).getParameter(b -> b.name("/curfew/test/last-summary")).parameter().value())
                .isEqualTo(curfew.toString());

        letTheSweepLockLapse("curfew"); // the ledger, not the sweep lock, keeps this run from sending a second summary
        Map<String, Object> again = run("curfew", curfew.plus(Duration.ofMinutes(3)), "enforce", ledger);

        assertThat(summaries).isEqualTo(1);
        assertThat(emails().stream().filter(m -> String.valueOf(m.get("subject")).contains("summary")).count())
                .isEqualTo(1);
        assertThat(deliveries(again)).filteredOn(d -> "summary".equals(d.get("message"))).singleElement()
                .satisfies(d -> assertThat(d).containsEntry("status", "skipped"));
        // and nothing was done twice, so nobody hears about it twice
        assertThat(deliveries(again)).noneMatch(d -> "after-action".equals(d.get("message")));
    }

    @Test
    @SuppressWarnings("unchecked")
    void aFailedDeliveryIsReportedAndTheSweepCompletes() throws Exception {
        slack.answerAlways("/hook", 404, "no_service");
        clients.ses().deleteEmailIdentity(b -> b.emailIdentity("curfew@example.edu"));

        Map<String, Object> out = run("curfew", curfew.plus(Duration.ofMinutes(1)), "enforce");

        assertThat(seed.state(EU, alice1)).isEqualTo(InstanceStateName.TERMINATED);
        assertThat(seed.state(EU, bob1)).isEqualTo(InstanceStateName.TERMINATED);
        assertThat(((Map<String, Object>) out.get("outcomes"))).containsKey("done").doesNotContainKey("failed");
        Map<String, Object> n = notifications(out);
        assertThat(n.get("failed")).isEqualTo(8L);
        assertThat(deliveries(out)).allSatisfy(d -> assertThat(d).containsEntry("status", "failed"));
        assertThat(deliveries(out)).filteredOn(d -> "slack-webhook".equals(d.get("channel")))
                .allSatisfy(d -> assertThat(d.get("detail")).isEqualTo("the webhook answered HTTP 404: no_service"));
        assertThat(deliveries(out)).filteredOn(d -> "email".equals(d.get("channel")))
                .allSatisfy(d -> assertThat(d.get("detail")).asString().startsWith("SES refused (MessageRejected: "
                        + "Email address not verified curfew@example.edu)").contains("verify the sender identity"));
        assertThat(emails()).isEmpty();
    }

    @Test
    void aWebhookSecretWithALineBreakIsNamedNeverShownAndEmailStillGoesOut() throws Exception {
        String bad = slack.webhookUrl() + "?k=SECRETPART\nX-Injected: 1";
        clients.secrets().putSecretValue(b -> b.secretId("curfew/slack-webhook").secretString(bad));

        Map<String, Object> out = run("curfew", curfew.plus(Duration.ofMinutes(1)), "enforce");

        assertThat(seed.state(EU, alice1)).isEqualTo(InstanceStateName.TERMINATED);
        // every message still goes out by email: the bad channel stops nothing else
        assertThat(emails()).extracting(MessagesIT::to).containsExactly("alice@example.edu", "bob@example.edu",
                "teacher@example.edu", "teacher@example.edu");
        assertThat(slack.requests()).isEmpty();
        assertThat(deliveries(out)).filteredOn(d -> String.valueOf(d.get("channel")).startsWith("slack"))
                .hasSize(4).allSatisfy(d -> {
                    assertThat(d).containsEntry("status", "failed");
                    assertThat(d.get("detail")).asString().contains("curfew/slack-webhook")
                            .contains("line break or control character");
                });
        assertThat(notifications(out).get("problems")).asString().contains("curfew/slack-webhook");
        assertThat(out.toString()).doesNotContain("SECRETPART").doesNotContain(slack.webhookUrl());
    }

    @Test
    void aBotTokenWithALineBreakIsNamedNeverShownAndTheWebhookStillDelivers() throws Exception {
        clients.secrets().createSecret(b -> b.name("curfew/slack-bot").secretString("{\"token\": \"xoxb-SECRETPART"
                + "\\nX-Injected: 1\"}"));

        Map<String, Object> out = run("warning", curfew.minus(Duration.ofMinutes(30)), "enforce",
                Map.of("curfew.slack-bot-token-secret", "curfew/slack-bot"));

        assertThat(slack.requests("/api/chat.postMessage")).isEmpty();
        assertThat(slack.requests("/hook")).hasSize(3);
        assertThat(emails()).hasSize(3);
        assertThat(notifications(out).get("problems")).asString().contains("curfew/slack-bot")
                .contains("line break or control character");
        assertThat(out.toString()).doesNotContain("SECRETPART");
    }
}
