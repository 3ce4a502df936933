package dev.curfew.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.curfew.aws.testing.MotoServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The bench at a tiny size (N = 20 instances, one region) inside the normal build: the figures it prints and
 * records are the ones the big run relies on. Call counts are exact: one DescribeInstances page, ceil(3N/500)
 * GetMetricData, for the sweep and the floor alike; the only calls the sweep makes beyond the floor are the
 * account guard and the protection reads of its stop candidates.
 */
class BenchSmokeIT {
    static final Path ROOT = Path.of(System.getProperty("curfew.repo-root", "..")).toAbsolutePath().normalize();
    static final int N = 20;

    static Bench.Config config(MotoServer moto, int coldStarts, int heapInstances) {
        return new Bench.Config(URI.create(moto.endpoint()), List.of("eu-west-1"), List.of(N), 5, 10, List.of(2), 8,
                coldStarts, heapInstances, 256, ROOT.resolve("functions/sweeper/target/curfew-sweeper.jar"),
                Path.of("target/classes").toAbsolutePath(), ROOT.resolve("events/scheduled-curfew.json"),
                ROOT.resolve("template.yaml"), Path.of(System.getProperty("curfew.bench.smoke-dir", "target/smoke"))
                        .toAbsolutePath());
    }

    @Test
    void tinySweepAndFloorMakeExactlyTheCallsTheTargetsAllow() throws Exception {
        MotoServer moto = MotoServer.get();
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        Results r = new Bench(config(moto, 0, 0), new PrintStream(printed, true, StandardCharsets.UTF_8)).run();

        assertThat(r.sizes()).hasSize(1);
        Results.Size s = r.sizes().get(0);
        assertThat(s.sweeps()).hasSize(2);
        assertThat(s.floors()).hasSize(2);
        assertThat(s.callsStable()).isTrue();

        // exact call counts: 20 instances are one page and ceil(60/500) = 1 GetMetricData call
        for (Measured m : List.of(s.sweep(), s.floor())) {
            assertThat(m.calls("ec2:DescribeInstances")).as(m.what()).isEqualTo(1);
            assertThat(m.calls("cloudwatch:GetMetricData")).as(m.what()).isEqualTo(1);
            assertThat(m.resources()).as(m.what()).isGreaterThanOrEqualTo(N);
            assertThat(m.millis()).as(m.what()).isPositive();
            assertThat(m.peakHeapBytes()).as(m.what()).isPositive().isLessThan(1L << 30);
        }
        // the floor makes nothing but one listing per kind the sweep lists, and the metric reads
        List<String> listOps = Kinds.ALL.stream().filter(k -> r.kinds().contains(k.name())).map(Kind::listOp)
                .toList();
        assertThat(r.kinds()).contains("ec2-instance");
        assertThat(s.floor().calls().keySet()).allSatisfy(op -> assertThat(op).isIn(
                java.util.stream.Stream.concat(listOps.stream(), java.util.stream.Stream.of(
                        "cloudwatch:GetMetricData")).toList()));
        listOps.forEach(op -> assertThat(s.sweep().calls(op)).as(op).isEqualTo(s.floor().calls(op)));
        // beyond the floor, never less: the account guard once, one protection read per stop candidate (i % 10)
        assertThat(s.extraCalls().values()).allSatisfy(n -> assertThat(n).isPositive());
        assertThat(s.extraCalls()).containsEntry("sts:GetCallerIdentity", 1L);
        assertThat(s.idlePerRegion()).isEqualTo(2);
        assertThat(s.extraCalls()).containsEntry("ec2:DescribeInstanceAttribute", 2L);

        // the seeded class decides as designed: 2 idle, busy every 5th (minus the idle ones), the rest no data
        assertThat(s.sweep().decisions()).containsEntry("stop", 2L);
        assertThat(s.sweep().decisions().values().stream().mapToLong(Long::longValue).sum())
                .isEqualTo(s.sweep().resources());
        assertThat(s.withDataPerRegion()).isEqualTo(4); // i = 0, 5, 10, 15
        assertThat(s.ratio()).isPositive().isFinite();

        String md = r.markdown();
        assertThat(md).contains("| 20 | 20 |").contains("| 1 (≤ 1) | 1 (≤ 1) |")
                .contains("GetCallerIdentity 1").contains("DescribeInstanceAttribute 2").contains("ec2-instance");
        assertThat(printed.toString(StandardCharsets.UTF_8)).contains("N=20 per region: seeded 20 instances");
    }

    @Test
    void theDeployedJarRunsColdAndUnderTheHeapLimit() throws Exception {
        Path jar = ROOT.resolve("functions/sweeper/target/curfew-sweeper.jar");
        assumeTrue(Files.exists(jar), "the sweeper jar is built before this module in the reactor");
        MotoServer moto = MotoServer.get();
        Results r = new Bench(config(moto, 1, N), new PrintStream(new ByteArrayOutputStream())).run();

        Results.ChildRun cold = r.coldStart().runs().get(0);
        assertThat(cold.ok()).as(cold.error()).isTrue();
        assertThat(cold.constructMs()).isPositive();
        assertThat(cold.invokeMs()).isPositive();
        assertThat(cold.processMs()).isGreaterThan(cold.handlerMs());
        assertThat(cold.rows()).isZero(); // an empty account

        Results.ChildRun heap = r.heap().run();
        assertThat(heap.ok()).as(heap.error()).isTrue();
        assertThat(heap.rows()).isGreaterThanOrEqualTo(N);
        assertThat(heap.maxHeapBytes()).isLessThanOrEqualTo(256L << 20);
        assertThat(heap.peakHeapBytes()).isPositive().isLessThanOrEqualTo(heap.maxHeapBytes());

        assertThat(r.artifacts()).extracting(Artifacts.Artifact::resource).contains("SweeperFunction");
        assertThat(r.artifacts()).filteredOn(a -> a.resource().equals("SweeperFunction")).first()
                .satisfies(a -> assertThat(a.bytes()).isPositive());
        assertThat(r.markdown()).contains("### Cold start").contains("### Heap").contains("SweeperFunction");
    }
}
