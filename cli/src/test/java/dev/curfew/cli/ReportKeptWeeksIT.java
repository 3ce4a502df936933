package dev.curfew.cli;

import static dev.curfew.aws.testing.Seed.tags;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.curfew.aws.budget.SpentRecords;
import dev.curfew.aws.testing.FaultProxy;
import dev.curfew.core.budget.CourseWeek;
import dev.curfew.core.spend.ClassSpend;
import dev.curfew.core.spend.Spend;
import dev.curfew.core.spend.SpendText;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ec2.model.InstanceStateName;
import software.amazon.awssdk.services.ssm.model.Parameter;

/**
 * {@code ./curfew report --html FILE} reads the kept figures of closed weeks as the sweeper's class page does: alice's
 * week two weeks back was kept ($6.50, 4 h, written through {@link SpentRecords} as the sweeper closes a week), last
 * week is over and not closed yet, and she runs an instance now; the course budget is $10.00 from two weeks back. The
 * course total on the page, in the text and in the JSON is the kept week plus this week's estimate; the report writes
 * nothing (last week stays open: only the sweeper closes a week); kept weeks that cannot be read make every total
 * "at least", never $0.
 */
class ReportKeptWeeksIT extends CurfewRuns {
    static final String STACK = "curfew-it";
    static final String SPENT = "/curfew/" + STACK + "/budget/spent";
    final Instant now = Instant.now().plus(Duration.ofHours(3));
    final LocalDate monday = CourseWeek.monday(ZoneOffset.UTC, now);
    Path dir;
    Path page;
    String lab;
    String proxyEndpoint;
    String stack = STACK;

    @BeforeEach
    void setUp() throws Exception {
        lab = seed.instance(EU, tags("Name", "lab", "curfew:owner", "alice"));
        dir = Files.createTempDirectory("curfew-kept");
        page = dir.resolve("class.html");
        Files.writeString(dir.resolve("policy.yaml"), """
                accounts: ["123456789012"]
                time-zone: UTC
                rules: {ec2-idle: {enabled: false}, ec2-forgotten: {enabled: false}, ec2-stopped: {enabled: false}}
                budgets: {course: 10.00, course-start: %s}
                """.formatted(monday.minusWeeks(2)));
        Files.writeString(dir.resolve("roster.csv"), "owner,name,email\nalice,Alice,alice@example.edu\n");
        // the sweeper's first enforce pass of last week closed the week before: alice's $6.50 and 4 h
        new SpentRecords(clients.ssm(EU), STACK).close(ZoneOffset.UTC, monday.minusWeeks(1).atStartOfDay(ZoneOffset.UTC)
                .toInstant().plusSeconds(3600), monday.minusWeeks(2), w -> {
                    Instant start = w.atStartOfDay(ZoneOffset.UTC).toInstant();
                    return new ClassSpend(start, start.plus(Duration.ofDays(7)), Map.of("alice", new Spend("alice",
                            start, 6.50, 6.50, 4, 4, Spend.Source.ESTIMATE)), null, List.of(), null, Map.of());
                });
        assertThat(kept()).extracting(Parameter::name).containsExactlyInAnyOrder(
                SPENT + "/" + monday.minusWeeks(2) + "/alice", SPENT + "/" + monday.minusWeeks(2) + "/_closed");
    }

    @Override
    List<String> options() {
        return List.of("--endpoint-url", proxyEndpoint, "--region", EU, "--regions", EU, "--policy",
                dir.resolve("policy.yaml").toString(), "--roster", dir.resolve("roster.csv").toString(), "--now",
                now.toString(), "--stack", stack);
    }

