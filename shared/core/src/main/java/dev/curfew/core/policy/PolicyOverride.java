package dev.curfew.core.policy;

/**
 * A top-level policy field set from outside the file (an environment variable of the deployed function, a CLI
 * flag). Lists are comma-separated. {@code origin} names where it came from, so errors can say so.
 */
public record PolicyOverride(String field, String value, String origin) {
}
