package dev.curfew.aws.accounts;

import dev.curfew.core.accounts.AccountTarget;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The member accounts of the policy's Organization unit, for the functions that take one account at a time (the
 * sentinel, the launcher): listed with {@link OrganizationAccounts} (one {@code organizations:ListAccountsForParent}
 * call a page), then kept for {@link #TTL} in the warm function instance, so a burst of events lists the unit once.
 * An account that joins or leaves the unit counts within that time. A failure to list is not kept: the next call
 * tries again.
 */
public final class UnitMembers {
    /** How long a listing is used. */
    public static final Duration TTL = Duration.ofMinutes(5);

    private final OrganizationAccounts organization;
    private final Clock clock;
    private final Duration ttl;
    private volatile Listing last;

    private record Listing(String unit, Set<String> accounts, Instant at) {
    }

    public UnitMembers(OrganizationAccounts organization, Clock clock, Duration ttl) {
        this.organization = organization;
        this.clock = clock;
        this.ttl = ttl;
    }

    /**
     * The ACTIVE accounts directly in {@code unit}.
     *
     * @throws OrganizationAccounts.UnitException when the unit cannot be listed (names it); IllegalArgumentException
     *                                            when it is not a unit or root id
     */
    public Set<String> members(String unit) {
        Listing l = last;
        Instant now = clock.instant();
        if (l != null && l.unit().equals(unit) && now.isBefore(l.at().plus(ttl)) && !now.isBefore(l.at())) {
            return l.accounts();
        }
        Set<String> accounts = organization.targets(unit, null, null).stream().map(AccountTarget::account)
                .collect(Collectors.toUnmodifiableSet());
        last = new Listing(unit, accounts, now);
        return accounts;
    }

    /** Whether {@code account} is a member of {@code unit} (as {@link #members}). */
    public boolean member(String unit, String account) {
        return members(unit).contains(account);
    }
}
