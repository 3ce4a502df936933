package dev.curfew.aws.sentinel;

import dev.curfew.aws.AwsClients;
import dev.curfew.aws.Tagging;
import dev.curfew.core.model.InstanceState;
import dev.curfew.core.plan.Action;
import dev.curfew.core.plan.ActionTag;
import dev.curfew.core.plan.Mark;
import dev.curfew.core.spend.RunHistory;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.ec2.model.TagDescription;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.ssm.model.ParameterAlreadyExistsException;

/**
 * The sentinel's AWS calls: tags added to what a student just created (only the keys it does not have yet, so a
 * repeated event changes nothing and an owner is never overwritten), the instance a state-change or interruption
 * event is about, the owner's running count, stop and terminate, and the first-welcome record.
 */
public final class SentinelAws {
    /** Delivering the sentinel's messages: the roster, the Slack secrets, SES (as the sweeper's messages). */
    public static final List<String> MESSAGE_IAM_ACTIONS = java.util.stream.Stream.of(
            dev.curfew.aws.notify.Secrets.IAM_ACTIONS, dev.curfew.aws.notify.RosterSource.IAM_ACTIONS,
            dev.curfew.aws.notify.SesMailer.IAM_ACTIONS).flatMap(List::stream).distinct().toList();

    /** Every IAM action the sentinel calls, its messages' included. */
    public static final List<String> IAM_ACTIONS = java.util.stream.Stream.concat(java.util.stream.Stream.of(
            "sts:GetCallerIdentity",
            "ec2:CreateTags", "ec2:DeleteTags", "ec2:DescribeTags", "ec2:DescribeInstances", "ec2:StopInstances",
            "ec2:TerminateInstances", "ec2:DescribeSpotInstanceRequests",
            // the instances of a student's Spot Fleet request or EC2 Fleet (RequestSpotFleet, CreateFleet)
            "ec2:DescribeSpotFleetInstances", "ec2:DescribeFleetInstances",
            "s3:GetBucketTagging", "s3:PutBucketTagging", "s3:ListBucketVersions", "s3:ListBucketMultipartUploads",
            "elasticmapreduce:DescribeCluster", "elasticmapreduce:AddTags",
            "ssm:PutParameter",
            // enrolled accounts: the role there (AccountSessions), with the external id derived from the key
            "sts:AssumeRole", "ssm:GetParameter"), java.util.stream.Stream.of(dev.curfew.aws.PolicySource.IAM_ACTIONS,
                    MESSAGE_IAM_ACTIONS).flatMap(List::stream)).distinct().toList();

    /**
     * What the sentinel calls in an enrolled account, through the role {@code curfew-access} there (granted by
     * templates/student-account.yaml, a test checks): tags are read with each kind's Describe call, which that role
     * has, not with {@code ec2:DescribeTags}.
     */
    public static final List<String> ENROLLED_IAM_ACTIONS = List.of(
            "ec2:DescribeInstances", "ec2:DescribeVolumes", "ec2:DescribeAddresses",
            "ec2:DescribeSpotInstanceRequests", "ec2:DescribeSnapshots", "ec2:DescribeImages",
            "ec2:DescribeSecurityGroups", "ec2:CreateTags", "ec2:DeleteTags", "ec2:StopInstances", "ec2:TerminateInstances",
            "s3:GetBucketTagging", "s3:PutBucketTagging", "s3:ListBucketVersions", "s3:ListBucketMultipartUploads",
            "elasticmapreduce:DescribeCluster", "elasticmapreduce:AddTags");

    /**
     * The tags removed from a volume when it is attached again: its mark, when it was first seen unattached, and the
     * snapshot an earlier sweep started. IAM lets the sentinel delete these keys only (template.yaml).
     */
    public static final List<String> UNMARKED_ON_ATTACH = List.of(Mark.TAG, dev.curfew.core.model.CurfewTags.UNATTACHED_SINCE,
            dev.curfew.core.model.CurfewTags.SNAPSHOT_ID);

    /** Where first welcomes are recorded: one String parameter per owner, in the home region. */
    public static String welcomedPrefix(String stackName) {
        return stackName == null ? "/curfew/welcomed/" : "/curfew/" + stackName + "/welcomed/";
    }

