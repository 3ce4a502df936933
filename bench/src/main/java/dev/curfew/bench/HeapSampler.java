package dev.curfew.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;

/**
 * Peak heap by sampling: a daemon thread reads the heap in use ({@link MemoryMXBean#getHeapMemoryUsage()}) every
 * few milliseconds and keeps the largest value. It includes garbage not yet collected, so it is an upper bound of
 * what the work needed; the 256 MiB check (a child JVM with -Xmx256m) is the test of what it really needs.
 * Uses only the JDK: it runs inside the deployed sweeper jar's JVM too.
 */
public final class HeapSampler implements AutoCloseable {
    private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    private final Thread thread;
    private volatile boolean running = true;
    private volatile long peak;

    private HeapSampler(long intervalMillis) {
        peak = memory.getHeapMemoryUsage().getUsed();
        thread = new Thread(() -> {
            while (running) {
                sample();
                try {
                    Thread.sleep(intervalMillis);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "heap-sampler");
        thread.setDaemon(true);
        thread.start();
    }

    /** Starts sampling every 5 ms. */
    public static HeapSampler start() {
        return new HeapSampler(5);
    }

    private void sample() {
        long used = memory.getHeapMemoryUsage().getUsed();
        if (used > peak) {
            peak = used;
        }
    }

    /** The largest heap in use seen so far, in bytes. */
    public long peakBytes() {
        sample();
        return peak;
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
    }

    /** Heap in use after a full collection: the baseline a run starts from. */
    public static long settledHeapBytes() {
        for (int i = 0; i < 2; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
