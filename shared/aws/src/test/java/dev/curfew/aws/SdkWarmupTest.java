package dev.curfew.aws;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.emr.model.ClusterState;

/** The warm-up walks the SDK's request path with answers from memory: no network, nothing counted as the function's. */
class SdkWarmupTest {

    @Test
    void everyProtocolTheSweeperSpeaksIsAnsweredFromMemory() {
        SdkWarmup.Answers answers = new SdkWarmup.Answers();
        AtomicInteger calls = new AtomicInteger();
        Map<String, Long>[] counted = new Map[1];

        boolean done = SdkWarmup.run(c -> {
            // query protocol (STS), EC2's own, JSON (EMR), REST-XML (S3): each reply is read without an error
            assertThat(c.sts().getCallerIdentity().account()).isNull();
            assertThat(c.ec2("us-east-1").describeInstances(b -> b.maxResults(1000)).reservations()).isEmpty();
            assertThat(c.emr("us-east-1").listClusters(b -> b.clusterStates(ClusterState.WAITING)).clusters())
                    .isEmpty();
            assertThat(c.s3().listBuckets().buckets()).isEmpty();
            calls.set(4);
            counted[0] = c.counter().snapshot();
        }, answers);

        assertThat(done).isTrue();
        assertThat(calls).hasValue(4);
        // every request went to the in-memory client (this machine cannot reach AWS: a real request would fail)
        assertThat(answers.answered).hasValue(4);
        assertThat(counted[0]).containsEntry("sts:GetCallerIdentity", 1L).containsEntry("s3:ListBuckets", 1L);
    }

    @Test
    void aFailingWarmUpIsReportedAndThrowsNothing() {
        assertThat(SdkWarmup.run(c -> {
            throw new IllegalStateException("boom");
        })).isFalse();
    }

    @Test
    void itStartsOncePerJvmAndCanBeAwaited() {
        AtomicInteger first = new AtomicInteger();
        AtomicInteger second = new AtomicInteger();

        SdkWarmup.start(c -> first.incrementAndGet());
        SdkWarmup.start(c -> second.incrementAndGet());

        assertThat(SdkWarmup.await(Duration.ofSeconds(30))).isTrue();
        assertThat(first).hasValue(1);
        assertThat(second).hasValue(0);
    }
}
