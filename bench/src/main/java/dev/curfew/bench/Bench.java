package dev.curfew.bench;

import dev.curfew.aws.AwsClients;
import dev.curfew.aws.AwsCloud;
import dev.curfew.aws.AwsSettings;
import dev.curfew.aws.PolicySource;
import dev.curfew.core.policy.Policy;
import dev.curfew.core.policy.PolicyLoader;
import dev.curfew.core.report.SweepReport;
import dev.curfew.core.sweep.SweepEngine;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;

/**
 * The bench: on a local emulator, seeds N instances per region in R regions, then times the dry-run sweep against
 * the floor (the calls any sweep must make, in a plain SDK loop) in this JVM; runs the deployed sweeper jar in fresh
 * JVMs for the cold start and the 256 MiB heap check; and measures the deployment artifacts template.yaml names.
 * {@code bench/run} starts the emulator and this class; see BENCHMARKS.md.
 */
public final class Bench {
    /** A fixed account for the emulator: moto's. */
    static final String ACCOUNT = "123456789012";

    /**
     * What to run.
     *
     * @param sizes         N, resources per region, ascending: each size adds to what the previous one seeded
     * @param metricsStride every this-many-th instance gets (busy) datapoints; see {@link SeedPlan}
     * @param idleEvery     every this-many-th instance is idle (and has datapoints)
     * @param repeats       timed sweeps (and as many floors) for each size, in the order of sizes (the last value
     *                      serves the sizes beyond the list)
     * @param coldStarts    fresh-JVM runs of the deployed handler on the empty account (0: skip)
     * @param heapInstances instances the -Xmx child sweeps (0: skip); whole regions of the largest size
     */
    public record Config(URI endpoint, List<String> regions, List<Integer> sizes, int metricsStride, int idleEvery,
                         List<Integer> repeats, int parallelism, int coldStarts, int heapInstances, int heapMb,
                         Path sweeperJar, Path benchClasses, Path event, Path template, Path out) {

        int repeatsFor(int sizeIndex) {
            return repeats.get(Math.min(sizeIndex, repeats.size() - 1));
        }
    }

    private final Config config;
    /** What the child JVMs get besides the sweeper jar: the bench's classes (its jar with CURFEW_BENCH_CDS=1). */
    private Path childClasses;
    /**
     * The sweeper as the child JVMs load it: Lambda unzips a function's package into /var/task and runs it from
     * there, so the bench runs it unzipped too ({@link #unzipped}); the jar itself with CURFEW_BENCH_PACKAGE=jar or
     * CURFEW_BENCH_CDS=1 (AppCDS takes jars only).
     */
    private Path childPackage;
    private final PrintStream log;
    private final AwsSettings settings;
    private final Instant now;
    private final SeedPlan plan;
    private final Map<String, String> env = new LinkedHashMap<>();
    /** The kinds the sweep lists, seen in the warm-up sweep's calls; the floor lists exactly these. */
    private List<Kind> listed = List.of(Kinds.EC2_INSTANCE);

    public Bench(Config config, PrintStream log) {
        this.config = config;
        this.childClasses = config.benchClasses();
        this.childPackage = config.sweeperJar();
        this.log = log;
        this.settings = new AwsSettings(Region.of(config.regions().get(0)), config.endpoint(),
                StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing")), 1,
                Duration.ofMinutes(10));
        // One clock for the whole bench: every launch (moto stamps them "now") is at least the idle window before
        // it, every datapoint inside the window, and the latest curfew just before the bench began, so nothing
        // is "forgotten" and the rules that decide are the idle ones.
        Instant start = Instant.now().truncatedTo(ChronoUnit.MINUTES);
        this.now = start.plus(Duration.ofHours(4));
        this.plan = new SeedPlan(start.plus(Duration.ofHours(3)), config.metricsStride(), config.idleEvery());
        env.put("CURFEW_REGIONS", String.join(",", config.regions()));
        env.put("CURFEW_MODE", "dry-run");
        env.put("CURFEW_TIME_ZONE", "UTC");
        env.put("CURFEW_TIME", DateTimeFormatter.ofPattern("HH:mm").withZone(ZoneOffset.UTC)
                .format(start.minus(Duration.ofMinutes(1))));
    }

