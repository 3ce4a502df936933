package dev.curfew.core.model;

/** The {@code curfew:*} tag names, spelled once. What each means: DESIGN.md, "Words". */
public final class CurfewTags {
    /** The default owner tag (the policy's {@code owner-tag} may name another). */
    public static final String OWNER = "curfew:owner";
    /** Who created it (an ARN), written by the sentinel and the launcher. */
    public static final String CREATED_BY = "curfew:created-by";
    /** When it was created, written by the sentinel in an enrolled account (dates kinds AWS does not). */
    public static final String CREATED_AT = "curfew:created-at";
    /** A mark: {@code <action>@<instant>}, the action due then. */
    public static final String PENDING = "curfew:pending";
    /** The record of a destructive act, written just before it ({@code <action>@<instant>}). */
    public static final String ACTION = "curfew:action";
    /** The default keep tag ({@code YYYY-MM-DD}). */
    public static final String KEEP = "curfew:keep";
    /** The day a keep tag was capped at. */
    public static final String KEEP_CAP = "curfew:keep-cap";
    /** The default expiry tag of an instance. */
    public static final String EXPIRES_AT = "curfew:expires-at";
    /** When a volume was first seen unattached (AWS does not record it). */
    public static final String UNATTACHED_SINCE = "curfew:unattached-since";
    /** A volume's candidate snapshot, started by an earlier sweep. */
    public static final String SNAPSHOT_ID = "curfew:snapshot-id";
    /** On a restore snapshot: the volume it was taken of, its date, type and zone, and the command that restores it. */
    public static final String VOLUME_ID = "curfew:volume-id";
    public static final String SNAPSHOT_DATE = "curfew:snapshot-date";
    public static final String VOLUME_TYPE = "curfew:volume-type";
    public static final String ZONE = "curfew:zone";
    public static final String RESTORE = "curfew:restore";
    /** The day an owner was last warned (so a repeated sweep does not warn twice). */
    public static final String WARNED = "curfew:warned";

    private CurfewTags() {
    }
}
