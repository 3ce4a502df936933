package dev.curfew.cli;

import static dev.curfew.aws.testing.Seed.tags;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ec2.model.InstanceStateName;

/** {@code curfew plan} and {@code curfew apply} against the moto server, as a user types them. */
class CliIT extends CurfewRuns {
    String idle;
    String stopped;
    String now = Instant.now().plus(Duration.ofHours(3)).toString();

    @BeforeEach
    void seed() {
        Instant t = Instant.parse(now);
        idle = seed.instance(EU, tags("Name", "lab", "curfew:owner", "alice"));
        seed.metrics(EU, idle, t.minus(Duration.ofHours(2)), t, 0.5, 100);
        stopped = seed.instance("us-east-1", tags("curfew:owner", "bob"));
        seed.stop("us-east-1", stopped);
    }

    private Path policy(String yaml) throws Exception {
        Path p = Files.createTempFile("policy", ".yaml");
        Files.writeString(p, yaml);
        return p;
    }

    @Test
    void planPrintsATableAndChangesNothing() throws Exception {
        Path p = policy("rules: {ec2-forgotten: {at-curfew: false}, ec2-stopped: {longer-than: 1h}}\n");
        int code = curfew("plan", "--endpoint-url", moto.endpoint(), "--region", EU, "--regions",
                "eu-west-1,us-east-1", "--policy", p.toString(), "--now", now);

        assertThat(code).as(err).isZero();
        assertThat(out).contains("RESOURCE", "REGION", "OWNER", "FINDING", "DECISION", "REASON")
                .containsPattern(idle + " \\(lab\\) +eu-west-1 +alice +idle: CPU 0.5% average.* +stop \\(dry-run\\)")
                .containsPattern(stopped + " +us-east-1 +bob +stopped for .* +terminate \\(dry-run\\)")
                .contains("Dry-run: nothing was changed");
        assertThat(err).contains("sweeping 2 regions");
        assertThat(seed.state(EU, idle)).isEqualTo(InstanceStateName.RUNNING);
        assertThat(seed.state("us-east-1", stopped)).isEqualTo(InstanceStateName.STOPPED);
    }

    @Test
    void applyWithJsonActsAndReportsCalls() throws Exception {
        Path p = policy("rules: {ec2-forgotten: {at-curfew: false}, ec2-stopped: {longer-than: 1h}}\n");
        int code = curfew("apply", "--endpoint-url", moto.endpoint(), "--region", EU, "--regions",
                "eu-west-1,us-east-1", "--accounts", "123456789012", "--policy", p.toString(), "--now", now, "--json");

        assertThat(code).as(err).isZero();
        JsonNode json = new ObjectMapper().readTree(out);
        assertThat(json.get("mode").asText()).isEqualTo("enforce");
        assertThat(json.get("outcomes").get("done").asInt()).isEqualTo(2);
        assertThat(json.get("apiCalls").get("ec2:StopInstances").asInt()).isEqualTo(1);
        assertThat(seed.state(EU, idle)).isEqualTo(InstanceStateName.STOPPED);
        assertThat(seed.state("us-east-1", stopped)).isEqualTo(InstanceStateName.TERMINATED);
    }

