package dev.curfew.function.sweeper;

import dev.curfew.function.common.Deployment;
import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;
import java.time.Duration;

/**
 * Where the curfew sweep writes the class page and how long the summary's link to it works (README, "The class
 * page"): CURFEW_PAGE_BUCKET (template.yaml's ClassPageBucket; unset: no page) and CURFEW_PAGE_LINK_HOURS (the
 * template's PageLinkHours, 1 to 168).
 */
@Singleton
public class ClassPageConfig {
    /** The link's lifetime when none is set. */
    public static final int DEFAULT_LINK_HOURS = 12;

    private final String bucket;
    private final Duration linkLifetime;

    public ClassPageConfig(@Nullable @Value("${curfew.page-bucket:}") String bucket,
                           @Value("${curfew.page-link-hours:" + DEFAULT_LINK_HOURS + "}") int linkHours) {
        this.bucket = Deployment.blankToNull(bucket);
        if (linkHours < 1 || linkHours > 168) {
            throw new IllegalArgumentException("CURFEW_PAGE_LINK_HOURS (curfew.page-link-hours) is " + linkHours
                    + "; expected 1 to 168 hours (a presigned link works at most 7 days)");
        }
        this.linkLifetime = Duration.ofHours(linkHours);
    }

    /** The page's bucket, or null: no page is written. */
    public String bucket() {
        return bucket;
    }

    public Duration linkLifetime() {
        return linkLifetime;
    }
}