    private final AwsClients clients;
    /** Where the records are kept: the home account's clients (the same as {@code clients} there). */
    private final AwsClients home;
    /** The enrolled account acted in, named in the records' names; null in the home account. */
    private final String enrolled;
    /** A tag key whose value is written when it differs too (the owner in a student's own account), or null. */
    private final String settledKey;
    private volatile String account;

    public SentinelAws(AwsClients clients) {
        this(clients, clients, null, null);
    }

    private SentinelAws(AwsClients clients, AwsClients home, String enrolled, String settledKey) {
        this.clients = clients;
        this.home = home;
        this.enrolled = enrolled;
        this.settledKey = settledKey;
    }

    /**
     * The same calls acting in the enrolled account {@code account} with {@code acting} (clients through its role,
     * {@code dev.curfew.aws.accounts.AccountSessions}); the records stay in the home account, named with the account.
     *
     * @param ownerKey in a student's own account, the owner tag key: there everything is that student's, so a value
     *                 naming somebody else is replaced; null elsewhere (only missing keys are written)
     */
    public SentinelAws in(String account, AwsClients acting, String ownerKey) {
        return new SentinelAws(acting, home, account, ownerKey);
    }

    /** The enrolled account these calls act in (named in the records), or null for the home account. */
    public String enrolled() {
        return enrolled;
    }

    /** The id of the account these calls act in (STS), asked once. */
    public String account() {
        if (account == null) {
            account = clients.sts().getCallerIdentity().account();
        }
        return account;
    }

    /**
     * Adds the tags each EC2 resource lacks; returns, by id, the tags written (empty for a resource left alone). With
     * {@code write} false (dry-run) the tags are only read: what would be written is returned.
     */
    public Map<String, Map<String, String>> tagEc2(String region, List<String> ids, Map<String, String> wanted,
                                                   boolean write) {
        Ec2Client ec2 = clients.ec2(region);
        Map<String, Map<String, String>> have = new LinkedHashMap<>();
        ids.forEach(id -> have.put(id, new LinkedHashMap<>()));
        if (enrolled == null) {
            ec2.describeTagsPaginator(b -> b.filters(Filter.builder().name("resource-id").values(ids).build()))
                    .tags().forEach((TagDescription t) -> have.computeIfAbsent(t.resourceId(),
                            k -> new LinkedHashMap<>()).put(t.key(), t.value()));
        } else {
            ids.forEach(id -> have.put(id, ec2Tags(ec2, id)));
        }
        Map<String, Map<String, String>> written = new LinkedHashMap<>();
        Map<Map<String, String>, List<String>> batches = new LinkedHashMap<>(); // one CreateTags per set of tags
        for (String id : ids) {
            Map<String, String> missing = missing(have.get(id), wanted, settledKey);
            if (!missing.isEmpty()) {
                batches.computeIfAbsent(missing, k -> new ArrayList<>()).add(id);
            }
            written.put(id, missing);
        }
        if (write) {
            batches.forEach((missing, batch) -> ec2.createTags(b -> b.resources(batch).tags(tags(missing))));
        }
        return written;
    }

    /**
     * Adds the tags a bucket lacks; PutBucketTagging replaces the whole set, so the set it has is written back. With
     * {@code write} false (dry-run) nothing is written: what would be added is returned.
     */
    public Map<String, String> tagBucket(String bucket, Map<String, String> wanted, boolean write) {
        var s3 = clients.s3();
        Map<String, String> have = new LinkedHashMap<>();
        try {
            s3.getBucketTagging(b -> b.bucket(bucket)).tagSet().forEach(t -> have.put(t.key(), t.value()));
        } catch (S3Exception e) {
            if (e.awsErrorDetails() == null || !"NoSuchTagSet".equals(e.awsErrorDetails().errorCode())) {
                throw e;
            }
        }
        Map<String, String> missing = missing(have, wanted, settledKey);
        if (!missing.isEmpty() && have.keySet().stream().anyMatch(k -> k.startsWith("aws:"))) {
            // AWS's own tags (a bucket CloudFormation made) cannot be written back, and PutBucketTagging replaces the
            // whole set: such a bucket is left as it is (CloudFormation tags it with its stack, and the stack's
            // owner answers for it)
            throw new SystemTagsException(bucket);
        }
        if (write && !missing.isEmpty()) {
            Map<String, String> all = new LinkedHashMap<>(have);
            all.putAll(missing);
            List<software.amazon.awssdk.services.s3.model.Tag> set = new ArrayList<>();
            all.forEach((k, v) -> set.add(software.amazon.awssdk.services.s3.model.Tag.builder().key(k).value(v)
                    .build()));
            s3.putBucketTagging(b -> b.bucket(bucket).tagging(t -> t.tagSet(set)));
        }
        return missing;
    }

