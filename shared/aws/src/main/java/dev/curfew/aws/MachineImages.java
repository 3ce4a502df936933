package dev.curfew.aws;

import dev.curfew.core.model.MachineImage;
import dev.curfew.core.model.ResourceKind;
import dev.curfew.core.plan.Action;
import dev.curfew.core.plan.Decision;
import dev.curfew.core.sweep.Outcome;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.services.ec2.model.BlockDeviceMapping;
import software.amazon.awssdk.services.ec2.model.Image;

/**
 * The {@code ami} resource kind: this account's own AMIs (one call a region), with the snapshots behind them;
 * deregistered on opt-in, which leaves their snapshots.
 */
public final class MachineImages extends KindAdapter {

    public MachineImages() {
        super(ResourceKind.AMI, List.of("ec2:DescribeImages", "ec2:DeregisterImage"));
    }

    @Override
    public List<MachineImage> list(AwsClients clients, String region) {
        List<MachineImage> out = new ArrayList<>();
        for (Image i : clients.ec2(region).describeImages(b -> b.owners("self")).images()) {
            List<String> snaps = new ArrayList<>();
            for (BlockDeviceMapping m : i.blockDeviceMappings()) {
                if (m.ebs() != null && m.ebs().snapshotId() != null) {
                    snaps.add(m.ebs().snapshotId());
                }
            }
            out.add(new MachineImage(i.imageId(), region, i.name(), parse(i.creationDate()), snaps,
                    Tagging.map(i.tags())));
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

    @Override
    protected Outcome act(AwsClients clients, String region, Decision d) {
        return only(d, Action.DELETE, () -> clients.ec2(region).deregisterImage(b -> b.imageId(d.resource().id())),
                "deregistered (its snapshots remain until snapshots-old takes them)");
    }
}
