package dev.curfew.aws;

import dev.curfew.core.plan.CurfewTimes;
import dev.curfew.core.policy.Policy;
import dev.curfew.core.sweep.SweepException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.UUID;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.ssm.model.Parameter;

/**
 * One sweep at a time per account, pass and curfew. EventBridge Scheduler and Lambda deliver at least once, and two
 * deliveries of one schedule can overlap: the lock is an SSM parameter of the account's home region (an
 * {@link SsmLease}), {@code /curfew/<stack>/sweep-lock/<pass>[/<curfew>]}, created without overwrite. Of two runs
 * for the same key one creates it and acts; the other {@linkplain StoodAside stands aside}: it changes nothing,
 * sends nothing, and says so.
 *
 * <ul>
 *   <li>Keys: the curfew pass by the curfew it is for (the one nearest its clock: a run a moment early or an hour
 *       late is for the same curfew), the warning pass by the curfew it warns of (the next one), the idle check by
 *       its pass alone.</li>
 *   <li>After a run that completed, the curfew and warning locks are {@linkplain Held#finish() kept}: rewritten as
 *       finished, so they lapse a full lifetime after the end, and a repeated delivery in that time stands aside
 *       (EC2's tags are eventually consistent: a run right after another might not yet see its marks, snapshot
 *       pointers or warned tags). The idle check's lock is released: a repeated idle check only finds what is idle
 *       now.</li>
 *   <li>A run that failed {@linkplain Held#release() releases} its lock, so Lambda's retry of the event runs.</li>
 *   <li>A run that died holding it (the function's timeout) leaves it to lapse: {@link #DEFAULT_LIFETIME} is the
 *       function's 300 s timeout and 30 s more, so a live run never loses its lock, and Lambda's first retry of a
 *       timed-out run (a minute after it) finds it lapsed and takes it over.</li>
 * </ul>
 *
 * <p>Students must not write these parameters (the template's LauncherStudentPolicy denies it): a student who
 * could would keep the curfew sweep standing aside. The sweeper's role may write only its locks, the summary
 * ledger, and their takeover markers.
 */
public final class SweepLocks extends SsmLeases {
    /** The sweeper's Timeout (template.yaml SweeperFunction) and 30 s, less than Lambda's retry a minute later. */
    public static final Duration DEFAULT_LIFETIME = Duration.ofSeconds(330);
    public static final List<String> IAM_ACTIONS = List.of("ssm:DeleteParameter", "ssm:GetParameter",
            "ssm:PutParameter");
    /** Appended to a lock's token when its run has finished and the lock is kept. */
    static final String FINISHED = " finished";
    private static final DateTimeFormatter COMPACT = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
            .withZone(ZoneOffset.UTC);

    /**
     * @param stackName the stack's name (CURFEW_STACK_NAME); null outside a stack
     * @param lifetime  how long after its last write a lock lapses
     * @param clock     the real time, compared with SSM's LastModifiedDate (never the business clock of a rehearsal)
     */
    public SweepLocks(AwsClients clients, String stackName, Duration lifetime, Clock clock) {
        super(clients, prefix(stackName), lifetime, clock);
    }

    /** {@code /curfew/<stack>/sweep-lock}: the locks are below it, takeover markers beside it. */
    public static String prefix(String stackName) {
        return prefix(stackName, "sweep-lock");
    }

    /**
     * What one run is for: its pass, and the curfew it is for (null for the idle check); {@code previous} is the
     * curfew before it, whose lock (lapsed a day ago) the run deletes when it keeps its own, so that kept locks do
     * not pile up.
     */
    public record Key(String pass, Instant curfew, Instant previous) {
        public Key(String pass, Instant curfew) {
            this(pass, curfew, null);
        }

        /** The part of the parameter's name below the prefix. */
        public String path() {
            return curfew == null ? pass : pass + "/" + COMPACT.format(curfew);
        }

        /** Whether the lock is kept after a run that completed, so that a repeated event stands aside. */
        public boolean keptAfterSuccess() {
            return curfew != null;
        }

        /** "curfew sweep for the curfew of 2026-11-30T17:00:00Z", "idle check". */
        public String describe(String account) {
            String what = switch (pass) {
                case "curfew" -> "curfew sweep";
                case "warning" -> "warning pass";
                case "idle-check" -> "idle check";
                default -> pass + " pass";
            };
            return what + (account == null ? "" : " of account " + account)
                    + (curfew == null ? "" : " for the curfew of " + curfew);
        }
    }

    /** The key of a run of {@code pass} at {@code now} under {@code policy}. */
    public static Key key(String pass, Policy policy, Instant now) {
        return switch (pass) {
            case "curfew" -> withPrevious(pass, nearestCurfew(policy, now), policy);
            case "warning" -> withPrevious(pass, CurfewTimes.next(policy, now), policy);
            case "idle-check" -> new Key(pass, null);
            default -> throw new IllegalArgumentException("pass is \"" + pass
                    + "\"; expected one of curfew, idle-check, warning");
        };
    }

    private static Key withPrevious(String pass, Instant curfew, Policy policy) {
        return new Key(pass, curfew, CurfewTimes.latest(policy, curfew.minusSeconds(1)));
    }

    /** The curfew nearest to {@code now}, before or after (the later one when both are as near). */
    static Instant nearestCurfew(Policy policy, Instant now) {
        Instant before = CurfewTimes.latest(policy, now);
        Instant after = CurfewTimes.next(policy, now);
        return Duration.between(before, now).compareTo(Duration.between(now, after)) < 0 ? before : after;
    }

    /** The parameter that is the lock of {@code key}. */
    public String name(Key key) {
        return prefix + "/" + key.path();
    }

