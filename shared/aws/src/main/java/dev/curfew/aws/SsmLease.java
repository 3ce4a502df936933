package dev.curfew.aws;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.Parameter;
import software.amazon.awssdk.services.ssm.model.ParameterAlreadyExistsException;
import software.amazon.awssdk.services.ssm.model.ParameterNotFoundException;
import software.amazon.awssdk.services.ssm.model.ParameterType;

/**
 * An SSM parameter in the home region used as a lease with a lifetime: the launcher's per-student launch leases
 * ({@link dev.curfew.aws.launch.LaunchLeases}) and the sweeper's locks ({@link SweepLocks}) are made of it.
 *
 * <ul>
 *   <li>A lease is taken by creating its parameter without overwrite (PutParameter is atomic: of two creators, one
 *       gets ParameterAlreadyExists), holding a random token of its holder.</li>
 *   <li>It lapses {@link #lifetime()} after SSM last wrote it ({@code LastModifiedDate}, SSM's clock, not a value
 *       anyone writes).</li>
 *   <li>A lapsed lease is taken over by exactly one contender: the one that creates the marker
 *       {@code <markers>/<segment of the lapsed token>} without overwrite, and only then overwrites the lease.</li>
 *   <li>It is released (deleted) only while it still holds its holder's token.</li>
 * </ul>
 *
 * <p>Errors of SSM are thrown as the SDK threw them (ParameterAlreadyExists and ParameterNotFound are answers
 * here); each user decides what a throttled or refused call means for it.
 */
public final class SsmLease {
    private final AwsClients clients;
    private final Duration lifetime;
    private final Clock clock;

    /**
     * @param lifetime how long after its last write a lease lapses
     * @param clock    the real time, compared with SSM's LastModifiedDate (never a test's business clock)
     */
    public SsmLease(AwsClients clients, Duration lifetime, Clock clock) {
        this.clients = clients;
        this.lifetime = lifetime;
        this.clock = clock;
    }

    public Duration lifetime() {
        return lifetime;
    }

    /** Creates the parameter without overwrite: true when this call created it, false when it exists already. */
    public boolean create(String name, String value, String description) {
        try {
            ssm().putParameter(b -> b.name(name).value(value).type(ParameterType.STRING).overwrite(false)
                    .description(description));
            return true;
        } catch (ParameterAlreadyExistsException e) {
            return false;
        }
    }

    /** The parameter as SSM has it now, or null when there is none. */
    public Parameter read(String name) {
        try {
            return ssm().getParameter(b -> b.name(name)).parameter();
        } catch (ParameterNotFoundException e) {
            return null;
        }
    }

    /** Whether the lease has lapsed: SSM wrote it more than the lifetime ago (or says nothing of when). */
    public boolean lapsed(Parameter p) {
        return lapsed(p.lastModifiedDate(), lifetime, clock.instant());
    }

    /** When a lease written at {@code written} lapses. */
    public static Instant lapsesAt(Instant written, Duration lifetime) {
        return written.plus(lifetime);
    }

    /** Whether a lease written at {@code written} has lapsed at {@code now}; one with no time has. */
    public static boolean lapsed(Instant written, Duration lifetime, Instant now) {
        return written == null || lapsesAt(written, lifetime).isBefore(now);
    }

    /**
     * Takes over a lapsed lease: creates the marker {@code markers/<segment of the lapsed token>} without overwrite
     * (of many contenders that read the same lapsed lease, exactly one creates it), then overwrites the lease with
     * {@code token}. True when the lease is then read back with {@code token}.
     */
    public boolean takeOver(String name, Parameter lapsed, String token, String description, String markers,
                            String markerDescription) {
        if (!create(markers + "/" + segment(lapsed.value()), token, markerDescription)) {
            return false;
        }
        overwrite(name, token, description);
        Parameter now = read(name);
        return now != null && token.equals(now.value());
    }

    /** Writes the lease's value (and so its LastModifiedDate: a rewrite starts a new lifetime). */
    public void overwrite(String name, String value, String description) {
        ssm().putParameter(b -> b.name(name).value(value).type(ParameterType.STRING).overwrite(true)
                .description(description));
    }

    /** Deletes the lease if it still holds {@code token}; true when it did. */
    public boolean release(String name, String token) {
        Parameter p = read(name);
        if (p == null || !token.equals(p.value())) {
            return false;
        }
        try {
            ssm().deleteParameter(b -> b.name(name));
            return true;
        } catch (ParameterNotFoundException gone) {
            return false;
        }
    }

    /** Deletes a parameter whatever it holds (a lease known to have lapsed long ago); true when there was one. */
    public boolean delete(String name) {
        try {
            ssm().deleteParameter(b -> b.name(name));
            return true;
        } catch (ParameterNotFoundException gone) {
            return false;
        }
    }

    /**
     * A text as one segment of a parameter name: ASCII letters, digits, '.' and '-' kept, any other character as
     * {@code _XXXX} (its UTF-16 code in hex), so two texts never share a name; at most 1,000 characters.
     */
    public static String segment(String s) {
        StringBuilder b = new StringBuilder();
        for (char c : s.toCharArray()) {
            if (c < 128 && (Character.isLetterOrDigit(c) || c == '.' || c == '-')) {
                b.append(c);
            } else {
                b.append('_').append(String.format("%04X", (int) c));
            }
        }
        return b.length() > 1000 ? b.substring(0, 1000) : b.toString();
    }

    private SsmClient ssm() {
        return clients.ssm(clients.settings().homeRegion().id());
    }
}
