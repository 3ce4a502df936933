package dev.curfew.bench;

import java.time.Instant;

/**
 * What the seeded class looks like. Resource number {@code i} of a region:
 * <ul>
 *   <li>is idle (CPU 1 %, a few KB of network: the sweep plans to stop it) when {@code i % idleEvery == 0};</li>
 *   <li>else has busy datapoints (CPU 40 %, 50 MB of network) when {@code i % metricsStride == 0};</li>
 *   <li>else has no datapoints ("no data is not idle").</li>
 * </ul>
 * Datapoints are one per metric, at {@code metricsAt}, inside the idle window of every sweep the bench runs.
 * The stride exists because moto's GetMetricData scans every stored datapoint for every query: it changes how long
 * the emulator takes, never how many calls a sweep or the floor makes (both ask for every running instance).
 */
public record SeedPlan(Instant metricsAt, int metricsStride, int idleEvery) {

    public SeedPlan {
        if (metricsStride < 1 || idleEvery < 1) {
            throw new IllegalArgumentException("strides must be at least 1");
        }
    }

    public boolean idle(int i) {
        return i % idleEvery == 0;
    }

    public boolean hasData(int i) {
        return idle(i) || i % metricsStride == 0;
    }

    /** How many of resources {@code [0, n)} are idle. */
    public int idleCount(int n) {
        return n <= 0 ? 0 : (n - 1) / idleEvery + 1;
    }

    /** How many of resources {@code [0, n)} have datapoints. */
    public int withDataCount(int n) {
        int c = 0;
        for (int i = 0; i < n; i++) {
            if (hasData(i)) {
                c++;
            }
        }
        return c;
    }
}
