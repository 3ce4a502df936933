package dev.curfew.core.notify;

import static dev.curfew.core.notify.Fixtures.CURFEW;
import static dev.curfew.core.notify.Fixtures.item;
import static dev.curfew.core.notify.Fixtures.policy;
import static dev.curfew.core.notify.Fixtures.roster;
import static dev.curfew.core.notify.Fixtures.row;
import static org.assertj.core.api.Assertions.assertThat;

import dev.curfew.core.plan.Plan;
import dev.curfew.core.policy.Policy;
import dev.curfew.core.report.Json;
import dev.curfew.core.report.SweepReport;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Rendering without any network: HTML, plain text and Slack Block Kit, escaping and Slack's limits. */
class RenderingTest {
    final Policy enforce = policy("enforce");
    static final String EVIL = "<script>alert('x')</script> & <!channel>";

    Digest bobs() {
        List<Item> items = List.of(item(row("ec2-instance", "i-0bbb", EVIL, "eu-west-1", "bob", "terminate", "would",
                null, 0.0114, "still running since before curfew")));
        return Digests.warnings(enforce, CURFEW, items, roster(), false).get(0);
    }

    @SuppressWarnings("unchecked")
    static List<String> texts(Map<String, Object> slackMessage) {
        List<String> out = new ArrayList<>();
        for (Map<String, Object> b : (List<Map<String, Object>>) slackMessage.get("blocks")) {
            if (b.get("text") instanceof Map<?, ?> t) {
                out.add(String.valueOf(t.get("text")));
            }
            if (b.get("elements") instanceof List<?> l) {
                l.forEach(e -> out.add(String.valueOf(((Map<String, Object>) e).get("text"))));
            }
        }
        return out;
    }

    @Test
    void htmlEscapesEverythingThatCameFromTagsAndNames() {
        Message m = Renderer.render(bobs());
        assertThat(m.html()).doesNotContain("<script>").contains("&lt;script&gt;")
                .contains("Bob &lt;b&gt;Builder&lt;/b&gt; &amp; Co")
                // Mustache's HTML escaping writes = as &#61;, which every mail client shows as =
                .contains("aws ec2 create-tags --region eu-west-1 --resources i-0bbb --tags Key&#61;curfew:keep,"
                        + "Value&#61;2026-11-25")
                .contains("Wed 25 Nov 18:00 Europe/Amsterdam")
                .startsWith("<!DOCTYPE html>");
        assertThat(m.subject()).contains("Curfew at 18:00");
    }

    @Test
    void plainTextIsNotEscaped() {
        Message m = Renderer.render(bobs());
        assertThat(m.text()).contains("Hello Bob <b>Builder</b> & Co,").contains(EVIL)
                .contains("    aws ec2 create-tags --region eu-west-1 --resources i-0bbb")
                .contains("Costs: $0.0114/h, about $8.32/month")
                .doesNotContain("&amp;").doesNotContain("\n\n\n");
    }

    @Test
    void slackEscapesAmpersandAndAngleBracketsOnlyAndMentionsTheOwner() {
        Digest alice = Digests.warnings(enforce, CURFEW, List.of(item(row("ec2-instance", "i-0aaa", EVIL, "eu-west-1",
                "alice", "terminate", "would", null, 0.0114, "it's \"old\""))), roster(), false).get(0);
        Message m = Renderer.render(alice);
        assertThat(m.slack()).hasSize(1);
        Map<String, Object> msg = m.slack().get(0);
        String all = String.join("\n", texts(msg));
        assertThat(all).contains("&lt;script&gt;alert('x')&lt;/script&gt; &amp; &lt;!channel&gt;")
                .doesNotContain("<script>").doesNotContain("<!channel>")
                .contains("<@U01ALICE>")
                .contains("it's \"old\"");
        assertThat(msg.get("text")).asString().startsWith("<@U01ALICE> [Cloud Computing 101] Curfew at 18:00");
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> blocks = (List<Map<String, Object>>) msg.get("blocks");
        assertThat(blocks.get(0)).containsEntry("type", "header");
        assertThat(Json.write(msg)).contains("\"type\": \"mrkdwn\"");
        // the direct message does not mention the person it is sent to
        assertThat(String.join("\n", texts(Renderer.renderDirect(alice).slack().get(0)))).doesNotContain("<@");
    }

