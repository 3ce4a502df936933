package dev.curfew.core.launch;

import static dev.curfew.core.launch.LaunchWorld.ALICE;
import static dev.curfew.core.launch.LaunchWorld.NOW;
import static dev.curfew.core.launch.LaunchWorld.body;
import static dev.curfew.core.launch.LaunchWorld.call;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.curfew.core.accounts.AccountTarget;
import dev.curfew.core.policy.IdentityRules;
import dev.curfew.core.policy.Policy;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.StringLength;
import net.jqwik.api.constraints.Chars;
import net.jqwik.api.constraints.CharRange;
import org.junit.jupiter.api.Test;

/**
 * A student calling the launcher from their own enrolled account (README, "Launch a spot instance"): the account
 * names the student (the roster's account column), whatever the principal's own name; an account no roster row
 * names is refused; callers of the launcher's own account are decided as before.
 */
class StudentAccountLaunchTest {
    static final String HOME = "123456789012";
    static final String ALICES = "111111111111";
    static final String STRANGERS = "999999999999";
    /** The roster: alice's own account is 111111111111; bob has none. */
    static final Map<String, String> ROSTER = Map.of(ALICES, "alice");
    static final IdentityRules RULES = new IdentityRules(List.of(), List.of());

    static Caller identify(String arn) {
        return Caller.identify(arn, accountOf(arn), "203.0.113.7", RULES, () -> HOME,
                a -> Optional.ofNullable(ROSTER.get(a)));
    }

