package dev.curfew.aws.launch;

import dev.curfew.aws.accounts.AccountSessions;
import dev.curfew.aws.accounts.OrganizationAccounts;
import dev.curfew.aws.accounts.UnitMembers;
import dev.curfew.aws.notify.RosterSource;
import dev.curfew.core.accounts.AccountTarget;
import dev.curfew.core.enrol.Enrolment;
import dev.curfew.core.launch.LaunchAccounts;
import dev.curfew.core.launch.LaunchPort;
import dev.curfew.core.notify.Contact;
import dev.curfew.core.notify.Roster;
import dev.curfew.core.policy.Policy;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
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
            List.of("ssm:GetParameter", "sts:AssumeRole"), OrganizationAccounts.IAM_ACTIONS).flatMap(List::stream)
            .distinct().sorted().toList();

    private final AccountSessions sessions;
    private final LaunchLeases leases;
    private final Map<String, LaunchPort> ports = new ConcurrentHashMap<>();
    private final UnitMembers unit;
    private final Consumer<String> log;

    public AwsLaunchAccounts(AccountSessions sessions, LaunchLeases leases) {
        this(sessions, leases, new UnitMembers(new OrganizationAccounts(sessions.home()), Clock.systemUTC(),
                UnitMembers.TTL), s -> { });
    }

    /**
     * @param unit the members of the policy's Organization unit (cached in the warm function instance)
     * @param log  where a unit that cannot be listed is reported
     */
    public AwsLaunchAccounts(AccountSessions sessions, LaunchLeases leases, UnitMembers unit, Consumer<String> log) {
        this.sessions = sessions;
        this.leases = leases;
        this.unit = unit;
        this.log = log;
    }

    /**
     * {@inheritDoc} A member account of the policy's {@code enrolment.organization-unit} is the unit's (source
     * ORGANIZATION, reached with the Organization's external id), owned by the student whose roster row names it or
     * by nobody. A unit that cannot be listed is logged and the roster alone decides, so a student's own account
     * is served as ever.
     */
    @Override
    public Optional<AccountTarget> targetOf(Policy policy, String account) {
        Optional<String> owner = ownerOf(policy, account);
        String ou = policy.enrolment().organizationUnit();
        if (ou != null && account != null) {
            try {
                if (unit.member(ou, account)) {
                    return Optional.of(new AccountTarget(account, owner.orElse(null),
                            AccountTarget.Source.ORGANIZATION));
                }
            } catch (RuntimeException e) {
                log.accept("the policy's Organization unit cannot be listed; account " + account + " is judged by "
                        + "the roster alone: " + e.getMessage());
            }
        }
        return owner.map(o -> new AccountTarget(account, o, AccountTarget.Source.ROSTER));
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
        // (a member account of the Organization unit is looked up in the roster too: its student owns it)
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
        // keyed by account, owner and source: a roster change that gives the account to someone else uses their
        // external id, and a member of the Organization unit the Organization's
        return ports.computeIfAbsent(target.account() + "/" + target.owner() + "/" + target.source(),
                k -> new AwsLaunchPort(sessions.clients(target), leases));
    }
}
