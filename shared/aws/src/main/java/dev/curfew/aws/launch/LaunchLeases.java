package dev.curfew.aws.launch;

import dev.curfew.aws.AwsClients;
import dev.curfew.aws.SsmLease;
import dev.curfew.core.launch.LaunchPort;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.ssm.model.Parameter;

/**
 * One launch per owner at a time, across every instance of the launcher function: a lease is an SSM parameter
 * {@code /curfew/<stack>/launch-lease/<owner>} in the home region, created without overwrite (PutParameter is atomic:
 * of two creators, one gets ParameterAlreadyExists), holding a random token of its holder; the holder deletes it when
 * its launch is done.
 *
 * <p>A lease lapses {@link #lifetime()} after SSM last wrote it ({@code LastModifiedDate}, SSM's clock, not a value
 * anyone writes), so a launch that died holding it (a timeout, a crash) blocks its owner for that long at most. The
 * lifetime is longer than the function's timeout, so a live holder never loses its lease. A lapsed lease is taken over
 * by exactly one waiter: the one that creates {@code /curfew/<stack>/launch-lease-taken/<token of the lapsed lease>}
 * without overwrite, and only then overwrites the lease. A lease counts as held only when read back with the holder's
 * token. Different owners' leases are different parameters: students never wait for each other.
 *
 * <p>Students must not be able to write these parameters (the template's LauncherStudentPolicy denies it); the
 * launcher's own role may write only them. The SSM mechanics are {@link SsmLease}'s, shared with the sweeper's locks.
 */
public final class LaunchLeases extends dev.curfew.aws.SsmLeases {
    /** The function's timeout is 60 s: a live launch always ends before its lease lapses. */
    public static final Duration DEFAULT_LIFETIME = Duration.ofSeconds(120);
    public static final List<String> IAM_ACTIONS = List.of("ssm:PutParameter", "ssm:GetParameter",
            "ssm:DeleteParameter");
    private static final Duration POLL = Duration.ofMillis(250);

    /**
     * @param stackName the stack's name (CURFEW_STACK_NAME); null outside a stack
     * @param lifetime  how long after its last write a lease lapses
     * @param clock     the real time, compared with SSM's LastModifiedDate
     */
    public LaunchLeases(AwsClients clients, String stackName, Duration lifetime, Clock clock) {
        super(clients, prefix(stackName), lifetime, clock);
    }

    /** {@code /curfew/<stack>/launch-lease}: the lease of an owner is below it, takeover markers beside it. */
    public static String prefix(String stackName) {
        return prefix(stackName, "launch-lease");
    }

    /** The parameter that is the owner's lease. */
    public String name(String owner) {
        return prefix + "/" + segment(owner);
    }

    /** Takes the owner's lease, waiting up to {@code wait} while someone else holds it. */
    public Optional<LaunchPort.Lease> acquire(String owner, Duration wait) {
        String name = name(owner);
        String token = UUID.randomUUID().toString();
        long deadline = System.nanoTime() + wait.toNanos();
        boolean create = true;
        boolean mayHold = false;
        while (true) {
            if (create && created(name, token, description(owner))) {
                mayHold = true;
                if (token.equals(valueOf(readWhileWaiting(name)))) {
                    return Optional.of(() -> release(name, token));
                }
            }
            Parameter held = readWhileWaiting(name);
            if (held == BUSY) {
                create = false;
            } else if (held == null) {
                create = true; // released between our create and our read: create it next time
            } else if (token.equals(held.value())) {
                return Optional.of(() -> release(name, token));
            } else if (lapsed(held) && takeOver(name, held, token, owner)) {
                return Optional.of(() -> release(name, token));
            } else {
                create = false;
            }
            if (System.nanoTime() >= deadline) {
                if (mayHold) {
                    try {
                        release(name, token); // created but never read back (throttled): do not leave it behind
                    } catch (RuntimeException ignored) {
                        // it lapses by itself
                    }
                }
                return Optional.empty();
            }
            sleep();
        }
    }

    /** A text as one segment of a parameter name ({@link SsmLease#segment}): two owners never share a lease. */
    static String segment(String s) {
        return SsmLease.segment(s);
    }

    /** Creates the parameter without overwrite: false when it exists already (or the create was throttled). */
    private boolean created(String name, String token, String description) {
        try {
            return lease.create(name, token, description);
        } catch (AwsServiceException e) {
            if (throttled(e)) {
                return false;
            }
            throw Failures.of(e);
        }
    }

    /** Exactly one waiter takes over a lapsed lease: the one that creates the marker named by its token. */
    private boolean takeOver(String name, Parameter lapsed, String token, String owner) {
        if (!created(prefix + "-taken/" + segment(lapsed.value()), token,
                "Curfew launcher: a lapsed launch lease of " + owner + " was taken over")) {
            return false;
        }
        try {
            lease.overwrite(name, token, description(owner));
        } catch (AwsServiceException e) {
            throw Failures.of(e);
        }
        return token.equals(valueOf(read(name)));
    }

    /** Deletes the lease if it is still this holder's (it always is: the lifetime outlasts the function). */
    private void release(String name, String token) {
        try {
            lease.release(name, token);
        } catch (AwsServiceException e) {
            throw Failures.of(e);
        }
    }

    /** What a throttled read while waiting stands for: someone holds the lease, try again later. */
    private static final Parameter BUSY = Parameter.builder().value("").build();

    private Parameter readWhileWaiting(String name) {
        try {
            return lease.read(name);
        } catch (AwsServiceException e) {
            if (throttled(e)) {
                return BUSY;
            }
            throw Failures.of(e);
        }
    }

    private Parameter read(String name) {
        try {
            return lease.read(name);
        } catch (AwsServiceException e) {
            throw Failures.of(e);
        }
    }

    private boolean lapsed(Parameter p) {
        return lease.lapsed(p);
    }

    private static String valueOf(Parameter p) {
        return p == null ? null : p.value();
    }

    private static String description(String owner) {
        String d = "Curfew launcher: a launch of " + owner + " is under way; deleted when it ends, lapses on its own";
        return d.length() > 1000 ? d.substring(0, 1000) : d;
    }

    private static boolean throttled(AwsServiceException e) {
        return e.isThrottlingException() || "ThrottlingException".equals(Failures.code(e));
    }


    private static void sleep() {
        try {
            Thread.sleep(POLL.toMillis() + ThreadLocalRandom.current().nextLong(POLL.toMillis()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a launch lease", e);
        }
    }
}
