package dev.curfew.core.launch;

import dev.curfew.core.accounts.AccountTarget;
import dev.curfew.core.policy.Policy;
import java.util.Optional;

/**
 * Students' own accounts, as the launcher sees them (README, "Launch a spot instance", from a student's own account):
 * which student an account belongs to, and the launcher's view of AWS acting in it.
 */
public interface LaunchAccounts {
    /** No account but the launcher's own: every caller of another account is refused. */
    LaunchAccounts NONE = new LaunchAccounts() {
        @Override
        public Optional<String> ownerOf(Policy policy, String account) {
            return Optional.empty();
        }

        @Override
        public LaunchPort port(AccountTarget target) {
            throw new IllegalStateException("no student account is enrolled");
        }
    };

    /**
     * The roster owner whose own account {@code account} is (the roster's {@code account} column, the roster the
     * policy names), or empty when no student has it. Read for each request, so a roster change applies at once.
     */
    Optional<String> ownerOf(Policy policy, String account);

    /**
     * The account a caller of {@code account} launches in, or empty when it is not enrolled: by default the roster
     * student's own account ({@link #ownerOf}, source ROSTER). An implementation that knows the policy's Organization
     * unit answers a member account as source ORGANIZATION, owned by the student whose roster row names it, or by
     * nobody (the launcher then refuses, naming the account).
     */
    default Optional<AccountTarget> targetOf(Policy policy, String account) {
        return ownerOf(policy, account).map(o -> new AccountTarget(account, o, AccountTarget.Source.ROSTER));
    }

    /** The launcher's view of AWS in an enrolled account, through the role the student's account grants Curfew. */
    LaunchPort port(AccountTarget target);
}
