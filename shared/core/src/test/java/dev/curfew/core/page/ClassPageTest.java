package dev.curfew.core.page;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.curfew.core.notify.Item;
import dev.curfew.core.notify.Roster;
import dev.curfew.core.plan.Plan;
import dev.curfew.core.report.SweepReport;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class ClassPageTest {
    /** Every element the page may contain: nothing that loads, runs or links. */
    static final Set<String> ALLOWED_TAGS = Set.of("html", "head", "meta", "title", "style", "body", "main", "h1",
            "h2", "div", "b", "i", "span", "ul", "li", "table", "thead", "tbody", "tr", "th", "td", "footer", "svg",
            "line", "rect", "text");

    static Set<String> tagsOf(String html) {
        Set<String> tags = new HashSet<>();
        Matcher m = Pattern.compile("<\\s*/?\\s*([A-Za-z][A-Za-z0-9-]*)").matcher(html);
        while (m.find()) {
            tags.add(m.group(1).toLowerCase(Locale.ROOT));
        }
        return tags;
    }

    /**
     * What in a page could make a request: in its elements (text between them cannot, escaped as it is), an
     * attribute that loads or links, a URL with a scheme or a host, an element that loads; in its style sheets an
     * import or a url().
     */
    static List<String> networkReferences(String html) {
        List<String> found = new ArrayList<>();
        Pattern inTag = Pattern.compile("(?i)(\\s(src|href|srcset|action|formaction|poster|data|background|"
                + "xlink:href|ping|manifest)\\s*=|[a-z]+:|//|^<\\s*(script|link|iframe|frame|object|embed|img|image|"
                + "use|base|form|audio|video|source|track|feimage)\\b)");
        Matcher tags = Pattern.compile("<[A-Za-z][^>]*>").matcher(html);
        while (tags.find()) {
            // a colon inside a tag is a scheme (http:, data:, javascript:) unless it is in the page's own CSP
            String tag = tags.group().replace("default-src 'none'; style-src 'unsafe-inline'; img-src data:", "");
            Matcher m = inTag.matcher(tag.replaceAll("style=\"width:\\d+%\"", ""));
            while (m.find()) {
                found.add(tags.group() + " -> " + m.group());
            }
        }
        Matcher styles = Pattern.compile("(?is)<style[^>]*>(.*?)</style>").matcher(html);
        while (styles.find()) {
            Matcher m = Pattern.compile("(?i)@import|url\\s*\\(|https?:|//").matcher(styles.group(1));
            while (m.find()) {
                found.add("style -> " + m.group());
            }
        }
        return found;
    }

    @Test
    void aHostileTagValueIsShownAsTextAndNeverAsMarkup() {
        String html = ClassPageHtml.render(ClassPageSamples.page(true, null));
        assertThat(html).doesNotContainIgnoringCase("<script").doesNotContainIgnoringCase("<img")
                .doesNotContain(ClassPageSamples.HOSTILE_NAME).doesNotContain(ClassPageSamples.HOSTILE_OWNER);
        assertThat(html).contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&quot;&gt;&lt;img src=x "
                + "onerror=alert(1)&gt;");
        assertThat(html).contains("mallory&quot;&gt;&lt;script&gt;");
        assertThat(tagsOf(html)).isSubsetOf(ALLOWED_TAGS);
        // the hostile instance is still listed, in its owner's row: as running and marked
        assertThat(html).contains("i-0bad");
    }

    @Test
    void theCheckersCatchWhatTheyLookFor() {
        // the checks above and below would fail on a page that loads or runs something
        String bad = "<div><img src=\"https://evil.example/x.png\"><script src=x></script>"
                + "<style>@import url(//cdn.example.com/a.css)</style></div>";
        assertThat(tagsOf(bad)).contains("img", "script").isNotIn(ALLOWED_TAGS);
        assertThat(networkReferences(bad)).hasSizeGreaterThanOrEqualTo(4);
        assertThat(networkReferences("<svg xmlns=\"http://www.w3.org/2000/svg\"></svg>")).isNotEmpty();
    }

    @Test
    void thePageReferencesNothingOutsideItself() {
        for (boolean withSpend : new boolean[] {false, true}) {
            String html = ClassPageHtml.render(ClassPageSamples.page(true, withSpend
                    ? ClassPageSamples.spend(Map.of("alice", 10.0, "bob", 10.0)) : null));
            assertThat(networkReferences(html)).isEmpty();
            assertThat(html).contains("<style>").contains("<svg").contains("default-src 'none'");
        }
    }

    @Test
    void everyStudentIsShownWithWhatRunsWhatIsMarkedAndWhatWasDone() {
        ClassPage page = ClassPageSamples.page(false, null);
        String html = ClassPageHtml.render(page);
        for (String name : List.of("Alice Liddell", "Bob Marley", "Carol Danvers", "Dave Grohl", "Erin Brockovich",
                "Frank Ocean", "Grace Hopper", "Heidi Klum")) {
            assertThat(html).contains("<b>" + name + "</b>");
        }
        assertThat(html).contains("Cloud Computing 101 (demo)").contains("Wed 25 Nov 18:01 Europe/Amsterdam");
        ClassPage.Student carol = student(page, "carol");
        assertThat(carol.running()).extracting(ClassPage.Entry::label).containsExactly("thesis-data");
        ClassPage.Student frank = student(page, "frank");
        assertThat(frank.running()).extracting(ClassPage.Entry::label).containsExactly("db-server");
        ClassPage.Student bob = student(page, "bob");
        assertThat(bob.running()).isEmpty(); // stopped by the sweep
        assertThat(bob.acted()).extracting(ClassPage.Entry::note).containsExactly("stopped");
        assertThat(bob.marked()).singleElement().satisfies(e -> {
            assertThat(e.label()).isEqualTo("lab-bob-results");
            assertThat(e.note()).isEqualTo("emptied (every object and version deleted) at Thu 26 Nov 18:00 "
                    + "Europe/Amsterdam unless kept");
        });
        assertThat(student(page, "alice").acted()).extracting(ClassPage.Entry::label)
                .containsExactly("web-lab", "scratch-data");
        assertThat(student(page, "heidi").running()).isEmpty(); // in the roster, owns nothing: still listed
        assertThat(student(page, "erin").failed()).isEqualTo(1);
        assertThat(student(page, "erin").acted()).singleElement().satisfies(e -> {
            assertThat(e.failed()).isTrue();
            assertThat(e.note()).isEqualTo("could not be terminated: UnauthorizedOperation: not allowed");
        });
        assertThat(page.students().get(page.students().size() - 1).owner()).isNull(); // the unowned address last
        assertThat(html).contains("UnauthorizedOperation: not allowed").contains("No owner tag");
        assertThat(page.runningCount()).isEqualTo(2);
        assertThat(page.markedCount()).isEqualTo(1);
        assertThat(page.actedCount()).isEqualTo(6);
    }

    @Test
    void withoutSpendFiguresThereIsNoSpendColumnAndNoFigure() {
        String html = ClassPageHtml.render(ClassPageSamples.page(false, null));
        assertThat(html).doesNotContain("This week / budget").doesNotContain("Course total")
                .doesNotContain("over their week").doesNotContain("instance hours").doesNotContain(" of $10.00");
    }

    @Test
    void spendIsShownAgainstTheBudgetAndOverspendingStandsOut() {
        ClassPage page = ClassPageSamples.page(false, ClassPageSamples.spend(Map.of("ALICE", 10.0, "bob", 10.0)));
        String html = ClassPageHtml.render(page);
        assertThat(html).contains("<th>This week / budget</th>").contains("<b>$3.10</b> of $10.00")
                .contains("<b>$12.40</b> of $10.00 <span class=\"bad\">over budget</span>")
                .contains("billed (Cost Explorer)").contains("<b>$8.20</b> <span class=\"none\">no budget</span>")
                .contains("$20.12"); // bob's course total
        assertThat(student(page, "alice").budget().percent()).isEqualTo(31, org.assertj.core.data.Offset.offset(1e-7));
        assertThat(page.overBudget()).isEqualTo(1);
        assertThat(html).contains("<b>1</b><span>over budget</span>");
        // dave has no figure: said so, not made up
        assertThat(student(page, "dave").spend()).isNull();
        assertThat(html).contains("no figure");
    }

    @Test
    void hoursAndCourseBudgetsWithTopUpsShowAgainstTheirOwnUnitAndTheOverOnesStandOut() {
        // alice: 20 h a week and $50 for the course, topped up by 5 h; bob: $30 a week, his course total over $50
        dev.curfew.core.budget.BudgetRules rules = new dev.curfew.core.budget.BudgetRules(
                dev.curfew.core.budget.Amount.dollars(30), dev.curfew.core.budget.Amount.dollars(20),
                Map.of("alice", dev.curfew.core.budget.Amount.hours(20)));
        Instant week = Instant.parse("2026-11-22T23:00:00Z");
        Map<String, dev.curfew.core.spend.Spend> by = new java.util.LinkedHashMap<>();
        ClassPageSamples.spend().forEach(sp -> by.put(sp.student(), sp));
        dev.curfew.core.spend.ClassSpend spend = new dev.curfew.core.spend.ClassSpend(week, ClassPageSamples.CURFEW,
                by, null, List.of(), null, Map.of()).withBudgets(rules,
                Map.of("ALICE", new dev.curfew.core.budget.TopUp(0, 5)));
        ClassPage page = ClassPage.of("Cloud Computing 101 (demo)", "enforce", "123456789012", ClassPageSamples.ZONE,
                ClassPageSamples.CURFEW, ClassPageSamples.items(false), ClassPageSamples.roster(), spend,
                ClassPageSamples.saved(), "x", List.of());
        String html = ClassPageHtml.render(page);
        // alice: 41 h of 25 h (20 + the top-up of 5) this week: over; $9.85 of $20.00 for the course
        assertThat(html).contains("<b>$3.10</b>, 41.0 h of 25 h <span class=\"bad\">over budget</span>")
                .contains("164 % of the week&#39;s budget").contains("<b>$9.85</b> of $20.00<span")
                // bob: $12.40 of $30.00 this week, but $20.12 of $20.00 for the course: over, and the bar says so
                .contains("<b>$12.40</b> of $30.00<div").contains("<b>$20.12</b> of $20.00 <span class=\"bad\">"
                        + "over budget</span>").contains("101 % of the course&#39;s budget");
        assertThat(student(page, "alice").budget().weekLimit()).isEqualTo(dev.curfew.core.budget.Amount.hours(25));
        assertThat(student(page, "carol").budget().over()).isFalse(); // $8.20 of $30.00, $8.20 of $20.00
        assertThat(student(page, "dave").budget()).isNull(); // no figure, no standing made up
        assertThat(page.overBudget()).isEqualTo(2);
        assertThat(html).contains("<b>2</b><span>over budget</span>");
    }

    @Test
    void aPartialCourseTotalReadsAtLeastAndThePageSaysWhy() {
        dev.curfew.core.spend.ClassSpend whole = ClassPageSamples.spend(Map.of("alice", 10.0));
        dev.curfew.core.spend.ClassSpend partial = dev.curfew.core.spend.ClosedWeeks.failed("AccessDenied")
                .total(whole, ClassPageSamples.ZONE, null);
        ClassPage page = ClassPageSamples.page(false, partial);
        String html = ClassPageHtml.render(page);
        assertThat(page.partialTotal()).isTrue();
        assertThat(html).contains("<td>at least $9.85<span class=\"what\">") // alice's total, never without "at least"
                .contains("<td>at least $20.12").doesNotContain("<td>$9.85")
                .contains("<div class=\"what bad\">The course totals are partial: the kept figures of earlier weeks "
                        + "could not be read (AccessDenied)</div>");
        // whole totals say nothing of the kind
        String whole2 = ClassPageHtml.render(ClassPageSamples.page(false, whole));
        assertThat(whole2).contains("<td>$9.85<span").doesNotContain("at least").doesNotContain("partial");
    }

    @Test
    void theChartShowsTheRecordedWeeks() {
        String html = ClassPageHtml.render(ClassPageSamples.page(false, null));
        assertThat(html).contains("Money saved by week").contains("$36.94").contains("$40.15")
                .contains("this week").contains("2 Nov");
        assertThat(Pattern.compile("<rect ").matcher(html).results().count()).isEqualTo(8);
    }

    @Test
    void aDryRunSaysSoAndWhatWouldHappen() {
        SweepReport.Row row = ClassPageSamples.row("ec2-instance", "i-1", "lab", "eu-west-1", "alice", "running",
                "t3.micro", "stop", "would", null, 0.0114);
        SweepReport report = new SweepReport("C", "123456789012", "dry-run", ClassPageSamples.CURFEW, 10,
                List.of("eu-west-1"), Map.of("us-east-1", "throttled"), "ok", new Plan.Breaker(false, 1, 20),
                List.of(row), Map.of());
        ClassPage page = ClassPage.of("C", ClassPageSamples.ZONE, ClassPageSamples.CURFEW, report, null,
                ClassPageSamples.roster(), null, List.of(), "No record.", List.of("the page: x"));
        String html = ClassPageHtml.render(page);
        assertThat(html).contains("Dry run:").contains("would be stopped").contains("enforce would stop it")
                .contains("us-east-1 could not be read: throttled").contains("the page: x")
                .contains("No record.");
        assertThat(student(page, "alice").running()).hasSize(1); // a dry run stops nothing
    }

    @Test
    void savingsAreSummedByCourseWeekInTheCourseZone() {
        Instant now = Instant.parse("2026-11-25T17:00:00Z"); // Wednesday
        List<SavedWeeks.Week> weeks = SavedWeeks.of(List.of(
                // Sunday 22 Nov 23:30 in Amsterdam: the week before
                new SavedWeeks.Point(Instant.parse("2026-11-22T22:30:00Z"), 5),
                // Monday 23 Nov 00:30 in Amsterdam (still Sunday in UTC): this week
                new SavedWeeks.Point(Instant.parse("2026-11-22T23:30:00Z"), 7),
                new SavedWeeks.Point(Instant.parse("2026-11-24T17:00:00Z"), 1.25),
                // three weeks back and before the window
                new SavedWeeks.Point(Instant.parse("2026-11-04T17:00:00Z"), 2),
                new SavedWeeks.Point(Instant.parse("2026-10-01T17:00:00Z"), 100)), now, ClassPageSamples.ZONE, 4);
        assertThat(weeks).extracting(SavedWeeks.Week::start).containsExactly(LocalDate.of(2026, 11, 2),
                LocalDate.of(2026, 11, 9), LocalDate.of(2026, 11, 16), LocalDate.of(2026, 11, 23));
        assertThat(weeks).extracting(SavedWeeks.Week::usdPerMonth).containsExactly(2.0, 0.0, 5.0, 8.25);
        assertThatThrownBy(() -> new SavedWeeks.Point(now, -1)).hasMessageContaining("-1");
        assertThatThrownBy(() -> SavedWeeks.of(List.of(), now, ClassPageSamples.ZONE, 0))
                .hasMessageContaining("count");
    }

    @Test
    void anEmptyClassSaysSo() {
        ClassPage page = ClassPage.of("C", "enforce", "1", ClassPageSamples.ZONE, ClassPageSamples.CURFEW,
                List.<Item>of(), Roster.empty(null), null, List.of(), "No record yet.", List.of());
        assertThat(ClassPageHtml.render(page)).contains("No students in the roster and nothing found.")
                .contains("No record yet.").contains("None: every action");
    }

    static ClassPage.Student student(ClassPage page, String owner) {
        return page.students().stream().filter(s -> owner.equals(s.owner())).findFirst().orElseThrow();
    }
}
