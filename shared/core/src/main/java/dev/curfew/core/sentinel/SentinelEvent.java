package dev.curfew.core.sentinel;

import dev.curfew.core.identity.AwsIdentity;
import java.time.Instant;
import java.util.List;

/** One EventBridge event the sentinel acts on, read and checked by {@link EventReader}. */
public sealed interface SentinelEvent {
    /** The EventBridge event id (the same on every delivery of one event). */
    String id();

    String account();

    String region();

    Instant time();

    /**
     * "AWS API Call via CloudTrail" for one of the creating calls.
     *
     * @param errorCode set when the call failed (then nothing was created)
     * @param caller    who CloudTrail says made the call ({@code userIdentity}: ARN, type, the role behind a
     *                  session); whether that is a student is {@link dev.curfew.core.identity.Principals}'s to say.
     *                  Null when an AWS service made the call and CloudTrail names no ARN
     * @param service   the AWS service that made the call on someone's behalf (EMR launching a cluster's instances,
     *                  Auto Scaling, ...): {@code sourceIPAddress} or {@code userIdentity.invokedBy} naming
     *                  {@code *.amazonaws.com}; null for a call a person made
     */
    record ApiCall(String id, String account, String region, Instant time, String source, String eventName,
                   String errorCode, AwsIdentity caller, String service, List<Created> created)
            implements SentinelEvent {
        public ApiCall {
            created = List.copyOf(created);
        }

        /** The caller's ARN, or null. */
        public String callerArn() {
            return caller == null ? null : caller.arn();
        }
    }

    /**
     * "AWS API Call via CloudTrail" for AttachVolume: the volume is in use again, so the marks an earlier sweep left
     * on it (and the snapshot it recorded) no longer hold.
     *
     * @param errorCode set when the call failed (then nothing was attached)
     */
    record VolumeAttached(String id, String account, String region, Instant time, String volumeId, String errorCode)
            implements SentinelEvent {
    }

    /** "EC2 Instance State-change Notification". */
    record StateChange(String id, String account, String region, Instant time, String instanceId, String state)
            implements SentinelEvent {
    }

    /** "EC2 Spot Instance Interruption Warning": the instance is reclaimed two minutes later. */
    record SpotInterruption(String id, String account, String region, Instant time, String instanceId,
                            String instanceAction) implements SentinelEvent {
    }
}
