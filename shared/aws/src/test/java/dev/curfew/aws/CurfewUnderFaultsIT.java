package dev.curfew.aws;

import static dev.curfew.aws.testing.Seed.tags;
import static org.assertj.core.api.Assertions.assertThat;

import dev.curfew.aws.testing.FaultProxy;
import dev.curfew.aws.testing.MotoServer;
import dev.curfew.aws.testing.Seed;
import dev.curfew.core.policy.PolicyLoader;
import dev.curfew.core.report.SweepReport;
import dev.curfew.core.sweep.SweepEngine;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.SpotInstanceType;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The promise under faults: a class's account is seeded, swept at curfew and again past every grace period, once
 * without faults and then for each of several seeds with 20 % of AWS requests answered by the fault injector with
 * the service's throttling error or a 500. Every faulty run ends in exactly the state of the run without faults
 * (every resource's state and Curfew tags, normalised), acts on no exempt resource, acts on nothing twice, makes the
 * same destructive calls, and reports nothing as failed.
 */
class CurfewUnderFaultsIT {
    static final String EU = "eu-west-1";
    static final String SAM_BUCKET = "aws-sam-cli-managed-default-samclisourcebucket-1x2y3z";
    /** How many seeds: 8 by default, to keep the whole test command near ten minutes; -Dcurfew.faults.seeds=20. */
    static final int SEEDS = Integer.getInteger("curfew.faults.seeds", 8);
    static final double FRACTION = 0.2;
    /** Attempts per call: the deployed default (-Dcurfew.faults.attempts=3 shows what three attempts come to). */
    static final int ATTEMPTS = Integer.getInteger("curfew.faults.attempts", AwsSettings.DEFAULT_ATTEMPTS);

    static final String POLICY = """
            course: IT
            mode: enforce
            accounts: ["123456789012"]
            regions: [eu-west-1]
            rules:
              ec2-idle: {cpu-below: 5, network-below: 5MB, window: 2h, action: stop}
              ec2-forgotten: {enabled: false}
              ec2-stopped: {longer-than: 1h, action: terminate}
              ebs-unattached: {older-than: 24h}
              eip-unassociated: {grace: 24h}
              s3-not-empty: {grace: 24h, name-prefixes: [lab-]}
              emr-idle: {at-curfew: false, idle-longer-than: 1h}
            """;

    /** Operations that change or destroy something, and the parameter naming what. */
    static final Map<String, String> DESTRUCTIVE = Map.ofEntries(
            Map.entry("ec2:StopInstances", "InstanceId"), Map.entry("ec2:TerminateInstances", "InstanceId"),
            Map.entry("ec2:DeleteVolume", "VolumeId"), Map.entry("ec2:CreateSnapshot", "VolumeId"),
            Map.entry("ec2:ReleaseAddress", "AllocationId"),
            Map.entry("ec2:CancelSpotInstanceRequests", "SpotInstanceRequestId"),
            Map.entry("ec2:DeregisterImage", "ImageId"), Map.entry("ec2:DeleteSnapshot", "SnapshotId"),
            Map.entry("emr:TerminateJobFlows", "JobFlowIds"), Map.entry("s3:DeleteBucket", "path"),
            Map.entry("s3:AbortMultipartUpload", "path"), Map.entry("s3:DeleteObjects", "path"));
    /** Destructive operations one resource may see more than once in a pass (S3 deletes 1,000 keys a call). */
    static final Set<String> REPEATABLE = Set.of("s3:DeleteObjects");
    /** Resources that must never be acted on. */
    static final Set<String> EXEMPT = Set.of("busy", "kept", "protected", "eip-associated", "bucket-sam");

    final MotoServer moto = MotoServer.get();
    final Instant curfew = Instant.now().plus(Duration.ofHours(3));
    final Instant later = curfew.plus(Duration.ofHours(25));

    /** What one seeded class and its two sweeps came to. */
    record Run(Map<String, String> state, Map<String, Integer> acts, List<SweepReport> reports,
               FaultProxy.Stats totals, long millis) {
    }

    @Test
    void aCurfewPassEndsAsWithoutFaultsForEverySeed() {
        Run clean = run(0.0, 0);
        assertNothingFailed(clean, "without faults");
        // the seeded class really is acted on: the comparison below is not between two runs that did nothing
        System.out.println("CurfewUnderFaultsIT end state without faults:\n  " + clean.state().entrySet().stream()
                .map(e -> e.getKey() + ": " + e.getValue()).collect(Collectors.joining("\n  ")) + "\n  acts: "
                + clean.acts());
        assertThat(clean.state().get("idle")).startsWith("instance terminated");
        assertThat(clean.acts()).containsKeys("ec2:StopInstances idle", "ec2:TerminateInstances idle",
                "ec2:CreateSnapshot volume-loose", "ec2:ReleaseAddress eip-free", "emr:TerminateJobFlows emr",
                "s3:AbortMultipartUpload bucket-lab", "s3:DeleteObjects bucket-lab");
        List<String> lines = new ArrayList<>();
        lines.add(String.format("no faults: %d calls, %d ms", clean.totals().calls(), clean.millis()));
        for (long seed = 1; seed <= SEEDS; seed++) {
            Run faulty = run(FRACTION, seed);
            String as = "seed " + seed;
            assertNothingFailed(faulty, as);
            assertThat(faulty.state()).as(as + ": end state").isEqualTo(clean.state());
            assertThat(faulty.acts()).as(as + ": destructive calls that reached AWS").isEqualTo(clean.acts());
            assertThat(faulty.totals().faults()).as(as + ": faults were injected").isPositive();
            lines.add(String.format("%s: %d calls, %d attempts, %d faults injected, %d ms", as,
                    faulty.totals().calls(), faulty.totals().attempts(), faulty.totals().faults(), faulty.millis()));
        }
        System.out.println("CurfewUnderFaultsIT\n  " + String.join("\n  ", lines));
    }

    private static void assertNothingFailed(Run r, String as) {
        for (SweepReport report : r.reports()) {
            assertThat(report.regionErrors()).as(as + ": regions or kinds failed").isEmpty();
            assertThat(report.rows()).as(as + ": failed outcomes").noneMatch(x -> "failed".equals(x.outcome()));
        }
        r.acts().forEach((act, n) -> {
            if (!REPEATABLE.contains(act.substring(0, act.indexOf(' ')))) {
                assertThat(n).as(as + ": " + act + " reached AWS more than once").isEqualTo(1);
            }
            String label = act.substring(act.indexOf(' ') + 1);
            assertThat(EXEMPT).as(as + ": " + act + " touched an exempt resource").doesNotContain(label);
        });
    }

    /** Seeds the class, sweeps it at curfew and after every grace period through a proxy failing {@code fraction}. */
    private Run run(double fraction, long seed) {
        moto.reset();
        Map<String, String> labels;
        try (AwsClients direct = new AwsClients(moto.settings(EU))) {
            labels = seedClass(direct);
        }
        long t0 = System.nanoTime();
        List<SweepReport> reports = new ArrayList<>();
        FaultProxy.Stats totals;
        Map<String, Integer> acts;
        try (FaultProxy proxy = FaultProxy.start(moto.endpoint(), fraction, seed);
             AwsClients c = new AwsClients(moto.settingsThrough(proxy, EU, ATTEMPTS))) {
            for (Instant at : List.of(curfew, later)) {
                Clock clock = Clock.fixed(at, ZoneOffset.UTC);
                reports.add(new SweepEngine(new AwsCloud(c, clock), clock, 4, null)
                        .run(PolicyLoader.load(POLICY, "faults")));
            }
            totals = proxy.totals();
            acts = acts(proxy.passed(), labels);
        }
        long millis = (System.nanoTime() - t0) / 1_000_000;
        try (AwsClients direct = new AwsClients(moto.settings(EU))) {
            return new Run(state(direct, labels), acts, reports, totals, millis);
        }
    }

    /** The class: returns every seeded resource's id (or bucket name) to its label. */
    private Map<String, String> seedClass(AwsClients c) {
        Seed seed = new Seed(c);
        Ec2Client ec2 = c.ec2(EU);
        Map<String, String> ids = new LinkedHashMap<>();
        Instant from = curfew.minus(Duration.ofHours(2));
        String idle = seed.instance(EU, tags("curfew:owner", "alice"));
        seed.metrics(EU, idle, from, curfew, 1.0, 1_000);
        ids.put(idle, "idle");
        String busy = seed.instance(EU, tags("curfew:owner", "bob"));
        seed.metrics(EU, busy, from, curfew, 70.0, 1_000);
        ids.put(busy, "busy");
        String tomorrow = LocalDate.ofInstant(later, ZoneOffset.UTC).plusDays(1).toString();
        String kept = seed.instance(EU, tags("curfew:owner", "carol", "curfew:keep", tomorrow));
        seed.metrics(EU, kept, from, curfew, 1.0, 1_000);
        ids.put(kept, "kept");
        String prot = seed.instance(EU, tags("curfew:owner", "dave"));
        seed.metrics(EU, prot, from, curfew, 1.0, 1_000);
        seed.protectStop(EU, prot);
        seed.protectTermination(EU, prot);
        ids.put(prot, "protected");
        String stopped = seed.instance(EU, tags("curfew:owner", "erin"));
        seed.stop(EU, stopped);
        ids.put(stopped, "stopped");
        String[] spot = seed.spot(EU, SpotInstanceType.PERSISTENT, tags("curfew:owner", "frank"));
        seed.metrics(EU, spot[1], from, curfew, 1.0, 1_000);
        ids.put(spot[0], "spot-request");
        ids.put(spot[1], "spot");
        String yesterday = LocalDate.ofInstant(curfew, ZoneOffset.UTC).minusDays(1).toString();
        String expired = seed.instance(EU, tags("curfew:owner", "grace", "curfew:keep", yesterday));
        seed.metrics(EU, expired, from, curfew, 1.0, 1_000);
        ids.put(expired, "expired");

        // marked by an earlier sweep, due before the second one; the mark was set (24 h before it is due) before
        // the real clock, which dates moto's snapshots: the snapshot taken at the second sweep is then evidence
        String due = "snapshot-then-delete@" + Instant.now().plus(Duration.ofHours(24)).minus(Duration.ofMinutes(1));
        ids.put(ec2.createVolume(b -> b.availabilityZone("eu-west-1a").size(8).volumeType("gp3").tagSpecifications(
                t -> t.resourceType("volume").tags(x -> x.key("curfew:owner").value("heidi"),
                        x -> x.key("curfew:pending").value(due)))).volumeId(), "volume-loose");
        ids.put(ec2.allocateAddress(b -> b.domain("vpc")).allocationId(), "eip-free");
        String used = ec2.allocateAddress(b -> b.domain("vpc")).allocationId();
        ec2.associateAddress(b -> b.allocationId(used).instanceId(busy));
        ids.put(used, "eip-associated");

        S3Client s3 = c.s3();
        s3.createBucket(b -> b.bucket("lab-ivan").createBucketConfiguration(x -> x.locationConstraint(EU)));
        s3.putBucketTagging(b -> b.bucket("lab-ivan").tagging(t -> t.tagSet(
                software.amazon.awssdk.services.s3.model.Tag.builder().key("curfew:owner").value("ivan").build())));
        s3.putBucketVersioning(b -> b.bucket("lab-ivan").versioningConfiguration(v -> v.status("Enabled")));
        for (int i = 0; i < 60; i++) {
            String key = "data/part-" + i;
            s3.putObject(b -> b.bucket("lab-ivan").key(key), RequestBody.fromString("v1 " + key));
            if (i % 4 == 0) {
                s3.putObject(b -> b.bucket("lab-ivan").key(key), RequestBody.fromString("v2 " + key));
            }
            if (i % 10 == 0) {
                s3.deleteObject(b -> b.bucket("lab-ivan").key(key));
            }
        }
        s3.createMultipartUpload(b -> b.bucket("lab-ivan").key("big.bin"));
        ids.put("lab-ivan", "bucket-lab");
        s3.createBucket(b -> b.bucket(SAM_BUCKET).createBucketConfiguration(x -> x.locationConstraint(EU)));
        s3.putObject(b -> b.bucket(SAM_BUCKET).key("template.yaml"), RequestBody.fromString("x"));
        ids.put(SAM_BUCKET, "bucket-sam");

        ids.put(c.emr(EU).runJobFlow(b -> b.name("class-cluster").releaseLabel("emr-7.0.0")
                .instances(i -> i.instanceCount(3).masterInstanceType("m5.xlarge").slaveInstanceType("m5.xlarge")
                        .keepJobFlowAliveWhenNoSteps(true))
                .tags(software.amazon.awssdk.services.emr.model.Tag.builder().key("curfew:owner").value("judy")
                        .build())
                .jobFlowRole("EMR_EC2_DefaultRole").serviceRole("EMR_DefaultRole")).jobFlowId(), "emr");
        return ids;
    }

    private static final Pattern ID = Pattern.compile("\\b(i|vol|snap|sir|eipalloc|ami|j)-[0-9a-zA-Z]+\\b");

    /** Ids replaced by their labels; ids Curfew created (snapshots) by their kind alone. */
    private static String normalise(String s, Map<String, String> labels) {
        Matcher m = ID.matcher(s);
        StringBuilder b = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(b, Matcher.quoteReplacement(labels.getOrDefault(m.group(), m.group(1) + "-?")));
        }
        m.appendTail(b);
        return b.toString();
    }

    private static String curfewTags(Map<String, String> tags, Map<String, String> labels) {
        return normalise(new TreeMap<>(tags).entrySet().stream().filter(e -> e.getKey().startsWith("curfew:"))
                .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(", ", "{", "}")), labels);
    }

    private static Map<String, String> ec2Tags(List<software.amazon.awssdk.services.ec2.model.Tag> t) {
        return t.stream().collect(Collectors.toMap(software.amazon.awssdk.services.ec2.model.Tag::key,
                software.amazon.awssdk.services.ec2.model.Tag::value));
    }

    /** Every resource of the account: its state and its Curfew tags, by label. */
    private static Map<String, String> state(AwsClients c, Map<String, String> labels) {
        Map<String, String> out = new TreeMap<>();
        Ec2Client ec2 = c.ec2(EU);
        ec2.describeInstances().reservations().forEach(r -> r.instances().forEach(i -> out.put(
                labels.getOrDefault(i.instanceId(), "unknown instance " + i.instanceId()), "instance "
                        + i.state().nameAsString() + " " + curfewTags(ec2Tags(i.tags()), labels))));
        ec2.describeVolumes().volumes().forEach(v -> out.put(labels.getOrDefault(v.volumeId(), "volume of "
                        + labels.getOrDefault(v.attachments().isEmpty() ? "" : v.attachments().get(0).instanceId(),
                        "?") + " " + v.volumeId()),
                "volume " + v.stateAsString() + " " + curfewTags(ec2Tags(v.tags()), labels)));
        // instances' root volumes have no label: keep only the labelled ones and Curfew's snapshots
        out.keySet().removeIf(k -> k.startsWith("volume of "));
        // the emulator's own snapshots (behind its AMIs) are not the class's: only those of seeded volumes count
        ec2.describeSnapshots(b -> b.ownerIds("self")).snapshots().stream()
                .filter(s -> labels.containsKey(s.volumeId())).forEach(s -> out.merge(
                "snapshot of " + labels.getOrDefault(s.volumeId(), "?"),
                s.stateAsString() + " " + curfewTags(ec2Tags(s.tags()), labels), (a, b) -> a + " | " + b));
        ec2.describeAddresses().addresses().forEach(a -> out.put(labels.getOrDefault(a.allocationId(), "?"),
                "address " + (a.associationId() == null ? "free" : "associated with "
                        + labels.getOrDefault(a.instanceId(), "?")) + " " + curfewTags(ec2Tags(a.tags()), labels)));
        ec2.describeSpotInstanceRequests().spotInstanceRequests().forEach(s -> out.put(
                labels.getOrDefault(s.spotInstanceRequestId(), "?"), "spot request " + s.stateAsString() + " "
                        + curfewTags(ec2Tags(s.tags()), labels)));
        S3Client s3 = c.s3();
        s3.listBuckets().buckets().forEach(b -> {
            long versions = 0;
            long markers = 0;
            for (var page : s3.listObjectVersionsPaginator(x -> x.bucket(b.name()))) {
                versions += page.versions().size();
                markers += page.deleteMarkers().size();
            }
            int uploads = s3.listMultipartUploads(x -> x.bucket(b.name())).uploads().size();
            Map<String, String> t = new TreeMap<>();
            try {
                s3.getBucketTagging(x -> x.bucket(b.name())).tagSet().forEach(x -> t.put(x.key(), x.value()));
            } catch (software.amazon.awssdk.services.s3.model.S3Exception e) {
                // no tags
            }
            out.put(labels.getOrDefault(b.name(), b.name()), "bucket " + versions + " versions, " + markers
                    + " delete markers, " + uploads + " uploads " + curfewTags(t, labels));
        });
        c.emr(EU).listClusters().clusters().forEach(k -> {
            var cluster = c.emr(EU).describeCluster(b -> b.clusterId(k.id())).cluster();
            Map<String, String> t = new TreeMap<>();
            cluster.tags().forEach(x -> t.put(x.key(), x.value()));
            out.put(labels.getOrDefault(k.id(), "?"), "emr " + cluster.status().stateAsString() + " "
                    + curfewTags(t, labels));
        });
        return out;
    }

    /** The destructive calls that reached the emulator, as "operation label" with how many times. */
    private static Map<String, Integer> acts(List<FaultProxy.Call> passed, Map<String, String> labels) {
        Map<String, Integer> out = new TreeMap<>();
        for (FaultProxy.Call call : passed) {
            String param = DESTRUCTIVE.get(call.name());
            if (param == null) {
                continue;
            }
            List<String> targets = new ArrayList<>();
            if (param.equals("path")) {
                targets.add(call.path().replaceAll("^/", "").split("/")[0]);
            } else if (call.protocol().equals("json")) {
                Matcher m = ID.matcher(call.body());
                while (m.find()) {
                    targets.add(m.group());
                }
            } else {
                targets.addAll(call.values(param));
            }
            for (String t : targets) {
                out.merge(call.name() + " " + labels.getOrDefault(t, normalise(t, labels)), 1, Integer::sum);
            }
        }
        return out;
    }
}