    /** What a try for the lock came to: {@link Held} or {@link StoodAside}. */
    public sealed interface Attempt permits Held, StoodAside {
    }

    /** Another run holds the lock: this one changes nothing and sends nothing. */
    public record StoodAside(String name, String message, Instant since, Instant until, boolean finished)
            implements Attempt {
    }

    /**
     * Takes the lock of {@code key}, or stands aside when another run holds it. Never waits: the other run is doing
     * this run's work. An SSM error fails (nothing was changed; Lambda retries the event).
     *
     * @param account the account swept, for the words of the report
     */
    public Attempt acquire(Key key, String account) {
        String name = name(key);
        String token = UUID.randomUUID().toString();
        String description = description(key, account);
        try {
            boolean tookOver = false;
            for (int round = 0; round < 3; round++) {
                if (lease.create(name, token, description)) {
                    Parameter mine = lease.read(name);
                    if (mine != null && token.equals(mine.value())) {
                        return new Held(this, key, name, token, mine.lastModifiedDate(), null);
                    }
                }
                Parameter held = lease.read(name);
                if (held == null) {
                    continue; // released between our create and our read: create it again
                }
                if (token.equals(held.value())) {
                    return new Held(this, key, name, token, held.lastModifiedDate(), null);
                }
                if (lease.lapsed(held)) {
                    if (lease.takeOver(name, held, token, description, prefix + "-taken",
                            "Curfew sweeper: a lapsed lock " + name + " was taken over")) {
                        Parameter mine = lease.read(name);
                        return new Held(this, key, name, token, mine == null ? null : mine.lastModifiedDate(),
                                held);
                    }
                    tookOver = true;
                    continue; // another run took it over: read who holds it now
                }
                return standAside(key, account, name, held);
            }
            throw new SweepException("cannot take the sweep lock " + name + ": it changed hands while being read"
                    + (tookOver ? " (a lapsed lock was being taken over)" : "") + "; nothing was changed");
        } catch (SdkException e) {
            throw new SweepException("cannot take the sweep lock " + name + " (" + why(e) + "); nothing was changed",
                    e);
        }
    }

    private StoodAside standAside(Key key, String account, String name, Parameter held) {
        Instant since = held.lastModifiedDate();
        Instant until = since == null ? null : SsmLease.lapsesAt(since, lifetime());
        boolean finished = held.value() != null && held.value().endsWith(FINISHED);
        return new StoodAside(name, standAsideMessage(key, account, since, until, finished), since, until, finished);
    }

    /** The words of the report and the log when a run stands aside. */
    static String standAsideMessage(Key key, String account, Instant since, Instant until, boolean finished) {
        String what = key.describe(account);
        if (finished) {
            return "the " + what + " finished at " + since + "; its lock is kept until " + until
                    + " so that a repeated event stands aside: nothing was done or sent";
        }
        return "another " + what + " holds the lock since " + since + " (until " + until
                + "): nothing was done or sent";
    }

    /** A held lock: {@link #finish()} after the run completed, {@link #release()} after it failed. */
    public static final class Held implements Attempt {
        private final SweepLocks locks;
        private final Key key;
        private final String name;
        private final String token;
        private final Instant since;
        private final Parameter lapsedBefore;

        Held(SweepLocks locks, Key key, String name, String token, Instant since, Parameter lapsedBefore) {
            this.locks = locks;
            this.key = key;
            this.name = name;
            this.token = token;
            this.since = since;
            this.lapsedBefore = lapsedBefore;
        }

        public String name() {
            return name;
        }

        /** Written by SSM when this run took the lock. */
        public Instant since() {
            return since;
        }

        /** Whether this run took over a lapsed lock (a run that died holding it), and what that lock said. */
        public String tookOver() {
            return lapsedBefore == null ? null : "took over a lapsed lock written at "
                    + lapsedBefore.lastModifiedDate();
        }

        /**
         * After a run that completed: the curfew and warning locks are rewritten as finished (so they lapse a full
         * lifetime from now); the idle check's is deleted. Returns what became of it, for the report. A failure
         * here is reported, never thrown: the run's work is done.
         */
        public String finish() {
            try {
                if (!key.keptAfterSuccess()) {
                    locks.lease.release(name, token);
                    return "released at the end (a repeated idle check only finds what is idle now)";
                }
                Parameter p = locks.lease.read(name);
                if (p == null || !token.equals(p.value())) {
                    return "lost before the end (it lapsed, or someone deleted it): a repeated event would run again";
                }
                locks.lease.overwrite(name, token + FINISHED, locks.description(key, null)
                        + " (finished)");
                Parameter kept = locks.lease.read(name);
                Instant until = kept == null || kept.lastModifiedDate() == null ? null
                        : SsmLease.lapsesAt(kept.lastModifiedDate(), locks.lifetime());
                if (key.previous() != null) {
                    locks.lease.delete(locks.name(new Key(key.pass(), key.previous()))); // lapsed a day ago
                }
                return "kept until " + until + " so that a repeated event for this curfew stands aside";
            } catch (SdkException e) {
                return "could not be kept (" + why(e) + "): it lapses by itself; a repeated event might run again";
            }
        }

        /** After a run that failed: the lock is deleted so that a retry of the event runs. Never throws. */
        public String release() {
            try {
                locks.lease.release(name, token);
                return "released: the run failed, a retry of the event may run";
            } catch (SdkException e) {
                return "could not be released (" + why(e) + "): it lapses by itself after " + locks.lifetime();
            }
        }
    }

    private String description(Key key, String account) {
        String d = "Curfew sweeper: the lock of the " + key.describe(account) + "; lapses " + lifetime()
                + " after it was written";
        return d.length() > 1000 ? d.substring(0, 1000) : d;
    }

    static String why(SdkException e) {
        return Errors.describe(e);
    }
}
