package dev.curfew.core.model;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * One EC2 instance as a sweep saw it.
 *
 * @param launchTime     when the instance last started (EC2 resets it on stop/start)
 * @param rootAttachTime when the root volume was attached: steadier than launchTime, so it dates the instance
 * @param stoppedAt      when it was stopped, read from the state transition reason; null when unknown or running
 * @param spotRequestId  the spot request behind a spot instance, null for on-demand or when not known
 */
public record Ec2Instance(
        String id,
        String region,
        String type,
        InstanceState state,
        boolean spot,
        String spotRequestId,
        SpotRequestType spotRequestType,
        Instant launchTime,
        Instant rootAttachTime,
        Instant stoppedAt,
        Map<String, String> tags,
        Protection protection) implements Resource {

    public Ec2Instance {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(state, "state");
        tags = tags == null ? Map.of() : Map.copyOf(tags);
        protection = protection == null ? Protection.UNKNOWN : protection;
    }

    @Override
    public Ec2Instance withTags(Map<String, String> t) {
        return new Ec2Instance(id, region, type, state, spot, spotRequestId, spotRequestType, launchTime, rootAttachTime, stoppedAt, t, protection);
    }

    @Override
    public ResourceKind kind() {
        return ResourceKind.EC2_INSTANCE;
    }

    public String tag(String key) {
        return tags.get(key);
    }

    /**
     * For the enrolment scope: the root volume's attach time, else the sentinel's record of the launch (the launch
     * time is reset by every start, so it dates only the last start, never the creation).
     */
    @Override
    public Instant created() {
        return rootAttachTime != null ? rootAttachTime : Resource.super.created();
    }

    /** When the instance came to be: the root volume's attach time, else the launch time. */
    public Instant createdAt() {
        return rootAttachTime != null ? rootAttachTime : launchTime;
    }

    public boolean persistentSpot() {
        return spot && spotRequestType == SpotRequestType.PERSISTENT && spotRequestId != null;
    }

    public boolean oneTimeSpot() {
        return spot && !persistentSpot();
    }

    public Ec2Instance withProtection(Protection p) {
        return new Ec2Instance(id, region, type, state, spot, spotRequestId, spotRequestType, launchTime,
                rootAttachTime, stoppedAt, tags, p);
    }
}
