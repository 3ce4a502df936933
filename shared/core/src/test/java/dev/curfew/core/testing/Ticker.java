package dev.curfew.core.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * A clock that moves only when told ({@link #advance}), and by a step each time it is read if it has one: a deadline's
 * clock in tests, in UTC.
 */
public final class Ticker extends Clock {
    private final Duration step;
    private Instant now;

    /** A clock standing at {@code start} until it is moved on. */
    public Ticker(Instant start) {
        this(start, Duration.ZERO);
    }

    private Ticker(Instant start, Duration step) {
        this.now = start;
        this.step = step;
    }

    /** A clock that moves {@code step} every time it is read: the first read gives {@code start} plus one step. */
    public static Ticker everyRead(Instant start, Duration step) {
        return new Ticker(start, step);
    }

    public synchronized void advance(Duration d) {
        now = now.plus(d);
    }

    @Override
    public synchronized Instant instant() {
        now = now.plus(step);
        return now;
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }
}