    static String accountOf(String arn) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("::(\\d{12}):").matcher(arn);
        return m.find() ? m.group(1) : null;
    }

    // ---------------------------------------------------------------- the decision

    @Test
    void anyPrincipalOfAnEnrolledAccountIsThatAccountsStudentWhateverItsName() {
        for (String arn : List.of("arn:aws:iam::111111111111:user/bob", "arn:aws:iam::111111111111:user/admin",
                "arn:aws:sts::111111111111:assumed-role/lab-role/teacher",
                "arn:aws:sts::111111111111:assumed-role/AWSReservedSSO_Admin_0a1b/bob",
                "arn:aws:iam::111111111111:root")) {
            Caller c = identify(arn);
            assertThat(c.owner()).as(arn).isEqualTo("alice");
            assertThat(c.accountId()).as(arn).isEqualTo(ALICES);
            assertThat(c.ownAccount()).as(arn).isTrue();
            assertThat(c.target()).as(arn).isEqualTo(new AccountTarget(ALICES, "alice", AccountTarget.Source.ROSTER));
            assertThat(c.arn()).isEqualTo(arn);
        }
    }

    @Property(tries = 200)
    void theUserNameInTheStudentsOwnAccountNeverChoosesTheOwner(
            @ForAll @StringLength(min = 1, max = 64) @Chars({'+', '=', ',', '.', '@', '_', '-'})
            @CharRange(from = 'a', to = 'z') @CharRange(from = 'A', to = 'Z') @CharRange(from = '0', to = '9')
            String name) {
        Caller c = identify("arn:aws:iam::111111111111:user/" + name);
        assertThat(c.owner()).isEqualTo("alice");
        assertThat(c.target().account()).isEqualTo(ALICES);
    }

    @Test
    void anAccountNoRosterRowNamesIsRefusedWithTheAccountNamed() {
        assertThatThrownBy(() -> identify("arn:aws:iam::999999999999:user/alice"))
                .isInstanceOfSatisfying(Refusal.class, r -> {
                    assertThat(r.status()).isEqualTo(403);
                    assertThat(r.code()).isEqualTo("account-not-enrolled");
                    assertThat(r.getMessage()).contains("account 999999999999 is not enrolled")
                            .contains("Nothing was changed");
                    assertThat(r.details()).containsEntry("account", STRANGERS);
                });
    }

    @Test
    void aMemberAccountOfTheOrganizationUnitIsItsRosterStudentsAndRefusedNamingItWhenNobodyHasIt() {
        String member = "222222222222";
        Function<String, Optional<AccountTarget>> unit = a -> Optional.of(new AccountTarget(a,
                a.equals(member) ? "carol" : null, AccountTarget.Source.ORGANIZATION));
        Caller c = Caller.identifyIn("arn:aws:iam::" + member + ":user/admin", member, "203.0.113.7", RULES,
                () -> HOME, unit);
        assertThat(c.owner()).isEqualTo("carol");
        assertThat(c.ownAccount()).isTrue();
        assertThat(c.target()).isEqualTo(new AccountTarget(member, "carol", AccountTarget.Source.ORGANIZATION));

        Refusal r = refusal(() -> Caller.identifyIn("arn:aws:iam::333333333333:user/dave", null, null, RULES,
                () -> HOME, unit));
        assertThat(r.status()).isEqualTo(403);
        assertThat(r.code()).isEqualTo("account-has-no-student");
        assertThat(r.getMessage()).contains("account 333333333333", "Organization unit", "Nothing was changed");
        assertThat(r.details()).containsEntry("account", "333333333333");
    }

    @Test
    void theRequestContextsAccountMustBeTheArnsAndTheArnAPrincipals() {
        assertThatThrownBy(() -> Caller.identify("arn:aws:iam::111111111111:user/bob", "222222222222", null, RULES,
                () -> HOME, a -> Optional.of("alice")))
                .isInstanceOfSatisfying(Refusal.class, r -> assertThat(r.code()).isEqualTo("inconsistent-identity"));
        assertThatThrownBy(() -> identify("arn:aws:iam::111111111111:group/students"))
                .isInstanceOfSatisfying(Refusal.class, r -> assertThat(r.code()).isEqualTo("unknown-identity"));
    }

    @Test
    void aCallerOfTheLaunchersOwnAccountIsDecidedAsBeforeAndTheRosterIsNotRead() {
        Function<String, Optional<String>> noRoster = a -> {
            throw new AssertionError("the roster was read for " + a);
        };
        for (String arn : List.of(ALICE, LaunchWorld.BOB, "arn:aws:iam::123456789012:user/path/carol")) {
            Caller c = Caller.identify(arn, HOME, "203.0.113.7", RULES, () -> HOME, noRoster);
            assertThat(c).isEqualTo(Caller.fromIam(arn, HOME, "203.0.113.7", RULES));
            assertThat(c.ownAccount()).isFalse();
            assertThat(c.target()).isEqualTo(new AccountTarget(HOME, null, AccountTarget.Source.HOME));
        }
        for (String arn : List.of("arn:aws:sts::123456789012:federated-user/alice", "arn:aws:iam::123456789012:root",
                "arn:aws:sts::123456789012:assumed-role/lab-role/alice")) {
            Refusal before = refusal(() -> Caller.fromIam(arn, HOME, null, RULES));
            Refusal now = refusal(() -> Caller.identify(arn, HOME, null, RULES, () -> HOME, noRoster));
            assertThat(now.code()).as(arn).isEqualTo(before.code());
            assertThat(now.getMessage()).as(arn).isEqualTo(before.getMessage());
        }
    }

    static Refusal refusal(Runnable r) {
        try {
            r.run();
        } catch (Refusal e) {
            return e;
        }
        throw new AssertionError("not refused");
    }

    // ---------------------------------------------------------------- the launcher, over two accounts

    /** The launcher's own account ({@code w.cloud}) and alice's own account, each a fake. */
    static final class TwoAccounts {
        final LaunchWorld w = new LaunchWorld();
        final FakeCloud alices = new FakeCloud();
        final List<AccountTarget> opened = new ArrayList<>();
        final List<String> rosterReads = new ArrayList<>();

        TwoAccounts() {
            alices.account = ALICES;
            alices.keyPairs.add("eu-west-1/my-key");
            alices.prices.addAll(w.cloud.prices);
            LaunchAccounts accounts = new LaunchAccounts() {
                @Override
                public Optional<String> ownerOf(Policy policy, String account) {
                    rosterReads.add(account);
                    return Optional.ofNullable(ROSTER.get(account));
                }

                @Override
                public LaunchPort port(AccountTarget target) {
                    opened.add(target);
                    return alices;
                }
            };
            w.launcher = new Launcher(w.cloud, accounts, w::policy, Clock.fixed(NOW, ZoneOffset.UTC),
                    new Launcher.Settings("eu-west-1", Launcher.Settings.MAX_BODY_BYTES, Duration.ZERO), w.log::add);
        }

        HttpAnswer handle(String method, String path, String body, String arn) {
            return w.launcher.handle(call(method, path, body, arn));
        }
    }

    static final String ALICE_AT_HOME = "arn:aws:iam::111111111111:user/Administrator";

    @Test
    void aLaunchFromAnEnrolledAccountHappensInThatAccountAsItsStudent() {
        TwoAccounts t = new TwoAccounts();
        HttpAnswer a = t.handle("POST", "/instances", body("t3.micro", 2, "my-key"), ALICE_AT_HOME);

        assertThat(a.status()).as(a.body()).isEqualTo(201);
        Map<String, Object> out = LauncherIdentityTest.json(a);
        assertThat(out).containsEntry("owner", "alice").containsEntry("account", ALICES);
        assertThat((String) out.get("message")).contains("for alice in eu-west-1b, in your own account 111111111111");
        assertThat(t.alices.launches).singleElement().satisfies(l -> assertThat(l.tags())
                .containsEntry("curfew:owner", "alice").containsEntry("curfew:created-by", ALICE_AT_HOME));
        assertThat(t.alices.groupSpecs).hasSize(1);
        assertThat(t.w.cloud.changes).as("nothing in the launcher's own account").isEmpty();
        assertThat(t.w.cloud.launches).isEmpty();
        assertThat(t.opened).containsOnly(new AccountTarget(ALICES, "alice", AccountTarget.Source.ROSTER));
        // one launch per student at a time: the lease is the student's, kept in the launcher's own account
        assertThat(t.w.cloud.leases).containsExactly("acquire alice", "release alice");

        HttpAnswer list = t.handle("GET", "/instances", null, "arn:aws:iam::111111111111:user/someone-else");
        assertThat(list.status()).as(list.body()).isEqualTo(200);
        assertThat(LauncherIdentityTest.json(list)).containsEntry("account", ALICES);
        assertThat(String.valueOf(LauncherIdentityTest.json(list).get("running"))).isEqualTo("1");
        String id = (String) out.get("instanceId");
        HttpAnswer kill = t.handle("DELETE", "/instances/" + id, null, ALICE_AT_HOME);
        assertThat(kill.status()).as(kill.body()).isEqualTo(200);
        assertThat(t.alices.changes).contains("terminate " + id);
        assertThat(t.w.cloud.changes).isEmpty();
    }

    /**
     * The accounts state machine records a student over budget in the launcher's own account (their roster name):
     * a launch into their own account is refused as one at home would be, and nothing is made in either account.
     */
    @Test
    void aStudentOverBudgetIsRefusedALaunchIntoTheirOwnAccount() {
        TwoAccounts t = new TwoAccounts();
        t.w.policyText = LaunchWorld.POLICY + "budgets: {weekly: 10.00}\n";
        t.w.cloud.budgets.put("alice/" + LauncherBudgetTest.WEEK, new dev.curfew.core.budget.OverBudget.Records(
                LauncherBudgetTest.OVER, dev.curfew.core.budget.TopUp.NONE));

        HttpAnswer a = t.handle("POST", "/instances", body("t3.micro", 1, "my-key"), ALICE_AT_HOME);

        assertThat(a.status()).as(a.body()).isEqualTo(403);
        assertThat(LauncherIdentityTest.json(a)).containsEntry("error", "over-budget");
        assertThat(t.alices.launches).isEmpty();
        assertThat(t.alices.changes).isEmpty();
        assertThat(t.w.cloud.changes).isEmpty();
    }

    @Test
    void theCapCountsWhatIsInTheStudentsOwnAccount() {
        TwoAccounts t = new TwoAccounts();
        t.w.cloud.add("eu-west-1", "alice", "running");
        t.w.cloud.add("eu-west-1", "alice", "running"); // at the cap at home: not what counts here
        HttpAnswer first = t.handle("POST", "/instances", body("t3.micro", 1, "my-key"), ALICE_AT_HOME);
        assertThat(first.status()).as(first.body()).isEqualTo(201);

        t.alices.add("eu-west-1", "alice", "running");
        HttpAnswer over = t.handle("POST", "/instances", body("t3.micro", 1, "my-key"), ALICE_AT_HOME);
        assertThat(over.status()).as(over.body()).isEqualTo(429);
        assertThat(LauncherIdentityTest.json(over)).containsEntry("error", "too-many-instances");
        assertThat(t.alices.launches).hasSize(1);
        assertThat(t.w.cloud.changes).isEmpty();
    }

    @Test
    void aCallerOfAnAccountNoStudentHasIsRefusedAndNothingIsDoneAnywhere() {
        TwoAccounts t = new TwoAccounts();
        for (String[] r : List.of(new String[]{"POST", "/instances", body("t3.micro", 1, "my-key")},
                new String[]{"GET", "/instances", null}, new String[]{"DELETE", "/instances/i-0123456789abcdef0", null})) {
            HttpAnswer a = t.handle(r[0], r[1], r[2], "arn:aws:iam::999999999999:user/alice");
            assertThat(a.status()).as(a.body()).isEqualTo(403);
            assertThat(LauncherIdentityTest.json(a)).containsEntry("error", "account-not-enrolled")
                    .containsEntry("account", STRANGERS);
            assertThat((String) LauncherIdentityTest.json(a).get("message")).contains("999999999999");
        }
        assertThat(t.opened).isEmpty();
        assertThat(t.w.cloud.changes).isEmpty();
        assertThat(t.alices.changes).isEmpty();
        assertThat(t.w.cloud.leases).isEmpty();
    }

    @Test
    void aCallerOfTheLaunchersOwnAccountNeverReadsTheRosterNorReachesAStudentsAccount() {
        TwoAccounts t = new TwoAccounts();
        HttpAnswer a = t.handle("POST", "/instances", body("t3.micro", 1, "alice-key"), ALICE);
        assertThat(a.status()).as(a.body()).isEqualTo(201);
        assertThat(LauncherIdentityTest.json(a)).doesNotContainKey("account");
        assertThat(t.w.cloud.launches).hasSize(1);
        assertThat(t.rosterReads).isEmpty();
        assertThat(t.opened).isEmpty();
        assertThat(t.alices.changes).isEmpty();
    }

    @Test
    void credentialsOfAnotherAccountThanTheStudentsAreRefusedByTheGuard() {
        TwoAccounts t = new TwoAccounts();
        t.alices.account = "222222222222";
        HttpAnswer a = t.handle("POST", "/instances", body("t3.micro", 1, "my-key"), ALICE_AT_HOME);
        assertThat(a.status()).as(a.body()).isEqualTo(503);
        assertThat(LauncherIdentityTest.json(a)).containsEntry("error", "account-not-allowed");
        assertThat(t.alices.changes).isEmpty();
        assertThat(t.w.cloud.changes).isEmpty();
    }

    @Test
    void anAccountWhoseRoleCannotBeUsedIsAnsweredWithAReasonAndNothingIsDone() {
        TwoAccounts t = new TwoAccounts();
        t.alices.failAccount = new CloudFailure("AccessDenied", "not authorized to perform sts:AssumeRole", null);
        HttpAnswer a = t.handle("POST", "/instances", body("t3.micro", 1, "my-key"), ALICE_AT_HOME);
        assertThat(a.status()).as(a.body()).isEqualTo(503);
        assertThat(LauncherIdentityTest.json(a)).containsEntry("error", "account-unreachable")
                .containsEntry("account", ALICES);
        assertThat(a.body()).doesNotContain("sts:AssumeRole");
        assertThat(t.w.cloud.changes).isEmpty();
    }
}