    @Test
    void applyWithAPolicyInS3NeverEmptiesThePolicysBucketWhateverItsTags() throws Exception {
        var s3 = clients.s3();
        String due = "empty@" + Instant.parse(now).minus(Duration.ofDays(1));
        for (String bucket : java.util.List.of("course-config", "lab-alice")) {
            s3.createBucket(b -> b.bucket(bucket).createBucketConfiguration(c -> c.locationConstraint(EU)));
            s3.putBucketTagging(b -> b.bucket(bucket).tagging(t -> t.tagSet(
                    software.amazon.awssdk.services.s3.model.Tag.builder().key("curfew:owner").value("alice").build(),
                    software.amazon.awssdk.services.s3.model.Tag.builder().key("curfew:pending").value(due).build())));
        }
        s3.putObject(b -> b.bucket("course-config").key("policy.yaml"), software.amazon.awssdk.core.sync.RequestBody
                .fromString("rules: {ec2-forgotten: {at-curfew: false}}\n"));
        s3.putObject(b -> b.bucket("lab-alice").key("data.csv"),
                software.amazon.awssdk.core.sync.RequestBody.fromString("1,2"));

        int code = curfew("apply", "--endpoint-url", moto.endpoint(), "--region", EU, "--regions", EU,
                "--accounts", "123456789012", "--policy", "s3://course-config/policy.yaml", "--now", now, "--json");

        assertThat(code).as(err).isZero();
        JsonNode rows = new ObjectMapper().readTree(out).get("resources");
        java.util.Map<String, JsonNode> byId = new java.util.HashMap<>();
        rows.forEach(r -> byId.put(r.get("id").asText(), r));
        assertThat(byId.get("lab-alice").get("outcome").asText()).isEqualTo("done");
        assertThat(byId.get("course-config").get("reason").asText())
                .isEqualTo("never touched: it holds Curfew's policy");
        assertThat(s3.listObjectsV2(b -> b.bucket("course-config")).contents()).hasSize(1);
        assertThat(s3.listObjectsV2(b -> b.bucket("lab-alice")).contents()).isEmpty();
    }

    @Test
    void applyWithoutTheAccountListedIsRefusedAndChangesNothing() {
        int code = curfew("apply", "--endpoint-url", moto.endpoint(), "--region", EU, "--regions", EU,
                "--accounts", "111111111111", "--now", now);

        assertThat(code).isEqualTo(1);
        assertThat(err).contains("account guard").contains("123456789012").contains("nothing was changed");
        assertThat(seed.state(EU, idle)).isEqualTo(InstanceStateName.RUNNING);
    }

    @Test
    void badInputsNameWhatIsWrongAndChangeNothing() throws Exception {
        assertThat(curfew("plan", "--endpoint-url", moto.endpoint(), "--now", "yesterday")).isEqualTo(2);
        assertThat(err).contains("--now \"yesterday\" is not an ISO-8601 instant");

        Path bad = policy("time-zone: Mars/Olympus\nrules: {ec2-idle: {window: 2 hours}}\n");
        assertThat(curfew("apply", "--endpoint-url", moto.endpoint(), "--policy", bad.toString())).isEqualTo(2);
        assertThat(err).contains("time-zone: \"Mars/Olympus\" is not a time zone")
                .contains("rules.ec2-idle.window: \"2 hours\" is not a duration; use 2h");

        assertThat(curfew("plan", "--endpoint-url", moto.endpoint(), "--policy", "/nope/policy.yaml")).isEqualTo(2);
        assertThat(err).contains("policy file /nope/policy.yaml does not exist");

        assertThat(curfew("apply", "--endpoint-url", moto.endpoint(), "--regions", "moon-1")).isEqualTo(2);
        assertThat(err).contains("regions[0] (from --regions): \"moon-1\" is not a region name");

        assertThat(curfew("plan", "--endpoint-url", "not a url")).isEqualTo(2);
        assertThat(err).contains("endpoint \"not a url\" is not a URL");

        assertThat(curfew("nuke")).isEqualTo(2);
        assertThat(err).contains("Unmatched argument");

        assertThat(seed.state(EU, idle)).isEqualTo(InstanceStateName.RUNNING);
        assertThat(seed.state("us-east-1", stopped)).isEqualTo(InstanceStateName.STOPPED);
    }

    /** {@code ./curfew report --html FILE}: the plan, and the class page saved locally. */
    @Test
    void reportSavesTheClassPageAndChangesNothing() throws Exception {
        Path dir = Files.createTempDirectory("curfew-report");
        Path roster = Files.writeString(dir.resolve("roster.csv"), "owner,name,email\nalice,Alice Liddell,"
                + "alice@example.edu\nbob,Bob,bob@example.edu\n");
        Path page = dir.resolve("class.html");

        String lab = seed.instance(EU, tags("Name", "lab <img src=x>", "curfew:owner", "alice"));

        int code = curfew("report", "--html", page.toString(), "--endpoint-url", moto.endpoint(), "--region", EU,
                "--regions", EU, "--now", now, "--roster", roster.toString());

        assertThat(code).as(err).isZero();
        assertThat(out).contains("Dry-run: nothing was changed");
        assertThat(err).contains("the class page is in " + page);
        String html = Files.readString(page);
        assertThat(html).startsWith("<!DOCTYPE html>").contains("<b>Alice Liddell</b>").contains("<b>Bob</b>")
                .contains(lab).contains("lab &lt;img src=x&gt;").doesNotContain("<img").contains("Dry run:")
                .contains("This sweep&#39;s figure only");
        assertThat(seed.state(EU, lab)).isEqualTo(InstanceStateName.RUNNING);
    }