    /** How much older than the CreateBucket call an object must be to show that the bucket existed before it. */
    public static final java.time.Duration PREEXISTING_SLACK = java.time.Duration.ofMinutes(5);

    /**
     * Why the bucket existed before a CreateBucket call at {@code created}, or null when nothing shows it did. In
     * us-east-1, S3 answers CreateBucket on a bucket this account already owns with success, and CloudTrail records
     * a successful call: without this check anyone allowed {@code s3:CreateBucket} could have somebody else's bucket
     * tagged as theirs, and emptied as a student bucket. An object version, delete marker or unfinished upload older
     * than the call (the first page of each) shows the bucket is not new.
     *
     * @throws software.amazon.awssdk.services.s3.model.S3Exception when S3 cannot be asked (the event then fails)
     */
    public String existedBefore(String bucket, Instant created) {
        var s3 = clients.s3();
        Instant before = created.minus(PREEXISTING_SLACK);
        var versions = s3.listObjectVersions(b -> b.bucket(bucket).maxKeys(1000));
        for (var v : versions.versions()) {
            if (v.lastModified() != null && v.lastModified().isBefore(before)) {
                return "it holds an object version from " + v.lastModified() + ", before the CreateBucket call at "
                        + created;
            }
        }
        for (var m : versions.deleteMarkers()) {
            if (m.lastModified() != null && m.lastModified().isBefore(before)) {
                return "it holds a delete marker from " + m.lastModified() + ", before the CreateBucket call at "
                        + created;
            }
        }
        for (var u : s3.listMultipartUploads(b -> b.bucket(bucket).maxUploads(1000)).uploads()) {
            if (u.initiated() != null && u.initiated().isBefore(before)) {
                return "it holds an upload started " + u.initiated() + ", before the CreateBucket call at " + created;
            }
        }
        return null;
    }

    /** A bucket carrying AWS system tags ({@code aws:...}), which PutBucketTagging cannot write back. */
    public static final class SystemTagsException extends RuntimeException {
        public SystemTagsException(String bucket) {
            super("the bucket " + bucket + " carries AWS system tags (aws:...), which S3 PutBucketTagging cannot "
                    + "write back; left untagged");
        }
    }

    /** Adds the tags an EMR cluster lacks (with {@code write} false, dry-run: only returns what it would add). */
    public Map<String, String> tagCluster(String region, String clusterId, Map<String, String> wanted,
                                          boolean write) {
        var emr = clients.emr(region);
        Map<String, String> have = new LinkedHashMap<>();
        emr.describeCluster(b -> b.clusterId(clusterId)).cluster().tags()
                .forEach(t -> have.put(t.key(), t.value()));
        Map<String, String> missing = missing(have, wanted, settledKey);
        if (write && !missing.isEmpty()) {
            List<software.amazon.awssdk.services.emr.model.Tag> tags = new ArrayList<>();
            missing.forEach((k, v) -> tags.add(software.amazon.awssdk.services.emr.model.Tag.builder().key(k)
                    .value(v).build()));
            emr.addTags(b -> b.resourceId(clusterId).tags(tags));
        }
        return missing;
    }

    /** The tag EC2 puts on the instances a Spot Fleet request launches (its {@code sfr-...} id). */
    public static final String SPOT_FLEET_TAG = dev.curfew.core.sentinel.LaunchCheck.SPOT_FLEET_TAG;
    /** The tag EC2 puts on the instances an EC2 Fleet launches (its {@code fleet-...} id). */
    public static final String FLEET_TAG = dev.curfew.core.sentinel.LaunchCheck.FLEET_TAG;

