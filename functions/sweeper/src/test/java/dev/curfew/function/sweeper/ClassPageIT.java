package dev.curfew.function.sweeper;

import static dev.curfew.aws.testing.Seed.tags;
import static org.assertj.core.api.Assertions.assertThat;

import dev.curfew.aws.notify.ClassPages;
import dev.curfew.aws.testing.FakeSlack;
import dev.curfew.core.report.RunMetrics;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.cloudwatch.model.MetricDatum;
import software.amazon.awssdk.services.ec2.model.InstanceStateName;

/**
 * The curfew sweep writes the class page to the stack's bucket and the instructor's summary links to it; a dry run
 * writes it too and changes nothing of the students'; a page that cannot be written is reported and the sweep goes
 * on. The page bucket itself, part of Curfew's stack, is never swept.
 */
class ClassPageIT extends SweeperPasses {
    static final String STACK = "curfew-it";
    static final String BUCKET = "curfew-it-classpagebucket-1abc";
    static final ZoneId ZONE = ZoneId.of("Europe/Amsterdam");
    /** Alice's instance, running until the curfew the pass runs a minute after. */
    String alice;

    ClassPageIT() {
        super("classpage-it-policy.yaml");
    }

    @BeforeEach
    void seed() throws Exception {
        alice = seed.instance(EU, tags("curfew:owner", "alice", "Name", "<script>alert(1)</script>"));
        clients.ssm(EU).putParameter(b -> b.name("/curfew/roster").type("String").value("""
                owner,name,email,slack
                alice,Alice "<b>" Liddell,alice@example.edu,
                bob,Bob,bob@example.edu,
                """));
        clients.secrets().createSecret(b -> b.name("curfew/slack-webhook").secretString(slack.webhookUrl()));
    }

    /**
     * The page bucket, with an earlier page in it; someone gave it an owner tag, as if it were a student's (in AWS
     * CloudFormation tags it with the stack too, which the emulator does not let a test write).
     */
    void pageBucket() {
        clients.s3().createBucket(b -> b.bucket(BUCKET).createBucketConfiguration(c -> c.locationConstraint(EU)));
        clients.s3().putBucketTagging(b -> b.bucket(BUCKET).tagging(t -> t.tagSet(
                software.amazon.awssdk.services.s3.model.Tag.builder().key("curfew:owner").value("bob").build())));
        clients.s3().putObject(b -> b.bucket(BUCKET).key("class-page/2026-01-05.html"),
                RequestBody.fromString("<p>an older page</p>"));
    }

    Map<String, Object> curfewPass(String mode, String bucket) throws Exception {
        return run("curfew", curfew.plus(Duration.ofMinutes(1)), mode, Map.of("curfew.stack-name", STACK,
                "curfew.page-bucket", bucket, "curfew.page-link-hours", "24"));
    }

    String summary() {
        return slack.requests("/hook").stream().map(FakeSlack.Request::body).filter(b -> b.contains("Curfew summary"))
                .findFirst().orElseThrow();
    }

    String page() {
        return clients.s3().getObjectAsBytes(b -> b.bucket(BUCKET).key(ClassPages.key(curfew.plusSeconds(60), ZONE)))
                .asUtf8String();
    }

