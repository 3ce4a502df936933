package dev.curfew.aws.accounts;

import static dev.curfew.aws.testing.Seed.tags;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.curfew.aws.AwsClients;
import dev.curfew.aws.testing.MotoAccounts;
import dev.curfew.aws.testing.MotoServer;
import dev.curfew.aws.testing.Seed;
import dev.curfew.core.accounts.AccountRun;
import dev.curfew.core.accounts.AccountTarget;
import dev.curfew.core.notify.Roster;
import dev.curfew.core.notify.RosterParser;
import dev.curfew.core.plan.CurfewTimes;
import dev.curfew.core.policy.Mode;
import dev.curfew.core.policy.Policy;
import dev.curfew.core.policy.PolicyLoader;
import dev.curfew.core.report.SweepReport;
import dev.curfew.core.sweep.Deadline;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ec2.model.InstanceStateName;

/**
 * A class account and three students' own accounts on the moto server, swept by {@link AccountSweeps}: alice's holds
 * an instance and a bucket from before she enrolled, bob never deployed the role, carol's holds resources named like
 * the class account's. Moto dates every launch and role "now", so the order of seeding is the order of time: what
 * is made before the role is created is from before enrolment (a second apart, as the dates are in seconds).
 */
class AccountSweepsIT {
    static final String EU = "eu-west-1";
    static final String HOME = "123456789012";
    static final String ALICE = "111111111111";
    static final String BOB = "222222222222";
    static final String CAROL = "333333333333";

    MotoServer moto = MotoServer.get();
    AwsClients home;
    AwsClients alice;
    AwsClients carol;
    Seed inHome;
    Seed inAlice;
    Seed inCarol;
    Roster roster;
    Policy policy;
    Instant now;
    List<String> progress = Collections.synchronizedList(new ArrayList<>());

    String classLab;
    String alicePersonal;
    String aliceLab;
    String carolLab;

    @BeforeEach
    void setUp() throws Exception {
        moto.reset();
        home = new AwsClients(moto.settings(EU));
        alice = MotoAccounts.clientsIn(moto, EU, ALICE);
        carol = MotoAccounts.clientsIn(moto, EU, CAROL);
        inHome = new Seed(home);
        inAlice = new Seed(alice);
        inCarol = new Seed(carol);
        MotoAccounts.putEnrolmentKey(home);
        roster = RosterParser.parse("""
                owner,name,email,account
                alice,Alice,alice@example.edu,111111111111
                bob,Bob,bob@example.edu,222222222222
                carol,Carol,carol@example.edu,333333333333
                dave,Dave,dave@example.edu,
                """, "roster.csv");
        policy = PolicyLoader.load("""
                course: Many accounts
                accounts: ["%s"]
                regions: [eu-west-1]
                rules: {ec2-idle: {enabled: false}}
                """.formatted(HOME), "test");
        now = CurfewTimes.next(policy, Instant.now().plusSeconds(3600));

        // alice's personal things, from before she enrolled
        alicePersonal = inAlice.instance(EU, tags("Name", "my-own-server"));
        alice.s3().createBucket(b -> b.bucket("alice-photos").createBucketConfiguration(c -> c.locationConstraint(EU)));
        alice.s3().putObject(b -> b.bucket("alice-photos").key("holiday.jpg"),
                software.amazon.awssdk.core.sync.RequestBody.fromString("jpeg"));
        MotoAccounts.deployRole(alice);
        MotoAccounts.deployRole(carol);
        MotoAccounts.nextSecond();
        // the lesson: the same Name in the class account and in carol's; the class's one is kept
        aliceLab = inAlice.instance(EU, tags("Name", "lab"));
        carolLab = inCarol.instance(EU, tags("Name", "lab"));
        classLab = inHome.instance(EU, tags("Name", "lab", "curfew:owner", "erin",
                "curfew:keep", now.atZone(ZoneOffset.UTC).toLocalDate().plusDays(1).toString()));
    }

    @AfterEach
    void tearDown() {
        home.close();
        alice.close();
        carol.close();
    }

    private List<AccountRun> sweepAll(Mode mode) {
        try (AccountSessions sessions = new AccountSessions(new AwsClients(moto.settings(EU)), "curfew-sweeper")) {
            AccountSweeps sweeps = new AccountSweeps(sessions, "test", Clock.fixed(now, ZoneOffset.UTC),
                    progress::add);
            Policy p = policy.withMode(mode);
            List<AccountTarget> targets = sweeps.targets(p, roster);
            List<AccountRun> runs = sweeps.sweepAll(targets, p, mode == Mode.ENFORCE ? "curfew" : "plan",
                    Deadline.NONE, 3);
            sessions.home().close();
            return runs;
        }
    }

