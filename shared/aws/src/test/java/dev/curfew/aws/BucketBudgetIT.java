package dev.curfew.aws;

import static dev.curfew.aws.testing.Seed.tags;
import static dev.curfew.aws.testing.Sweeps.row;
import static org.assertj.core.api.Assertions.assertThat;

import dev.curfew.aws.testing.MotoTest;
import dev.curfew.core.policy.PolicyLoader;
import dev.curfew.core.report.SweepReport;
import dev.curfew.core.sweep.Deadline;
import dev.curfew.core.sweep.SweepEngine;
import dev.curfew.core.testing.Ticker;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.ec2.model.InstanceStateName;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.Tag;

/**
 * A bucket too big for one run's time budget, on the moto server: it is emptied over several runs, each of which
 * still stops and terminates that run's instances first; the bucket keeps its mark in between, and nothing but what
 * the policy names is deleted. The time budget runs on a ticker that moves one second each time it is read, so each
 * run gets the same number of looks at the deadline (between DeleteObjects calls) whatever the machine's speed.
 */
class BucketBudgetIT extends MotoTest {
    static final String POLICY = """
            mode: enforce
            accounts: ["123456789012"]
            regions: [eu-west-1]
            rules:
              ec2-forgotten: {at-curfew: false}
              ec2-stopped: {longer-than: 1h}
              s3-not-empty: {grace: 24h, name-prefixes: [lab-]}
            """;
    S3Client s3;
    Instant now = Instant.now().plus(Duration.ofHours(3)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
    String mark = "empty@" + now.minus(Duration.ofDays(1));

    @BeforeEach
    void setUp() {
        s3 = clients.s3();
    }

    private void bucket(String name, Map<String, String> tags, boolean versioned) {
        s3.createBucket(b -> b.bucket(name).createBucketConfiguration(c -> c.locationConstraint(EU)));
        if (!tags.isEmpty()) {
            s3.putBucketTagging(b -> b.bucket(name).tagging(t -> t.tagSet(tags.entrySet().stream()
                    .map(e -> Tag.builder().key(e.getKey()).value(e.getValue()).build()).toList())));
        }
        if (versioned) {
            s3.putBucketVersioning(b -> b.bucket(name).versioningConfiguration(v -> v.status("Enabled")));
        }
    }

    /** Puts objects straight to moto from several threads (seeding only). */
    private void objects(String bucket, int count) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                String key = "data/file-" + i;
                done.add(pool.submit(() -> s3.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromString("x"))));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** The counts an emptying outcome states: object versions and delete markers deleted, uploads aborted. */
    static final Pattern COUNTS = Pattern.compile("(\\d+) object versions and delete markers deleted, (\\d+) "
            + "unfinished uploads aborted");

    private Map<String, String> bucketTags(String bucket) {
        return s3.getBucketTagging(b -> b.bucket(bucket)).tagSet().stream()
                .collect(Collectors.toMap(Tag::key, Tag::value));
    }

    private SweepReport sweep() {
        try (AwsClients c = new AwsClients(moto.settings(EU))) {
            Clock clock = Clock.fixed(now, ZoneOffset.UTC);
            // four looks at the deadline: the engine's before the bucket, then the adapter's before each call
            return new SweepEngine(new AwsCloud(c, clock), clock, 4, null)
                    .withDeadline(Deadline.after(Duration.ofSeconds(4),
                            Ticker.everyRead(Instant.parse("2030-01-01T00:00:00Z"), Duration.ofSeconds(1))))
                    .run(PolicyLoader.load(POLICY, "test"));
        }
    }

