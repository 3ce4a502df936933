package dev.curfew.core.plan;

import java.time.Duration;
import java.time.Instant;

/**
 * Which snapshot may justify deleting a volume. A volume is deleted only after a <em>completed</em> snapshot
 * <em>of that volume</em>, <em>owned by this account</em>, that was <em>started at or after its current mark was
 * set</em>. Each of these comes from a field AWS sets on the snapshot ({@code VolumeId}, {@code OwnerId},
 * {@code State}, {@code StartTime}); nobody can write them with a tag. The volume's {@code curfew:snapshot-id} tag is
 * only a pointer to a candidate: a snapshot it names that fails the rule is ignored and a new one is taken.
 *
 * <p><b>When the current mark was set.</b> Curfew marks a volume in one tag write:
 * {@code curfew:pending=snapshot-then-delete@<due>} with {@code due = T + older-than}, and
 * {@code curfew:unattached-since=T}, where T is the sweep that marked it. Tags can be stale or written by hand, and
 * only one direction is dangerous: a mark time that is too <em>early</em> lets an older snapshot count (data written
 * after it is lost); one that is too late only makes Curfew take a new snapshot. So the mark was set at
 *
 * <pre>  min(now, max(due - older-than, unattached-since))</pre>
 *
 * <ul>
 *   <li>the <em>later</em> of the two readings: one wrong tag cannot move the time earlier than T, since the other
 *   still says T (a hand-written or missing {@code unattached-since} is outvoted by the due time, a hand-written
 *   due or an {@code older-than} raised since the mark by {@code unattached-since}). The earlier of the two would
 *   let either tag alone open the door to an old snapshot;</li>
 *   <li>never later than {@code now}: a real mark lies in the past, so this never moves it earlier than T, and it
 *   keeps a tag dated in the future from rejecting every snapshot (Curfew's own one, started in this sweep, always
 *   counts);</li>
 *   <li>no mark (an {@code older-than} of zero acts at once): {@code now}, so only a snapshot started in this sweep
 *   counts.</li>
 * </ul>
 *
 * Whoever can rewrite <em>both</em> tags and the pointer of a volume can still choose the time; such a person can
 * also write the mark itself or delete the volume directly, which is why writes of {@code curfew:*} tags belong to
 * Curfew alone (docs/security.md).
 */
public final class SnapshotEvidence {
    /** The volume's pointer to the snapshot a sweep started for it: a candidate, never evidence by itself. */
    public static final String POINTER_TAG = dev.curfew.core.model.CurfewTags.SNAPSHOT_ID;
    /**
     * The key, in the {@code ebs-unattached} finding of a snapshot-then-delete decision, of the instant its mark was
     * set ({@link #markSetAt}): the executor accepts only snapshots started at or after it.
     */
    public static final String MARK_SET_AT = "markSetAt";
    /** Evidence key: the policy's owner tag, under which the restore snapshot names the volume's owner. */
    public static final String OWNER_TAG = "ownerTag";

    private SnapshotEvidence() {
    }

    /** What DescribeSnapshots says of a snapshot; null fields are fields AWS did not return. */
    public record Facts(String snapshotId, String volumeId, String ownerId, String state, Instant startTime) {
        /** A snapshot id DescribeSnapshots does not know (deleted, another account's, never existed). */
        public static Facts notFound(String snapshotId) {
            return new Facts(snapshotId, null, null, null, null);
        }
    }

    public enum Kind {
        /** Completed, of this volume, this account's, started at or after the mark: the volume may go. */
        ACCEPTED,
        /** Of this volume, this account's, started after the mark, not completed yet: wait for it. */
        IN_PROGRESS,
        /** Not evidence for this volume now (another volume, another account, too old, failed, not found). */
        REJECTED
    }

    /** The verdict on one snapshot, with the reason in words (for the report). */
    public record Verdict(Kind kind, String reason) {
        public boolean accepted() {
            return kind == Kind.ACCEPTED;
        }
    }

    /**
     * The instant the volume's current mark was set (see the class comment).
     *
     * @param due             the due instant of the mark ({@code curfew:pending}), null when there is none
     * @param olderThan       the rule's {@code older-than}
     * @param unattachedSince {@code curfew:unattached-since}, null when missing or unreadable
     * @param now             the sweep's time
     */
    public static Instant markSetAt(Instant due, Duration olderThan, Instant unattachedSince, Instant now) {
        if (due == null) {
            return now;
        }
        Instant t = due.minus(olderThan);
        if (unattachedSince != null && unattachedSince.isAfter(t)) {
            t = unattachedSince;
        }
        return t.isAfter(now) ? now : t;
    }

    /**
     * Judges one snapshot as evidence for deleting a volume.
     *
     * @param volumeId  the volume to be deleted
     * @param accountId this account (STS), the only owner whose snapshot counts
     * @param markSetAt when the volume's current mark was set ({@link #markSetAt})
     * @param s         what AWS says of the snapshot ({@link #notFound} when DescribeSnapshots does not know it)
     */
    public static Verdict judge(String volumeId, String accountId, Instant markSetAt, Facts s) {
        if (s == null || s.snapshotId() == null || s.state() == null) {
            return new Verdict(Kind.REJECTED, "snapshot " + (s == null ? null : s.snapshotId()) + " was not found");
        }
        String id = "snapshot " + s.snapshotId();
        if (volumeId == null || !volumeId.equals(s.volumeId())) {
            return new Verdict(Kind.REJECTED, id + " is not of this volume (it is of " + s.volumeId() + ")");
        }
        if (accountId == null || !accountId.equals(s.ownerId())) {
            return new Verdict(Kind.REJECTED, id + " is not this account's (it is owned by " + s.ownerId() + ")");
        }
        if (markSetAt == null || s.startTime() == null || s.startTime().isBefore(markSetAt)) {
            return new Verdict(Kind.REJECTED, id + " started before the mark (started " + s.startTime()
                    + ", marked " + markSetAt + ")");
        }
        if ("completed".equals(s.state())) {
            return new Verdict(Kind.ACCEPTED, id + " (of this volume, started " + s.startTime()
                    + ", after the mark) has completed");
        }
        if ("pending".equals(s.state())) {
            return new Verdict(Kind.IN_PROGRESS, id + " is pending");
        }
        return new Verdict(Kind.REJECTED, id + " is " + s.state());
    }
}
