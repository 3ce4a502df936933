package dev.curfew.core.model;

import java.time.Instant;
import java.util.Map;

/** Anything a sweep can find: every resource kind implements this. */
public interface Resource {
    ResourceKind kind();

    String id();

    String region();

    Map<String, String> tags();

    /** The same resource with other tags (in memory only). */
    Resource withTags(Map<String, String> tags);

    /**
     * When it came to be, as far as the enrolment scope is concerned (README, "Students' own accounts"); null when
     * not known. By default Curfew's own record of its creation ({@link CurfewTags#CREATED_AT}); a kind that carries
     * a creation time of its own answers with that.
     */
    default Instant created() {
        return TagValues.parsed(tags().get(CurfewTags.CREATED_AT), Instant::parse);
    }

    default String name() {
        return tags().get("Name");
    }
}
