package dev.curfew.core.policy;

import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * What is never touched.
 *
 * @param keepTag     the tag a student sets to {@code YYYY-MM-DD} to keep something until that day ends
 * @param longestKeep the longest a keep tag can reach into the future
 * @param allowList   instructor-listed ids or Name tags, each forever or until a date
 * @param stacks      CloudFormation stacks whose resources are exempt (Curfew's own is always added)
 */
public record Exemptions(String keepTag, Duration longestKeep, List<AllowEntry> allowList, Set<String> stacks) {
    public Exemptions {
        allowList = List.copyOf(allowList);
        stacks = Set.copyOf(stacks);
    }
}
