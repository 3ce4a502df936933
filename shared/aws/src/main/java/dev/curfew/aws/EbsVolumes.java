package dev.curfew.aws;

import dev.curfew.core.model.CurfewTags;
import dev.curfew.core.model.EbsVolume;
import dev.curfew.core.model.ResourceKind;
import dev.curfew.core.plan.Action;
import dev.curfew.core.plan.Decision;
import dev.curfew.core.plan.SnapshotEvidence;
import dev.curfew.core.sweep.Outcome;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.Snapshot;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.ec2.model.Volume;
import software.amazon.awssdk.services.ec2.model.VolumeAttachment;

/**
 * The {@code ebs-volume} resource kind. Snapshot-then-delete deletes a volume only on evidence AWS vouches for: a
 * completed snapshot of this volume, owned by this account, started at or after the volume's current mark was set
 * ({@link SnapshotEvidence}; the planner puts that instant in the decision's finding). The volume's
 * {@code curfew:snapshot-id} tag only points at a candidate, a snapshot an earlier sweep started: when the snapshot
 * it names fails the rule (another volume's, another account's, older than the mark, failed, gone), it is ignored and
 * a new snapshot is taken. A new snapshot is tagged with the volume, owner, date and the command that restores it;
 * while it is in progress it is recorded in {@code curfew:snapshot-id} and a later sweep finishes the job.
 */
public final class EbsVolumes extends KindAdapter {
    static final String SNAPSHOT_TAG = SnapshotEvidence.POINTER_TAG;

    private final Clock clock;
    private final Supplier<String> accountId;
    /**
     * Snapshots this sweep made, by volume: a second try of a snapshot-then-delete (at the end of the run, after a
     * failure past CreateSnapshot) finishes with the snapshot already made instead of taking another.
     */
    private final Map<String, String> madeThisRun = new java.util.concurrent.ConcurrentHashMap<>();

    /** Unbound (the registry's entry): no account known, so no snapshot counts as evidence until it is bound. */
    public EbsVolumes() {
        this(Clock.systemUTC(), () -> null);
    }

    /** @param accountId this account's id (STS): only its own snapshots count as evidence */
    private EbsVolumes(Clock clock, Supplier<String> accountId) {
        // the IAM actions are written here, not in a static field: KindAdapter.ALL builds this adapter while this
        // class may not be initialised yet
        super(ResourceKind.EBS_VOLUME, List.of("ec2:DescribeVolumes", "ec2:CreateSnapshot", "ec2:DescribeSnapshots",
                "ec2:DeleteVolume"));
        this.clock = clock;
        this.accountId = accountId;
    }

    /** For one cloud: its clock and account, and the snapshots its sweeps make. */
    @Override
    public KindAdapter bind(Context context) {
        return new EbsVolumes(context.clock(), context.accountId());
    }

    @Override
    public List<EbsVolume> list(AwsClients clients, String region) {
        Ec2Client ec2 = clients.ec2(region);
        return ec2.describeVolumesPaginator(b -> b.maxResults(500)).volumes().stream()
                .map(v -> toModel(region, v)).toList();
    }

    /** Still there, or deleted and which of this account's snapshots keeps it restorable. */
    @Override
    public String left(AwsClients clients, String region, String id) {
        if (!super.left(clients, region, id).equals("gone")) {
            return "still there";
        }
        return clients.ec2(region).describeSnapshots(b -> b.ownerIds("self")).snapshots().stream()
                .filter(x -> id.equals(x.volumeId())).findFirst()
                .map(x -> "deleted; snapshot " + x.snapshotId() + " keeps it restorable").orElse("deleted");
    }

    static EbsVolume toModel(String region, Volume v) {
        String attachedTo = null;
        for (VolumeAttachment a : v.attachments()) {
            if (a.instanceId() != null && !"detached".equals(a.stateAsString())) {
                attachedTo = a.instanceId();
            }
        }
        int size = v.size() == null ? 0 : v.size();
        return new EbsVolume(v.volumeId(), region, v.availabilityZone(), v.volumeTypeAsString(), size,
                v.stateAsString(), attachedTo, v.createTime(), v.snapshotId(), Tagging.map(v.tags()));
    }

