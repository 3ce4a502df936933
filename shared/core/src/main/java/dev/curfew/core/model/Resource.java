package dev.curfew.core.model;

import java.util.Map;

/** Anything a sweep can find: every resource kind implements this. */
public interface Resource {
    ResourceKind kind();

    String id();

    String region();

    Map<String, String> tags();

    /** The same resource with other tags (in memory only). */
    Resource withTags(Map<String, String> tags);

    default String name() {
        return tags().get("Name");
    }
}
