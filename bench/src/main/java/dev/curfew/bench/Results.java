package dev.curfew.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** Everything one bench run measured, the targets it checks, and the Markdown tables BENCHMARKS.md shows. */
public record Results(String machine, Bench.Config config, List<String> kinds, List<Size> sizes, ColdStart coldStart, HeapCheck heap,
                     List<Artifacts.Artifact> artifacts) {

    static final double RATIO_TARGET = 1.5;
    static final long COLD_START_TARGET_MS = 1_000;
    static final double ARTIFACT_TARGET_MIB = 25;

    /** One size: N resources per region in every region, sweeps and floors alternating. */
    public record Size(int perRegion, int regions, int withDataPerRegion, int idlePerRegion, long seedMillis,
                       List<Measured> sweeps, List<Measured> floors) {

        /** The instances in all regions: N a region, and the instance each seeded spot request launched. */
        public int instances() {
            return instancesPerRegion() * regions;
        }

        /** The instances of one region that the sweep lists: N, plus one per persistent spot request seeded. */
        public int instancesPerRegion() {
            return perRegion + Kinds.SPOT_REQUEST.count().applyAsInt(perRegion);
        }

        public long sweepMillis() {
            return median(sweeps.stream().map(Measured::millis).toList());
        }

        public long floorMillis() {
            return median(floors.stream().map(Measured::millis).toList());
        }

        public double ratio() {
            return floorMillis() == 0 ? Double.NaN : (double) sweepMillis() / floorMillis();
        }

        public Measured sweep() {
            return sweeps.get(0);
        }

        public Measured floor() {
            return floors.get(0);
        }

        /** The target's bound per region: ceil(I/1000) DescribeInstances, for the I instances a region holds. */
        public long describeTarget() {
            return ceilDiv(instancesPerRegion(), 1000);
        }

        /** The target's bound per region: ceil(3I/500) GetMetricData (every instance running). */
        public long metricsTarget() {
            return ceilDiv(3L * instancesPerRegion(), 500);
        }

        public double perRegion(Measured m, String op) {
            return (double) m.calls(op) / regions;
        }

        /** True when every sweep (and every floor) made exactly the same calls. */
        public boolean callsStable() {
            return sweeps.stream().allMatch(s -> s.calls().equals(sweep().calls()))
                    && floors.stream().allMatch(f -> f.calls().equals(floor().calls()));
        }

        /**
         * The sweep's calls beyond the floor's, by operation: the account guard (sts:GetCallerIdentity), the
         * protection reads of the instances it would stop or terminate (ec2:DescribeInstanceAttribute), and anything
         * else, which would be a listing the floor does not need.
         */
        public Map<String, Long> extraCalls() {
            Map<String, Long> m = new TreeMap<>();
            sweep().calls().forEach((op, n) -> {
                long more = n - floor().calls(op);
                if (more != 0) {
                    m.put(op, more);
                }
            });
            return m;
        }

        public boolean listingTargetMet() {
            return perRegion(sweep(), "ec2:DescribeInstances") <= describeTarget()
                    && perRegion(sweep(), "cloudwatch:GetMetricData") <= metricsTarget()
                    && extraCalls().keySet().stream().allMatch(Results::allowedExtra);
        }
    }

    /** Calls a sweep makes beyond the floor that are not listing: the account guard, protection of candidates. */
    static boolean allowedExtra(String op) {
        return op.equals("sts:GetCallerIdentity") || op.equals("ec2:DescribeInstanceAttribute");
    }

    /** One run of the deployed handler in a JVM of its own. */
    public record ChildRun(boolean ok, long constructMs, long invokeMs, long jvmBeforeMainMs, long processMs,
                           long peakHeapBytes, long maxHeapBytes, int rows, String error, Map<String, Long> parts) {
        /** A part HandlerRun measured (ColdStart.PARTS), -1 when it was not measured. */
        public long part(String key) {
            return parts.getOrDefault(key, -1L);
        }

        public long handlerMs() {
            return constructMs + invokeMs;
        }
    }

    public record ColdStart(List<ChildRun> runs, List<String> regions) {
        /** What HandlerRun reports besides construct and invocation (Bench.parseChild keeps these). */
        static final List<String> PARTS = List.of("log4j-ms", "event-ms", "warm-invoke-ms", "classes-constructed",
                "classes-invoked", "cpu-ms");

        /** The median of a value over the runs that succeeded (-1: not measured). */
        public long medianOf(java.util.function.ToLongFunction<ChildRun> value) {
            List<Long> v = runs.stream().filter(ChildRun::ok).map(value::applyAsLong).toList();
            return v.isEmpty() || v.contains(-1L) ? -1 : Results.median(v);
        }

        public long medianHandlerMs() {
            return median(runs.stream().map(ChildRun::handlerMs).toList());
        }

        public long medianProcessMs() {
            return median(runs.stream().map(ChildRun::processMs).toList());
        }

        public boolean allOk() {
            return !runs.isEmpty() && runs.stream().allMatch(ChildRun::ok);
        }
    }

    public record HeapCheck(int instances, List<String> regions, int xmxMb, ChildRun run) {
    }

    private static long context(ChildRun r) {
        long log4j = r.part("log4j-ms");
        return log4j < 0 ? -1 : r.constructMs() - log4j;
    }

    private static long firstTime(ChildRun r) {
        long warm = r.part("warm-invoke-ms");
        return warm < 0 ? -1 : r.invokeMs() - warm;
    }

    private static String coldRow(long... values) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < values.length; i++) {
            if (i == 8) { // classes: construct / invocation in one cell
                b.append(values[i] < 0 ? "" : String.format(Locale.ROOT, "%,d / %,d", values[i], values[i + 1]))
                        .append(" | ");
                i++;
                continue;
            }
            b.append(values[i] < 0 ? "" : String.format(Locale.ROOT, "%,d", values[i])).append(" | ");
        }
        return b.toString().trim();
    }

    static long median(List<Long> values) {
        if (values.isEmpty()) {
            return 0;
        }
        List<Long> s = new ArrayList<>(values);
        s.sort(Long::compare);
        int n = s.size();
        return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
    }

    static long ceilDiv(long a, long b) {
        return (a + b - 1) / b;
    }

    static String mib(long bytes) {
        return String.format(Locale.ROOT, "%.1f", bytes / (1024.0 * 1024.0));
    }

    static String n(long v) {
        return String.format(Locale.ROOT, "%,d", v);
    }

    static String fmt(double v) {
        return v == Math.rint(v) ? String.valueOf((long) v) : String.format(Locale.ROOT, "%.2f", v);
    }

    /** The Markdown that BENCHMARKS.md carries: one table per measurement, then the targets. */
    public String markdown() {
        StringBuilder b = new StringBuilder();
        b.append("Machine: ").append(machine).append(". Kinds the sweep lists (and so the floor): ")
                .append(String.join(", ", kinds)).append(".\n\n");
        b.append("### Sweep and floor (dry-run, ").append(config.regions().size()).append(" regions: ")
                .append(String.join(", ", config.regions())).append(")\n\n");
        b.append("| N per region | instances | sweep ms | floor ms | sweep/floor | DescribeInstances per region "
                + "(target) | GetMetricData per region (target) | sweep calls beyond the floor | peak heap sweep / "
                + "floor MiB | decisions |\n");
        b.append("|---:|---:|---:|---:|---:|---:|---:|---|---:|---|\n");
        for (Size s : sizes) {
            b.append("| ").append(n(s.perRegion())).append(" | ").append(n(s.instances()))
                    .append(" | ").append(n(s.sweepMillis())).append(" | ").append(n(s.floorMillis()))
                    .append(" | ").append(String.format(Locale.ROOT, "%.2f", s.ratio()))
                    .append(" | ").append(fmt(s.perRegion(s.sweep(), "ec2:DescribeInstances")))
                    .append(" (≤ ").append(s.describeTarget()).append(")")
                    .append(" | ").append(fmt(s.perRegion(s.sweep(), "cloudwatch:GetMetricData")))
                    .append(" (≤ ").append(s.metricsTarget()).append(")")
                    .append(" | ").append(extraText(s.extraCalls()))
                    .append(" | ").append(mib(s.sweep().peakHeapBytes() == 0 ? 0 : maxPeak(s.sweeps())))
                    .append(" / ").append(mib(maxPeak(s.floors())))
                    .append(" | ").append(decisionsText(s.sweep().decisions())).append(" |\n");
        }
        b.append("\nEach time is the median of the sweeps and of the floor runs at that size (");
        for (int i = 0; i < sizes.size(); i++) {
            b.append(i == 0 ? "" : ", ").append("N=").append(n(sizes.get(i).perRegion())).append(": ")
                    .append(sizes.get(i).sweeps().size());
        }
        b.append(" of each), alternating which goes first; one unmeasured sweep and floor warm the JVM up first. ");
        b.append("Datapoints: instance number i of a region is idle (CPU 1 %) when i % ").append(config.idleEvery())
                .append(" == 0, else busy (CPU 40 %) when i % ").append(config.metricsStride())
                .append(" == 0, else has no datapoints; sweep and floor both ask for every running instance.\n\n");

        if (coldStart != null) {
            b.append("### Cold start (fresh JVM, -XX:+TieredCompilation -XX:TieredStopAtLevel=1, empty account, ")
                    .append(coldStart.regions().size()).append(" regions)\n\n");
            b.append("| run | JVM start to main | Log4j start | Micronaut context and handler | construct | event read "
                    + "| first invocation | same invocation, warm | first-time cost | classes loaded (construct / "
                    + "invocation) | **construct + invocation** | whole process | CPU, construct + invocation |\n"
                    + "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
            int i = 1;
            for (ChildRun r : coldStart.runs()) {
                b.append("| ").append(i++).append(" | ");
                if (r.ok()) {
                    b.append(coldRow(r.jvmBeforeMainMs(), r.part("log4j-ms"), context(r), r.constructMs(),
                            r.part("event-ms"), r.invokeMs(), r.part("warm-invoke-ms"), firstTime(r),
                            r.part("classes-constructed"), r.part("classes-invoked"), r.handlerMs(), r.processMs(),
                            r.part("cpu-ms")));
                } else {
                    b.append("failed: ").append(r.error()).append(" | | | | | | | | | | | |");
                }
                b.append("\n");
            }
            b.append("| **median** | ").append(coldRow(coldStart.medianOf(ChildRun::jvmBeforeMainMs),
                    coldStart.medianOf(r -> r.part("log4j-ms")), coldStart.medianOf(Results::context),
                    coldStart.medianOf(ChildRun::constructMs), coldStart.medianOf(r -> r.part("event-ms")),
                    coldStart.medianOf(ChildRun::invokeMs), coldStart.medianOf(r -> r.part("warm-invoke-ms")),
                    coldStart.medianOf(Results::firstTime), coldStart.medianOf(r -> r.part("classes-constructed")),
                    coldStart.medianOf(r -> r.part("classes-invoked")), coldStart.medianHandlerMs(),
                    coldStart.medianProcessMs(), coldStart.medianOf(r -> r.part("cpu-ms")))).append("\n\n");
            b.append("Milliseconds. Construct = Log4j start + Micronaut's context and the handler's beans (Lambda's "
                    + "constructor). First invocation = the event read + handleRequest + the response written; the "
                    + "same invocation warm (again, in the same JVM) is the emulator's calls and the sweep's own "
                    + "work, so the first-time cost (first minus warm) is class loading, building the SDK clients and "
                    + "the first compilations. CPU: the process's CPU time over construct and first invocation, all threads "
                    + "(the JIT compiler's and the regions' included); it moves far less with other load on the machine "
                    + "than wall time.\n\n");
        }

        if (heap != null) {
            ChildRun r = heap.run();
            b.append("### Heap: the deployed handler sweeping ").append(n(heap.instances())).append(" instances (")
                    .append(heap.regions().size()).append(" regions) in a JVM with -Xmx").append(heap.xmxMb())
                    .append("m\n\n");
            b.append("| result | report rows | sampled peak heap MiB | max heap MiB | construct + invocation ms |\n")
                    .append("|---|---:|---:|---:|---:|\n");
            b.append("| ").append(r.ok() ? "completed" : "failed: " + r.error()).append(" | ")
                    .append(r.ok() ? n(r.rows()) : "").append(" | ").append(mib(r.peakHeapBytes())).append(" | ")
                    .append(mib(r.maxHeapBytes())).append(" | ").append(r.ok() ? n(r.handlerMs()) : "")
                    .append(" |\n\n");
        }

        if (!artifacts.isEmpty()) {
            b.append("### Deployment artifacts (template.yaml CodeUri / ContentUri)\n\n");
            b.append("| resource | type | file | MiB |\n|---|---|---|---:|\n");
            for (Artifacts.Artifact a : artifacts) {
                b.append("| ").append(a.resource()).append(" | ").append(a.type()).append(" | ").append(a.path())
                        .append(" | ").append(a.bytes() < 0 ? "not built" : String.format(Locale.ROOT, "%.1f",
                                a.mib())).append(" |\n");
            }
            b.append('\n');
        }

        b.append("### Targets\n\n| target | result | met |\n|---|---|---|\n");
        for (String[] t : targets()) {
            b.append("| ").append(t[0]).append(" | ").append(t[1]).append(" | ").append(t[2]).append(" |\n");
        }
        return b.toString();
    }

    private static long maxPeak(List<Measured> runs) {
        return runs.stream().mapToLong(Measured::peakHeapBytes).max().orElse(0);
    }

    private static String extraText(Map<String, Long> extra) {
        if (extra.isEmpty()) {
            return "none";
        }
        List<String> parts = new ArrayList<>();
        extra.forEach((op, n) -> parts.add(op.substring(op.indexOf(':') + 1) + " " + n));
        return String.join(", ", parts);
    }

    private static String decisionsText(Map<String, Long> d) {
        List<String> parts = new ArrayList<>();
        d.forEach((k, v) -> parts.add(k + " " + n(v)));
        return String.join(", ", parts);
    }

    /** Each target: what it asks, what was measured, and whether it was met (with the margin when not). */
    public List<String[]> targets() {
        List<String[]> out = new ArrayList<>();
        if (!sizes.isEmpty()) {
            boolean calls = sizes.stream().allMatch(Size::listingTargetMet);
            out.add(new String[] {"calls per region ≤ ceil(I/1000) DescribeInstances and ceil(3I/500) GetMetricData"
                    + " (I: the instances of a region, N and the seeded spot requests' own);"
                    + " no per-resource listing", sizes.stream().map(s -> "N=" + n(s.perRegion()) + ": "
                    + fmt(s.perRegion(s.sweep(), "ec2:DescribeInstances")) + " + "
                    + fmt(s.perRegion(s.sweep(), "cloudwatch:GetMetricData"))).reduce((a, c) -> a + "; " + c)
                    .orElse(""), calls ? "yes" : "**no**"});
            double worst = sizes.stream().mapToDouble(Size::ratio).max().orElse(0);
            out.add(new String[] {"sweep time ≤ 1.5 × floor at every N", "worst " + String.format(Locale.ROOT,
                    "%.2f", worst) + " ×", worst <= RATIO_TARGET ? "yes" : "**no** (by " + String.format(Locale.ROOT,
                    "%.2f", worst - RATIO_TARGET) + " ×)"});
        }
        if (coldStart != null) {
            long m = coldStart.medianHandlerMs();
            out.add(new String[] {"cold start (construct + first invocation) ≤ 1,000 ms median",
                    coldStart.allOk() ? m + " ms" : "a run failed", coldStart.allOk() && m <= COLD_START_TARGET_MS
                    ? "yes" : "**no**" + (coldStart.allOk() ? " (by " + (m - COLD_START_TARGET_MS) + " ms)" : "")});
        }
        if (heap != null) {
            out.add(new String[] {"a sweep of 10,000 instances runs in a 256 MiB heap", n(heap.instances())
                    + " instances, -Xmx" + heap.xmxMb() + "m: " + (heap.run().ok() ? "completed" : "failed"),
                    heap.run().ok() && heap.instances() >= 10_000 && heap.xmxMb() <= 256 ? "yes"
                            : heap.run().ok() ? "not at full size" : "**no**"});
        }
        for (Artifacts.Artifact a : artifacts) {
            if (a.bytes() < 0) {
                out.add(new String[] {a.resource() + " artifact ≤ 25 MiB", "not built", "?"});
                continue;
            }
            out.add(new String[] {a.resource() + " artifact ≤ 25 MiB", String.format(Locale.ROOT, "%.1f MiB",
                    a.mib()), a.mib() <= ARTIFACT_TARGET_MIB ? "yes" : "**no** (by " + String.format(Locale.ROOT,
                    "%.1f MiB", a.mib() - ARTIFACT_TARGET_MIB) + ")"});
        }
        return out;
    }
}
