package dev.curfew.core.sentinel;

/**
 * A resource an API call created, as named in the CloudTrail record.
 *
 * @param kind {@code ec2} (instances, volumes, spot requests, Elastic IP allocations, AMIs, snapshots: all tagged
 *             with EC2 CreateTags), {@code s3} (a bucket), {@code emr} (a cluster), {@code fleet} (a Spot Fleet
 *             request or an EC2 Fleet: its owner is recorded, it is not tagged) or {@code instant-fleet} (an EC2 Fleet
 *             of type instant: as a fleet, its instances all named in EC2's answer)
 * @param id   the resource id, the bucket name, or the cluster id
 */
public record Created(String kind, String id) {
}
