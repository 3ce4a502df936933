package dev.curfew.aws;

import static dev.curfew.aws.testing.Seed.tags;
import static dev.curfew.aws.testing.Sweeps.rows;
import static org.assertj.core.api.Assertions.assertThat;

import dev.curfew.aws.testing.MotoTest;
import dev.curfew.aws.testing.Sweeps;
import dev.curfew.core.report.SweepReport;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.ec2.model.Snapshot;
import software.amazon.awssdk.services.ec2.model.SpotInstanceType;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Volumes, buckets, Elastic IPs and spot requests against the moto server: marked on the first sweep, acted on
 * when the mark is due, unmarked when the rule no longer holds; dry-run, exemptions and special buckets untouched.
 */
@org.junit.jupiter.api.Tag("kind:elastic-ip")
@org.junit.jupiter.api.Tag("kind:s3-bucket")
@org.junit.jupiter.api.Tag("kind:spot-request")
class LeftoversIT extends MotoTest {
    S3Client s3;
    // moto dates a snapshot by the real clock: the marking sweep runs just before it, only the due sweep ahead
    Instant t0 = Instant.now().minus(Duration.ofMinutes(1)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
    Instant t1 = t0.plus(Duration.ofHours(25));

    static final String RULES = """
              ebs-unattached: {older-than: 24h}
              s3-not-empty: {grace: 24h, name-prefixes: [lab-]%s}
            """;

    @BeforeEach
    void setUp() {
        s3 = clients.s3();
    }

    private SweepReport sweep(Instant now, String mode, String bucketExtra) {
        return Sweeps.at(moto, now, Sweeps.policy(mode, RULES.formatted(bucketExtra)));
    }

    private String volume(int gib, Map<String, String> tags) {
        return seed.volume(EU, gib, tags);
    }

    private void bucket(String name, Map<String, String> tags, boolean versioned, int objects) {
        s3.createBucket(b -> b.bucket(name).createBucketConfiguration(c -> c.locationConstraint(EU)));
        if (!tags.isEmpty()) {
            s3.putBucketTagging(b -> b.bucket(name).tagging(t -> t.tagSet(tags.entrySet().stream()
                    .map(e -> software.amazon.awssdk.services.s3.model.Tag.builder().key(e.getKey())
                            .value(e.getValue()).build()).toList())));
        }
        if (versioned) {
            s3.putBucketVersioning(b -> b.bucket(name).versioningConfiguration(v -> v.status("Enabled")));
        }
        for (int i = 0; i < objects; i++) {
            String key = "data/file-" + i;
            s3.putObject(b -> b.bucket(name).key(key), RequestBody.fromString("x" + i));
        }
    }

    private long versionsLeft(String bucket) {
        long n = 0;
        for (var page : s3.listObjectVersionsPaginator(b -> b.bucket(bucket))) {
            n += page.versions().size() + page.deleteMarkers().size();
        }
        return n;
    }

    private boolean bucketExists(String name) {
        return s3.listBuckets().buckets().stream().anyMatch(b -> b.name().equals(name));
    }

    @Test
    void unattachedVolumeIsMarkedThenSnapshottedThenDeletedAndAReattachedOneUnmarked() {
        String loose = volume(8, tags("curfew:owner", "alice", "Name", "scratch"));
        String reattached = volume(4, tags("curfew:owner", "bob"));
        String kept = volume(2, tags("curfew:owner", "carol", "curfew:keep",
                LocalDate.ofInstant(t1, ZoneOffset.UTC).plusDays(2).toString()));
        String instance = seed.instance(EU, tags("curfew:owner", "bob"));

        SweepReport first = sweep(t0, "enforce", "");
        assertThat(rows(first).get(loose)).startsWith("mark|done|unattached 8 GiB gp3 volume");
        assertThat(seed.volumeTags(EU, loose)).containsEntry("curfew:pending",
                "snapshot-then-delete@" + t0.plus(Duration.ofHours(24))).containsKey("curfew:unattached-since");
        assertThat(rows(first).get(kept)).startsWith("skip|none|kept until the end of");

        ec2().attachVolume(b -> b.volumeId(reattached).instanceId(instance).device("/dev/sdf"));
        SweepReport second = sweep(t1, "enforce", "");

        assertThat(seed.volumeExists(EU, loose)).isFalse();
        Snapshot snap = ec2().describeSnapshots(b -> b.ownerIds("self")).snapshots().stream()
                .filter(s -> loose.equals(s.volumeId())).findFirst().orElseThrow();
        Map<String, String> snapTags = snap.tags().stream().collect(Collectors.toMap(Tag::key, Tag::value));
        assertThat(snapTags).containsEntry("curfew:volume-id", loose).containsEntry("curfew:owner", "alice")
                .containsEntry("Name", "scratch").containsKey("curfew:snapshot-date");
        assertThat(snapTags.get("curfew:restore")).isEqualTo("aws ec2 create-volume --region eu-west-1 "
                + "--availability-zone eu-west-1a --volume-type gp3 --snapshot-id " + snap.snapshotId());
        assertThat(rows(second).get(loose)).startsWith("snapshot-then-delete|done|");
        assertThat(second.rows()).filteredOn(r -> r.id().equals(loose)).first()
                .satisfies(r -> assertThat(r.detail()).contains("snapshot " + snap.snapshotId()));

        assertThat(rows(second).get(reattached)).startsWith("unmark|done|attached again to " + instance);
        assertThat(seed.volumeTags(EU, reattached)).doesNotContainKeys("curfew:pending", "curfew:unattached-since");
        assertThat(seed.volumeExists(EU, kept)).isTrue();
        assertThat(second.savedPerMonth()).isGreaterThan(0.6);
    }

    @Test
    void studentBucketsAreMarkedThenEmptiedFullyAndSpecialOnesNeverTouched() {
        bucket("lab-alice", tags(), true, 1200);
        s3.deleteObject(b -> b.bucket("lab-alice").key("data/file-0")); // a delete marker
        s3.putObject(b -> b.bucket("lab-alice").key("data/file-1"), RequestBody.fromString("v2")); // a 2nd version
        String upload = s3.createMultipartUpload(b -> b.bucket("lab-alice").key("big.bin")).uploadId();
        bucket("notes-bob", tags("curfew:owner", "bob"), false, 3);
        bucket("kept-carol", tags("curfew:owner", "carol", "curfew:keep",
                LocalDate.ofInstant(t1, ZoneOffset.UTC).plusDays(2).toString()), false, 2);
        bucket("aws-sam-cli-managed-default-samclisourcebucket-abc123", tags("curfew:owner", "instructor"), false, 2);
        bucket("lab-logs", tags(), false, 2);
        s3.putBucketPolicy(b -> b.bucket("lab-logs").policy("""
                {"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
                 "Principal": {"Service": "logging.s3.amazonaws.com"}, "Action": "s3:PutObject",
                 "Resource": "arn:aws:s3:::lab-logs/*"}]}"""));
        bucket("lab-trail", tags(), false, 1);
        s3.putBucketPolicy(b -> b.bucket("lab-trail").policy("""
                {"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
                 "Principal": {"Service": "cloudtrail.amazonaws.com"}, "Action": "s3:PutObject",
                 "Resource": "arn:aws:s3:::lab-trail/AWSLogs/*"}]}"""));
        s3.putBucketLogging(b -> b.bucket("notes-bob").bucketLoggingStatus(l -> l.loggingEnabled(e -> e
                .targetBucket("lab-logs").targetPrefix("bob/"))));
        bucket("department-data", tags(), false, 2);

        SweepReport dry = sweep(t0, "dry-run", "");
        assertThat(rows(dry).get("lab-alice")).startsWith("mark|would|bucket not empty (versioned");
        assertThat(s3.getBucketTagging(b -> b.bucket("notes-bob")).tagSet()).hasSize(1);

        SweepReport first = sweep(t0, "enforce", "");
        assertThat(rows(first).get("lab-alice")).startsWith("mark|done|");
        assertThat(rows(first).get("notes-bob")).startsWith("mark|done|");
        assertThat(versionsLeft("lab-alice")).isEqualTo(1202);

        SweepReport second = sweep(t1, "enforce", "");
        Map<String, String> rows = rows(second);
        assertThat(rows.get("lab-alice")).startsWith("empty|done|");
        assertThat(versionsLeft("lab-alice")).isZero();
        assertThat(s3.listMultipartUploads(b -> b.bucket("lab-alice")).uploads())
                .noneMatch(u -> u.uploadId().equals(upload));
        assertThat(bucketExists("lab-alice")).as("delete-bucket is off by default").isTrue();
        assertThat(versionsLeft("notes-bob")).isZero();
        assertThat(rows.get("kept-carol")).startsWith("skip|none|kept until");
        assertThat(versionsLeft("kept-carol")).isEqualTo(2);
        assertThat(rows.get("aws-sam-cli-managed-default-samclisourcebucket-abc123"))
                .startsWith("skip|none|never touched: the SAM deployment bucket");
        assertThat(rows.get("lab-logs")).startsWith("skip|none|never touched: the access-log target");
        // moto delivers real access logs into it, so it holds more than it was seeded with; none of it is gone
        assertThat(versionsLeft("lab-logs")).isGreaterThanOrEqualTo(2);
        assertThat(s3.headObject(b -> b.bucket("lab-logs").key("data/file-1")).contentLength()).isEqualTo(2L);
        assertThat(rows.get("lab-trail")).startsWith("skip|none|never touched: a log bucket (its policy lets "
                + "cloudtrail.amazonaws.com write to it)");
        assertThat(versionsLeft("lab-trail")).isEqualTo(1);
        assertThat(rows.get("department-data")).startsWith("skip|none|not a student bucket");
        assertThat(versionsLeft("department-data")).isEqualTo(2);

        SweepReport third = sweep(t1.plusSeconds(3600), "enforce", "");
        assertThat(rows(third).get("lab-alice")).startsWith("unmark|done|empty now");
    }

    @Test
    void deleteBucketOptionDeletesTheEmptiedBucket() {
        bucket("lab-dave", tags(), false, 5);
        sweep(t0, "enforce", ", delete-bucket: true");
        SweepReport second = sweep(t1, "enforce", ", delete-bucket: true");
        assertThat(rows(second).get("lab-dave")).startsWith("delete|done|");
        assertThat(bucketExists("lab-dave")).isFalse();
    }

    @Test
    void freeElasticIpsAreReleasedAssociatedOnesReportedWithTheirCost() {
        String free = ec2().allocateAddress(b -> b.domain("vpc")).allocationId();
        String used = ec2().allocateAddress(b -> b.domain("vpc")).allocationId();
        String instance = seed.instance(EU, tags("curfew:owner", "alice"));
        ec2().associateAddress(b -> b.allocationId(used).instanceId(instance));

        SweepReport dry = sweep(t0, "dry-run", "");
        assertThat(ec2().describeAddresses().addresses()).hasSize(2);
        assertThat(rows(dry).get(free)).startsWith("release|would|Elastic IP");

        SweepReport r = sweep(t0, "enforce", "");
        assertThat(ec2().describeAddresses().addresses()).extracting(a -> a.allocationId()).containsExactly(used);
        // one tag write: the curfew:action record on the free address just before its release (IAM requires it)
        assertThat(dry.calls()).doesNotContainKey("ec2:CreateTags");
        assertThat(r.calls()).containsEntry("ec2:CreateTags", 1L).containsEntry("ec2:ReleaseAddress", 1L);
        assertThat(rows(r).get(used)).startsWith("skip|none|associated with " + instance + " ($3.65/month");
        assertThat(r.rows()).filteredOn(x -> x.id().equals(free)).first()
                .satisfies(x -> assertThat(x.costPerHour()).isEqualTo(0.005));
    }

    @Test
    void persistentSpotRequestWhoseInstanceIsGoneIsCancelled() {
        String[] orphan = seed.spot(EU, SpotInstanceType.PERSISTENT, tags());
        ec2().createTags(b -> b.resources(orphan[0]).tags(Tag.builder().key("curfew:owner").value("erin").build()));
        ec2().terminateInstances(b -> b.instanceIds(orphan[1]));
        String[] busy = seed.spot(EU, SpotInstanceType.ONE_TIME, tags("curfew:owner", "frank"));

        SweepReport r = sweep(t0, "enforce", "");

        assertThat(rows(r).get(orphan[0])).startsWith("cancel|done|persistent spot request");
        assertThat(seed.spotRequestExists(EU, orphan[0])).isFalse();
        assertThat(rows(r).get(busy[0])).startsWith("skip|none|fulfilled by " + busy[1]);
        assertThat(seed.spotRequestExists(EU, busy[0])).isTrue();
    }
}
