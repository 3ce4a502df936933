package dev.curfew.aws;

import dev.curfew.core.model.EbsSnapshot;
import dev.curfew.core.model.ResourceKind;
import dev.curfew.core.plan.Action;
import dev.curfew.core.plan.Decision;
import dev.curfew.core.sweep.Outcome;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Snapshot;

/** The {@code ebs-snapshot} resource kind: this account's own snapshots, a page at a time; deleted on opt-in. */
public final class EbsSnapshots extends KindAdapter {

    /** The account swept: a snapshot another account owns is never this account's (null: not checked). */
    private final Supplier<String> account;

    /** Unbound (the registry's entry): the owner is not checked beyond {@code OwnerIds=self}. */
    public EbsSnapshots() {
        this(() -> null);
    }

    private EbsSnapshots(Supplier<String> account) {
        super(ResourceKind.EBS_SNAPSHOT, List.of("ec2:DescribeSnapshots", "ec2:DeleteSnapshot"));
        this.account = account;
    }

    @Override
    public KindAdapter bind(Context context) {
        return new EbsSnapshots(context.accountId());
    }

    @Override
    public List<EbsSnapshot> list(AwsClients clients, String region) {
        Ec2Client ec2 = clients.ec2(region);
        List<EbsSnapshot> out = new ArrayList<>();
        String own = account.get();
        for (Snapshot s : ec2.describeSnapshotsPaginator(b -> b.ownerIds("self").maxResults(1000)).snapshots()) {
            // OwnerIds=self says as much on AWS; the emulator lists Amazon's AMI snapshots in every account
            if (own != null && s.ownerId() != null && !own.equals(s.ownerId())) {
                continue;
            }
            out.add(new EbsSnapshot(s.snapshotId(), region, s.volumeId(), s.volumeSize() == null ? 0
                    : s.volumeSize(), s.startTime(), s.stateAsString(), Tagging.map(s.tags())));
        }
        return out;
    }

    @Override
    protected Outcome act(AwsClients clients, String region, Decision d) {
        return only(d, Action.DELETE, () -> clients.ec2(region).deleteSnapshot(b -> b.snapshotId(d.resource().id())),
                "deleted");
    }
}