    /**
     * What the sentinel needs to know of one instance.
     *
     * @param spotRequestId the spot request that launched it ({@code SpotInstanceRequestId}: EC2 sets it, the caller
     *                      cannot), or null
     */
    public record InstanceView(String id, String type, String state, boolean spot, Map<String, String> tags,
                               Instant launchTime, String spotRequestId) {
        public boolean live() {
            return InstanceState.fromAws(state).isUp();
        }

        /**
         * What EC2 says launched the instance, in the order an owner is looked for: its spot request, then the Spot
         * Fleet request or EC2 Fleet it was launched for ({@link #SPOT_FLEET_TAG}, {@link #FLEET_TAG}). Only EC2
         * writes these: a tag key beginning {@code aws:} is refused to everyone else, so none of it is the caller's
         * choice. Empty for an instance launched on its own.
         */
        public List<String> launchers() {
            List<String> out = new ArrayList<>();
            for (String id : new String[] {spotRequestId, tags.get(SPOT_FLEET_TAG), tags.get(FLEET_TAG)}) {
                if (id != null && !id.isBlank() && !out.contains(id)) {
                    out.add(id);
                }
            }
            return out;
        }
    }

    /** The instance, or null when EC2 no longer knows it. */
    public InstanceView instance(String region, String id) {
        try {
            for (var r : clients.ec2(region).describeInstances(b -> b.instanceIds(id)).reservations()) {
                for (Instance i : r.instances()) {
                    Map<String, String> tags = new LinkedHashMap<>();
                    i.tags().forEach(t -> tags.put(t.key(), t.value()));
                    return new InstanceView(i.instanceId(), i.instanceTypeAsString(), i.state().nameAsString(),
                            "spot".equals(i.instanceLifecycleAsString()), tags, i.launchTime(),
                            i.spotInstanceRequestId());
                }
            }
            return null;
        } catch (software.amazon.awssdk.services.ec2.model.Ec2Exception e) {
            if (e.awsErrorDetails() != null && "InvalidInstanceID.NotFound".equals(e.awsErrorDetails().errorCode())) {
                return null;
            }
            throw e;
        }
    }

    /**
     * The instance each of these spot requests launched, by request id, as EC2 says (DescribeSpotInstanceRequests);
     * a request not fulfilled yet, or one EC2 no longer knows, is left out. EC2 refuses the whole call when it does not
     * know one of the ids ({@code InvalidSpotInstanceRequestID.NotFound}): then each is asked about alone, so only the
     * unknown ones are left out. Any other failure is thrown.
     */
    public Map<String, String> spotInstances(String region, List<String> requestIds) {
        Map<String, String> out = new LinkedHashMap<>();
        if (requestIds.isEmpty()) {
            return out;
        }
        try {
            clients.ec2(region).describeSpotInstanceRequests(b -> b.spotInstanceRequestIds(requestIds))
                    .spotInstanceRequests().forEach(q -> {
                        if (q.instanceId() != null && requestIds.contains(q.spotInstanceRequestId())) {
                            out.put(q.spotInstanceRequestId(), q.instanceId());
                        }
                    });
        } catch (software.amazon.awssdk.services.ec2.model.Ec2Exception e) {
            if (e.awsErrorDetails() == null
                    || !"InvalidSpotInstanceRequestID.NotFound".equals(e.awsErrorDetails().errorCode())) {
                throw e;
            }
            if (requestIds.size() > 1) {
                for (String id : requestIds) {
                    out.putAll(spotInstances(region, List.of(id)));
                }
            }
        }
        return out;
    }

    /**
     * The instances a Spot Fleet request ({@code sfr-...}, DescribeSpotFleetInstances) or an EC2 Fleet
     * ({@code fleet-...}, DescribeFleetInstances) has running now, as EC2 says; null when EC2 no longer knows the fleet
     * ({@code InvalidSpotFleetRequestId.NotFound}, {@code InvalidFleetId.NotFound}). Any other failure is thrown. Not
     * for an {@code instant} fleet: CreateFleet's answer names its instances.
     */
    public List<String> fleetInstances(String region, String fleetId) {
        Ec2Client ec2 = clients.ec2(region);
        List<String> out = new ArrayList<>();
        String token = null;
        try {
            do {
                String next = token;
                if (fleetId.startsWith("sfr-")) {
                    var page = ec2.describeSpotFleetInstances(b -> b.spotFleetRequestId(fleetId).nextToken(next));
                    page.activeInstances().forEach(i -> out.add(i.instanceId()));
                    token = page.nextToken();
                } else {
                    var page = ec2.describeFleetInstances(b -> b.fleetId(fleetId).nextToken(next));
                    page.activeInstances().forEach(i -> out.add(i.instanceId()));
                    token = page.nextToken();
                }
            } while (token != null && !token.isEmpty());
        } catch (software.amazon.awssdk.services.ec2.model.Ec2Exception e) {
            String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
            if (List.of("InvalidSpotFleetRequestId.NotFound", "InvalidFleetId.NotFound").contains(code)) {
                return null;
            }
            throw e;
        }
        return out;
    }