    /**
     * {@code --faults F}: after the timed sweeps of each size, one more sweep goes through a {@link FaultProxy} that
     * answers the fraction F of requests with a throttling error or a 500 (seeded with {@code --fault-seed}, 1 by
     * default), with the deployed retry settings (8 attempts, backoff from 0.5 s); its calls, faults (each one a retry) and wall time are printed
     * against the same sweep without faults.
     */
    record Faults(double fraction, long seed) {
    }

    private Faults faults = new Faults(0, 1);
    private final List<String> faultLines = new ArrayList<>();

    Bench withFaults(Faults f) {
        this.faults = f;
        return this;
    }

    /** Takes {@code --faults} and {@code --fault-seed} out of the arguments. */
    static Faults faults(List<String> args) {
        double fraction = 0;
        long seed = 1;
        for (int i = 0; i + 1 < args.size(); ) {
            if (args.get(i).equals("--faults")) {
                String v = args.get(i + 1);
                try {
                    fraction = Double.parseDouble(v);
                } catch (NumberFormatException e) {
                    fraction = -1;
                }
                if (!(fraction >= 0 && fraction < 1)) {
                    throw new IllegalArgumentException("--faults is \"" + v + "\"; expected a fraction of requests "
                            + "from 0 to below 1, such as 0.2");
                }
                args.subList(i, i + 2).clear();
            } else if (args.get(i).equals("--fault-seed")) {
                seed = Long.parseLong(args.get(i + 1));
                args.subList(i, i + 2).clear();
            } else {
                i++;
            }
        }
        return new Faults(fraction, seed);
    }

    public static void main(String[] args) throws Exception {
        List<String> rest = new ArrayList<>(Arrays.asList(args));
        Faults f = faults(rest);
        Config c = parse(rest.toArray(String[]::new));
        Bench bench = new Bench(c, System.out).withFaults(f);
        Results r = bench.run();
        String md = r.markdown() + bench.faultsMarkdown();
        System.out.println();
        System.out.println(md);
        Files.createDirectories(c.out());
        Files.writeString(c.out().resolve("bench-results.md"), md);
        System.out.println("written to " + c.out().resolve("bench-results.md"));
    }

    /** The policy the deployed function would use: the bundled one with the template's overrides. */
    Policy policy(List<String> regions) {
        Map<String, String> e = new HashMap<>(env);
        e.put("CURFEW_REGIONS", String.join(",", regions));
        return PolicyLoader.bundledDefault(PolicySource.overridesFrom(e));
    }

