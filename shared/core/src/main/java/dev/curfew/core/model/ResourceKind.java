package dev.curfew.core.model;

/** The kinds of resource Curfew knows by name; the wire name is the one used in policies and reports. */
public enum ResourceKind {
    EC2_INSTANCE("ec2-instance"),
    EBS_VOLUME("ebs-volume"),
    S3_BUCKET("s3-bucket"),
    ELASTIC_IP("elastic-ip"),
    SPOT_REQUEST("spot-request"),
    EMR_CLUSTER("emr-cluster"),
    EBS_SNAPSHOT("ebs-snapshot"),
    AMI("ami"),
    SECURITY_GROUP("security-group"),
    NAT_GATEWAY("nat-gateway");

    private final String wireName;

    ResourceKind(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    @Override
    public String toString() {
        return wireName;
    }
}
