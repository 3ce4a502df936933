package dev.curfew.aws;

import dev.curfew.core.model.EbsSnapshot;
import dev.curfew.core.model.MachineImage;
import dev.curfew.core.plan.Decision;
import dev.curfew.core.sweep.Outcome;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.BlockDeviceMapping;
import software.amazon.awssdk.services.ec2.model.Image;
import software.amazon.awssdk.services.ec2.model.Snapshot;
import software.amazon.awssdk.services.ec2.model.Tag;

/** The {@code ebs-snapshot} and {@code ami} resource kinds: this account's own, listed a page at a time. */
public final class SnapshotsAndImages {
    public static final List<String> IAM_ACTIONS = List.of("ec2:DescribeSnapshots", "ec2:DescribeImages",
            "ec2:DeleteSnapshot", "ec2:DeregisterImage");

    private final AwsClients clients;
    /** The account swept: a snapshot another account owns is never this account's (null: not checked). */
    private final java.util.function.Supplier<String> account;

    public SnapshotsAndImages(AwsClients clients) {
        this(clients, () -> null);
    }

    public SnapshotsAndImages(AwsClients clients, java.util.function.Supplier<String> account) {
        this.clients = clients;
        this.account = account;
    }

    public List<EbsSnapshot> snapshots(String region) {
        Ec2Client ec2 = clients.ec2(region);
        List<EbsSnapshot> out = new ArrayList<>();
        String own = account.get();
        for (Snapshot s : ec2.describeSnapshotsPaginator(b -> b.ownerIds("self").maxResults(1000)).snapshots()) {
            // OwnerIds=self says as much on AWS; the emulator lists Amazon's AMI snapshots in every account
            if (own != null && s.ownerId() != null && !own.equals(s.ownerId())) {
                continue;
            }
            out.add(new EbsSnapshot(s.snapshotId(), region, s.volumeId(), s.volumeSize() == null ? 0
                    : s.volumeSize(), s.startTime(), s.stateAsString(), tags(s.tags())));
        }
        return out;
    }

    public List<MachineImage> images(String region) {
        List<MachineImage> out = new ArrayList<>();
        for (Image i : clients.ec2(region).describeImages(b -> b.owners("self")).images()) {
            List<String> snaps = new ArrayList<>();
            for (BlockDeviceMapping m : i.blockDeviceMappings()) {
                if (m.ebs() != null && m.ebs().snapshotId() != null) {
                    snaps.add(m.ebs().snapshotId());
                }
            }
            out.add(new MachineImage(i.imageId(), region, i.name(), parse(i.creationDate()), snaps, tags(i.tags())));
        }
        return out;
    }

    private static Instant parse(String s) {
        try {
            return s == null ? null : Instant.parse(s);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static Map<String, String> tags(List<Tag> tags) {
        Map<String, String> m = new LinkedHashMap<>();
        tags.forEach(t -> m.put(t.key(), t.value()));
        return m;
    }

    public Outcome apply(String region, Decision d) {
        Ec2Client ec2 = clients.ec2(region);
        String id = d.resource().id();
        try {
            return switch (d.action()) {
                case MARK, UNMARK -> Tagging.apply(ec2, d);
                case DELETE -> {
                    if (d.resource() instanceof MachineImage) {
                        // IAM allows these only on a resource carrying its curfew:action record, written a moment ago
                        Tagging.actAfterTagging(() -> ec2.deregisterImage(b -> b.imageId(id)));
                        yield Outcome.done(id, "deregistered (its snapshots remain until snapshots-old takes them)");
                    }
                    Tagging.actAfterTagging(() -> ec2.deleteSnapshot(b -> b.snapshotId(id)));
                    yield Outcome.done(id, "deleted");
                }
                default -> Outcome.failed(id, d.resource().kind() + " cannot be sent " + d.action().wireName());
            };
        } catch (AwsServiceException e) {
            return Errors.outcome(id, e);
        }
    }
}
