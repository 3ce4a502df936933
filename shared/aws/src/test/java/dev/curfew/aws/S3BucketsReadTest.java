package dev.curfew.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class S3BucketsReadTest {

    @Test
    void readsKeepTheBucketsOrderAndRunSeveralAtOnce() {
        List<Integer> items = IntStream.range(0, 50).boxed().toList();
        Set<String> threads = ConcurrentHashMap.newKeySet();

        List<Integer> out = S3Buckets.inParallel(items, i -> {
            threads.add(Thread.currentThread().getName() + Thread.currentThread().getId());
            try {
                Thread.sleep(50 - i); // later items finish first
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            return i * 2;
        });

        assertThat(out).isEqualTo(items.stream().map(i -> i * 2).toList());
        assertThat(threads).hasSizeBetween(2, S3Buckets.READ_PARALLELISM);
    }

    @Test
    void aFailingReadFailsTheListingWithItsOwnException() {
        IllegalArgumentException boom = new IllegalArgumentException("AccessDenied on lab-bob");
        assertThatThrownBy(() -> S3Buckets.inParallel(List.of("a", "b", "c"), b -> {
            if (b.equals("b")) {
                throw boom;
            }
            return b;
        })).isSameAs(boom);
    }
}