    private static Map<String, SweepReport.Row> rows(AccountRun run) {
        return run.report().rows().stream().collect(Collectors.toMap(SweepReport.Row::id, Function.identity()));
    }

    @Test
    void eachAccountIsSweptWithinItsScopeAndBobsMissingRoleStopsNobody() {
        List<AccountRun> dry = sweepAll(Mode.DRY_RUN);

        assertThat(dry).extracting(r -> r.target().account()).containsExactly(HOME, ALICE, BOB, CAROL);
        assertThat(dry).extracting(r -> r.target().source()).containsExactly(AccountTarget.Source.HOME,
                AccountTarget.Source.ROSTER, AccountTarget.Source.ROSTER, AccountTarget.Source.ROSTER);
        assertThat(dry).extracting(AccountRun::status).containsExactly(AccountRun.Status.SWEPT,
                AccountRun.Status.SWEPT, AccountRun.Status.UNREACHABLE, AccountRun.Status.SWEPT);
        assertThat(dry.get(2).error()).startsWith(
                "Curfew can no longer reach account " + BOB + ": the curfew-access role is not deployed (NoSuchEntity");
        assertThat(dry.get(2).report()).isNull();

        Map<String, SweepReport.Row> a = rows(dry.get(1));
        assertThat(a.get(alicePersonal).decision()).isEqualTo("skip");
        assertThat(a.get(alicePersonal).reason()).startsWith("out of scope: created ").contains("before enrolment");
        assertThat(a.get("alice-photos").decision()).isEqualTo("skip");
        assertThat(a.get("alice-photos").reason()).startsWith("out of scope: created ");
        assertThat(a.get(aliceLab).decision()).isEqualTo("terminate");
        assertThat(a.get(aliceLab).owner()).as("her account: hers, without an owner tag").isEqualTo("alice");
        assertThat(a.get(aliceLab).outcome()).isEqualTo("would");
        assertThat(dry.get(1).report().rows()).as("Amazon's AMI snapshots, which the emulator lists in every account, "
                + "are not alice's").noneMatch(r -> r.kind().equals("ebs-snapshot"));

        // the same Name in two accounts: each report holds its own account's instance only
        Map<String, SweepReport.Row> c = rows(dry.get(3));
        Map<String, SweepReport.Row> h = rows(dry.get(0));
        assertThat(c).containsKey(carolLab).doesNotContainKeys(classLab, aliceLab, alicePersonal);
        assertThat(h).containsKey(classLab).doesNotContainKeys(carolLab, aliceLab, alicePersonal, "alice-photos");
        assertThat(c.get(carolLab).owner()).isEqualTo("carol");
        assertThat(c.get(carolLab).decision()).isEqualTo("terminate");
        assertThat(h.get(classLab).decision()).isEqualTo("skip");
        assertThat(dry.get(0).report().account()).isEqualTo(HOME);
        assertThat(dry.get(1).report().account()).isEqualTo(ALICE);
        assertThat(dry.get(1).report().guard()).startsWith("passed: account " + ALICE + " is enrolled as alice's "
                + "own account; in scope: what was created since 20");
        assertThat(dry.get(3).report().account()).isEqualTo(CAROL);
        assertThat(dry.get(1).report().totalCalls()).as("calls counted per account").isPositive();

        // dry-run changed nothing anywhere
        assertThat(inAlice.state(EU, alicePersonal)).isEqualTo(InstanceStateName.RUNNING);
        assertThat(inAlice.state(EU, aliceLab)).isEqualTo(InstanceStateName.RUNNING);
        assertThat(inCarol.state(EU, carolLab)).isEqualTo(InstanceStateName.RUNNING);
        assertThat(inHome.state(EU, classLab)).isEqualTo(InstanceStateName.RUNNING);
        assertThat(alice.ec2(EU).describeTags().tags()).noneMatch(t -> t.key().startsWith("curfew:"));
        assertThat(carol.ec2(EU).describeTags().tags()).noneMatch(t -> t.key().startsWith("curfew:"));

        List<AccountRun> enforce = sweepAll(Mode.ENFORCE);

        assertThat(enforce).extracting(AccountRun::status).containsExactly(AccountRun.Status.SWEPT,
                AccountRun.Status.SWEPT, AccountRun.Status.UNREACHABLE, AccountRun.Status.SWEPT);
        assertThat(enforce).filteredOn(r -> r.report() != null).allMatch(r -> !r.report().anyFailed(),
                "no failure in a swept account");
        assertThat(inAlice.state(EU, aliceLab)).isEqualTo(InstanceStateName.TERMINATED);
        assertThat(inCarol.state(EU, carolLab)).isEqualTo(InstanceStateName.TERMINATED);
        assertThat(inAlice.state(EU, alicePersonal)).as("from before enrolment: left alone")
                .isEqualTo(InstanceStateName.RUNNING);
        assertThat(alice.s3().listObjectsV2(b -> b.bucket("alice-photos")).keyCount()).isEqualTo(1);
        assertThatThrownBy(() -> alice.s3().getBucketTagging(b -> b.bucket("alice-photos"))).as("not even marked")
                .hasMessageContaining("TagSet does not exist");
        assertThat(inHome.state(EU, classLab)).as("kept, though carol's of the same Name went")
                .isEqualTo(InstanceStateName.RUNNING);
    }