    @Override
    protected Outcome act(AwsClients clients, String region, Decision d) {
        if (d.action() == Action.SNAPSHOT_THEN_DELETE) {
            return snapshotThenDelete(clients.ec2(region), (EbsVolume) d.resource(), d);
        }
        return only(d, Action.DELETE, () -> clients.ec2(region).deleteVolume(b -> b.volumeId(d.resource().id())),
                "deleted (the policy says delete, without a snapshot)");
    }

    private Outcome snapshotThenDelete(Ec2Client ec2, EbsVolume v, Decision d) {
        Instant markSetAt = markSetAt(d);
        String account = accountId.get();
        String note = "";
        String made = madeThisRun.get(v.id());
        String pointer = made != null ? made : v.tags().get(SNAPSHOT_TAG);
        if (pointer != null) {
            Snapshot found = find(ec2, pointer);
            SnapshotEvidence.Verdict earlier = SnapshotEvidence.judge(v.id(), account, markSetAt,
                    found == null ? SnapshotEvidence.Facts.notFound(pointer) : facts(found));
            switch (earlier.kind()) {
                case ACCEPTED -> {
                    delete(ec2, v.id());
                    return Outcome.done(v.id(), earlier.reason() + ": volume deleted; restore with: "
                            + restoreCommand(pointer, v));
                }
                case IN_PROGRESS -> {
                    if (made != null && !made.equals(v.tags().get(SNAPSHOT_TAG))) {
                        ec2.createTags(b -> b.resources(v.id()).tags(Tag.builder().key(SNAPSHOT_TAG).value(made)
                                .build()));
                    }
                    return Outcome.done(v.id(), earlier.reason() + "; the volume is deleted by a later sweep once "
                            + "it has completed");
                }
                default -> note = earlier.reason() + ": a new snapshot is taken; ";
            }
        }
        Snapshot snap = snapshot(ec2, v, d.owner(), ownerTag(d));
        String id = snap.snapshotId();
        SnapshotEvidence.Verdict fresh = SnapshotEvidence.judge(v.id(), account, markSetAt, facts(snap));
        switch (fresh.kind()) {
            case ACCEPTED -> {
                try {
                    delete(ec2, v.id());
                } catch (SdkException e) {
                    if (e instanceof AwsServiceException s && Errors.notFound(s)) {
                        throw e;
                    }
                    // the snapshot becomes the volume's candidate: a later sweep deletes the volume on it (once it
                    // passes the rule again) and takes no second one
                    String pointed = pointTo(ec2, v, id);
                    return Outcome.failed(v.id(), note + "snapshot " + id + " made; the volume was not deleted ("
                            + Errors.describe(e) + ")" + pointed);
                }
                return Outcome.done(v.id(), note + "snapshot " + id + " made, volume deleted; restore with: "
                        + restoreCommand(id, v));
            }
            case IN_PROGRESS -> {
                ec2.createTags(b -> b.resources(v.id()).tags(Tag.builder().key(SNAPSHOT_TAG).value(id).build()));
                return Outcome.done(v.id(), note + "snapshot " + id + " is " + snap.stateAsString() + "; the volume "
                        + "is deleted by a later sweep once it has completed");
            }
            default -> {
                return Outcome.failed(v.id(), note + "snapshot " + id + " was made but is no evidence for deleting "
                        + "the volume (" + fresh.reason() + "); the volume is kept");
            }
        }
    }

    /** DeleteVolume, which IAM allows only on a volume carrying its curfew:action record, written a moment ago. */
    private static void delete(Ec2Client ec2, String volumeId) {
        Tagging.actAfterTagging(() -> ec2.deleteVolume(b -> b.volumeId(volumeId)));
    }

