package dev.curfew.core.plan;

import dev.curfew.core.model.Ec2Instance;
import dev.curfew.core.model.InstanceState;
import dev.curfew.core.model.Protection;
import dev.curfew.core.model.SpotRequestType;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** Test fixture: an EC2 instance with sensible defaults (running on-demand t3.micro, unprotected). */
public final class InstanceBuilder {
    private final String id;
    private String region = "eu-west-1";
    private String type = "t3.micro";
    private InstanceState state = InstanceState.RUNNING;
    private boolean spot;
    private String spotRequestId;
    private SpotRequestType spotType;
    private Instant launchTime;
    private Instant rootAttachTime;
    private Instant stoppedAt;
    private final Map<String, String> tags = new LinkedHashMap<>();
    private Protection protection = new Protection(false, false);

    private InstanceBuilder(String id) {
        this.id = id;
    }

    public static InstanceBuilder instance(String id) {
        return new InstanceBuilder(id);
    }

    public InstanceBuilder region(String r) {
        region = r;
        return this;
    }

    public InstanceBuilder state(InstanceState s) {
        state = s;
        return this;
    }

    /** Sets launch time and root-volume attach time together. */
    public InstanceBuilder launched(Instant t) {
        return launched(t, t);
    }

    /**
     * An instance whose root volume was attached at one time and which was started (again) at another: LaunchTime
     * resets on stop/start, the attach time does not.
     */
    public InstanceBuilder launched(Instant rootAttached, Instant launch) {
        rootAttachTime = rootAttached;
        launchTime = launch;
        return this;
    }

    public InstanceBuilder stopped(Instant at) {
        state = InstanceState.STOPPED;
        stoppedAt = at;
        return this;
    }

    public InstanceBuilder tag(String k, String v) {
        tags.put(k, v);
        return this;
    }

    public InstanceBuilder name(String n) {
        return tag("Name", n);
    }

    public InstanceBuilder oneTimeSpot(String requestId) {
        spot = true;
        spotRequestId = requestId;
        spotType = SpotRequestType.ONE_TIME;
        return this;
    }

    public InstanceBuilder persistentSpot(String requestId) {
        spot = true;
        spotRequestId = requestId;
        spotType = SpotRequestType.PERSISTENT;
        return this;
    }

    public InstanceBuilder protection(Boolean termination, Boolean stop) {
        protection = new Protection(termination, stop);
        return this;
    }

    public Ec2Instance build() {
        return new Ec2Instance(id, region, type, state, spot, spotRequestId, spotType, launchTime, rootAttachTime,
                stoppedAt, tags, protection);
    }
}