    /** The report's page weighs each student's spend against their budget, the stack's top-up of the week included. */
    @Test
    void reportShowsSpendAgainstTheBudgetWithTheWeeksTopUp() throws Exception {
        Path page = Files.createTempDirectory("curfew-report").resolve("class.html");
        Path p = policy("time-zone: UTC\nbudgets: {weekly: 10.00, students: {bob: 30h}}\n");
        String week = dev.curfew.core.budget.CourseWeek.key(java.time.ZoneOffset.UTC, Instant.parse(now));
        new dev.curfew.aws.budget.BudgetRecords(clients.ssm(EU), "curfew-it").addTopUp(week, "alice",
                dev.curfew.core.budget.Amount.dollars(5));

        int code = curfew("report", "--html", page.toString(), "--endpoint-url", moto.endpoint(), "--region", EU,
                "--regions", "eu-west-1,us-east-1", "--now", now, "--policy", p.toString(), "--stack", "curfew-it");

        assertThat(code).as(err).isZero();
        String html = Files.readString(page);
        assertThat(html).contains("<th>This week / budget</th>").containsPattern("<b>\\$\\d+\\.\\d\\d</b> of "
                + "\\$15\\.00").containsPattern("<b>\\$\\d+\\.\\d\\d</b>, \\d+\\.\\d h of 30 h")
                .contains("% of the week&#39;s budget");
        // without the stack's records (another stack), the limits are the policy's
        assertThat(curfew("report", "--html", page.toString(), "--endpoint-url", moto.endpoint(), "--region", EU,
                "--regions", EU, "--now", now, "--policy", p.toString())).as(err).isZero();
        assertThat(Files.readString(page)).containsPattern("<b>\\$\\d+\\.\\d\\d</b> of \\$10\\.00");
    }

    /** {@code apply --html} reads the page's roster before it acts: a roster that cannot be read changes nothing. */
    @Test
    void applyWithAPageRosterThatCannotBeReadIsRefusedBeforeAnythingIsChanged() throws Exception {
        Path dir = Files.createTempDirectory("curfew-report");
        Path page = dir.resolve("class.html");
        Path missing = dir.resolve("missing.csv");
        Path p = policy("rules: {ec2-forgotten: {at-curfew: false}}\n");

        int code = curfew("apply", "--html", page.toString(), "--roster", missing.toString(), "--endpoint-url",
                moto.endpoint(), "--region", EU, "--regions", EU, "--accounts", "123456789012", "--policy",
                p.toString(), "--now", now);

        assertThat(code).isEqualTo(2);
        assertThat(err).contains("--roster " + missing + " cannot be read");
        assertThat(err).doesNotContain("sweeping");
        assertThat(seed.state(EU, idle)).as("the idle instance apply would stop").isEqualTo(InstanceStateName.RUNNING);
        assertThat(page).doesNotExist();
    }

    @Test
    void aBadPathIsNamedBeforeAnythingIsRead() throws Exception {
        assertThat(curfew("report", "--html", "/no/such/dir/class.html", "--endpoint-url", moto.endpoint()))
                .isEqualTo(2);
        assertThat(err).contains("--html /no/such/dir/class.html: the directory /no/such/dir does not exist");
        assertThat(out).doesNotContain("Dry-run");

        Path dir = Files.createTempDirectory("curfew-report");
        assertThat(curfew("report", "--html", dir.toString(), "--endpoint-url", moto.endpoint())).isEqualTo(2);
        assertThat(err).contains("--html " + dir + " is a directory");

        assertThat(curfew("report", "--endpoint-url", moto.endpoint())).isEqualTo(2);
        assertThat(err).contains("Missing required option: '--html=FILE'");

    }
}