    public Results run() throws Exception {
        resetEmulator();
        String machine = Runtime.getRuntime().availableProcessors() + " cores, Java "
                + System.getProperty("java.version") + ", " + System.getProperty("os.name") + " "
                + System.getProperty("os.arch");
        List<Artifacts.Artifact> artifacts = config.template() != null && Files.exists(config.template())
                ? Artifacts.of(config.template()) : List.of();
        artifacts.forEach(a -> log.printf("artifact %s %s: %s%n", a.resource(), a.path(),
                a.bytes() < 0 ? "not built" : String.format(Locale.ROOT, "%.1f MiB", a.mib())));

        if (!"jar".equals(System.getenv("CURFEW_BENCH_PACKAGE")) && !"1".equals(System.getenv("CURFEW_BENCH_CDS"))
                && Files.isRegularFile(config.sweeperJar())) {
            childPackage = unzipped(config.sweeperJar(), config.out().resolve("sweeper-package"));
            log.printf("the sweeper runs unzipped from %s, as Lambda runs it from /var/task%n", childPackage);
        }
        Results.ColdStart cold = null;
        if (config.coldStarts() > 0) {
            List<Results.ChildRun> runs = new ArrayList<>();
            List<String> flags = new ArrayList<>(List.of("-D" + HandlerRun.WARM + "=true"));
            if ("1".equals(System.getenv("CURFEW_BENCH_CDS"))) {
                // class data sharing: one training run writes an AppCDS archive of the classes it loaded, and each
                // cold start maps it instead of loading and verifying those classes from the jar
                Path archive = config.out().resolve("sweeper-cds.jsa");
                // AppCDS takes jars only on the class path: the bench's own jar instead of its classes directory
                try (var jars = Files.list(config.benchClasses().getParent())) {
                    childClasses = jars.filter(j -> j.getFileName().toString().matches("curfew-bench-.*\\.jar"))
                            .findFirst().orElseThrow(() -> new IllegalStateException("CURFEW_BENCH_CDS=1 needs "
                                    + "the bench's jar next to " + config.benchClasses() + " (mvn package)"));
                }
                Files.createDirectories(config.out());
                Files.deleteIfExists(archive);
                Results.ChildRun training = child(config.regions(), List.of("-XX:ArchiveClassesAtExit=" + archive),
                        Duration.ofMinutes(3));
                log.printf("AppCDS archive %s (%.1f MiB) from a training run%s%n", archive, Files.exists(archive)
                        ? Files.size(archive) / 1048576.0 : 0.0, training.ok() ? "" : " that FAILED: " + training.error());
                flags.add("-XX:SharedArchiveFile=" + archive);
            }
            for (int i = 0; i < config.coldStarts(); i++) {
                Results.ChildRun r = child(config.regions(), flags, Duration.ofMinutes(3));
                log.printf("cold start %d: construct %d ms (Log4j %d) + first invocation %d ms (warm %d) (process %d ms,"
                        + " %d classes)%s%n", i + 1, r.constructMs(), r.part("log4j-ms"), r.invokeMs(),
                        r.part("warm-invoke-ms"), r.processMs(), r.part("classes-invoked"),
                        r.ok() ? "" : " FAILED: " + r.error());
                runs.add(r);
            }
            cold = new Results.ColdStart(runs, config.regions());
        }

        Policy policy = policy(config.regions());
        Duration window = policy.ec2().idle().window();
        List<Results.Size> sizes = new ArrayList<>();
        int seeded = 0;
        boolean warm = false;
        for (int si = 0; si < config.sizes().size(); si++) {
            int n = config.sizes().get(si);
            int repeats = config.repeatsFor(si);
            long t0 = System.nanoTime();
            seed(seeded, n);
            long seedMillis = (System.nanoTime() - t0) / 1_000_000;
            seeded = n;
            log.printf("N=%,d per region: seeded %,d instances in %d regions in %,d ms%n", n, n * config.regions()
                    .size(), config.regions().size(), seedMillis);
            if (repeats == 0) {
                continue; // seeded only: for the heap check, or a later size
            }
            if (!warm) {
                Measured w = sweep(policy);
                listed = Kinds.ALL.stream().filter(k -> k == Kinds.EC2_INSTANCE || w.calls(k.listOp()) > 0)
                        .toList();
                log.printf("the sweep lists %s; so does the floor%n", listed.stream().map(Kind::name).toList());
                floor(window);
                warm = true;
            }
            List<Measured> sweeps = new ArrayList<>();
            List<Measured> floors = new ArrayList<>();
            for (int k = 0; k < repeats; k++) {
                if (k % 2 == 0) {
                    floors.add(floor(window));
                    sweeps.add(sweep(policy));
                } else {
                    sweeps.add(sweep(policy));
                    floors.add(floor(window));
                }
                log.printf("  round %d: sweep %,d ms, floor %,d ms%n", k + 1, sweeps.get(k).millis(),
                        floors.get(k).millis());
            }
            Results.Size s = new Results.Size(n, config.regions().size(), plan.withDataCount(n), plan.idleCount(n),
                    seedMillis, sweeps, floors);
            log.printf("  sweep %,d ms / floor %,d ms = %.2f; calls sweep %s floor %s%n", s.sweepMillis(),
                    s.floorMillis(), s.ratio(), s.sweep().calls(), s.floor().calls());
            sizes.add(s);
            if (faults.fraction() > 0) {
                faultSweep(policy, n, s.sweepMillis(), s.sweep().calls().values().stream()
                        .mapToLong(Long::longValue).sum());
            }
        }

        Results.HeapCheck heap = null;
        if (config.heapInstances() > 0 && seeded > 0) {
            int regions = (int) Math.min(config.regions().size(), Results.ceilDiv(config.heapInstances(), seeded));
            List<String> heapRegions = config.regions().subList(0, regions);
            Results.ChildRun r = child(heapRegions, List.of("-Xmx" + config.heapMb() + "m"), Duration.ofMinutes(15));
            log.printf("heap check: %,d instances in -Xmx%dm: %s%n", regions * seeded, config.heapMb(),
                    r.ok() ? "completed, " + r.rows() + " rows" : "FAILED: " + r.error());
            heap = new Results.HeapCheck(regions * seeded, heapRegions, config.heapMb(), r);
        }
        return new Results(machine, config, listed.stream().map(Kind::name).toList(), sizes, cold, heap,
                artifacts);
    }

