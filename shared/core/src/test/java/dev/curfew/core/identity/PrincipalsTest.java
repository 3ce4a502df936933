package dev.curfew.core.identity;

import static org.assertj.core.api.Assertions.assertThat;

import dev.curfew.core.policy.IdentityRules;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Every ARN form the launcher and the sentinel meet, and what each one is. */
class PrincipalsTest {
    static final String HOME = "123456789012";
    static final IdentityRules DEFAULTS = IdentityRules.defaults();
    static final IdentityRules COURSE = new IdentityRules(List.of("StudentRole"), List.of(
            "arn:aws:iam::123456789012:user/teacher",
            "arn:aws:sts::123456789012:assumed-role/AWSReservedSSO_AdministratorAccess_*/*",
            "arn:aws:iam::123456789012:role/Admin"));

    static Principal resolve(String arn, IdentityRules rules) {
        return Principals.resolve(AwsIdentity.of(arn), rules, HOME, "curfew-");
    }

    static Principal resolve(String arn) {
        return resolve(arn, COURSE);
    }

    /** Asserts that {@code p} is a refusal with this code, and gives it for the checks of its reason. */
    static Principal.Refused refused(Principal p, String code) {
        assertThat(p).isInstanceOf(Principal.Refused.class);
        Principal.Refused r = (Principal.Refused) p;
        assertThat(r.code()).isEqualTo(code);
        return r;
    }

    // ---------------------------------------------------------------- students

    @ParameterizedTest
    @CsvSource({
        "arn:aws:iam::123456789012:user/alice,                                alice",
        "arn:aws:iam::123456789012:user/students/cs101/alice.b,               alice.b",
        "arn:aws:iam::123456789012:user/a+b=c@uni.example,                    a+b=c@uni.example",
    })
    void anIamUserIsAStudentNamedByTheUserNameWhateverThePath(String arn, String name) {
        assertThat(resolve(arn, DEFAULTS)).isEqualTo(new Principal.Student(name, Principal.Via.IAM_USER, arn, HOME));
    }

    @Test
    void anIdentityCenterSessionIsAStudentNamedByTheSessionAwsSets() {
        String arn = "arn:aws:sts::123456789012:assumed-role/AWSReservedSSO_Student_0a1b2c3d/bob@uni.example";
        assertThat(resolve(arn, DEFAULTS)).isEqualTo(new Principal.Student("bob@uni.example",
                Principal.Via.IDENTITY_CENTER, arn, HOME));
        for (String issuer : List.of(
                "arn:aws:iam::123456789012:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_Student_0a1b2c3d",
                "arn:aws:iam::123456789012:role/aws-reserved/sso.amazonaws.com/eu-west-1/AWSReservedSSO_Student_0a1b2c3d")) {
            assertThat(Principals.resolve(new AwsIdentity(arn, "AssumedRole", issuer), DEFAULTS, HOME, null))
                    .as(issuer).isInstanceOf(Principal.Student.class);
        }
    }

    @Test
    void aRoleNamedLikeIdentityCenterButNotUnderItsPathIsNotAStudent() {
        String arn = "arn:aws:sts::123456789012:assumed-role/AWSReservedSSO_Student_0a1b2c3d/alice";
        Principal.Refused r = refused(Principals.resolve(new AwsIdentity(arn, "AssumedRole",
                "arn:aws:iam::123456789012:role/AWSReservedSSO_Student_0a1b2c3d"), DEFAULTS, HOME, null),
                "not-identity-center");
        assertThat(r.reason()).contains("/aws-reserved/sso.amazonaws.com/");
    }

    @Test
    void aSessionOfARoleThePolicyNamesIsAStudentNamedByTheSession() {
        String arn = "arn:aws:sts::123456789012:assumed-role/StudentRole/carol";
        assertThat(resolve(arn)).isEqualTo(new Principal.Student("carol", Principal.Via.STUDENT_ROLE, arn, HOME));
        assertThat(resolve("arn:aws:sts::123456789012:assumed-role/studentrole/carol"))
                .as("IAM role names are unique whatever their case").isInstanceOf(Principal.Student.class);
        assertThat(Principals.resolve(new AwsIdentity(arn, "AssumedRole",
                "arn:aws:iam::123456789012:role/course/StudentRole"), COURSE, HOME, null))
                .as("the role behind the session, with its path").isInstanceOf(Principal.Student.class);
    }

    // ---------------------------------------------------------------- names the caller chose

    @Test
    void aSessionOfARoleThePolicyDoesNotNameIsRefused() {
        Principal.Refused r = refused(resolve("arn:aws:sts::123456789012:assumed-role/lab-role/bob"), "role-not-named");
        assertThat(r.reason()).contains("\"bob\"").contains("lab-role").contains("identity.student-roles")
                .contains("IAM user").contains("Identity Center");
        assertThat(r.account()).isEqualTo(HOME);
        assertThat(resolve("arn:aws:sts::123456789012:assumed-role/StudentRole/carol", DEFAULTS))
                .as("a role is a student role only when the policy names it").isInstanceOf(Principal.Refused.class);
    }

