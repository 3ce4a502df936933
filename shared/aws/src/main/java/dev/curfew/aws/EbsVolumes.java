package dev.curfew.aws;

import dev.curfew.core.model.EbsVolume;
import dev.curfew.core.plan.Action;
import dev.curfew.core.plan.Decision;
import dev.curfew.core.sweep.Outcome;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.DescribeVolumesResponse;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.Snapshot;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.ec2.model.Volume;
import software.amazon.awssdk.services.ec2.model.VolumeAttachment;

/**
 * The {@code ebs-volume} resource kind. Snapshot-then-delete makes a snapshot tagged with the volume, owner, date
 * and the command that restores it, and deletes the volume only once that snapshot has completed; a snapshot
 * still in progress is recorded on the volume ({@code curfew:snapshot-id}) and a later sweep finishes the job.
 */
public final class EbsVolumes {
    public static final List<String> IAM_ACTIONS = List.of("ec2:DescribeVolumes", "ec2:CreateSnapshot",
            "ec2:DescribeSnapshots", "ec2:DeleteVolume");
    static final String SNAPSHOT_TAG = "curfew:snapshot-id";

    private final AwsClients clients;
    private final Clock clock;

    public EbsVolumes(AwsClients clients, Clock clock) {
        this.clients = clients;
        this.clock = clock;
    }

    public List<EbsVolume> list(String region) {
        Ec2Client ec2 = clients.ec2(region);
        List<EbsVolume> out = new ArrayList<>();
        String token = null;
        do {
            String t = token;
            DescribeVolumesResponse page = ec2.describeVolumes(b -> b.maxResults(500).nextToken(t));
            for (Volume v : page.volumes()) {
                out.add(toModel(region, v));
            }
            token = page.nextToken();
        } while (token != null && !token.isEmpty());
        return out;
    }

    static EbsVolume toModel(String region, Volume v) {
        Map<String, String> tags = new LinkedHashMap<>();
        v.tags().forEach(t -> tags.put(t.key(), t.value()));
        String attachedTo = null;
        for (VolumeAttachment a : v.attachments()) {
            if (a.instanceId() != null && !"detached".equals(a.stateAsString())) {
                attachedTo = a.instanceId();
            }
        }
        int size = v.size() == null ? 0 : v.size();
        return new EbsVolume(v.volumeId(), region, v.availabilityZone(), v.volumeTypeAsString(), size,
                v.stateAsString(), attachedTo, v.createTime(), v.snapshotId(), tags);
    }

    public Outcome apply(String region, Decision d) {
        Ec2Client ec2 = clients.ec2(region);
        EbsVolume v = (EbsVolume) d.resource();
        try {
            return switch (d.action()) {
                case MARK, UNMARK -> Tagging.apply(ec2, d);
                case DELETE -> {
                    ec2.deleteVolume(b -> b.volumeId(v.id()));
                    yield Outcome.done(v.id(), "deleted (the policy says delete, without a snapshot)");
                }
                case SNAPSHOT_THEN_DELETE -> snapshotThenDelete(ec2, v, d.owner());
                default -> Outcome.failed(v.id(), "volumes cannot be sent " + d.action().wireName());
            };
        } catch (AwsServiceException e) {
            return Errors.outcome(v.id(), e);
        }
    }

    private Outcome snapshotThenDelete(Ec2Client ec2, EbsVolume v, String owner) {
        String snapshotId = v.tags().get(SNAPSHOT_TAG);
        Snapshot snap = snapshotId == null ? null : find(ec2, snapshotId);
        if (snap == null || "error".equals(snap.stateAsString())) {
            snap = snapshot(ec2, v, owner);
        }
        String restore = restoreCommand(snap.snapshotId(), v);
        if (!"completed".equals(snap.stateAsString())) {
            String id = snap.snapshotId();
            ec2.createTags(b -> b.resources(v.id()).tags(Tag.builder().key(SNAPSHOT_TAG).value(id).build()));
            return Outcome.done(v.id(), "snapshot " + id + " is " + snap.stateAsString() + "; the volume is "
                    + "deleted by a later sweep once it has completed");
        }
        ec2.deleteVolume(b -> b.volumeId(v.id()));
        return Outcome.done(v.id(), "snapshot " + snap.snapshotId() + " made, volume deleted; restore with: "
                + restore);
    }

    private Snapshot snapshot(Ec2Client ec2, EbsVolume v, String owner) {
        String date = LocalDate.now(clock.withZone(ZoneOffset.UTC)).toString();
        List<Tag> tags = new ArrayList<>();
        tags.add(Tag.builder().key("curfew:volume-id").value(v.id()).build());
        tags.add(Tag.builder().key("curfew:owner").value(owner == null ? "unknown" : owner).build());
        tags.add(Tag.builder().key("curfew:snapshot-date").value(date).build());
        tags.add(Tag.builder().key("curfew:volume-type").value(String.valueOf(v.volumeType())).build());
        tags.add(Tag.builder().key("curfew:zone").value(String.valueOf(v.zone())).build());
        if (v.name() != null) {
            tags.add(Tag.builder().key("Name").value(v.name()).build());
        }
        var created = ec2.createSnapshot(b -> b.volumeId(v.id())
                .description("Curfew: " + v.id() + " of " + (owner == null ? "unknown" : owner)
                        + " before deletion on " + date)
                .tagSpecifications(s -> s.resourceType(ResourceType.SNAPSHOT).tags(tags)));
        String id = created.snapshotId();
        ec2.createTags(b -> b.resources(id).tags(Tag.builder().key("curfew:restore")
                .value(restoreCommand(id, v)).build()));
        Snapshot s = find(ec2, id);
        return s != null ? s : Snapshot.builder().snapshotId(id).state(created.state()).build();
    }

    private static Snapshot find(Ec2Client ec2, String id) {
        try {
            List<Snapshot> s = ec2.describeSnapshots(b -> b.snapshotIds(id)).snapshots();
            return s.isEmpty() ? null : s.get(0);
        } catch (AwsServiceException e) {
            if (Errors.notFound(e)) {
                return null;
            }
            throw e;
        }
    }

    static String restoreCommand(String snapshotId, EbsVolume v) {
        return "aws ec2 create-volume --region " + v.region() + " --availability-zone " + v.zone()
                + " --volume-type " + v.volumeType() + " --snapshot-id " + snapshotId;
    }

    static boolean handles(Action a) {
        return a == Action.MARK || a == Action.UNMARK || a == Action.DELETE || a == Action.SNAPSHOT_THEN_DELETE;
    }
}
