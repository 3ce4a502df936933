package dev.curfew.core.policy;

import java.util.List;

/**
 * Who counts as a student (the policy's {@code identity} section); {@link dev.curfew.core.identity.Principals}
 * applies it, in the launcher and in the sentinel alike.
 *
 * @param studentRoles IAM role names whose sessions are students, named by the session name: only roles whose trust
 *                     policy pins the session name to the caller's own IAM user name ({@code sts:RoleSessionName} =
 *                     {@code ${aws:username}}); Identity Center roles ({@code AWSReservedSSO_*}) need not be listed
 * @param instructors  the instructor's and admins' ARNs, each possibly with {@code *} wildcards (any characters,
 *                     letter case ignored); whoever matches is never a student. An assumed role matches by its session
 *                     ARN ({@code arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION}) or by its role
 *                     ({@code arn:aws:iam::ACCOUNT:role/ROLE}, without the role's path)
 */
public record IdentityRules(List<String> studentRoles, List<String> instructors) {
    public IdentityRules {
        studentRoles = List.copyOf(studentRoles);
        instructors = List.copyOf(instructors);
    }

    /** The bundled default: IAM users and Identity Center sessions are students, nobody is listed. */
    public static IdentityRules defaults() {
        return new IdentityRules(List.of(), List.of());
    }
}
