package dev.curfew.core.sweep;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * Work on many items (regions, accounts, buckets) with a bounded number of threads: the one loop the sweep of regions,
 * the sweep of many accounts and the CLI's reach check share.
 */
public final class Parallel {
    private Parallel() {
    }

    /**
     * {@code work} on every item, at most {@code threads} at once (at least one), the results in the items' order.
     * An item whose work threw becomes {@code failed(item, cause)}, in the caller's thread: one item's failure never
     * stops the others. When the caller is interrupted while waiting, the items not yet collected become
     * {@code failed(item, the InterruptedException)} (the interrupt flag set again); {@code failed} may throw to end
     * the whole loop instead. The threads are daemons named {@code name}, and are stopped on return.
     */
    public static <I, O> List<O> map(List<I> items, int threads, String name, Function<? super I, ? extends O> work,
                                     BiFunction<? super I, Throwable, ? extends O> failed) {
        if (items.isEmpty()) {
            return List.of();
        }
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(threads, items.size())), r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<? extends O>> futures = new ArrayList<>();
            for (I item : items) {
                futures.add(pool.submit(() -> work.apply(item)));
            }
            List<O> out = new ArrayList<>(items.size());
            for (int i = 0; i < futures.size(); i++) {
                try {
                    out.add(futures.get(i).get());
                } catch (ExecutionException e) {
                    out.add(failed.apply(items.get(i), e.getCause()));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    out.add(failed.apply(items.get(i), e));
                }
            }
            return out;
        } finally {
            pool.shutdownNow();
        }
    }
}
