package dev.curfew.bench;

import java.util.Map;
import java.util.TreeMap;

/**
 * One timed run, a sweep or the floor.
 *
 * @param millis        wall time of the run, from building the SDK clients to the last response handled
 * @param calls         AWS calls by {@code service:Operation}, counted by the SDK interceptor {@code CallCounter}
 * @param peakHeapBytes the sampled peak of heap in use during the run, above the settled heap before it
 * @param resources     resources the run saw (report rows for the sweep, listed resources for the floor)
 * @param decisions     the sweep's decision counts (empty for the floor)
 */
public record Measured(String what, long millis, Map<String, Long> calls, long peakHeapBytes, int resources,
                       Map<String, Long> decisions) {

    public Measured {
        calls = Map.copyOf(new TreeMap<>(calls));
        decisions = Map.copyOf(new TreeMap<>(decisions));
    }

    public long calls(String op) {
        return calls.getOrDefault(op, 0L);
    }

    public long totalCalls() {
        return calls.values().stream().mapToLong(Long::longValue).sum();
    }
}
