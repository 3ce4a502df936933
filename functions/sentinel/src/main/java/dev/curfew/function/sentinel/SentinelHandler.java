package dev.curfew.function.sentinel;

import io.micronaut.context.ApplicationContextBuilder;
import io.micronaut.function.aws.MicronautRequestHandler;
import jakarta.inject.Inject;
import java.util.Map;

/**
 * The sentinel: EventBridge delivers "AWS API Call via CloudTrail" (the creating calls), "EC2 Instance State-change
 * Notification" and "EC2 Spot Instance Interruption Warning" events; see {@link SentinelService}. The event is taken
 * as a plain JSON object and checked field by field (the three shapes differ only in {@code detail}); an event of
 * another source or shape fails the invocation with an error naming the field, having changed nothing.
 */
public class SentinelHandler extends MicronautRequestHandler<Map<String, Object>, Map<String, Object>> {

    static {
        // the SDK's request path loads on a thread of its own while Micronaut starts (dev.curfew.aws.SdkWarmup)
        dev.curfew.aws.SdkWarmup.start(SentinelService::warmup);
    }

    @Inject
    SentinelService service;

    /** Used by Lambda. */
    public SentinelHandler() {
        super();
    }

    /** Used by tests: an application context built with chosen properties and beans. */
    public SentinelHandler(ApplicationContextBuilder builder) {
        super(builder);
    }

    @Override
    public Map<String, Object> execute(Map<String, Object> event) {
        return service.handle(event);
    }
}