    /**
     * Seeds every kind for a size, growing from the previous size's N to this one's, regions in parallel (a global
     * kind in the first region only).
     */
    void seed(int fromN, int toN) throws Exception {
        if (toN <= fromN) {
            return;
        }
        ExecutorService pool = Executors.newFixedThreadPool(config.regions().size());
        try (AwsClients clients = new AwsClients(settings)) {
            List<Future<?>> fs = new ArrayList<>();
            for (String region : config.regions()) {
                boolean first = region.equals(config.regions().get(0));
                fs.add(pool.submit(() -> {
                    for (Kind k : Kinds.ALL) {
                        if (k.seed() != null && (!k.global() || first)) {
                            k.seed().seed(clients, region, k.count().applyAsInt(fromN), k.count().applyAsInt(toN),
                                    plan);
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : fs) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    Measured sweep(Policy policy) {
        long base = HeapSampler.settledHeapBytes();
        try (HeapSampler heap = HeapSampler.start()) {
            long t0 = System.nanoTime();
            SweepReport r;
            try (AwsClients clients = new AwsClients(settings)) {
                r = new SweepEngine(new AwsCloud(clients), Clock.fixed(now, ZoneOffset.UTC), config.parallelism(),
                        null).run(policy);
            }
            long ms = (System.nanoTime() - t0) / 1_000_000;
            if (!r.regionErrors().isEmpty()) {
                throw new IllegalStateException("the sweep failed in " + r.regionErrors());
            }
            return new Measured("sweep", ms, r.calls(), Math.max(0, heap.peakBytes() - base), r.rows().size(),
                    r.decisionCounts());
        }
    }

    /** One sweep through the fault injector, with the deployed retry settings; one line for the results. */
    void faultSweep(Policy policy, int n, long cleanMillis, long cleanCalls) {
        try (dev.curfew.aws.testing.FaultProxy proxy = dev.curfew.aws.testing.FaultProxy.start(
                config.endpoint().toString(), faults.fraction(), faults.seed());
             AwsClients clients = new AwsClients(AwsSettings.fromEnvironment(proxy.endpoint(),
                     config.regions().get(0)).withCredentials(settings.credentials())
                     .withMaxAttempts(AwsSettings.DEFAULT_ATTEMPTS)
                     .withTimeouts(settings.callTimeout(), settings.callTimeout().dividedBy(4)))) {
            long t0 = System.nanoTime();
            SweepReport r = new SweepEngine(new AwsCloud(clients), Clock.fixed(now, ZoneOffset.UTC),
                    config.parallelism(), null).run(policy);
            long ms = (System.nanoTime() - t0) / 1_000_000;
            var t = proxy.totals();
            long failedRows = r.rows().stream().filter(x -> "failed".equals(x.outcome())).count();
            String line = String.format(Locale.ROOT, "| %,d | %d | %.0f %% (seed %d) | %,d | %,d | %,d | %,d | %,d ms "
                            + "| %,d ms | %.2f | %s |", n, config.regions().size(), faults.fraction() * 100,
                    faults.seed(), cleanCalls, t.calls(), t.attempts(), t.faults(), cleanMillis, ms,
                    ms / (double) Math.max(1, cleanMillis), r.regionErrors().isEmpty() && failedRows == 0
                            ? "nothing" : r.regionErrors().keySet() + ", " + failedRows + " rows");
            log.printf("  with faults: %s%n", line);
            faultLines.add(line);
        }
    }

    /** The fault rows as a Markdown table (empty without {@code --faults}). */
    String faultsMarkdown() {
        if (faultLines.isEmpty()) {
            return "";
        }
        return "\n\n### Under faults\n\n| N per region | regions | faults | calls without faults | calls | attempts "
                + "| faults injected (= retries) | sweep without faults | sweep with faults | ratio | failed |\n"
                + "|---|---|---|---|---|---|---|---|---|---|---|\n" + String.join("\n", faultLines) + "\n";
    }

    Measured floor(Duration window) {
        long base = HeapSampler.settledHeapBytes();
        try (HeapSampler heap = HeapSampler.start()) {
            long t0 = System.nanoTime();
            Floor.Result f;
            Map<String, Long> calls;
            try (AwsClients clients = new AwsClients(settings)) {
                f = Floor.run(clients, config.regions(), listed, window, now, config.parallelism());
                calls = clients.counter().snapshot();
            }
            long ms = (System.nanoTime() - t0) / 1_000_000;
            return new Measured("floor", ms, calls, Math.max(0, heap.peakBytes() - base), f.resources(), Map.of());
        }
    }

    /** The jar's entries written under {@code dir} (emptied first), as Lambda writes a package to /var/task. */
    static Path unzipped(Path jar, Path dir) throws java.io.IOException {
        if (Files.exists(dir)) {
            try (var old = Files.walk(dir)) {
                for (Path p : old.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
        Files.createDirectories(dir);
        Path root = dir.toAbsolutePath().normalize();
        try (java.util.zip.ZipInputStream in = new java.util.zip.ZipInputStream(Files.newInputStream(jar))) {
            for (java.util.zip.ZipEntry entry; (entry = in.getNextEntry()) != null; ) {
                Path to = root.resolve(entry.getName()).normalize();
                if (!to.startsWith(root)) {
                    throw new java.io.IOException(jar + ": entry " + entry.getName() + " points outside " + dir);
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(to);
                } else {
                    Files.createDirectories(to.getParent());
                    Files.copy(in, to);
                }
            }
        }
        return dir;
    }

    /** Runs {@link HandlerRun} with the deployed jar in a fresh JVM, with Lambda's flags and the template's env. */
    Results.ChildRun child(List<String> regions, List<String> jvmFlags, Duration timeout) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(java, "-XX:+TieredCompilation", "-XX:TieredStopAtLevel=1"));
        cmd.addAll(jvmFlags);
        cmd.addAll(List.of("-cp", childPackage + File.pathSeparator + childClasses,
                HandlerRun.class.getName(), config.event().toString()));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        Path out = Files.createTempFile("curfew-bench-child-", ".log");
        pb.redirectOutput(out.toFile());
        Map<String, String> e = pb.environment();
        e.remove("JAVA_TOOL_OPTIONS");
        e.put("AWS_ENDPOINT_URL", config.endpoint().toString());
        e.put("AWS_REGION", regions.get(0));
        e.put("AWS_ACCESS_KEY_ID", "testing");
        e.put("AWS_SECRET_ACCESS_KEY", "testing");
        // what Lambda sets besides the template's variables: the role's session credentials and the function's name
        e.put("AWS_SESSION_TOKEN", "testing");
        e.put("AWS_LAMBDA_FUNCTION_NAME", "curfew-bench-sweeper");
        e.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "512");
        e.put("AWS_EXECUTION_ENV", "AWS_Lambda_java21");
        e.putAll(env);
        e.put("CURFEW_REGIONS", String.join(",", regions));
        e.put("CURFEW_NOW", now.toString());
        // one DescribeInstances page of 1,000 can take minutes on the single-threaded emulator at N = 5,000
        e.put("CURFEW_CALL_TIMEOUT_SECONDS", String.valueOf(settings.callTimeout().toSeconds()));
        long t0 = System.nanoTime();
        Process p = pb.start();
        if (!p.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return new Results.ChildRun(false, 0, 0, 0, 0, 0, 0, 0, "timed out after " + timeout, Map.of());
        }
        long processMs = (System.nanoTime() - t0) / 1_000_000;
        String text = Files.readString(out, StandardCharsets.UTF_8);
        Files.deleteIfExists(out);
        return parseChild(text, processMs);
    }

    static Results.ChildRun parseChild(String output, long processMs) {
        String line = output.lines().filter(l -> l.startsWith(HandlerRun.PREFIX)).reduce((a, b) -> b).orElse(null);
        if (line == null) {
            String tail = output.length() > 2000 ? output.substring(output.length() - 2000) : output;
            return new Results.ChildRun(false, 0, 0, 0, processMs, 0, 0, 0, "no result line; output ends: "
                    + tail.replace('\n', ' '), Map.of());
        }
        Map<String, String> kv = new HashMap<>();
        String rest = line.substring(HandlerRun.PREFIX.length());
        int err = rest.indexOf("error=");
        if (err >= 0) {
            kv.put("error", rest.substring(err + 6));
            rest = rest.substring(0, err);
        }
        for (String part : rest.trim().split("\\s+")) {
            int eq = part.indexOf('=');
            if (eq > 0) {
                kv.put(part.substring(0, eq), part.substring(eq + 1));
            }
        }
        return new Results.ChildRun(Boolean.parseBoolean(kv.get("ok")), num(kv, "construct-ms"),
                num(kv, "invoke-ms"), num(kv, "jvm-before-main-ms"), processMs, num(kv, "peak-heap-bytes"),
                num(kv, "max-heap-bytes"), (int) num(kv, "rows"), kv.get("error"), parts(kv));
    }

    /** The cold start's parts HandlerRun measured (Results.ColdStart.PARTS), those present. */
    private static Map<String, Long> parts(Map<String, String> kv) {
        Map<String, Long> parts = new LinkedHashMap<>();
        for (String k : Results.ColdStart.PARTS) {
            if (kv.containsKey(k)) {
                parts.put(k, num(kv, k));
            }
        }
        return parts;
    }

    private static long num(Map<String, String> kv, String key) {
        String v = kv.get(key);
        return v == null ? 0 : Long.parseLong(v);
    }

    /** Forgets everything in the emulator: the bench starts from an empty account. */
    void resetEmulator() throws IOException {
        HttpURLConnection c = (HttpURLConnection) config.endpoint().resolve("/moto-api/reset").toURL()
                .openConnection();
        c.setRequestMethod("POST");
        try {
            if (c.getResponseCode() != 200) {
                throw new IOException("the emulator at " + config.endpoint() + " refused a reset ("
                        + c.getResponseCode() + "); the bench runs only against moto");
            }
        } finally {
            c.disconnect();
        }
    }

    static Config parse(String[] args) {
        Map<String, String> a = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("expected --option value, got " + args[i] + usage());
            }
            a.put(args[i].substring(2), args[++i]);
        }
        String endpoint = a.remove("endpoint");
        if (endpoint == null) {
            throw new IllegalArgumentException("--endpoint is required (the emulator's URL)" + usage());
        }
        Path root = Path.of(a.getOrDefault("root", ".")).toAbsolutePath().normalize();
        a.remove("root");
        Config c = new Config(URI.create(endpoint),
                List.of(a.getOrDefault("regions", "eu-west-1,us-east-1,ap-southeast-2,sa-east-1").split(",")),
                Arrays.stream(a.getOrDefault("sizes", "100,1000,5000").split(",")).map(String::trim)
                        .map(Integer::parseInt).sorted().toList(),
                Integer.parseInt(a.getOrDefault("metrics-stride", "50")),
                Integer.parseInt(a.getOrDefault("idle-every", "100")),
                Arrays.stream(a.getOrDefault("repeats", "3,3,1").split(",")).map(String::trim)
                        .map(Integer::parseInt).toList(),
                Integer.parseInt(a.getOrDefault("parallelism", "8")),
                Integer.parseInt(a.getOrDefault("cold-starts", "5")),
                Integer.parseInt(a.getOrDefault("heap-instances", "10000")),
                Integer.parseInt(a.getOrDefault("heap-mb", "256")),
                root.resolve(a.getOrDefault("sweeper-jar", "functions/sweeper/target/curfew-sweeper.jar")),
                root.resolve(a.getOrDefault("bench-classes", "bench/target/classes")),
                root.resolve(a.getOrDefault("event", "events/scheduled-curfew.json")),
                root.resolve(a.getOrDefault("template", "template.yaml")),
                root.resolve(a.getOrDefault("out", "bench/target")));
        for (String k : List.of("regions", "sizes", "metrics-stride", "idle-every", "repeats", "parallelism",
                "cold-starts", "heap-instances", "heap-mb", "sweeper-jar", "bench-classes", "event", "template",
                "out")) {
            a.remove(k);
        }
        if (!a.isEmpty()) {
            throw new IllegalArgumentException("unknown options " + a.keySet() + usage());
        }
        return c;
    }

    static String usage() {
        return "\nusage: Bench --endpoint URL [--root DIR] [--regions R1,R2,...] [--sizes 100,1000,5000]"
                + " [--metrics-stride 50] [--idle-every 100] [--repeats 3,3,1] [--parallelism 8] [--cold-starts 5]"
                + " [--heap-instances 10000] [--heap-mb 256] [--sweeper-jar JAR] [--bench-classes DIR]"
                + " [--event JSON] [--template template.yaml] [--out DIR]";
    }
}