    @Test
    void aLongDigestIsSplitUnderFiftyBlocksPerMessage() {
        List<Item> items = IntStream.range(0, 60).mapToObj(i -> item(row("ec2-instance", "i-%04d".formatted(i),
                "box " + i, "eu-west-1", "alice", "terminate", "would", null, 0.0114, "forgotten"))).toList();
        Digest d = Digests.warnings(enforce, CURFEW, items, roster(), false).get(0);
        Message m = Renderer.render(d);

        assertThat(m.slack()).hasSizeGreaterThan(2);
        int sections = 0;
        for (int i = 0; i < m.slack().size(); i++) {
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> blocks = (List<Map<String, Object>>) m.slack().get(i).get("blocks");
            assertThat(blocks).hasSizeLessThanOrEqualTo(SlackLayout.MAX_BLOCKS);
            assertThat(blocks.get(0).get("type")).isNotEqualTo("divider");
            assertThat(blocks.get(blocks.size() - 1).get("type")).isNotEqualTo("divider");
            assertThat(m.slack().get(i).get("text")).asString().endsWith("(" + (i + 1) + "/" + m.slack().size() + ")");
            sections += (int) texts(m.slack().get(i)).stream().filter(t -> t.contains("*EC2 instance `i-")).count();
        }
        assertThat(sections).as("every resource is in exactly one message").isEqualTo(60);
    }

    @Test
    void aSectionOverThreeThousandCharactersIsSplitAtLineBreaks() {
        String text = IntStream.range(0, 200).mapToObj(i -> "line " + i + " " + "x".repeat(30))
                .reduce((a, b) -> a + "\n" + b).orElseThrow();
        List<Map<String, Object>> sections = SlackLayout.sections(text);
        assertThat(sections).hasSizeGreaterThan(2);
        StringBuilder back = new StringBuilder();
        for (Map<String, Object> s : sections) {
            String t = (String) ((Map<?, ?>) s.get("text")).get("text");
            assertThat(t.length()).isLessThanOrEqualTo(SlackLayout.MAX_SECTION);
            back.append(back.length() == 0 ? "" : "\n").append(t);
        }
        assertThat(back.toString()).isEqualTo(text);
    }

    @Test
    void aSingleHugeLineIsCutHardButNeverInsideAnEscape() {
        String line = "&amp;".repeat(1000); // 5,000 characters, no line break
        List<String> chunks = SlackLayout.chunks(line, SlackLayout.MAX_SECTION);
        assertThat(chunks).hasSize(2).allSatisfy(c -> {
            assertThat(c.length()).isLessThanOrEqualTo(SlackLayout.MAX_SECTION);
            assertThat(c).startsWith("&amp;").endsWith("&amp;");
        });
        assertThat(String.join("", chunks)).isEqualTo(line);
    }

    @Test
    void theHeaderKeepsToSlacksLimit() {
        Map<String, Object> h = SlackLayout.header("x".repeat(400));
        assertThat((String) ((Map<?, ?>) h.get("text")).get("text")).hasSize(SlackLayout.MAX_HEADER);
    }

    @Test
    void theSummaryRendersEveryPart() {
        List<SweepReport.Row> rows = List.of(
                row("ec2-instance", "i-1", null, "eu-west-1", "alice", "terminate", "done", "terminated", 0.0114, "f"),
                row("ebs-volume", "vol-1", EVIL, "eu-west-1", "alice", "snapshot-then-delete", "failed",
                        "IncorrectState: busy", 0.0109, "f"),
                row("ec2-instance", "i-3", null, "eu-west-1", "zed", "terminate", "done", "terminated", 0.0114, "f"));
        SweepReport report = Fixtures.report("enforce", rows, Map.of("ap-south-1", "AuthFailure"),
                new Plan.Breaker(false, 3, 100));
        Roster roster = new Roster("roster.csv", roster().byOwner(), List.of("roster roster.csv line 7: bad"));
        Digest s = Digests.summary(enforce, report, rows.stream().map(Fixtures::item).toList(), roster,
                Digests.instructor(enforce), List.of(new Delivery("alice", "after-action", "slack-webhook", "channel",
                        1, Delivery.Status.FAILED, "the webhook answered HTTP 404: no_service")));
        Message m = Renderer.render(s);

        assertThat(m.html()).contains("Alice Liddell").contains("not in the roster").contains("ap-south-1: AuthFailure")
                .contains("IncorrectState: busy").contains("no_service").contains("roster roster.csv line 7: bad")
                .contains("&lt;script&gt;").doesNotContain("<script>").contains("Circuit breaker:");
        assertThat(m.text()).contains("alice: 2 / 1 / 1 / $8.32").contains("zed: 1 / 1 / 0 / $8.32")
                .contains("Region errors:\n  - ap-south-1: AuthFailure");
        String slack = String.join("\n", texts(m.slack().get(0)));
        assertThat(slack).contains("<@U0TEACHER>").contains("*Alice Liddell* (`alice`)").contains("no_service")
                .contains("&lt;script&gt;");
    }

    @Test
    void theCleanDaySummarySaysSo() {
        SweepReport report = Fixtures.report("dry-run", List.of(), Map.of(), new Plan.Breaker(false, 0, 100));
        Digest s = Digests.summary(policy("dry-run"), report, List.of(), roster(), Digests.instructor(enforce),
                List.of());
        Message m = Renderer.render(s);
        assertThat(m.html()).contains("Nothing found: the account is clean.").contains("Dry run.");
        assertThat(m.text()).contains("Region errors: none");
    }
}
