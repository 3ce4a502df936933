package dev.curfew.aws.notify;

import dev.curfew.aws.AwsClients;
import dev.curfew.aws.SsmLease;
import dev.curfew.aws.SweepLocks;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import software.amazon.awssdk.services.ssm.model.Parameter;
import software.amazon.awssdk.services.ssm.model.ParameterNotFoundException;
import software.amazon.awssdk.services.ssm.model.ParameterType;

/**
 * Which curfew the instructor's summary was last sent for: an SSM parameter of the stack's own
 * ({@code /curfew/<stack>/last-summary}), so that a repeated curfew event (EventBridge delivers at least once)
 * does not send a second summary. Read and written only in enforce mode: a dry run changes nothing in AWS.
 *
 * <p>SSM cannot compare and set a parameter's value, so the send itself is guarded by a claim: the parameter
 * {@code <ledger>-sending}, created without overwrite (an {@link SsmLease}) before the summary goes out, and deleted
 * after the ledger was written. Of two runs that both read an old ledger, one creates the claim and sends; the other
 * finds it and does not. The one that claims reads the ledger again, so a run that claims after another run's
 * release sees that run's record. A claim left by a run that died lapses after {@link SweepLocks#DEFAULT_LIFETIME}.
 */
public final class SummaryLedger {
    public static final List<String> IAM_ACTIONS = List.of("ssm:DeleteParameter", "ssm:GetParameter",
            "ssm:PutParameter");

    private final AwsClients clients;
    private final String name;
    private final SsmLease lease;

    public SummaryLedger(AwsClients clients, String name) {
        this(clients, name, SweepLocks.DEFAULT_LIFETIME, Clock.systemUTC());
    }

    /** @param claimLifetime how long after its last write a claim of a run that died lapses */
    public SummaryLedger(AwsClients clients, String name, Duration claimLifetime, Clock clock) {
        this.clients = clients;
        this.name = name;
        this.lease = new SsmLease(clients, claimLifetime, clock);
    }

    public String name() {
        return name;
    }

    /** The parameter that is a run's claim to send the summary. */
    public String claimName() {
        return name + "-sending";
    }

    /** The curfew the summary was last sent for, or null (never, or the parameter is gone). */
    public String last() {
        try {
            return clients.ssm(clients.settings().homeRegion().id()).getParameter(b -> b.name(name)).parameter()
                    .value();
        } catch (ParameterNotFoundException e) {
            return null;
        }
    }

    public void record(String curfew) {
        clients.ssm(clients.settings().homeRegion().id()).putParameter(b -> b.name(name).value(curfew)
                .type(ParameterType.STRING).overwrite(true));
    }

    /** A run's claim to send the summary for one curfew; {@link #release()} it after the ledger was written. */
    public final class Claim {
        private final String token;

        private Claim(String token) {
            this.token = token;
        }

        /** Deletes the claim if it is still this run's. */
        public void release() {
            lease.release(claimName(), token);
        }
    }

    /**
     * Claims the sending of the summary for {@code curfew}: the claim, or null when another run holds it (it is
     * sending that summary now). A claim that lapsed (its run died) is taken over by exactly one run.
     */
    public Claim claim(String curfew) {
        String claim = claimName();
        String token = curfew + " " + UUID.randomUUID();
        String description = "Curfew sweeper: the instructor's summary for the curfew of " + curfew
                + " is being sent; deleted when the ledger is written";
        for (int round = 0; round < 3; round++) {
            if (lease.create(claim, token, description)) {
                return new Claim(token);
            }
            Parameter held = lease.read(claim);
            if (held == null) {
                continue; // released between our create and our read
            }
            if (!lease.lapsed(held)) {
                return null;
            }
            if (lease.takeOver(claim, held, token, description, claim + "-taken",
                    "Curfew sweeper: a lapsed claim to send the summary was taken over")) {
                return new Claim(token);
            }
        }
        return null;
    }

    static String why(RuntimeException e) {
        return dev.curfew.aws.Errors.describe(e);
    }
}