    @Test
    void aFederatedUserIsRefusedWhateverItsName() {
        Principal.Refused r = refused(resolve("arn:aws:sts::123456789012:federated-user/alice"), "federated-user");
        assertThat(r.reason()).contains("\"alice\"").contains("sts:GetFederationToken")
                .contains("Sign in as your own IAM user or through IAM Identity Center");
    }

    @Test
    void aServiceLinkedRoleOrACloudTrailServiceIsNoStudent() {
        refused(resolve("arn:aws:sts::123456789012:assumed-role/AWSServiceRoleForAmazonEMR/i-0123"), "aws-service");
        refused(Principals.resolve(new AwsIdentity("arn:aws:iam::123456789012:user/alice", "AWSService", null),
                COURSE, HOME, null), "not-a-person");
    }

    // ---------------------------------------------------------------- never a student

    @Test
    void rootIsNeverAStudent() {
        assertThat(resolve("arn:aws:iam::123456789012:root", DEFAULTS)).isEqualTo(new Principal.Staff(null,
                Principal.Kind.ROOT, "arn:aws:iam::123456789012:root", HOME));
        assertThat(resolve("arn:aws:iam::123456789012:root", new IdentityRules(List.of("root"), List.of())))
                .isInstanceOf(Principal.Staff.class);
    }

    @Test
    void instructorsAreStaffWithTheNameAwsVouchesForIfAny() {
        assertThat(resolve("arn:aws:iam::123456789012:user/teacher")).isEqualTo(new Principal.Staff("teacher",
                Principal.Kind.INSTRUCTOR, "arn:aws:iam::123456789012:user/teacher", HOME));
        assertThat(resolve("arn:aws:iam::123456789012:user/Teacher")).as("letter case ignored")
                .isInstanceOf(Principal.Staff.class);
        assertThat(resolve("arn:aws:sts::123456789012:assumed-role/AWSReservedSSO_AdministratorAccess_9f8e/dana"))
                .isEqualTo(new Principal.Staff("dana", Principal.Kind.INSTRUCTOR,
                        "arn:aws:sts::123456789012:assumed-role/AWSReservedSSO_AdministratorAccess_9f8e/dana", HOME));
        assertThat(resolve("arn:aws:sts::123456789012:assumed-role/Admin/anything"))
                .as("a role listed by its role ARN: every session, no name vouched for")
                .isEqualTo(new Principal.Staff(null, Principal.Kind.INSTRUCTOR,
                        "arn:aws:sts::123456789012:assumed-role/Admin/anything", HOME));
        assertThat(resolve("arn:aws:iam::123456789012:user/teacher2")).as("an exact ARN matches only itself")
                .isInstanceOf(Principal.Student.class);
    }

    @Test
    void curfewsOwnRolesAreStaff() {
        assertThat(resolve("arn:aws:sts::123456789012:assumed-role/curfew-SweeperFunctionRole-1A2B3C/curfew-Sweeper"))
                .isInstanceOfSatisfying(Principal.Staff.class,
                        s -> assertThat(s.kind()).isEqualTo(Principal.Kind.CURFEW));
        assertThat(Principals.resolve(AwsIdentity.of(
                "arn:aws:sts::123456789012:assumed-role/curfew-SweeperFunctionRole-1A2B3C/x"), COURSE, HOME, null))
                .as("no stack known: just another role").isInstanceOf(Principal.Refused.class);
    }

    // ---------------------------------------------------------------- malformed, other accounts, partitions

    @ParameterizedTest
    @ValueSource(strings = {
        "alice",
        "arn:aws:iam::123456789012:role/admin",
        "arn:aws:iam::12345:user/alice",
        "arn:aws:iam::123456789012:user/al ice",
        "arn:aws:iam::123456789012:user/",
        "arn:aws:iam::123456789012:user/alice\nadmin",
        "arn:aws:sts::123456789012:user/moto",
        "arn:aws:sts::123456789012:assumed-role/StudentRole",
        "arn:aws:sts::123456789012:assumed-role/StudentRole/",
        "arn:aws:sts::123456789012:assumed-role/StudentRole/a/b",
        "arn:aws:iam::123456789012:federated-user/alice",
        "arn:awsx:iam::123456789012:user/alice",
        "arn:aws:iam:eu-west-1:123456789012:user/alice",
        "arn:aws:ec2:eu-west-1:123456789012:instance/i-0123456789abcdef0",
        "elasticmapreduce.amazonaws.com",
        "",
    })
    void whatIsNotAPrincipalsArnIsRefused(String arn) {
        assertThat(resolve(arn)).isInstanceOfSatisfying(Principal.Refused.class,
                r -> assertThat(r.code()).isIn("unknown-identity", "no-identity"));
    }

    @Test
    void aPrincipalOfAnotherAccountIsNoStudentHere() {
        assertThat(refused(resolve("arn:aws:iam::999999999999:user/alice"), "other-account").reason())
                .contains("999999999999").contains(HOME);
        assertThat(resolve("arn:aws:iam::999999999999:root")).isInstanceOf(Principal.Refused.class);
        assertThat(Principals.resolve(AwsIdentity.of("arn:aws:iam::999999999999:user/alice"), COURSE, null, null))
                .as("no home account given: the caller checks the account itself")
                .isInstanceOf(Principal.Student.class);
    }

