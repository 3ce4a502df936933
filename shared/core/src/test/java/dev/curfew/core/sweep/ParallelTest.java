package dev.curfew.core.sweep;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The bounded loop that the sweep of regions ({@link SweepEngine}), the sweep of many accounts and the CLI's reach
 * check share: what each of them relies on.
 */
class ParallelTest {
    @Test
    void resultsComeInTheItemsOrderWhateverOrderTheyFinishIn() {
        List<Integer> items = IntStream.range(0, 12).boxed().toList();
        List<String> out = Parallel.map(items, 4, "t", i -> {
            sleep(12 - i);
            return "r" + i;
        }, (i, e) -> "failed " + i);
        assertThat(out).containsExactlyElementsOf(items.stream().map(i -> "r" + i).toList());
    }

    @Test
    void neverMoreThanTheGivenThreadsAtOnceAndAtLeastOne() {
        for (int threads : new int[] {0, 1, 3}) {
            AtomicInteger running = new AtomicInteger();
            AtomicInteger most = new AtomicInteger();
            CountDownLatch allStarted = new CountDownLatch(Math.max(1, threads)); // the first ones wait for each other
            Parallel.map(IntStream.range(0, 10).boxed().toList(), threads, "t", i -> {
                most.accumulateAndGet(running.incrementAndGet(), Math::max);
                allStarted.countDown();
                try {
                    allStarted.await(5, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                sleep(2);
                running.decrementAndGet();
                return i;
            }, (i, e) -> null);
            assertThat(most.get()).isEqualTo(Math.max(1, threads));
        }
    }

    @Test
    void oneItemFailingBecomesItsOwnResultWithTheCauseAndTheOthersStillRun() {
        AtomicInteger done = new AtomicInteger();
        List<String> out = Parallel.map(List.of("a", "b", "c"), 2, "t", s -> {
            if (s.equals("b")) {
                throw new IllegalStateException("b broke");
            }
            done.incrementAndGet();
            return s;
        }, (s, e) -> s + ": " + e.getClass().getSimpleName() + ": " + e.getMessage());
        assertThat(out).containsExactly("a", "b: IllegalStateException: b broke", "c");
        assertThat(done).hasValue(2);
    }

    @Test
    void theWorkRunsOnDaemonThreadsOfTheGivenNameAndAFailureHandlerMayEndTheLoop() {
        List<String> names = Parallel.map(List.of(1, 2), 2, "curfew-region",
                i -> Thread.currentThread().getName() + (Thread.currentThread().isDaemon() ? " daemon" : ""),
                (i, e) -> null);
        assertThat(names).containsOnly("curfew-region daemon");
        assertThatThrownBy(() -> Parallel.map(List.of(1), 1, "t", i -> {
            throw new IllegalStateException("x");
        }, (i, e) -> {
            throw new SweepException("stop", e);
        })).isInstanceOf(SweepException.class).hasMessage("stop");
    }

    @Test
    void anInterruptedCallerGetsEachPendingItemAsFailedAndKeepsItsInterruptFlag() throws Exception {
        CountDownLatch never = new CountDownLatch(1);
        Thread.currentThread().interrupt();
        try {
            List<String> out = Parallel.map(List.of("a", "b"), 2, "t", s -> {
                try {
                    never.await(5, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return s;
            }, (s, e) -> s + " " + e.getClass().getSimpleName());
            assertThat(out).containsExactly("a InterruptedException", "b InterruptedException");
            assertThat(Thread.currentThread().isInterrupted()).isTrue();
        } finally {
            Thread.interrupted();
        }
    }

    @Test
    void noItemsNoThreads() {
        assertThat(Parallel.map(List.<String>of(), 4, "t", s -> s, (s, e) -> s)).isEmpty();
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
