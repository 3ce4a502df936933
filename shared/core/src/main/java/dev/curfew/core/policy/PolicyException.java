package dev.curfew.core.policy;

import java.util.List;

/** A policy that did not validate: every problem, each with its path. Nothing runs with such a policy. */
public class PolicyException extends RuntimeException {
    private final List<String> problems;

    public PolicyException(String source, List<String> problems) {
        super("policy " + source + " is not valid (" + problems.size() + " problem"
                + (problems.size() == 1 ? "" : "s") + "):\n  - " + String.join("\n  - ", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
