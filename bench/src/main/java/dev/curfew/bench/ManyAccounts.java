package dev.curfew.bench;

import dev.curfew.aws.AwsClients;
import dev.curfew.aws.AwsSettings;
import dev.curfew.aws.accounts.AccountSessions;
import dev.curfew.aws.accounts.AccountSweeps;
import dev.curfew.core.accounts.AccountRun;
import dev.curfew.core.accounts.AccountTarget;
import dev.curfew.core.enrol.Enrolment;
import dev.curfew.core.notify.Contact;
import dev.curfew.core.notify.Roster;
import dev.curfew.core.policy.Policy;
import dev.curfew.core.policy.PolicyLoader;
import dev.curfew.core.policy.PolicyOverride;
import dev.curfew.core.sweep.Deadline;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ssm.model.ParameterType;
import software.amazon.awssdk.services.sts.model.Credentials;

/**
 * The many-accounts row of the bench (BENCHMARKS.md, "Many accounts"): on the emulator, a class account and A
 * students' own accounts, each enrolled (its {@code curfew-access} role) with N instances in each of R regions;
 * then the CLI's fan-out ({@link AccountSweeps#sweepAll}, dry-run, {@code threads} accounts at once) is timed,
 * with its calls per account and the sampled peak heap. {@code bench/run accounts} runs it.
 */
public final class ManyAccounts {
    static final String HOME = "123456789012";

    /** What to run. */
    public record Config(URI endpoint, int accounts, List<String> regions, int instances, int threads) {
    }

    /** What was measured. */
    public record Result(Config config, long seedMillis, long sweepMillis, long peakHeapBytes,
                         Map<AccountRun.Status, Integer> statuses, List<Long> studentCalls, long homeCalls,
                         Map<String, Long> oneStudentsCalls, List<Long> studentMillis, int instancesSeen) {
        long median(List<Long> l) {
            List<Long> s = l.stream().sorted().toList();
            return s.isEmpty() ? 0 : s.get(s.size() / 2);
        }
    }

    private ManyAccounts() {
    }

    static String account(int i) {
        return String.format("%012d", 100_000_000_000L + i);
    }

    public static Result run(Config c, PrintStream log) throws Exception {
        AwsSettings settings = new AwsSettings(Region.of(c.regions().get(0)), c.endpoint(),
                StaticCredentialsProvider.create(AwsBasicCredentials.create("bench", "bench")), 3,
                Duration.ofMinutes(10));
        Instant started = Instant.now();
        long t0 = System.nanoTime();
        Map<String, Contact> students = new LinkedHashMap<>();
        try (AwsClients home = new AwsClients(settings)) {
            byte[] key = new byte[32];
            new SecureRandom().nextBytes(key);
            home.ssm(c.regions().get(0)).putParameter(b -> b.name(AccountSessions.KEY_PARAMETER).overwrite(true)
                    .type(ParameterType.SECURE_STRING).value(Base64.getEncoder().encodeToString(key)));
            Map<String, String> images = new ConcurrentHashMap<>();
            for (String r : c.regions()) {
                images.put(r, dev.curfew.aws.samples.Samples.launchImage(home.ec2(r)));
            }
            ExecutorService pool = Executors.newFixedThreadPool(8);
            try {
                List<Future<?>> seeded = new ArrayList<>();
                for (int i = 1; i <= c.accounts(); i++) {
                    String account = account(i);
                    String owner = String.format("s%03d", i);
                    students.put(owner, new Contact(owner, "Student " + i, owner + "@example.edu", null, account));
                    seeded.add(pool.submit(() -> {
                        try (AwsClients in = clientsIn(home, account)) {
                            in.iam().createRole(b -> b.roleName(Enrolment.ROLE_NAME).assumeRolePolicyDocument(
                                    "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":"
                                            + "{\"AWS\":\"arn:aws:iam::" + HOME + ":root\"},\"Action\":"
                                            + "\"sts:AssumeRole\"}]}"));
                            for (String r : c.regions()) {
                                in.ec2(r).runInstances(b -> b.imageId(images.get(r)).instanceType("t3.micro")
                                        .minCount(c.instances()).maxCount(c.instances()));
                            }
                        }
                        return null;
                    }));
                }
                for (Future<?> f : seeded) {
                    f.get();
                }
            } finally {
                pool.shutdownNow();
            }
        }
        long seedMillis = (System.nanoTime() - t0) / 1_000_000;
        log.printf("many accounts: seeded %d accounts x %d regions x %d instances in %,d ms%n", c.accounts(),
                c.regions().size(), c.instances(), seedMillis);

        List<PolicyOverride> overrides = List.of(new PolicyOverride("regions", String.join(",", c.regions()),
                "bench"), new PolicyOverride("accounts", HOME, "bench"));
        Policy policy = PolicyLoader.bundledDefault(overrides);
        Roster roster = new Roster("bench roster", students, List.of());
        // after the seeding (instances were launched since enrolment, so in scope), as the nightly sweep would
        Clock clock = Clock.fixed(started.plus(Duration.ofHours(4)), ZoneOffset.UTC);
        System.gc();
        List<AccountRun> runs;
        long sweepMillis;
        long peak;
        long homeCalls;
        try (AwsClients home = new AwsClients(settings);
             AccountSessions sessions = new AccountSessions(home, "curfew-bench");
             HeapSampler heap = HeapSampler.start()) {
            AccountSweeps sweeps = new AccountSweeps(sessions, null, clock, line -> { });
            long s0 = System.nanoTime();
            List<AccountTarget> targets = sweeps.targets(policy, roster);
            runs = sweeps.sweepAll(targets, policy, "plan", Deadline.NONE, c.threads());
            sweepMillis = (System.nanoTime() - s0) / 1_000_000;
            peak = heap.peakBytes();
            homeCalls = home.counter().snapshot().values().stream().mapToLong(Long::longValue).sum();
        }
        Map<AccountRun.Status, Integer> statuses = new EnumMap<>(AccountRun.Status.class);
        runs.forEach(r -> statuses.merge(r.status(), 1, Integer::sum));
        List<AccountRun> swept = runs.stream().filter(r -> r.target().assumesRole() && r.report() != null).toList();
        List<Long> calls = swept.stream().map(r -> r.report().totalCalls()).toList();
        List<Long> millis = swept.stream().map(r -> r.report().durationMillis()).toList();
        int seen = runs.stream().filter(r -> r.report() != null).mapToInt(r -> (int) r.report().rows().stream()
                .filter(x -> x.kind().equals("ec2-instance")).count()).sum();
        Map<String, Long> one = swept.isEmpty() ? Map.of() : swept.get(0).report().calls();
        runs.stream().filter(r -> r.status() != AccountRun.Status.SWEPT).limit(3)
                .forEach(r -> log.println("many accounts: " + r.target().account() + ": " + r.error()));
        return new Result(c, seedMillis, sweepMillis, peak, statuses, calls, homeCalls, one, millis, seen);
    }