    @Test
    void theCourseTotalCountsTheKeptWeeksOnThePageInTheTextAndInTheJsonAndTheReportWritesNothing() throws Exception {
        try (FaultProxy proxy = FaultProxy.start(moto.endpoint(), 0, 1)) {
            proxyEndpoint = proxy.endpoint();
            assertThat(curfew("report", "--html", page.toString())).as(err).isZero();
            // the page: this week's estimate (3 h of a t3.micro), and the course total with the kept week's $6.50
            java.util.regex.Matcher m = Pattern.compile("<td><b>\\$(\\d+\\.\\d\\d)</b><div class=\"bar\".*?"
                    + "<td><b>\\$(\\d+\\.\\d\\d)</b> of \\$10\\.00").matcher(Files.readString(page));
            assertThat(m.find()).as(Files.readString(page)).isTrue();
            double week = Double.parseDouble(m.group(1));
            double total = Double.parseDouble(m.group(2));
            assertThat(week).isPositive();
            assertThat(total).isCloseTo(6.50 + week, within(0.015));
            assertThat(Files.readString(page)).doesNotContain("at least").doesNotContain("partial");
            // the text: the same figures
            assertThat(out).contains("Dry-run: nothing was changed")
                    .contains("== spend (name, owner: this week / in total / instance hours this week, source; as on "
                            + "the class page)")
                    .containsPattern(Pattern.quote("Alice, alice: " + SpendText.money(week) + " / "
                            + SpendText.money(total) + " of $10.00 / "));

            // the JSON: the same figures
            assertThat(curfew("report", "--html", page.toString(), "--json")).as(err).isZero();
            JsonNode json = new ObjectMapper().readTree(out);
            JsonNode alice = json.get("spend").get(0);
            assertThat(alice.get("student").asText()).isEqualTo("alice");
            assertThat(SpendText.money(alice.get("weekDollars").asDouble())).isEqualTo(SpendText.money(week));
            assertThat(SpendText.money(alice.get("totalDollars").asDouble())).isEqualTo(SpendText.money(total));
            assertThat(alice.get("totalHours").asDouble()).isCloseTo(4 + alice.get("weekHours").asDouble(),
                    within(1e-6));
            assertThat(alice.get("courseLimit").asText()).isEqualTo("10.00");
            assertThat(json.get("totalsPartial").asBoolean()).isFalse();

            // a report only reads: no write of any service, and last week (over, not closed) stays open for the
            // sweeper
            Pattern write = Pattern.compile(":(Put|Delete|Create|Terminate|Stop|Modify|Release|Cancel)");
            assertThat(proxy.passed()).extracting(FaultProxy.Call::name).contains("ssm:GetParametersByPath")
                    .noneMatch(n -> write.matcher(n).find());
        }
        assertThat(kept()).extracting(Parameter::name).containsExactlyInAnyOrder(
                SPENT + "/" + monday.minusWeeks(2) + "/alice", SPENT + "/" + monday.minusWeeks(2) + "/_closed");
        assertThat(seed.state(EU, lab)).isEqualTo(InstanceStateName.RUNNING);
    }

    @Test
    void keptWeeksThatCannotBeReadMakeEveryTotalAtLeastNeverNothing() throws Exception {
        // the kept weeks' listing refused, as IAM refuses a user without ssm:GetParametersByPath on them
        try (FaultProxy proxy = FaultProxy.start(moto.endpoint(), 0, 1).refuse("ssm:GetParametersByPath", SPENT,
                100)) {
            proxyEndpoint = proxy.endpoint();
            assertThat(curfew("report", "--html", page.toString())).as(err).isZero();
            assertThat(err).contains("the course totals are partial: the kept figures of earlier weeks could not be "
                    + "read (" + SPENT);
            // this week's estimate alone, said to be at least that: never $0.00, never less than the week
            java.util.regex.Matcher text = Pattern.compile("Alice, alice: \\$(\\d+\\.\\d\\d) / at least "
                    + "\\$(\\d+\\.\\d\\d) of \\$10\\.00").matcher(out);
            assertThat(text.find()).as(out).isTrue();
            double week = Double.parseDouble(text.group(1));
            double total = Double.parseDouble(text.group(2));
            assertThat(week).isPositive();
            assertThat(total).isPositive().isGreaterThanOrEqualTo(week);
            java.util.regex.Matcher html = Pattern.compile("<td>at least <b>\\$(\\d+\\.\\d\\d)</b> of \\$10\\.00")
                    .matcher(Files.readString(page));
            assertThat(html.find()).as(Files.readString(page)).isTrue();
            assertThat(Double.parseDouble(html.group(1))).isEqualTo(total);
            assertThat(Files.readString(page))
                    .contains("The course totals are partial: the kept figures of earlier weeks could not be read (");

            assertThat(curfew("report", "--html", page.toString(), "--json")).as(err).isZero();
            JsonNode json = new ObjectMapper().readTree(out);
            assertThat(json.get("totalsPartial").asBoolean()).isTrue();
            assertThat(json.get("spendNote").asText()).contains("the course totals are partial");
            assertThat(proxy.faulted()).isNotEmpty();
        }
    }

    @Test
    void badValuesAreNamedBeforeAnythingIsRead() throws Exception {
        proxyEndpoint = moto.endpoint();
        stack = "no stack";
        assertThat(curfew("report", "--html", page.toString())).isEqualTo(2);
        assertThat(err).contains("--stack \"no stack\" is not a CloudFormation stack name");
        stack = STACK;
        assertThat(curfew("report", "--html", dir.resolve("none").resolve("class.html").toString())).isEqualTo(2);
        assertThat(err).contains("the directory " + dir.resolve("none") + " does not exist");
        assertThat(page).doesNotExist();
        assertThat(kept()).hasSize(2);
    }

    private List<Parameter> kept() {
        return dev.curfew.aws.SsmPaths.below(clients.ssm(EU), SPENT);
    }
}
