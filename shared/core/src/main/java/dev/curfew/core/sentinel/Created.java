package dev.curfew.core.sentinel;

/**
 * A resource an API call created, as named in the CloudTrail record.
 *
 * @param kind {@code ec2} (instances, volumes, spot requests, Elastic IP allocations, AMIs, snapshots: all tagged
 *             with EC2 CreateTags), {@code s3} (a bucket), {@code emr} (a cluster) or {@code fleet} (a Spot Fleet
 *             request or an EC2 Fleet: its owner is recorded, it is not tagged)
 * @param id   the resource id, the bucket name, or the cluster id
 */
public record Created(String kind, String id) {
}
