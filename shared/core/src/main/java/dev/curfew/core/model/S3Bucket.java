package dev.curfew.core.model;

import java.time.Instant;
import java.util.Map;

/**
 * An S3 bucket. {@code region} is where it lives; {@code empty} is null when not known.
 *
 * @param special why the bucket is never touched, when it is one of those (the SAM deployment bucket, a
 *                CloudTrail or access-log target); null otherwise
 */
public record S3Bucket(String id, String region, Instant created, Boolean empty, boolean versioned,
                       String special, Map<String, String> tags) implements Resource {
    public S3Bucket {
        tags = tags == null ? Map.of() : Map.copyOf(tags);
    }

    @Override
    public String name() {
        return id;
    }

    @Override
    public S3Bucket withTags(Map<String, String> t) {
        return new S3Bucket(id, region, created, empty, versioned, special, t);
    }

    @Override
    public ResourceKind kind() {
        return ResourceKind.S3_BUCKET;
    }
}
