package dev.curfew.core.sentinel;

import dev.curfew.core.accounts.AccountTarget;
import dev.curfew.core.notify.Contact;
import dev.curfew.core.notify.Digest;
import dev.curfew.core.notify.Digests;
import dev.curfew.core.notify.Roster;
import dev.curfew.core.plan.CurfewTimes;
import dev.curfew.core.policy.Durations;
import dev.curfew.core.policy.Policy;
import java.time.Instant;
import java.util.List;

/**
 * The sentinel's messages (README, "Sentinel"): who is told and what, as digests the notification templates render
 * ({@code notice.*}), delivered like the sweeper's. Pure: the caller reads the roster, the instance and the records
 * that keep a message from going twice.
 * <ul>
 *   <li>{@link #WELCOME}: an owner seen for the first time hears when what they create is cleaned up and how to
 *   keep something; in the class account, a student whose roster row names an account of their own, how to enrol
 *   it (the enrolment command itself carries their external id, so only the instructor prints it);</li>
 *   <li>{@link #LIMITS}: an instance outside the launch limits, with the breaches not told before and what Curfew
 *   did or would do;</li>
 *   <li>{@link #INTERRUPTION}: AWS reclaims a spot instance in two minutes: save your work.</li>
 * </ul>
 * A message goes to its owner as the roster knows them; an owner the roster does not list, or an instance without an
 * owner, means the instructor, and the message says why it came to them.
 */
public final class SentinelNotices {
    public static final String WELCOME = "welcome";
    public static final String LIMITS = "launch-limits";
    public static final String INTERRUPTION = "spot-interruption";
    /** Who a message is for when its resource has no owner. */
    public static final String INSTRUCTOR = Digests.INSTRUCTOR;

    private SentinelNotices() {
    }

    /**
     * Who a message goes to.
     *
     * @param contact      the person (the instructor: a contact with no owner)
     * @param owner        the owner the message is about, or null when not known
     * @param unknownOwner the owner, when the roster does not list them (so it goes to the instructor); else null
     */
    public record Recipient(Contact contact, String owner, String unknownOwner) {
        /** The owner the message is for, or {@link #INSTRUCTOR} when there is none. */
        public String to() {
            return owner == null ? INSTRUCTOR : owner;
        }

        /** Why the message goes to the instructor instead of the owner ("zed is not in the roster: ..."), or null. */
        public String note() {
            return unknownOwner == null ? null : unknownOwner + " is not in the roster: to the instructor";
        }
    }

    /**
     * @param owner  the owner of what the message is about, or null (then the instructor)
     * @param roster the roster; null when it is not read (a message only logged, in dry-run): the owner as named
     */
    public static Recipient recipient(Policy p, String owner, Roster roster) {
        if (owner == null) {
            return new Recipient(Digests.instructor(p), null, null);
        }
        if (roster == null) {
            return new Recipient(new Contact(owner, owner, null, null), owner, null);
        }
        Contact c = roster.find(owner);
        return c != null ? new Recipient(c, owner, null) : new Recipient(Digests.instructor(p), owner, owner);
    }

    /**
     * The welcome of an owner seen for the first time.
     *
     * @param target    the account the creating call was made in
     * @param created   the EC2 resources the call created (the first is the keep command's example), maybe none
     */
    public static Digest welcome(Policy p, Recipient to, SentinelEvent.ApiCall call, AccountTarget target,
                                 List<String> created) {
        String owner = to.owner();
        String curfew = CurfewTimes.next(p, call.time()).atZone(p.timeZone()).toLocalTime().toString();
        String where = target.owner() != null ? "your own AWS account " + target.account() + " for the course "
                + p.course() : target.assumesRole() ? "the AWS account " + target.account() + " of the course "
                + p.course() : "the class account " + p.course();
        String keepTag = p.exemptions().keepTag();
        String keep = "aws ec2 create-tags --region " + call.region() + " --resources " + (created.isEmpty() ? "<id>"
                : created.get(0)) + " --tags Key=" + keepTag + ",Value=" + call.time().atZone(p.timeZone())
                .toLocalDate().plusDays(1);
        // the enrolment command carries the student's external id; a message may go to the course's channel and is
        // logged, so only how the instructor prints it is said
        Contact c = to.contact();
        boolean enrol = !target.assumesRole() && to.unknownOwner() == null && c.account() != null;
        Digest.Welcome w = new Digest.Welcome(where, p.ownerTag(), owner, curfew, p.timeZone().getId(), keepTag, keep,
                ahead(p.exemptions().longestKeep()), enrol ? c.account() : null,
                enrol ? "./curfew enroll --student " + c.owner() : null);
        return digest(p, to, WELCOME, "Welcome to " + p.course() + ": Curfew cleans up at " + curfew, call.time(),
                false, created, new Digest.Notice(w, null, null, to.unknownOwner(), null));
    }

    /**
     * An instance outside the launch limits.
     *
     * @param breaches the breaches to tell (those not told before), in words
     * @param now      when it was checked
     */
    public static Digest limits(Policy p, Recipient to, String instance, String region, String type,
                                LaunchCheck.Verdict v, List<String> breaches, Instant now) {
        String done = switch (v.action()) {
            case "stop" -> "stopped";
            case "terminate" -> "terminated";
            default -> null;
        };
        String wouldDo = done == null && v.note() != null && v.note().startsWith("dry-run") ? p.sentinel().action()
                : null;
        Digest.Limits l = new Digest.Limits(instance, region, type, breaches, done, wouldDo);
        return digest(p, to, LIMITS, "Instance " + instance + " is outside the course's launch limits", now,
                dryRun(p), List.of(instance), new Digest.Notice(null, l, null, to.unknownOwner(),
                        to.owner() == null ? p.ownerTag() : null));
    }

    /** A spot interruption warning: the instance is reclaimed two minutes after the event's time. */
    public static Digest interruption(Policy p, Recipient to, SentinelEvent.SpotInterruption s, String type) {
        String becomes = switch (s.instanceAction()) {
            case "terminate" -> "terminated";
            case "stop" -> "stopped";
            case "hibernate" -> "hibernated";
            default -> "reclaimed (" + s.instanceAction() + ")";
        };
        Digest.Interruption i = new Digest.Interruption(s.instanceId(), type, s.region(), becomes,
                Digests.when(s.time(), p.timeZone()));
        return digest(p, to, INTERRUPTION, "Your spot instance " + s.instanceId() + " is being reclaimed", s.time(),
                dryRun(p), List.of(s.instanceId()), new Digest.Notice(null, null, i, to.unknownOwner(),
                        to.owner() == null ? p.ownerTag() : null));
    }

    /** "14 days", "1 day", else as the policy writes it ("36h"). */
    static String ahead(java.time.Duration d) {
        long days = d.toDays();
        return d.equals(java.time.Duration.ofDays(days)) && days > 0 ? days + (days == 1 ? " day" : " days")
                : Durations.format(d);
    }

    private static boolean dryRun(Policy p) {
        return p.mode() != dev.curfew.core.policy.Mode.ENFORCE;
    }

    private static Digest digest(Policy p, Recipient to, String kind, String subject, Instant at, boolean dryRun,
                                 List<String> ids, Digest.Notice n) {
        return new Digest(kind, to.contact(), to.unknownOwner() != null, p.course(), subject, null,
                Digests.when(at, p.timeZone()), dryRun, List.of(), null, ids, null, null, null, n);
    }
}