    /** Records a snapshot as the volume's candidate ({@code curfew:snapshot-id}); says how that went, for a report. */
    private static String pointTo(Ec2Client ec2, EbsVolume v, String snapshotId) {
        try {
            ec2.createTags(b -> b.resources(v.id()).tags(Tag.builder().key(SNAPSHOT_TAG).value(snapshotId).build()));
            return "; a later sweep deletes it on this snapshot";
        } catch (SdkException e) {
            return "; " + SNAPSHOT_TAG + " could not be written either (" + Errors.describe(e) + ")";
        }
    }

    /** When the volume's current mark was set, as the planner worked it out; this sweep's time when it did not. */
    private Instant markSetAt(Decision d) {
        for (var f : d.findings()) {
            String at = f.evidence().get(SnapshotEvidence.MARK_SET_AT);
            if (at != null) {
                try {
                    return Instant.parse(at);
                } catch (DateTimeException e) {
                    break;
                }
            }
        }
        return clock.instant();
    }

    static SnapshotEvidence.Facts facts(Snapshot s) {
        return new SnapshotEvidence.Facts(s.snapshotId(), s.volumeId(), s.ownerId(), s.stateAsString(),
                s.startTime());
    }

    /** The policy's owner tag, which the planner put in the decision's evidence; the default one when absent. */
    static String ownerTag(Decision d) {
        return d.findings().stream().map(f -> f.evidence().get(SnapshotEvidence.OWNER_TAG))
                .filter(java.util.Objects::nonNull).findFirst().orElse(CurfewTags.OWNER);
    }

    private Snapshot snapshot(Ec2Client ec2, EbsVolume v, String owner, String ownerTag) {
        String date = LocalDate.now(clock.withZone(ZoneOffset.UTC)).toString();
        List<Tag> tags = new ArrayList<>();
        tags.add(Tag.builder().key(CurfewTags.VOLUME_ID).value(v.id()).build());
        tags.add(Tag.builder().key(ownerTag).value(owner == null ? "unknown" : owner).build());
        tags.add(Tag.builder().key(CurfewTags.SNAPSHOT_DATE).value(date).build());
        tags.add(Tag.builder().key(CurfewTags.VOLUME_TYPE).value(String.valueOf(v.volumeType())).build());
        tags.add(Tag.builder().key(CurfewTags.ZONE).value(String.valueOf(v.zone())).build());
        if (v.name() != null) {
            tags.add(Tag.builder().key("Name").value(v.name()).build());
        }
        var created = ec2.createSnapshot(b -> b.volumeId(v.id())
                .description("Curfew: " + v.id() + " of " + (owner == null ? "unknown" : owner)
                        + " before deletion on " + date)
                .tagSpecifications(s -> s.resourceType(ResourceType.SNAPSHOT).tags(tags)));
        String id = created.snapshotId();
        madeThisRun.put(v.id(), id);
        ec2.createTags(b -> b.resources(id).tags(Tag.builder().key(CurfewTags.RESTORE)
                .value(restoreCommand(id, v)).build()));
        Snapshot s = find(ec2, id);
        // DescribeSnapshots may not know it yet: CreateSnapshot's answer carries the same fields, set by AWS
        return s != null ? s : Snapshot.builder().snapshotId(id).volumeId(created.volumeId())
                .ownerId(created.ownerId()).state(created.state()).startTime(created.startTime()).build();
    }

    private static Snapshot find(Ec2Client ec2, String id) {
        try {
            List<Snapshot> s = ec2.describeSnapshots(b -> b.snapshotIds(id)).snapshots();
            return s.isEmpty() ? null : s.get(0);
        } catch (AwsServiceException e) {
            // a hand-written pointer may not even be a snapshot id (InvalidSnapshotID.Malformed): none found
            if (Errors.notFound(e) || String.valueOf(Errors.code(e)).endsWith(".Malformed")) {
                return null;
            }
            throw e;
        }
    }

    static String restoreCommand(String snapshotId, EbsVolume v) {
        return "aws ec2 create-volume --region " + v.region() + " --availability-zone " + v.zone()
                + " --volume-type " + v.volumeType() + " --snapshot-id " + snapshotId;
    }
}
