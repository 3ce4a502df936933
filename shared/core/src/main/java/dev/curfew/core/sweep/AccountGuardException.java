package dev.curfew.core.sweep;

/** The account guard refused: these credentials belong to an account the policy does not list. */
public class AccountGuardException extends SweepException {
    public AccountGuardException(String message) {
        super(message);
    }
}
