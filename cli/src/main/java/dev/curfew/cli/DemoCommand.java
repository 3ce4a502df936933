package dev.curfew.cli;

import dev.curfew.aws.AwsClients;
import dev.curfew.aws.AwsCloud;
import dev.curfew.aws.AwsSettings;
import dev.curfew.aws.KindAdapter;
import dev.curfew.aws.accounts.AccountSessions;
import dev.curfew.aws.accounts.AccountSweeps;
import dev.curfew.aws.samples.Samples;
import dev.curfew.core.accounts.AccountRun;
import dev.curfew.core.notify.Contact;
import dev.curfew.core.notify.Digest;
import dev.curfew.core.notify.Digests;
import dev.curfew.core.notify.Item;
import dev.curfew.core.notify.Message;
import dev.curfew.core.notify.Renderer;
import dev.curfew.core.notify.Roster;
import dev.curfew.core.policy.Policy;
import dev.curfew.core.policy.PolicyLoader;
import dev.curfew.core.report.ReportText;
import dev.curfew.core.report.SweepReport;
import dev.curfew.core.sweep.SweepEngine;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.services.cloudwatch.model.MetricDatum;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.SpotInstanceType;
import software.amazon.awssdk.services.ec2.model.Tag;

/**
 * A demo class on a local emulator: start moto, seed students' instances in three regions of the class account and
 * two students' own accounts, show the plan (dry-run), enforce it, show what is left, stop the emulator.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Run Curfew on a local AWS emulator with a seeded demo class (needs moto_server).")
public final class DemoCommand implements Callable<Integer> {
    static final String ACCOUNT = "123456789012";
    static final List<String> REGIONS = List.of("eu-west-1", "us-east-1", "ap-southeast-2");
    /** Two students who work in AWS accounts of their own (README, "Students' own accounts (enrolment)"). */
    static final String HANA = "111111111111";
    static final String IVAN = "222222222222";

    @Spec
    CommandSpec spec;

    @Option(names = "--moto", paramLabel = "COMMAND", defaultValue = "moto_server",
            description = "The moto server command (default: ${DEFAULT-VALUE}; pip install -r requirements-dev.txt).")
    String motoCommand;

    @Option(names = "--html", paramLabel = "FILE", defaultValue = "curfew-demo-class-page.html",
            description = "Where the demo saves the class page of its curfew sweep (default: ${DEFAULT-VALUE}, in "
                    + "the current directory).")
    String html;

    private PrintWriter out;

    @Override
    public Integer call() throws Exception {
        out = spec.commandLine().getOut();
        Path page = ReportCommand.checked(html);
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        say("Starting a local AWS emulator (" + motoCommand + ") on port " + port + " ...");
        Path log = Files.createTempFile("curfew-demo-moto-", ".log");
        Process moto;
        try {
            ProcessBuilder pb = new ProcessBuilder(motoCommand, "-H", "127.0.0.1", "-p", String.valueOf(port))
                    .redirectErrorStream(true).redirectOutput(log.toFile());
            // the class account holds what the demo seeds, not moto's ~1,200 Amazon images and their snapshots a region
            pb.environment().putIfAbsent("MOTO_EC2_LOAD_DEFAULT_AMIS", "false");
            moto = pb.start();
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot start " + motoCommand + ": " + e.getMessage()
                    + " (install it with: python3 -m pip install -r requirements-dev.txt)");
        }
        try {
            String endpoint = "http://localhost:" + port;
            awaitReady(endpoint, moto, log);
            AwsSettings settings = new AwsSettings(Region.EU_WEST_1, URI.create(endpoint),
                    StaticCredentialsProvider.create(AwsBasicCredentials.create("demo", "demo")), 2,
                    Duration.ofSeconds(60));
            return run(settings, page);
        } finally {
            moto.destroy();
            moto.waitFor();
            Files.deleteIfExists(log);
            say("Emulator stopped; nothing was left behind.");
        }
    }

    private int run(AwsSettings settings, Path page) throws IOException {
        Policy policy = PolicyLoader.load("""
                course: Cloud Computing 101 (demo)
                time-zone: Europe/Amsterdam
                curfew: "18:00"
                accounts: ["%s"]
                regions: [%s]
                exemptions:
                  allow-list: [instructor-bastion]
                """.formatted(ACCOUNT, String.join(", ", REGIONS)) + DemoBudget.POLICY, "demo policy");
        // The lesson runs today; the sweep runs at tomorrow's curfew (18:00 in Amsterdam, 24 to 48 hours ahead).
        Instant now = dev.curfew.core.plan.CurfewTimes.next(policy, Instant.now().plus(Duration.ofHours(24)));
        // The idle check during the lesson runs on the real clock (a minute back): the emulator dates snapshots by
        // the real clock, and a volume is deleted only after a snapshot started after its mark.
        Instant lesson = Instant.now().minus(Duration.ofMinutes(1)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        Policy enforce = policy.withMode(dev.curfew.core.policy.Mode.ENFORCE);
        Map<String, String> seeded;
        Map<String, String> theirs;
        try (AwsClients clients = new AwsClients(settings)) {
            DemoBudget.seed(clients, IMAGES.computeIfAbsent("eu-west-1", r -> image(clients.ec2(r))), now, this::say);
            seeded = seed(clients, now, () -> duringTheLesson(settings, enforce, lesson));
            theirs = seedOwnAccounts(clients);
        }
        Map<String, Contact> enrolled = new LinkedHashMap<>();
        enrolled.put("hana", new Contact("hana", "Hana", "hana@students.example.edu", null, HANA));
        enrolled.put("ivan", new Contact("ivan", "Ivan", "ivan@students.example.edu", null, IVAN));
        Roster roster = new Roster("demo roster", enrolled, List.of());

        section("1. The warning, 30 minutes before curfew: what each student is told");
        dev.curfew.core.spend.ClassSpend spend = warnings(settings, policy, now);

        section("2. Plan (dry-run): what Curfew would do at curfew in each account, changing nothing");
        List<AccountRun> plan = sweepAll(settings, policy, roster, now);
        out.println(AccountRuns.text(plan));

        section("3. The curfew sweep (enforce): instances go, the marked volume is snapshotted then deleted, "
                + "buckets are marked; in the students' own accounts only what they made since enrolling");
        List<AccountRun> applied = sweepAll(settings, enforce, roster, now);
        out.println(AccountRuns.text(applied));

        classPage(settings, policy, roster, applied, now, page, spend);

        section("4. The next evening (enforce): the marks are due");
        List<AccountRun> later = sweepAll(settings, enforce, roster, now.plus(Duration.ofHours(24)));
        out.println(AccountRuns.text(later));

        section("5. What is left in the accounts");
        try (AwsClients clients = new AwsClients(settings)) {
            say("  The class account " + ACCOUNT + ":");
            for (Map.Entry<String, String> e : seeded.entrySet()) {
                String[] kindRegionId = e.getValue().split("/", 3);
                out.printf("  %-46s %-15s %s%n", e.getKey(), kindRegionId[1],
                        state(clients, kindRegionId[0], kindRegionId[1], kindRegionId[2]));
            }
            say("  The students' own accounts:");
            for (Map.Entry<String, String> e : theirs.entrySet()) {
                String[] accountKindRegionId = e.getValue().split("/", 4);
                try (AwsClients in = clientsIn(clients, accountKindRegionId[0])) {
                    out.printf("  %-46s %-15s %s%n", e.getKey(), accountKindRegionId[2], state(in,
                            accountKindRegionId[1], accountKindRegionId[2], accountKindRegionId[3]));
                }
            }
        }
        out.println();
        return AccountRuns.exitCode(applied) != 0 || AccountRuns.exitCode(later) != 0 ? 1 : 0;
    }

    /**
     * The class page of the curfew sweep (section 3), as the deployed sweeper writes it: every student with what
     * still runs, what is marked and when it goes, what the sweep did, and what it saved. The marks are read back
     * from the class account (a dry-run plan, changing nothing); the students' own accounts add their rows.
     */
    private void classPage(AwsSettings settings, Policy policy, Roster enrolled, List<AccountRun> applied,
                           Instant now, Path page, dev.curfew.core.spend.ClassSpend spend) throws IOException {
        SweepEngine.Result marks;
        try (AwsClients clients = new AwsClients(settings)) {
            marks = new SweepEngine(new AwsCloud(clients), Clock.fixed(now, ZoneOffset.UTC), 4, line -> { })
                    .runWithPlan(policy.withMode(dev.curfew.core.policy.Mode.DRY_RUN));
        }
        List<Item> items = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        double saved = 0;
        for (AccountRun r : applied) {
            if (r.report() == null) {
                failures.add("account " + r.target().account() + ": " + r.status().text() + ": " + r.error());
                continue;
            }
            items.addAll(Item.of(r.report(), ACCOUNT.equals(r.target().account()) ? marks.plan() : null));
            failures.addAll(dev.curfew.core.page.ClassPage.failuresOf(r.report(), policy.timeZone()));
            saved += dev.curfew.aws.notify.ClassPages.doneSavings(r.report());
        }
        Map<String, Contact> people = new LinkedHashMap<>(enrolled.byOwner());
        items.stream().map(i -> i.row().owner()).filter(o -> o != null && !o.equals("instructor")).distinct()
                .forEach(o -> people.putIfAbsent(o, new Contact(o, Character.toUpperCase(o.charAt(0))
                        + o.substring(1), o + "@students.example.edu", null)));
        dev.curfew.core.page.ClassPage classPage = dev.curfew.core.page.ClassPage.of(policy.course(), "enforce",
                ACCOUNT + " and " + (applied.size() - 1) + " students' own accounts", policy.timeZone(), now, items,
                new Roster("demo roster", people, List.of()), spend, dev.curfew.core.page.SavedWeeks.of(
                        List.of(new dev.curfew.core.page.SavedWeeks.Point(now, saved)), now, policy.timeZone(),
                        dev.curfew.aws.notify.ClassPages.WEEKS), "The demo's own curfew sweep: a deployed stack "
                        + "charts what its runs recorded each week.", failures);
        Files.writeString(page, dev.curfew.core.page.ClassPageHtml.render(classPage));
        say("");
        say("  The class page of this sweep (what the deployed sweeper writes to its bucket and links from the "
                + "instructor's summary): " + page);
    }

    /** The class account and the students' own accounts, three at a time, as {@code --accounts all} does. */
    private List<AccountRun> sweepAll(AwsSettings settings, Policy policy, Roster roster, Instant now) {
        try (AwsClients clients = new AwsClients(settings);
             AccountSessions sessions = new AccountSessions(clients, "curfew-demo")) {
            AccountSweeps sweeps = new AccountSweeps(sessions, null, Clock.fixed(now, ZoneOffset.UTC),
                    line -> say("  ... " + line));
            return sweeps.sweepAll(sweeps.targets(policy, roster), policy,
                    policy.mode() == dev.curfew.core.policy.Mode.ENFORCE ? "curfew" : "plan",
                    dev.curfew.core.sweep.Deadline.NONE, 3);
        }
    }

    /**
     * Hana and Ivan work in AWS accounts of their own. Hana had hers before the course: a server of her own runs
     * there, from before she deployed the role Curfew uses (what ./curfew enroll prints), so it is out of scope. In
     * the lesson each launches a lab instance. Returns a label for each and its account/kind/region/id.
     */
    private Map<String, String> seedOwnAccounts(AwsClients clients) {
        say("");
        say("Two students work in AWS accounts of their own ...");
        Map<String, String> ids = new LinkedHashMap<>();
        byte[] key = new byte[32];
        new java.security.SecureRandom().nextBytes(key);
        clients.ssm(clients.settings().homeRegion().id()).putParameter(b -> b.name(AccountSessions.KEY_PARAMETER)
                .type(software.amazon.awssdk.services.ssm.model.ParameterType.SECURE_STRING)
                .value(java.util.Base64.getEncoder().encodeToString(key)));
        try (AwsClients hana = clientsIn(clients, HANA); AwsClients ivan = clientsIn(clients, IVAN)) {
            String own = run(hana, "eu-west-1", tags("Name", "hana-home-server"));
            ids.put("hana: her own server, from before she enrolled", HANA + "/instance/eu-west-1/" + own);
            for (AwsClients c : List.of(hana, ivan)) {
                // what the student's deploy of templates/student-account.yaml leaves: the role (dated by AWS)
                c.iam().createRole(b -> b.roleName(dev.curfew.core.enrol.Enrolment.ROLE_NAME)
                        .assumeRolePolicyDocument("{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":"
                                + "\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::" + ACCOUNT + ":root\"},"
                                + "\"Action\":\"sts:AssumeRole\"}]}"));
            }
            // the emulator dates instances to the second: the lesson's start in the next one
            sleepIntoTheNextSecond();
            String hanaLab = run(hana, "eu-west-1", tags("Name", "lab"));
            ids.put("hana: lab, launched in the lesson", HANA + "/instance/eu-west-1/" + hanaLab);
            String ivanLab = run(ivan, "us-east-1", tags("Name", "lab"));
            ids.put("ivan: lab, launched in the lesson", IVAN + "/instance/us-east-1/" + ivanLab);
        }
        say("  + hana (account " + HANA + "): her own server, from before she enrolled; a lab instance");
        say("  + ivan (account " + IVAN + "): a lab instance");
        return ids;
    }

    /** Clients acting in another account of the emulator (which keeps each assumed account's state apart). */
    private static AwsClients clientsIn(AwsClients home, String account) {
        var c = home.sts().assumeRole(b -> b.roleArn("arn:aws:iam::" + account + ":role/student")
                .roleSessionName("student")).credentials();
        AwsSettings s = home.settings();
        return new AwsClients(new AwsSettings(s.homeRegion(), s.endpoint(), StaticCredentialsProvider.create(
                software.amazon.awssdk.auth.credentials.AwsSessionCredentials.create(c.accessKeyId(),
                        c.secretAccessKey(), c.sessionToken())), s.maxAttempts(), s.callTimeout()));
    }

    private static void sleepIntoTheNextSecond() {
        try {
            Thread.sleep(1050 - System.currentTimeMillis() % 1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** What is left of one seeded resource: a kind of the registry says it itself ({@link KindAdapter#left}). */
    private static String state(AwsClients clients, String kind, String region, String id) {
        for (KindAdapter a : KindAdapter.ALL) {
            if (a.kind().wireName().equals(kind)) {
                return a.left(clients, region, id);
            }
        }
        if (kind.equals("instance")) {
            // instances are not in the registry yet (Samples.NOT_SAMPLED)
            return clients.ec2(region).describeInstances(b -> b.instanceIds(id)).reservations().get(0).instances()
                    .get(0).state().nameAsString();
        }
        return "?";
    }

    /**
     * The warning pass as the deployed sweeper makes it (a dry-run plan as of the curfew, one digest per owner), with
     * a made-up roster of the demo's students; messages are printed, not sent. Two are shown whole.
     */
    private dev.curfew.core.spend.ClassSpend warnings(AwsSettings settings, Policy policy, Instant curfew) {
        SweepEngine.Result r;
        try (AwsClients clients = new AwsClients(settings)) {
            r = new SweepEngine(new AwsCloud(clients), Clock.fixed(curfew, ZoneOffset.UTC), 4, line -> { })
                    .runWithPlan(policy.withMode(dev.curfew.core.policy.Mode.DRY_RUN));
        }
        List<Item> items = Item.of(r.report(), r.plan());
        Map<String, Contact> people = new LinkedHashMap<>();
        items.stream().map(i -> i.row().owner()).filter(o -> o != null && !o.equals("instructor")).distinct()
                .forEach(o -> people.put(o, new Contact(o, Character.toUpperCase(o.charAt(0)) + o.substring(1),
                        o + "@students.example.edu", null)));
        Roster roster = new Roster("demo roster", people, List.of());
        // what each student of the class account has spent by the curfew, against their budget: in each message
        dev.curfew.core.spend.ClassSpend spend = DemoBudget.spend(settings, policy, r.plan().decisions(), curfew);
        List<Digest> digests = Digests.warnings(policy.withMode(dev.curfew.core.policy.Mode.ENFORCE), curfew, items,
                roster, false, spend);
        say("  " + digests.size() + " messages (one per person, on Slack and by email when the roster has them):");
        for (Digest d : digests) {
            say("  - to " + (d.to().instructor() ? "the instructor" : d.to().name() + " <" + d.to().email() + ">")
                    + ": " + d.subject());
        }
        digests.stream().filter(d -> !d.to().instructor()).limit(2).forEach(d -> {
            Message m = Renderer.render(d);
            say("");
            say("  ---- to " + d.to().name() + " ----");
            m.text().lines().forEach(l -> say("  | " + l));
        });
        return spend;
    }

    /**
     * The daytime idle check (enforce) while the class is working: it marks the volume alice left detached, and stops
     * the instance of kim, who is over budget ({@link DemoBudget}).
     */
    private void duringTheLesson(AwsSettings settings, Policy enforce, Instant at) {
        section("0. During the lesson: the idle check (enforce) marks a detached volume and stops a student over "
                + "budget");
        SweepReport r = DemoBudget.sweep(settings, enforce, at, this::say);
        r.rows().stream().filter(x -> x.kind().equals("ebs-volume")).forEach(x -> say("  " + x.id() + " ("
                + x.name() + "): " + x.decision() + " - " + x.outcome() + ": " + x.reason()));
        if (r.anyFailed()) {
            throw new IllegalStateException("the idle check during the lesson failed:\n" + ReportText.render(r));
        }
    }

    /**
     * Seeds the demo class; returns a label for each resource and its kind/region/id. Its instances are seeded here
     * by name; every other kind through the registry: the sample leftover of each kind of {@link KindAdapter#ALL}
     * ({@link Samples}). {@code duringTheLesson} runs once the instances and the samples there from the lesson's start
     * (the detached volume) are there, before the others (the bucket, the Elastic IP, ...).
     */
    private Map<String, String> seed(AwsClients clients, Instant now, Runnable duringTheLesson) {
        say("Seeding a demo class in " + String.join(", ", REGIONS) + " ...");
        Map<String, String> ids = new LinkedHashMap<>();
        Instant from = now.minus(Duration.ofHours(2));
        String keepUntil = LocalDate.ofInstant(now, ZoneId.of("Europe/Amsterdam")).plusDays(2).toString();

        // Instances, by name: not in the registry of kinds yet (Samples.NOT_SAMPLED). Their story is the demo's own.

        String alice = run(clients, "eu-west-1", tags("Name", "web-lab", "curfew:owner", "alice"));
        metrics(clients, "eu-west-1", alice, from, now, 0.8);
        ids.put("alice: web-lab, idle all afternoon", "instance/eu-west-1/" + alice);
        String bob = run(clients, "eu-west-1", tags("Name", "ml-training", "curfew:owner", "bob"));
        metrics(clients, "eu-west-1", bob, from, now, 85.0);
        ids.put("bob: ml-training, busy, forgotten", "instance/eu-west-1/" + bob);
        String carol = run(clients, "eu-west-1", tags("Name", "thesis-data", "curfew:owner", "carol",
                "curfew:keep", keepUntil));
        ids.put("carol: thesis-data, keep until " + keepUntil, "instance/eu-west-1/" + carol);
        String bastion = run(clients, "eu-west-1", tags("Name", "instructor-bastion", "curfew:owner", "instructor"));
        ids.put("instructor: bastion, on the allow-list", "instance/eu-west-1/" + bastion);

        Ec2Client us = clients.ec2("us-east-1");
        String image = image(us);
        var spot = us.requestSpotInstances(b -> b.spotPrice("0.05").instanceCount(1)
                .type(SpotInstanceType.PERSISTENT)
                .launchSpecification(l -> l.imageId(image).instanceType("t3.micro")));
        String requestId = spot.spotInstanceRequests().get(0).spotInstanceRequestId();
        String dave = us.describeSpotInstanceRequests(b -> b.spotInstanceRequestIds(requestId))
                .spotInstanceRequests().get(0).instanceId();
        us.createTags(b -> b.resources(dave).tags(tagList(tags("Name", "spot-experiment", "curfew:owner", "dave"))));
        ids.put("dave: persistent spot request", "instance/us-east-1/" + dave);
        String erin = run(clients, "us-east-1", tags("Name", "old-lab", "curfew:owner", "erin"));
        us.stopInstances(b -> b.instanceIds(erin));
        ids.put("erin: old-lab, stopped since yesterday", "instance/us-east-1/" + erin);
        String frank = run(clients, "us-east-1", tags("Name", "db-server", "curfew:owner", "frank"));
        us.modifyInstanceAttribute(b -> b.instanceId(frank).disableApiTermination(v -> v.value(true)));
        ids.put("frank: db-server, termination protection", "instance/us-east-1/" + frank);

        String grace = run(clients, "ap-southeast-2", tags("Name", "sydney-test", "curfew:owner", "grace"));
        metrics(clients, "ap-southeast-2", grace, from, now, 2.0);
        ids.put("grace: sydney-test, idle, far away", "instance/ap-southeast-2/" + grace);

        leaveSamples(clients, true, ids);
        ids.keySet().forEach(k -> say("  + " + k));
        duringTheLesson.run();
        say("");
        say("Later in the lesson ...");
        int before = ids.size();
        leaveSamples(clients, false, ids);
        // not a student's: the instructor's deployment bucket, which no sweep touches
        var s3 = clients.s3();
        String samBucket = "aws-sam-cli-managed-default-samclisourcebucket-demo";
        s3.createBucket(b -> b.bucket(samBucket).createBucketConfiguration(c -> c.locationConstraint("eu-west-1")));
        s3.putObject(b -> b.bucket(samBucket).key("curfew/sweeper.jar"),
                software.amazon.awssdk.core.sync.RequestBody.fromString("deployment artifact"));
        ids.put("instructor: the SAM deployment bucket", "s3-bucket/eu-west-1/" + samBucket);
        ids.keySet().stream().skip(before).forEach(k -> say("  + " + k));
        return ids;
    }

    /**
     * The sample leftover of each kind of the registry, in its order: those there from the lesson's start
     * ({@code early}) or those left later. A kind with no sample fails the demo, unless Samples says why it has none.
     */
    private static void leaveSamples(AwsClients clients, boolean early, Map<String, String> ids) {
        for (KindAdapter a : KindAdapter.ALL) {
            Samples.Sample s = Samples.of(a.kind());
            if (s == null && Samples.NOT_SAMPLED.containsKey(a.kind())) {
                continue;
            }
            if (s == null) {
                throw new IllegalStateException("the kind " + a.kind() + " has no sample leftover in Samples");
            }
            if (s.early() == early) {
                ids.put(s.label(), a.kind().wireName() + "/" + s.region() + "/" + s.leave(clients));
            }
        }
    }

    private static Map<String, String> tags(String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }

    private static List<Tag> tagList(Map<String, String> tags) {
        List<Tag> t = new ArrayList<>();
        tags.forEach((k, v) -> t.add(Tag.builder().key(k).value(v).build()));
        return t;
    }

    private static String image(Ec2Client ec2) {
        return Samples.launchImage(ec2);
    }

    /** An Amazon image per region, asked once: the emulator takes a second or two to list them. */
    private static final Map<String, String> IMAGES = new java.util.concurrent.ConcurrentHashMap<>();

    private static String run(AwsClients clients, String region, Map<String, String> tags) {
        Ec2Client ec2 = clients.ec2(region);
        String image = IMAGES.computeIfAbsent(region, r -> image(ec2));
        return ec2.runInstances(b -> b.imageId(image).instanceType("t3.micro").minCount(1).maxCount(1)
                        .tagSpecifications(s -> s.resourceType(ResourceType.INSTANCE).tags(tagList(tags))))
                .instances().get(0).instanceId();
    }

    private static void metrics(AwsClients clients, String region, String id, Instant from, Instant to, double cpu) {
        List<MetricDatum> data = new ArrayList<>();
        Dimension dim = Dimension.builder().name("InstanceId").value(id).build();
        for (Instant t = from; t.isBefore(to); t = t.plusSeconds(300)) {
            data.add(MetricDatum.builder().metricName("CPUUtilization").dimensions(dim).timestamp(t).value(cpu)
                    .build());
            data.add(MetricDatum.builder().metricName("NetworkIn").dimensions(dim).timestamp(t).value(2000.0)
                    .build());
            data.add(MetricDatum.builder().metricName("NetworkOut").dimensions(dim).timestamp(t).value(2000.0)
                    .build());
        }
        clients.cloudWatch(region).putMetricData(b -> b.namespace("AWS/EC2").metricData(data));
    }

    private void awaitReady(String endpoint, Process moto, Path log) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            if (!moto.isAlive()) {
                throw new IllegalStateException("the emulator exited: " + Files.readString(log));
            }
            try {
                HttpURLConnection c = (HttpURLConnection) URI.create(endpoint + "/moto-api/data.json").toURL()
                        .openConnection();
                c.setConnectTimeout(1000);
                if (c.getResponseCode() == 200) {
                    c.getInputStream().readAllBytes();
                    return;
                }
            } catch (IOException notYet) {
                // still starting
            }
            Thread.sleep(150);
        }
        throw new IllegalStateException("the emulator did not start within 60 s");
    }

    private void section(String title) {
        out.println();
        out.println("== " + title + " " + "=".repeat(Math.max(0, 76 - title.length())));
        out.flush();
    }

    private void say(String line) {
        out.println(line);
        out.flush();
    }
}