    private static AwsClients clientsIn(AwsClients home, String account) {
        Credentials cr = home.sts().assumeRole(b -> b.roleArn("arn:aws:iam::" + account + ":role/admin")
                .roleSessionName("bench-seed")).credentials();
        AwsSettings s = home.settings();
        return new AwsClients(new AwsSettings(s.homeRegion(), s.endpoint(), StaticCredentialsProvider.create(
                AwsSessionCredentials.create(cr.accessKeyId(), cr.secretAccessKey(), cr.sessionToken())),
                s.maxAttempts(), s.callTimeout()));
    }

    /** The row and the projection, as BENCHMARKS.md shows them. */
    static String markdown(Result r) {
        Config c = r.config();
        long perAccountCalls = r.median(r.studentCalls());
        StringBuilder b = new StringBuilder();
        b.append("| accounts | regions | instances | seeding ms | fan-out ms (").append(c.threads())
                .append(" accounts at once) | per account ms (median) | calls per student account (median, min-max) "
                        + "| calls with Curfew's own credentials | sampled peak heap | accounts swept |\n")
                .append("|---:|---:|---:|---:|---:|---:|---|---:|---:|---|\n");
        b.append(String.format("| %d + class | %d | %,d | %,d | %,d | %,d | %d (%d-%d) | %d | %.1f MiB | %s |%n",
                c.accounts(), c.regions().size(), r.instancesSeen(), r.seedMillis(), r.sweepMillis(),
                r.median(r.studentMillis()), perAccountCalls,
                r.studentCalls().stream().mapToLong(Long::longValue).min().orElse(0),
                r.studentCalls().stream().mapToLong(Long::longValue).max().orElse(0), r.homeCalls(),
                r.peakHeapBytes() / 1048576.0, r.statuses()));
        b.append("\nOne student account's calls: ").append(new java.util.TreeMap<>(r.oneStudentsCalls())).append('\n');
        return b.toString();
    }

    public static void main(String[] args) throws Exception {
        URI endpoint = null;
        int accounts = 100;
        int instances = 20;
        int threads = 8;
        List<String> regions = List.of("eu-west-1", "us-east-1");
        Path out = Path.of("bench/target");
        for (int i = 0; i < args.length; i += 2) {
            String v = i + 1 < args.length ? args[i + 1] : null;
            switch (args[i]) {
                case "--endpoint" -> endpoint = URI.create(v);
                case "--accounts" -> accounts = Integer.parseInt(v);
                case "--instances" -> instances = Integer.parseInt(v);
                case "--threads" -> threads = Integer.parseInt(v);
                case "--regions" -> regions = List.of(v.split(","));
                case "--out" -> out = Path.of(v);
                case "--root" -> { }
                default -> throw new IllegalArgumentException("unknown option " + args[i] + " (--endpoint URL "
                        + "--accounts 100 --regions eu-west-1,us-east-1 --instances 20 --threads 8 --out DIR)");
            }
        }
        if (endpoint == null) {
            throw new IllegalArgumentException("--endpoint URL: the emulator");
        }
        Result r = run(new Config(endpoint, accounts, regions, instances, threads), System.err);
        String md = markdown(r);
        System.out.print(md);
        try {
            Files.createDirectories(out);
            Files.writeString(out.resolve("many-accounts.md"), md);
        } catch (IOException e) {
            System.err.println("many accounts: cannot write " + out + ": " + e.getMessage());
        }
    }
}
