package dev.curfew.aws;

import static dev.curfew.aws.testing.Seed.tags;
import static org.assertj.core.api.Assertions.assertThat;

import dev.curfew.aws.notify.Notifier;
import dev.curfew.aws.testing.FakeSlack;
import dev.curfew.aws.testing.FaultProxy;
import dev.curfew.aws.testing.MotoServer;
import dev.curfew.aws.testing.Seed;
import dev.curfew.core.launch.JsonBody;
import dev.curfew.core.notify.Delivery;
import dev.curfew.core.notify.NotificationReport;
import dev.curfew.core.policy.Policy;
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
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.SpotInstanceType;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;

/**
 * The promise under faults: a class's account is seeded (instances idle, busy, kept, protected, stopped, spot with a
 * persistent request, past their keep; a loose volume; a versioned bucket of a few thousand versions and delete
 * markers with an unfinished upload; a free and an associated Elastic IP; an EMR cluster; the SAM bucket), swept at
 * curfew and again past every grace period as the deployed curfew pass does (sweep, then the owners' messages and
 * the instructor's summary), once without faults and then for each of several seeds with 20 % of AWS requests
 * answered by the fault injector with the service's throttling error or a 500. Every faulty run ends in exactly the
 * state of the run without faults (every resource's state and Curfew tags, normalised), acts on no exempt resource,
 * acts on nothing twice, makes the same destructive calls, sends the same messages (Slack and email: the same
 * recipients, the same text, none twice), and reports nothing as failed.
 */
