package dev.curfew.core.sentinel;

/** An event the sentinel does not take: another source, an unknown type, or a field missing or of the wrong kind. */
public class BadEventException extends IllegalArgumentException {
    public BadEventException(String message) {
        super(message);
    }
}