    @Test
    void aTargetNeitherListedNorEnrolledIsRefusedAndCredentialsOfAnotherAccountToo() {
        try (AccountSessions sessions = new AccountSessions(home, "curfew-sweeper")) {
            AccountSweeps sweeps = new AccountSweeps(sessions, "test", Clock.fixed(now, ZoneOffset.UTC),
                    progress::add);
            Policy enforce = policy.withMode(Mode.ENFORCE);
            sweeps.targets(enforce, roster);
            long before = home.counter().snapshot().values().stream().mapToLong(Long::longValue).sum();

            AccountRun stranger = sweeps.sweep(new AccountTarget("444444444444", "mallory",
                    AccountTarget.Source.ROSTER), enforce, "curfew", Deadline.NONE);
            assertThat(stranger.status()).isEqualTo(AccountRun.Status.REFUSED_BY_GUARD);
            assertThat(stranger.error()).isEqualTo("account guard: account 444444444444 (mallory) is neither in the "
                    + "policy's accounts nor enrolled (no student of the roster has it): nothing was read");
            AccountRun posing = sweeps.sweep(new AccountTarget(CAROL, "mallory", AccountTarget.Source.ROSTER),
                    enforce, "curfew", Deadline.NONE);
            assertThat(posing.status()).isEqualTo(AccountRun.Status.REFUSED_BY_GUARD);
            assertThat(posing.error()).contains("enrolled as carol's");
            long after = home.counter().snapshot().values().stream().mapToLong(Long::longValue).sum();
            assertThat(after).as("no call was made for the refused targets (not even AssumeRole)").isEqualTo(before);

            // a class account listed in the policy, but the credentials are another account's: the engine refuses
            Policy other = PolicyLoader.load("""
                    accounts: ["999999999999"]
                    regions: [eu-west-1]
                    mode: enforce
                    """, "test");
            AccountRun wrong = sweeps.sweep(new AccountTarget("999999999999", null, AccountTarget.Source.HOME), other,
                    "curfew", Deadline.NONE);
            assertThat(wrong.status()).isEqualTo(AccountRun.Status.REFUSED_BY_GUARD);
            assertThat(wrong.error()).contains("these credentials belong to account " + HOME);
            AccountRun notListed = sweeps.sweep(new AccountTarget(HOME, null, AccountTarget.Source.HOME), other,
                    "curfew", Deadline.NONE);
            assertThat(notListed.status()).isEqualTo(AccountRun.Status.REFUSED_BY_GUARD);
            assertThat(notListed.error()).contains("the class account " + HOME + " is not in the policy's accounts");
        }
        assertThat(inCarol.state(EU, carolLab)).isEqualTo(InstanceStateName.RUNNING);
        assertThat(inHome.state(EU, classLab)).isEqualTo(InstanceStateName.RUNNING);
    }