    /** The owner's pending and running instances in the region. */
    public int running(String region, String ownerTag, String owner) {
        int n = 0;
        for (var page : clients.ec2(region).describeInstancesPaginator(b -> b.maxResults(1000).filters(
                Filter.builder().name("tag:" + ownerTag).values(owner).build(),
                Filter.builder().name("instance-state-name").values("pending", "running").build()))) {
            for (var r : page.reservations()) {
                n += r.instances().size();
            }
        }
        return n;
    }

    /** Tags the instance {@code curfew:action = stop@now} (IAM allows the stop only then), then stops it. */
    public void stop(String region, String id, Instant now) {
        setTag(region, id, ActionTag.TAG, ActionTag.value(Action.STOP, now));
        Tagging.actAfterTagging(() -> clients.ec2(region).stopInstances(b -> b.instanceIds(id)));
    }

    /** Tags the instance {@code curfew:action = terminate@now} (IAM allows it only then), then terminates it. */
    public void terminate(String region, String id, Instant now) {
        setTag(region, id, ActionTag.TAG, ActionTag.value(Action.TERMINATE, now));
        Tagging.actAfterTagging(() -> clients.ec2(region).terminateInstances(b -> b.instanceIds(id)));
    }

    /** Sets one tag on an EC2 resource (the sentinel's own bookkeeping, e.g. that a message was sent). */
    public void setTag(String region, String id, String key, String value) {
        clients.ec2(region).createTags(b -> b.resources(id).tags(Tag.builder().key(key).value(value).build()));
    }

    /**
     * Removes those of the given keys a volume carries (DeleteTags names each key, so no other tag can go); returns
     * the keys it carried, removed unless {@code write} is false (dry-run). A volume EC2 no longer knows carries none.
     */
    public List<String> untagVolume(String region, String volumeId, List<String> keys, boolean write) {
        Ec2Client ec2 = clients.ec2(region);
        List<String> present = new ArrayList<>();
        if (enrolled == null) {
            ec2.describeTagsPaginator(b -> b.filters(Filter.builder().name("resource-id").values(volumeId).build(),
                    Filter.builder().name("key").values(keys).build())).tags().forEach(t -> {
                        if (keys.contains(t.key()) && !present.contains(t.key())) {
                            present.add(t.key());
                        }
                    });
        } else {
            Map<String, String> tags;
            try {
                tags = ec2Tags(ec2, volumeId);
            } catch (software.amazon.awssdk.services.ec2.model.Ec2Exception e) {
                if (e.awsErrorDetails() == null || !"InvalidVolume.NotFound".equals(e.awsErrorDetails().errorCode())) {
                    throw e;
                }
                tags = Map.of();
            }
            keys.stream().filter(tags::containsKey).forEach(present::add);
        }
        present.sort(java.util.Comparator.comparing(keys::indexOf));
        if (write && !present.isEmpty()) {
            ec2.deleteTags(b -> b.resources(volumeId).tags(present.stream().map(k -> Tag.builder().key(k).build())
                    .toList()));
        }
        return present;
    }

    /**
     * Records that an owner was welcomed; true only the first time (PutParameter without overwrite is atomic, so two
     * deliveries at once still welcome once).
     */
    public boolean firstWelcome(String stackName, String owner, String when) {
        return createOnce(welcomedPrefix(stackName) + parameterName(owner), when, "Curfew welcomed this owner");
    }

    /** Where launch-limit messages are recorded: one String parameter per instance and kind of breach. */
    public static String limitsToldPrefix(String stackName) {
        return stackName == null ? "/curfew/limits-told/" : "/curfew/" + stackName + "/limits-told/";
    }

    /** The record that the owner of an instance was told of one kind of breach ({@code type}, {@code cap}). */
    public static String limitsToldName(String stackName, String region, String instanceId, String kind) {
        return limitsToldName(stackName, null, region, instanceId, kind);
    }