class CurfewUnderFaultsIT {
    static final String EU = "eu-west-1";
    static final String SAM_BUCKET = "aws-sam-cli-managed-default-samclisourcebucket-1x2y3z";
    /**
     * How many seeds: 4 by default (each run injects 16 to 32 faults into the same 102 calls, so four runs retry about
     * a hundred faults of every kind), to keep the whole test command near ten minutes; -Dcurfew.faults.seeds=20.
     */
    static final int SEEDS = Integer.getInteger("curfew.faults.seeds", 4);
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
            notifications:
              roster: ssm:/curfew/roster
              slack: {webhook-secret: curfew/slack-webhook}
              email: {sender: curfew@example.edu}
              instructor: {name: Dr Who, email: teacher@example.edu, slack: U0TEACHER}
            """;
    /** The class's roster: every owner has an email address, two have a Slack member id. */
    static final String ROSTER = """
            owner,name,email,slack
            alice,Alice,alice@example.edu,U01ALICE
            bob,Bob,bob@example.edu,
            carol,Carol,carol@example.edu,
            dave,Dave,dave@example.edu,
            erin,Erin,erin@example.edu,U05ERIN
            frank,Frank,frank@example.edu,
            grace,Grace,grace@example.edu,
            heidi,Heidi,heidi@example.edu,
            ivan,Ivan,ivan@example.edu,
            judy,Judy,judy@example.edu,
            """;
    /** The SSM parameter recording the curfew of the last summary, as the deployed sweeper has it. */
    static final String LEDGER = "/curfew/faults/last-summary";
    /** The versioned bucket: keys put once, every fourth put again, then all deleted (a delete marker each). */
    static final int BUCKET_KEYS = Integer.getInteger("curfew.faults.bucket-keys", 1_000);

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
    /** Slack, reached directly (not through the fault injector, which stands for AWS only). */
    final FakeSlack slack = new FakeSlack();
    final Instant curfew = Instant.now().plus(Duration.ofHours(3));
    final Instant later = curfew.plus(Duration.ofHours(25));

    /** What one seeded class and its two sweeps came to. */
    record Run(Map<String, String> state, Map<String, Integer> acts, List<SweepReport> reports,
               List<NotificationReport> told, List<String> messages, FaultProxy.Stats totals,
               FaultProxy.Stats emails, long seedMillis, long millis) {
    }

    @AfterEach
    void stopSlack() {
        slack.close();
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
                "s3:AbortMultipartUpload bucket-lab");
        // the big bucket is emptied 1,000 versions a call: every version and delete marker is gone
        assertThat(clean.acts().get("s3:DeleteObjects bucket-lab")).isEqualTo((BUCKET_VERSIONS + 999) / 1000);
        assertThat(clean.state().get("bucket-lab")).startsWith("bucket 0 versions, 0 delete markers, 0 uploads");
        // the messages: each owner told of what was done, the instructor's summary after each pass, none twice
        System.out.println("CurfewUnderFaultsIT messages without faults:\n  " + String.join("\n  ",
                clean.messages().stream().map(m -> m.substring(0, Math.min(160, m.length()))).toList()));
        assertThat(clean.messages()).as("messages without faults").doesNotHaveDuplicates();
        assertThat(recipients(clean.messages())).as("who heard without faults").contains("email alice@example.edu",
                "email erin@example.edu", "email frank@example.edu", "email grace@example.edu",
                "email heidi@example.edu", "email ivan@example.edu", "email judy@example.edu",
                "email teacher@example.edu", "slack U01ALICE", "slack U05ERIN", "slack U0TEACHER");
        List<String> lines = new ArrayList<>();
        lines.add(String.format("no faults: %d calls, %d messages, %d ms (class seeded in %d ms)",
                clean.totals().calls(), clean.messages().size(), clean.millis(), clean.seedMillis()));
        long emailFaults = 0;
        for (long seed = 1; seed <= SEEDS; seed++) {
            Run faulty = run(FRACTION, seed);
            emailFaults += faulty.emails().faults();
            String as = "seed " + seed;
            assertNothingFailed(faulty, as);
            assertThat(faulty.state()).as(as + ": end state").isEqualTo(clean.state());
            assertThat(faulty.acts()).as(as + ": destructive calls that reached AWS").isEqualTo(clean.acts());
            assertThat(faulty.messages()).as(as + ": messages (who heard what, how often)")
                    .containsExactlyInAnyOrderElementsOf(clean.messages());
            assertThat(faulty.totals().faults()).as(as + ": faults were injected").isPositive();
            lines.add(String.format("%s: %d calls, %d attempts, %d faults injected, %d messages, %d ms (class seeded "
                    + "in %d ms)", as, faulty.totals().calls(), faulty.totals().attempts(), faulty.totals().faults(),
                    faulty.messages().size(), faulty.millis(), faulty.seedMillis()));
        }
        lines.add(emailFaults + " faults injected into SES's SendEmail in all");
        System.out.println("CurfewUnderFaultsIT\n  " + String.join("\n  ", lines));
        if (SEEDS > 0) {
            // the messages were under faults too: emails were refused, sent again, and still arrived once
            assertThat(emailFaults).as("faults injected into SES's SendEmail").isPositive();
        }
    }

    private static void assertNothingFailed(Run r, String as) {
        for (SweepReport report : r.reports()) {
            assertThat(report.regionErrors()).as(as + ": regions or kinds failed").isEmpty();
            assertThat(report.rows()).as(as + ": failed outcomes").noneMatch(x -> "failed".equals(x.outcome()));
        }
        for (NotificationReport told : r.told()) {
            assertThat(told.deliveries()).as(as + ": deliveries").isNotEmpty()
                    .allSatisfy(d -> assertThat(d.status()).as(as + ": " + d).isEqualTo(Delivery.Status.SENT));
            assertThat(told.problems()).as(as + ": notification problems").isEmpty();
            assertThat(told.rosterProblems()).as(as + ": roster problems").isEmpty();
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
        long r0 = System.nanoTime();
        moto.reset();
        slack.clear();
        Map<String, String> labels;
        try (AwsClients direct = new AwsClients(moto.settings(EU))) {
            labels = seedClass(direct);
        }
        long t0 = System.nanoTime();
        List<SweepReport> reports = new ArrayList<>();
        List<NotificationReport> told = new ArrayList<>();
        FaultProxy.Stats totals;
        FaultProxy.Stats emails;
        Map<String, Integer> acts;
        List<String> messages;
        Policy policy = PolicyLoader.load(POLICY, "faults");
        try (FaultProxy proxy = FaultProxy.start(moto.endpoint(), fraction, seed);
             AwsClients c = new AwsClients(moto.settingsThrough(proxy, EU, ATTEMPTS))) {
            for (Instant at : List.of(curfew, later)) {
                // as the deployed sweeper's curfew pass: sweep, then tell each owner and the instructor
                Clock clock = Clock.fixed(at, ZoneOffset.UTC);
                AwsCloud cloud = new AwsCloud(c, clock);
                SweepEngine.Result result = new SweepEngine(cloud, clock, 4, null).runWithPlan(policy);
                reports.add(result.report());
                told.add(new Notifier(c, cloud, slack.apiBase(), null, LEDGER).afterAction(policy, "curfew", result,
                        true));
            }
            totals = proxy.totals();
            emails = proxy.stats("sesv2:SendEmail");
            acts = acts(proxy.passed(), labels);
            messages = messages(proxy.passed(), labels);
        }
        long millis = (System.nanoTime() - t0) / 1_000_000;
        try (AwsClients direct = new AwsClients(moto.settings(EU))) {
            return new Run(state(direct, labels), acts, reports, told, messages, totals, emails,
                    (t0 - r0) / 1_000_000, millis);
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
        fillVersioned(s3, "lab-ivan");
        String upload = s3.createMultipartUpload(b -> b.bucket("lab-ivan").key("big.bin")).uploadId();
        s3.uploadPart(b -> b.bucket("lab-ivan").key("big.bin").uploadId(upload).partNumber(1),
                RequestBody.fromString("the first part of an upload never completed"));
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

        // how the deployed functions reach people: the roster in SSM, the webhook in Secrets Manager, SES's sender
        c.ssm(EU).putParameter(b -> b.name("/curfew/roster").type("String").value(ROSTER));
        c.secrets().createSecret(b -> b.name("curfew/slack-webhook").secretString(slack.webhookUrl()));
        c.ses().createEmailIdentity(b -> b.emailIdentity("curfew@example.edu"));
        return ids;
    }

    /** Object versions and delete markers in the versioned bucket: a few thousand, so emptying takes several calls. */
    static final int BUCKET_VERSIONS = BUCKET_KEYS + (BUCKET_KEYS + 3) / 4 + BUCKET_KEYS;

    /**
     * Fills a versioned bucket with {@link #BUCKET_VERSIONS} versions and delete markers: {@link #BUCKET_KEYS} keys
     * put (in parallel, straight to the emulator: seeding is not what is under test), every fourth put a second
     * time, then every key deleted 1,000 a call (a delete marker each, the versions kept).
     */
    private static void fillVersioned(S3Client s3, String bucket) {
        List<Runnable> puts = new ArrayList<>();
        for (int i = 0; i < BUCKET_KEYS; i++) {
            String key = "data/part-" + i;
            puts.add(() -> s3.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromString("v1 " + key)));
            if (i % 4 == 0) {
                puts.add(() -> s3.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromString("v2 " + key)));
            }
        }
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            // a key's second put after its first: the two go to the same thread, in order
            List<Future<?>> done = new ArrayList<>();
            for (int from = 0; from < puts.size(); from += 50) {
                List<Runnable> batch = puts.subList(from, Math.min(puts.size(), from + 50));
                done.add(pool.submit(() -> batch.forEach(Runnable::run)));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("seeding " + bucket + " failed", e.getCause());
        } finally {
            pool.shutdownNow();
        }
        for (int from = 0; from < BUCKET_KEYS; from += 1000) {
            List<ObjectIdentifier> keys = new ArrayList<>();
            for (int i = from; i < Math.min(BUCKET_KEYS, from + 1000); i++) {
                keys.add(ObjectIdentifier.builder().key("data/part-" + i).build());
            }
            s3.deleteObjects(b -> b.bucket(bucket).delete(d -> d.objects(keys).quiet(true)));
        }
    }

    /**
     * The messages sent: every Slack request (straight to the local Slack) and every email that reached SES (moto;
     * a faulted attempt never reaches it; moto's data.json answers 500 while an unfinished upload has a part, and
     * takes seconds to list its images, so the SendEmail requests the fault injector passed on are the emails sent), each as "slack ADDRESSEE: body" or
     * "email ADDRESS: subject / text", ids replaced by their labels.
     */
    @SuppressWarnings("unchecked")
    private List<String> messages(List<FaultProxy.Call> passed, Map<String, String> labels) {
        List<String> out = new ArrayList<>();
        for (FakeSlack.Request r : slack.requests()) {
            Matcher who = SLACK_MENTION.matcher(r.body());
            out.add("slack " + (who.find() ? who.group(1) : "channel") + ": " + normaliseMessage(r.body(), labels));
        }
        for (FaultProxy.Call call : passed) {
            if (call.method().equals("POST") && call.path().equals("/v2/email/outbound-emails")) {
                Map<String, Object> m = (Map<String, Object>) JsonBody.parse(call.body(), Integer.MAX_VALUE);
                List<String> to = (List<String>) ((Map<String, Object>) m.get("Destination")).get("ToAddresses");
                Map<String, Object> simple = (Map<String, Object>) ((Map<String, Object>) m.get("Content"))
                        .get("Simple");
                Object subject = ((Map<String, Object>) simple.get("Subject")).get("Data");
                Object text = ((Map<String, Object>) ((Map<String, Object>) simple.get("Body")).get("Text"))
                        .get("Data");
                out.add("email " + String.join(",", to) + ": " + normaliseMessage(subject + " / " + text, labels));
            }
        }
        return out;
    }

    /** What differs between runs of the same class: moto's random public addresses, its wall-clock ages. */
    private static final Pattern ADDRESS = Pattern.compile("\\b\\d{1,3}(\\.\\d{1,3}){3}\\b");
    private static final Pattern AGE = Pattern.compile("\\bfor (\\d+[dhm])+");

    /**
     * A message with ids replaced by their labels, public addresses by "x.x.x.x", and ages ("stopped for 2h59m") by
     * "for ?": moto stamps a stop or a cluster's start with the real clock, which moves on between runs (the sweep's
     * own clock is fixed), so the same class seeded a minute later is a minute younger at the same curfew.
     */
    private static String normaliseMessage(String s, Map<String, String> labels) {
        return AGE.matcher(ADDRESS.matcher(normalise(s, labels)).replaceAll("x.x.x.x")).replaceAll("for ?");
    }

    /** The Slack member a webhook message addresses (its first mention). */
    private static final Pattern SLACK_MENTION = Pattern.compile("<@(U[0-9A-Z]+)>");

    /** "slack U01ALICE" or "email alice@example.edu": who heard, one entry per message. */
    private static List<String> recipients(List<String> messages) {
        return messages.stream().map(m -> m.substring(0, m.indexOf(':'))).toList();
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
        // the emulator's own snapshots (behind its AMIs, a thousand, most of a second to list) are not the class's:
        // only those of seeded volumes count
        List<String> volumes = labels.keySet().stream().filter(id -> id.startsWith("vol-")).toList();
        ec2.describeSnapshots(b -> b.ownerIds("self").filters(f -> f.name("volume-id").values(volumes))).snapshots()
                .stream().filter(s -> labels.containsKey(s.volumeId())).forEach(s -> out.merge(
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