    static String get(String url) throws Exception {
        HttpURLConnection c = (HttpURLConnection) URI.create(url).toURL().openConnection();
        assertThat(c.getResponseCode()).isEqualTo(200);
        try (var in = c.getInputStream()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void theCurfewSweepWritesThePageAndTheSummaryLinksToIt() throws Exception {
        pageBucket();
        clients.s3().createBucket(b -> b.bucket("lab-bob").createBucketConfiguration(c -> c.locationConstraint(EU)));
        clients.s3().putBucketTagging(b -> b.bucket("lab-bob").tagging(t -> t.tagSet(
                software.amazon.awssdk.services.s3.model.Tag.builder().key("curfew:owner").value("bob").build())));
        clients.s3().putObject(b -> b.bucket("lab-bob").key("results.csv"), RequestBody.fromString("a,b\n"));
        // what earlier runs recorded (their EMF lines become this metric): two weeks back, and earlier this week
        clients.cloudWatch(EU).putMetricData(b -> b.namespace(RunMetrics.namespace(STACK)).metricData(
                MetricDatum.builder().metricName(RunMetrics.SAVED_PER_MONTH_USD).value(41.17)
                        .timestamp(curfew.minus(Duration.ofDays(14))).build(),
                MetricDatum.builder().metricName(RunMetrics.SAVED_PER_MONTH_USD).value(3.5)
                        .timestamp(Instant.now().minus(Duration.ofHours(2))).build()));

        Map<String, Object> out = curfewPass("enforce", BUCKET);

        assertThat(seed.state(EU, alice)).isEqualTo(InstanceStateName.TERMINATED);
        String html = page();
        assertThat(html).startsWith("<!DOCTYPE html>").contains("Cloud Computing 101")
                .contains("Alice &quot;&lt;b&gt;&quot; Liddell").contains("&lt;script&gt;alert(1)&lt;/script&gt;")
                .doesNotContain("<script").contains(alice).contains("$41.17").contains("Bob")
                .as("each student's spend, Curfew's estimate").contains("over budget");
        assertThat(clients.s3().headObject(b -> b.bucket(BUCKET).key(ClassPages.key(curfew.plusSeconds(60), ZONE)))
                .contentType()).isEqualTo("text/html; charset=utf-8");
        // the summary's link is presigned, says until when it works, and opens the page
        String summary = summary();
        Matcher link = Pattern.compile("<(http[^|>]+)\\|Open the class page>").matcher(summary);
        assertThat(link.find()).as(summary).isTrue();
        String url = link.group(1).replace("&amp;", "&");
        assertThat(url).contains("/" + BUCKET + "/class-page/").contains("X-Amz-Signature=")
                .contains("X-Amz-Expires=86400");
        assertThat(summary).contains("the link works until " + dev.curfew.core.notify.Digests.when(
                curfew.plus(Duration.ofMinutes(1)).plus(Duration.ofHours(24)), ZONE));
        assertThat(get(url)).isEqualTo(html);
        // the stack's bucket was not swept: its older page is still there, and the report says why
        assertThat(clients.s3().listObjectsV2(b -> b.bucket(BUCKET)).keyCount()).isEqualTo(2);
        List<Map<String, Object>> resources = (List<Map<String, Object>>) out.get("resources");
        assertThat(resources).filteredOn(r -> BUCKET.equals(r.get("id"))).singleElement()
                .satisfies(r -> assertThat(r).containsEntry("decision", "skip")
                        .satisfies(x -> assertThat(x.get("reason")).asString().contains("holds Curfew's class pages")));
        // a student's bucket like it is marked, so the page bucket was left alone for being Curfew's
        assertThat(resources).filteredOn(r -> "lab-bob".equals(r.get("id"))).singleElement()
                .satisfies(r -> assertThat(r).containsEntry("decision", "mark"));
        assertThat(out.toString()).doesNotContain("X-Amz-Signature");
    }

    @Test
    void aDryRunWritesThePageAndChangesNothingOfTheStudents() throws Exception {
        pageBucket();

        curfewPass("dry-run", BUCKET);

        assertThat(seed.state(EU, alice)).isEqualTo(InstanceStateName.RUNNING);
        assertThat(page()).contains("Dry run:").contains("would be terminated");
        assertThat(summary()).contains("|Open the class page>");
    }

    @Test
    @SuppressWarnings("unchecked")
    void aPageThatCannotBeWrittenIsReportedAndTheSweepGoesOn() throws Exception {
        Map<String, Object> out = curfewPass("enforce", "no-such-page-bucket");

        assertThat(seed.state(EU, alice)).isEqualTo(InstanceStateName.TERMINATED);
        assertThat(summary()).contains("*The class page could not be written:* cannot write "
                + "s3://no-such-page-bucket/class-page/").contains("NoSuchBucket").doesNotContain("Open the class page");
        assertThat((List<String>) ((Map<String, Object>) out.get("notifications")).get("problems"))
                .anySatisfy(p -> assertThat(p).startsWith("the class page: cannot write s3://no-such-page-bucket/"));
    }
}
