package dev.curfew.core.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The policy's {@code identity} section: who is a student. */
class IdentityPolicyTest {

    @Test
    void theBundledDefaultNamesNoRoleAndNoInstructor() {
        Policy p = PolicyLoader.bundledDefault(List.of());
        assertThat(p.identity()).isEqualTo(new IdentityRules(List.of(), List.of()));
        assertThat(PolicyLoader.load("course: x", "p.yaml").identity()).isEqualTo(IdentityRules.defaults());
    }

    @Test
    void rolesAndInstructorsAreRead() {
        Policy p = PolicyLoader.load("""
                identity:
                  student-roles: [StudentRole, lab-role]
                  instructors:
                    - arn:aws:iam::123456789012:user/teacher
                    - arn:aws:sts::123456789012:assumed-role/AWSReservedSSO_AdministratorAccess_*/*
                """, "p.yaml");
        assertThat(p.identity().studentRoles()).containsExactly("StudentRole", "lab-role");
        assertThat(p.identity().instructors()).containsExactly("arn:aws:iam::123456789012:user/teacher",
                "arn:aws:sts::123456789012:assumed-role/AWSReservedSSO_AdministratorAccess_*/*");
    }

    @Test
    void everyBadEntryIsNamedByItsPath() {
        PolicyException e = catchThrowableOfType(PolicyException.class, () -> PolicyLoader.load("""
                identity:
                  student-roles: [StudentRole, "arn:aws:iam::123456789012:role/Lab", AWSServiceRoleForEC2Spot]
                  instructors: [arn:aws:iam::123456789012:user/teacher, teacher]
                  admins: []
                """, "p.yaml"));
        assertThat(e).isNotNull();
        assertThat(e.problems()).hasSize(4);
        assertThat(e.problems()).anySatisfy(x -> assertThat(x).startsWith("identity.student-roles[1]: ")
                .contains("not an IAM role name"));
        assertThat(e.problems()).anySatisfy(x -> assertThat(x).startsWith("identity.student-roles[2]: ")
                .contains("service-linked role"));
        assertThat(e.problems()).anySatisfy(x -> assertThat(x).startsWith("identity.instructors[1]: ")
                .contains("\"teacher\" is not an ARN"));
        assertThat(e.problems()).anySatisfy(x -> assertThat(x).startsWith("identity.admins: unknown field"));

        PolicyException notAList = catchThrowableOfType(PolicyException.class, () -> PolicyLoader.load("""
                identity:
                  instructors: arn:aws:iam::123456789012:user/teacher
                """, "p.yaml"));
        assertThat(notAList.problems()).singleElement().asString().startsWith("identity.instructors: expected a list");
    }

    @Test
    void theDeploymentsInstructorsReplaceThePolicysAndABadOneNamesItsOrigin() {
        Policy p = PolicyLoader.load("""
                identity:
                  instructors: [arn:aws:iam::123456789012:user/old]
                """, "p.yaml", List.of(new PolicyOverride("identity.instructors",
                " arn:aws:iam::123456789012:user/teacher, arn:aws:iam::123456789012:user/ta ", "CURFEW_INSTRUCTORS")));
        assertThat(p.identity().instructors()).containsExactly("arn:aws:iam::123456789012:user/teacher",
                "arn:aws:iam::123456789012:user/ta");
        // the bundled policy, as a fresh deploy reads it, gets them too
        assertThat(PolicyLoader.bundledDefault(List.of(new PolicyOverride("identity.instructors",
                "arn:aws:iam::123456789012:user/teacher", "CURFEW_INSTRUCTORS"))).identity().instructors())
                .containsExactly("arn:aws:iam::123456789012:user/teacher");

        PolicyException e = catchThrowableOfType(PolicyException.class, () -> PolicyLoader.load("course: x", "p.yaml",
                List.of(new PolicyOverride("identity.instructors", "arn:aws:iam::123456789012:user/t,teacher",
                        "CURFEW_INSTRUCTORS"))));
        assertThat(e).isNotNull();
        assertThat(e.problems()).singleElement().asString().contains("identity.instructors[1]")
                .contains("\"teacher\" is not an ARN");
    }
}