    @Test
    void aBucketTooBigForOneRunIsEmptiedOverSeveralWhileEachRunsInstancesAreStillStoppedFirst() throws Exception {
        bucket("lab-big", tags("curfew:owner", "alice", "curfew:pending", mark), true);
        objects("lab-big", 100);
        // 2,900 delete markers, 29 on each object, 100 a call (DeleteObjects is far cheaper than PutObject)
        List<ObjectIdentifier> keys = IntStream.range(0, 100)
                .mapToObj(i -> ObjectIdentifier.builder().key("data/file-" + i).build()).toList();
        for (int round = 0; round < 29; round++) {
            s3.deleteObjects(b -> b.bucket("lab-big").delete(d -> d.objects(keys).quiet(true)));
        }
        s3.createMultipartUpload(b -> b.bucket("lab-big").key("big.bin"));
        // what the policy does not name: a bucket that is not a student's, the SAM bucket even marked
        bucket("department-data", tags(), false);
        s3.putObject(b -> b.bucket("department-data").key("keep.csv"), RequestBody.fromString("1"));
        bucket("aws-sam-cli-managed-default-abc", tags("curfew:owner", "alice", "curfew:pending", mark), false);
        s3.putObject(b -> b.bucket("aws-sam-cli-managed-default-abc").key("app.zip"), RequestBody.fromString("1"));

        List<String> outcomes = new ArrayList<>();
        long deleted = 0;
        long aborted = 0;
        for (int run = 1; run <= 5 && !outcomes.contains("done"); run++) {
            // this run's curfew work: an instance stopped for hours (terminate), a running one forgotten (stop)
            String stopped = seed.instance(EU, tags("curfew:owner", "bob", "Name", "stopped-" + run));
            seed.stop(EU, stopped);
            String idle = seed.instance(EU, tags("curfew:owner", "carol", "Name", "idle-" + run));
            seed.metrics(EU, idle, now.minus(Duration.ofHours(2)), now, 0.5, 100);

            SweepReport r = sweep();

            assertThat(seed.state(EU, stopped)).as("run %d", run).isEqualTo(InstanceStateName.TERMINATED);
            assertThat(seed.state(EU, idle)).as("run %d", run).isEqualTo(InstanceStateName.STOPPED);
            assertThat(r.rows()).filteredOn(x -> x.kind().equals("ec2-instance"))
                    .allSatisfy(x -> assertThat(x.outcome()).as(x.id()).isIn("done", "none"));
            SweepReport.Row big = row(r, "lab-big");
            assertThat(big.decision()).isEqualTo("empty");
            outcomes.add(big.outcome());
            Matcher m = COUNTS.matcher(big.detail());
            assertThat(m.find()).as(big.detail()).isTrue();
            assertThat(Long.parseLong(m.group(1)) + Long.parseLong(m.group(2))).as("run %d did something", run)
                    .isPositive();
            deleted += Long.parseLong(m.group(1));
            aborted += Long.parseLong(m.group(2));
            if (big.outcome().equals("partial")) {
                assertThat(big.detail()).startsWith("partly emptied: ").endsWith(" before the time budget ran out; "
                        + "the rest is emptied on the next run (the mark stays)");
                assertThat(bucketTags("lab-big")).containsEntry("curfew:pending", mark);
                assertThat(r.anyFailed()).isFalse();
            }
            assertThat(row(r, "aws-sam-cli-managed-default-abc").decision()).isEqualTo("skip");
            assertThat(row(r, "department-data").decision()).isEqualTo("skip");
        }

        assertThat(outcomes).as("too big for one run, emptied in a few").hasSizeBetween(2, 4).endsWith("done")
                .containsOnly("partial", "done");
        // every version and delete marker deleted exactly once, and the upload aborted
        assertThat(deleted).isEqualTo(3000);
        assertThat(aborted).isEqualTo(1);
        assertThat(s3.listObjectVersions(b -> b.bucket("lab-big").maxKeys(1)).versions()).isEmpty();
        assertThat(s3.listObjectVersions(b -> b.bucket("lab-big").maxKeys(1)).deleteMarkers()).isEmpty();
        assertThat(s3.listMultipartUploads(b -> b.bucket("lab-big")).uploads()).isEmpty();
        // the policy empties, it does not delete: the bucket stays, marked until a run finds it empty
        assertThat(s3.listBuckets().buckets()).extracting(b -> b.name())
                .contains("lab-big", "department-data", "aws-sam-cli-managed-default-abc");
        assertThat(bucketTags("lab-big")).containsEntry("curfew:pending", mark);
        assertThat(s3.listObjectsV2(b -> b.bucket("department-data")).contents()).hasSize(1);
        assertThat(s3.listObjectsV2(b -> b.bucket("aws-sam-cli-managed-default-abc")).contents()).hasSize(1);

        SweepReport after = sweep();
        assertThat(row(after, "lab-big").decision()).isEqualTo("unmark");
        assertThat(bucketTags("lab-big")).doesNotContainKey("curfew:pending");
    }
}
