package dev.curfew.function.common;

import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/**
 * The wall clock, or a fixed instant when {@code curfew.now} (CURFEW_NOW) is set: to rehearse a sweep, a launch or
 * an event at a chosen time with {@code sam local invoke} (expiry tags follow it), and in tests. Every function
 * uses this one.
 */
@Factory
public class ClockFactory {
    @Singleton
    @Requires(missingProperty = "curfew.now")
    Clock clock() {
        return Clock.systemUTC();
    }

    @Singleton
    @Requires(property = "curfew.now")
    Clock fixedClock(@Value("${curfew.now}") String now) {
        try {
            return Clock.fixed(Instant.parse(now.trim()), ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("CURFEW_NOW \"" + now + "\" is not an ISO-8601 instant such as "
                    + "2026-11-25T18:00:00Z");
        }
    }
}