    @Test
    void anOrganizationsAccountsAreTargetsTooAndWinOverTheRosterAndMessagesFollowOnlyWhenAsked() {
        try (AccountSessions sessions = new AccountSessions(home, "curfew-sweeper")) {
            AccountSweeps sweeps = new AccountSweeps(sessions, "test", Clock.fixed(now, ZoneOffset.UTC),
                    progress::add);
            AccountTarget carolInUnit = new AccountTarget(CAROL, "carol", AccountTarget.Source.ORGANIZATION);
            AccountTarget member = new AccountTarget("555555555555", null, AccountTarget.Source.ORGANIZATION);
            List<AccountTarget> targets = sweeps.targets(policy, roster, List.of(carolInUnit, member,
                    new AccountTarget(HOME, null, AccountTarget.Source.ORGANIZATION)));
            assertThat(targets).containsExactly(new AccountTarget(HOME, null, AccountTarget.Source.HOME),
                    new AccountTarget(ALICE, "alice", AccountTarget.Source.ROSTER),
                    new AccountTarget(BOB, "bob", AccountTarget.Source.ROSTER), carolInUnit, member);
            AccountRun unreachable = sweeps.sweep(member, policy, "plan", Deadline.NONE);
            assertThat(unreachable.status()).as("enrolled by the unit: not refused, but its role is not there")
                    .isEqualTo(AccountRun.Status.UNREACHABLE);
            assertThat(sweeps.sweep(new AccountTarget(CAROL, "carol", AccountTarget.Source.ROSTER), policy, "plan",
                    Deadline.NONE).status()).as("carol's account is the unit's now")
                    .isEqualTo(AccountRun.Status.REFUSED_BY_GUARD);

            AccountTarget classAccount = targets.get(0);
            assertThat(sweeps.sweep(classAccount, policy, "curfew", Deadline.NONE).report().notifications())
                    .as("no messages unless asked").isNull();
            AccountSweeps telling = sweeps.withMessages(null);
            assertThat(telling.sweep(classAccount, policy, "curfew", Deadline.NONE).report().notifications())
                    .isNotNull();
            assertThat(telling.sweep(classAccount, policy, "plan", Deadline.NONE).report().notifications())
                    .as("never after a plan").isNull();
        }
    }

    /**
     * An enforced warning pass tells the student what will happen in her own account, and records the warning on
     * her instance there: with her account's clients, never the class account's.
     */
    @Test
    void anEnforcedWarningTellsTheStudentAndMarksHerInstanceWarnedInHerOwnAccount() {
        home.ssm(EU).putParameter(b -> b.name("/curfew/roster").type("String").value("""
                owner,name,email,account
                alice,Alice,alice@example.edu,111111111111
                """));
        home.ses().createEmailIdentity(b -> b.emailIdentity("curfew@example.edu"));
        Policy p = PolicyLoader.load("""
                course: Many accounts
                accounts: ["%s"]
                regions: [eu-west-1]
                mode: enforce
                rules: {ec2-idle: {enabled: false}}
                notifications:
                  roster: ssm:/curfew/roster
                  email: {sender: curfew@example.edu}
                """.formatted(HOME), "test");
        Instant beforeCurfew = CurfewTimes.next(p, now).minusSeconds(1800);
        try (AccountSessions sessions = new AccountSessions(new AwsClients(moto.settings(EU)), "curfew-sweeper")) {
            AccountSweeps sweeps = new AccountSweeps(sessions, "test", Clock.fixed(beforeCurfew, ZoneOffset.UTC),
                    progress::add).withMessages(null);
            AccountTarget aliceAccount = sweeps.targets(p, roster).stream().filter(t -> ALICE.equals(t.account()))
                    .findFirst().orElseThrow();
            AccountRun run = sweeps.sweep(aliceAccount, p, "warning", Deadline.NONE);
            sessions.home().close();
            assertThat(run.status()).as("%s", run.error()).isEqualTo(AccountRun.Status.SWEPT);
            assertThat(run.report().notifications().problems()).as("warned tags written where the instance is")
                    .isEmpty();
            assertThat(run.report().notifications().deliveries()).anySatisfy(d -> {
                assertThat(d.to()).isEqualTo("alice");
                assertThat(d.status()).isEqualTo(dev.curfew.core.notify.Delivery.Status.SENT);
            });
        }
        Map<String, String> labTags = alice.ec2(EU).describeInstances(b -> b.instanceIds(aliceLab)).reservations()
                .get(0).instances().get(0).tags().stream().collect(Collectors.toMap(
                        software.amazon.awssdk.services.ec2.model.Tag::key,
                        software.amazon.awssdk.services.ec2.model.Tag::value));
        assertThat(labTags).containsKey("curfew:warned");
        assertThat(alice.ec2(EU).describeInstances(b -> b.instanceIds(aliceLab)).reservations().get(0).instances()
                .get(0).state().name()).as("a warning changes nothing else").isEqualTo(InstanceStateName.RUNNING);
    }
}