    /**
     * As {@link #limitsToldName(String, String, String, String)} for an instance of an enrolled account: the account
     * comes first ({@code .../limits-told/<account>/<region>/...}), so two accounts' instances of one id never share a
     * record (a region is never 12 digits); {@code account} null is the home account.
     */
    public static String limitsToldName(String stackName, String account, String region, String instanceId,
                                        String kind) {
        return limitsToldPrefix(stackName) + accountSegment(account) + parameterName(region) + "/"
                + parameterName(instanceId) + "/" + parameterName(kind);
    }

    private static String accountSegment(String account) {
        return account == null ? "" : parameterName(account) + "/";
    }

    /**
     * Records that the owner of an instance is told of one kind of breach; true only the first time, for one caller
     * of two at once (PutParameter without overwrite), so the message goes once however often the events come.
     */
    public boolean firstToldOfLimits(String stackName, String region, String instanceId, String kind, String what) {
        return createOnce(limitsToldName(stackName, enrolled, region, instanceId, kind), what,
                "Curfew told the owner that this instance is outside the launch limits");
    }

    /** Where spot interruption warnings are recorded: one String parameter per instance. */
    public static String interruptionToldPrefix(String stackName) {
        return stackName == null ? "/curfew/interruption-told/" : "/curfew/" + stackName + "/interruption-told/";
    }

    /** The record that the owner of an instance was told that AWS is reclaiming it. */
    public static String interruptionToldName(String stackName, String region, String instanceId) {
        return interruptionToldName(stackName, null, region, instanceId);
    }

    /** As {@link #interruptionToldName(String, String, String)}, the enrolled account first (null: home). */
    public static String interruptionToldName(String stackName, String account, String region, String instanceId) {
        return interruptionToldPrefix(stackName) + accountSegment(account) + parameterName(region) + "/"
                + parameterName(instanceId);
    }

    /**
     * Records that the owner of a spot instance is told of its interruption; true only the first time, for one caller
     * of two at once (PutParameter without overwrite), so the warning goes once however often the event comes.
     */
    public boolean firstToldOfInterruption(String stackName, String region, String instanceId, String what) {
        return createOnce(interruptionToldName(stackName, enrolled, region, instanceId), what,
                "Curfew told the owner that AWS is reclaiming this spot instance");
    }

    /** How long an owner record may go unwritten before an event of its instance writes it again (see below). */
    public static final java.time.Duration OWNER_REFRESH = java.time.Duration.ofDays(7);

    /**
     * Records who created an instance ({@link RunHistory#ownerName}: the owner as the creating call's identity or the
     * enrolled account's roster row says, never a tag), once: an owner recorded before is never replaced. True when
     * this call created it. A spot request's, a Spot Fleet request's and an EC2 Fleet's owner is recorded the same way
     * under its id ({@code sir-...}, {@code sfr-...}, {@code fleet-...}).
     */
    public boolean recordOwner(String stackName, String region, String instanceId, String owner) {
        return createOnce(RunHistory.ownerName(stackName, enrolled, region, instanceId), owner,
                "Curfew: who created this instance (the spend of its runs is theirs)");
    }

    /**
     * The owner Curfew recorded for an instance at its creation, or null when there is none (not yet: the CloudTrail
     * event comes minutes after the instance runs; or never: made before the sentinel ran, or not by a student). A
     * record last written more than {@link #OWNER_REFRESH} ago is written again (same value), so that the pruning of
     * records untouched for 30 days ({@link ToldRecords}) takes only those of instances long unused.
     */
    public String recordedOwner(String stackName, String region, String instanceId) {
        String name = RunHistory.ownerName(stackName, enrolled, region, instanceId);
        var ssm = home.ssm(home.settings().homeRegion().id());
        software.amazon.awssdk.services.ssm.model.Parameter p;
        try {
            p = ssm.getParameter(b -> b.name(name)).parameter();
        } catch (software.amazon.awssdk.services.ssm.model.ParameterNotFoundException e) {
            return null;
        }
        if (p.lastModifiedDate() != null && p.lastModifiedDate().isBefore(Instant.now().minus(OWNER_REFRESH))) {
            ssm.putParameter(b -> b.name(name).value(p.value()).type("String").overwrite(true));
        }
        return p.value();
    }