    @Test
    void otherPartitionsFollowTheSameRules() {
        assertThat(resolve("arn:aws-cn:iam::123456789012:user/erin")).isEqualTo(new Principal.Student("erin",
                Principal.Via.IAM_USER, "arn:aws-cn:iam::123456789012:user/erin", HOME));
        assertThat(resolve("arn:aws-us-gov:sts::123456789012:federated-user/erin"))
                .isInstanceOf(Principal.Refused.class);
        assertThat(resolve("arn:aws-cn:sts::123456789012:assumed-role/AWSReservedSSO_S_1/erin"))
                .isInstanceOf(Principal.Student.class);
    }

    @Test
    void cloudTrailsTypeAndTheRoleBehindASessionMustAgreeWithTheArn() {
        refused(Principals.resolve(new AwsIdentity("arn:aws:iam::123456789012:user/alice", "AssumedRole", null),
                COURSE, HOME, null), "inconsistent-identity");
        refused(Principals.resolve(new AwsIdentity("arn:aws:sts::123456789012:assumed-role/StudentRole/carol",
                "AssumedRole", "arn:aws:iam::123456789012:role/OtherRole"), COURSE, HOME, null),
                "inconsistent-identity");
        assertThat(Principals.resolve(new AwsIdentity("arn:aws:iam::123456789012:user/alice", "IAMUser", null),
                COURSE, HOME, null)).isInstanceOf(Principal.Student.class);
    }

    // ---------------------------------------------------------------- the policy's entries

    @Test
    void policyEntriesAreChecked() {
        assertThat(Principals.patternProblem("arn:aws:iam::123456789012:user/teacher")).isNull();
        assertThat(Principals.patternProblem("arn:aws:sts::*:assumed-role/Admin/*")).isNull();
        assertThat(Principals.patternProblem("teacher")).contains("\"teacher\" is not an ARN");
        assertThat(Principals.patternProblem("arn:aws:s3:::bucket")).isNotNull();
        assertThat(Principals.roleNameProblem("StudentRole")).isNull();
        assertThat(Principals.roleNameProblem("arn:aws:iam::123456789012:role/StudentRole"))
                .contains("not an IAM role name");
    }

    // ---------------------------------------------------------------- properties

    /** Whatever name a caller chooses for a federated user or an unnamed role's session, it is never a student. */
    @Property(tries = 500)
    void aNameTheCallerChoseIsNeverAStudent(@ForAll("sessionNames") String name, @ForAll("roles") String role) {
        assertThat(resolve("arn:aws:sts::123456789012:federated-user/" + name))
                .isNotInstanceOf(Principal.Student.class);
        assertThat(resolve("arn:aws:sts::123456789012:assumed-role/" + role + "/" + name))
                .isNotInstanceOf(Principal.Student.class);
    }

    /** Any text at all: never an exception, and a student's name is always the ARN's last part. */
    @Property(tries = 2000)
    void anyTextResolvesWithoutFailingAndAStudentIsNamedByTheArnsLastPart(@ForAll("arns") String arn) {
        Principal p = resolve(arn);
        assertThat(p.arn()).isEqualTo(arn.trim());
        if (p instanceof Principal.Student s) {
            assertThat(arn.trim()).endsWith("/" + s.name());
            assertThat(s.account()).isEqualTo(HOME);
        }
    }

    @Provide
    Arbitrary<String> sessionNames() {
        return Arbitraries.strings().withChars("abcdefghijklmnopqrstuvwxyzABC0123456789+=,.@_-").ofMinLength(2)
                .ofMaxLength(64);
    }

    @Provide
    Arbitrary<String> roles() {
        return Arbitraries.oneOf(Arbitraries.of("lab-role", "OrganizationAccountAccessRole", "AWSServiceRoleForEC2Spot",
                        "Admin2", "AWSReservedSSOStudent"),
                Arbitraries.strings().withChars("abcdefghijklmnopqrstuvwxyz_-").ofMinLength(1).ofMaxLength(30)
                        .filter(r -> !r.equalsIgnoreCase("StudentRole") && !r.startsWith("curfew-")));
    }

    @Provide
    Arbitrary<String> arns() {
        Arbitrary<String> piece = Arbitraries.strings().withChars("abc/:*@.-_ \n\"\\09").ofMaxLength(20);
        Arbitrary<String> prefix = Arbitraries.of("arn:aws:iam::123456789012:", "arn:aws:sts::123456789012:",
                "arn:aws-cn:iam::123456789012:user/", "arn:aws:sts::123456789012:assumed-role/",
                "arn:aws:sts::123456789012:federated-user/", "arn:aws:iam::999999999999:user/", "", "arn:");
        return net.jqwik.api.Combinators.combine(prefix, piece).as((a, b) -> a + b)
                .filter(s -> !s.isBlank());
    }
}
