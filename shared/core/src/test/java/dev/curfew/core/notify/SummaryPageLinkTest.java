package dev.curfew.core.notify;

import static dev.curfew.core.notify.Fixtures.policy;
import static dev.curfew.core.notify.Fixtures.roster;
import static dev.curfew.core.notify.Fixtures.row;
import static org.assertj.core.api.Assertions.assertThat;

import dev.curfew.core.plan.Plan;
import dev.curfew.core.policy.Policy;
import dev.curfew.core.report.SweepReport;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The instructor's summary links to the class page, or says why there is none. */
class SummaryPageLinkTest {
    static final String URL = "https://curfew-pages.s3.eu-west-1.amazonaws.com/class-page/index.html"
            + "?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Expires=604800&X-Amz-Signature=abc123";
    final Policy enforce = policy("enforce");

    Digest summary() {
        List<SweepReport.Row> rows = List.of(row("ec2-instance", "i-1", null, "eu-west-1", "alice", "terminate",
                "done", "terminated", 0.0114, "f"));
        SweepReport report = Fixtures.report("enforce", rows, Map.of(), new Plan.Breaker(false, 1, 100));
        return Digests.summary(enforce, report, rows.stream().map(Fixtures::item).toList(), roster(),
                Digests.instructor(enforce), List.of());
    }

    @Test
    void everyChannelCarriesTheLinkAndWhenItExpires() {
        Message m = Renderer.render(summary().withPage(new Digest.Page(URL, "Wed 2 Dec 18:00 Europe/Amsterdam",
                null)));
        assertThat(m.text()).contains("The class page (every student, what runs, what is marked, what was saved): "
                + URL).contains("The link works until Wed 2 Dec 18:00 Europe/Amsterdam.");
        // in the HTML attribute & is written &amp; and = &#61;: a browser reads the same URL
        assertThat(m.html()).contains("<a href=\"https://curfew-pages.s3.eu-west-1.amazonaws.com/class-page/"
                + "index.html?X-Amz-Algorithm&#61;AWS4-HMAC-SHA256&amp;X-Amz-Expires&#61;604800&amp;"
                + "X-Amz-Signature&#61;abc123\"").contains("Open the class page");
        assertThat(String.join("\n", RenderingTest.texts(m.slack().get(0))))
                .contains("*<" + URL.replace("&", "&amp;") + "|Open the class page>*");
    }

    @Test
    void aPageThatWasNotWrittenIsReported() {
        Message m = Renderer.render(summary().withPage(new Digest.Page(null, null,
                "AccessDenied: s3:PutObject on curfew-pages")));
        assertThat(m.text()).contains("The class page could not be written: AccessDenied: s3:PutObject on "
                + "curfew-pages").doesNotContain("Open the class page");
        assertThat(m.html()).contains("The class page could not be written:</strong> AccessDenied");
        assertThat(String.join("\n", RenderingTest.texts(m.slack().get(0))))
                .contains("*The class page could not be written:* AccessDenied");
    }

    @Test
    void withoutAPageTheSummaryIsAsBefore() {
        Message before = Renderer.render(summary());
        assertThat(before.text()).doesNotContain("class page");
        assertThat(Renderer.render(summary().withPage(null)).text()).isEqualTo(before.text());
    }
}