    /**
     * Records one start or end of an instance's run ({@link RunHistory#name}), created without overwrite: a
     * redelivered event writes nothing, and two events at once each create their own record. Returns the record's name
     * when this call created it, null when it was there already.
     */
    public String recordTransition(String stackName, java.time.ZoneId zone, String region, String instanceId,
                                   Instant at, RunHistory.Kind kind, String type, String owner) {
        String name = transitionName(stackName, zone, region, instanceId, at, kind);
        return createOnce(name, RunHistory.value(type, owner), "Curfew: a " + (kind == RunHistory.Kind.START
                ? "start" : "stop") + " of this instance (its spend this week)") ? name : null;
    }

    /** The record a transition would have (in dry-run, what would be written). */
    public String transitionName(String stackName, java.time.ZoneId zone, String region, String instanceId,
                                 Instant at, RunHistory.Kind kind) {
        return RunHistory.name(stackName, zone, new RunHistory.Transition(enrolled == null ? RunHistory.HOME
                : enrolled, region, instanceId, at, kind, null, null));
    }

    /**
     * Creates a String parameter in the home account's home region without overwrite: false when it exists already.
     */
    private boolean createOnce(String name, String value, String description) {
        try {
            home.ssm(home.settings().homeRegion().id()).putParameter(b -> b.name(name).value(value)
                    .type("String").overwrite(false).description(description));
            return true;
        } catch (ParameterAlreadyExistsException e) {
            return false;
        }
    }

    /** An owner name as an SSM parameter name segment: letters, digits, _ . - kept, anything else as _XX (hex). */
    static String parameterName(String owner) {
        StringBuilder sb = new StringBuilder();
        for (char c : owner.toCharArray()) {
            if (Character.isLetterOrDigit(c) && c < 128 || c == '.' || c == '-') {
                sb.append(c);
            } else {
                sb.append('_').append(String.format("%02X", (int) c));
            }
        }
        return sb.toString();
    }

    /**
     * One EC2 resource's tags read with its kind's Describe call (what the role in an enrolled account may call),
     * by the id's prefix.
     */
    private static Map<String, String> ec2Tags(Ec2Client ec2, String id) {
        Map<String, String> out = new LinkedHashMap<>();
        java.util.function.Consumer<List<Tag>> add = tags -> tags.forEach(t -> out.put(t.key(), t.value()));
        String kind = id.substring(0, Math.max(0, id.indexOf('-')));
        switch (kind) {
            case "i" -> ec2.describeInstances(b -> b.instanceIds(id)).reservations()
                    .forEach(r -> r.instances().forEach(i -> add.accept(i.tags())));
            case "vol" -> ec2.describeVolumes(b -> b.volumeIds(id)).volumes().forEach(v -> add.accept(v.tags()));
            case "eipalloc" -> ec2.describeAddresses(b -> b.allocationIds(id)).addresses()
                    .forEach(a -> add.accept(a.tags()));
            case "sir" -> ec2.describeSpotInstanceRequests(b -> b.spotInstanceRequestIds(id)).spotInstanceRequests()
                    .forEach(s -> add.accept(s.tags()));
            case "snap" -> ec2.describeSnapshots(b -> b.snapshotIds(id)).snapshots().forEach(s -> add.accept(s.tags()));
            case "ami" -> ec2.describeImages(b -> b.imageIds(id)).images().forEach(m -> add.accept(m.tags()));
            case "sg" -> ec2.describeSecurityGroups(b -> b.groupIds(id)).securityGroups()
                    .forEach(g -> add.accept(g.tags()));
            default -> throw new IllegalArgumentException("\"" + id + "\" is not an EC2 id the sentinel tags");
        }
        return out;
    }

    private static Map<String, String> missing(Map<String, String> have, Map<String, String> wanted,
                                               String settled) {
        Map<String, String> out = new LinkedHashMap<>();
        wanted.forEach((k, v) -> {
            if (have == null || !have.containsKey(k) || k.equals(settled) && !v.equals(have.get(k))) {
                out.put(k, v);
            }
        });
        return out;
    }

    private static List<Tag> tags(Map<String, String> m) {
        List<Tag> out = new ArrayList<>();
        m.forEach((k, v) -> out.add(Tag.builder().key(k).value(v).build()));
        return out;
    }
}
