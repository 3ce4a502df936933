package dev.curfew.aws.launch;

import dev.curfew.aws.accounts.AccountSessions;
import dev.curfew.aws.notify.RosterSource;
import dev.curfew.core.accounts.AccountTarget;
import dev.curfew.core.enrol.Enrolment;
import dev.curfew.core.launch.LaunchAccounts;
import dev.curfew.core.launch.LaunchPort;
import dev.curfew.core.notify.Contact;
import dev.curfew.core.notify.Roster;
import dev.curfew.core.policy.Policy;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * Students' own accounts for the launcher: the roster the policy names says whose an account is (its {@code account}
 * column), and {@link AccountSessions} reaches it through the {@code curfew-access} role with that student's external
 * id. The launch leases stay in the launcher's own account, whatever account a student launches in.
 */
public final class AwsLaunchAccounts implements LaunchAccounts {
    /** The role session name a student sees in their CloudTrail for what the launcher does in their account. */
    public static final String SESSION_NAME = "curfew-launcher";
    /** The roster, the enrolment key, and the role in each enrolled account. */
    public static final List<String> IAM_ACTIONS = Stream.of(RosterSource.IAM_ACTIONS,
            List.of("ssm:GetParameter", "sts:AssumeRole")).flatMap(List::stream).distinct().sorted().toList();

    private final AccountSessions sessions;
    private final LaunchLeases leases;
    private final Map<String, LaunchPort> ports = new ConcurrentHashMap<>();

    public AwsLaunchAccounts(AccountSessions sessions, LaunchLeases leases) {
        this.sessions = sessions;
        this.leases = leases;
    }

    /**
     * {@inheritDoc} A roster that cannot be read at all is an {@link IllegalStateException} (the launcher answers 500
     * and logs why), never "not enrolled": nobody can tell whose the account is.
     */
    @Override
    public Optional<String> ownerOf(Policy policy, String account) {
        String roster = policy.notifications() == null ? null : policy.notifications().roster();
        if (roster == null || account == null) {
            return Optional.empty();
        }
        Roster r = RosterSource.load(roster, sessions.home());
        if (r.size() == 0 && !r.problems().isEmpty()) {
            // not "not enrolled": nobody can tell; the launcher answers 500 and logs why (the instructor's to fix)
            throw new IllegalStateException("cannot tell whose account " + account + " is: "
                    + String.join("; ", r.problems()));
        }
        return Enrolment.enrolled(r).stream().filter(c -> account.equals(c.account())).map(Contact::owner)
                .findFirst();
    }

    @Override
    public LaunchPort port(AccountTarget target) {
        if (!target.assumesRole()) {
            throw new IllegalArgumentException("account " + target.account() + " is the launcher's own");
        }
        // keyed by account and owner: a roster change that gives the account to someone else uses their external id
        return ports.computeIfAbsent(target.account() + "/" + target.owner(),
                k -> new AwsLaunchPort(sessions.clients(target), leases));
    }
}
