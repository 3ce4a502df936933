package dev.curfew.core.sentinel;

import dev.curfew.core.accounts.AccountScope;
import dev.curfew.core.accounts.AccountTarget;
import dev.curfew.core.enrol.Enrolment;
import dev.curfew.core.identity.Principal;
import dev.curfew.core.identity.Principals;
import dev.curfew.core.model.CurfewTags;
import dev.curfew.core.plan.CurfewTimes;
import dev.curfew.core.policy.Policy;
import java.time.format.DateTimeFormatter;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the sentinel does with a creating call (README, "Sentinel"): whose the created resources are and which tags
 * they get, or why nothing is tagged. A failed call, a call an AWS service made on someone's behalf, a call by
 * Curfew's own roles and a call by anyone who is not a student (the instructor, an admin, root, a federated user, a
 * role session the policy does not name) tag nothing. In a student's own account what is created is that student's,
 * whoever CloudTrail names (the account is AWS's word for whose it is). Pure: the caller writes the tags.
 */
public final class CreationCheck {
    private static final String BY_CURFEW = "skipped: made by Curfew itself";

    private CreationCheck() {
    }

    /**
     * @param owner      whose the resources are (for the report), or null when not known
     * @param tags       the tags to write (only those a resource does not have yet), or null when nothing is tagged
     * @param outcome    why nothing is tagged, or null when {@code tags} is set
     * @param notAStudent why the caller is not a student, when that is why nothing is tagged; else null
     */
    public record Creation(String owner, Map<String, String> tags, String outcome, String notAStudent) {
        public boolean tagged() {
            return tags != null;
        }

        /** Whether nothing is tagged because Curfew itself made the call (its launcher, in the class account). */
        public boolean byCurfew() {
            return outcome != null && outcome.startsWith(BY_CURFEW);
        }
    }

    /**
     * @param target        the account the call was made in (with its student, for a student's own account)
     * @param ownRolePrefix the names of Curfew's own roles begin with it ({@code <stack>-}), or null
     */
    public static Creation check(Policy p, SentinelEvent.ApiCall c, AccountTarget target, String ownRolePrefix) {
        String accountOwner = target.owner();
        Principal who = c.caller() == null || accountOwner != null ? null : Principals.resolve(c.caller(),
                p.identity(), c.account(), target.assumesRole() ? null : ownRolePrefix);
        String owner = accountOwner != null ? accountOwner : who instanceof Principal.Student s ? s.name() : null;
        if (c.errorCode() != null) {
            return new Creation(owner, null, "skipped: the call failed (" + c.errorCode() + "), nothing was created",
                    null);
        }
        if (c.service() != null) {
            // EMR launching a cluster's instances, Auto Scaling, ...: the role session is the service's, not a
            // student's; the cluster (RunJobFlow) or the group is what carries the owner
            return new Creation(owner, null, "skipped: made by " + c.service() + " on someone's behalf", null);
        }
        if (who instanceof Principal.Staff s && s.kind() == Principal.Kind.CURFEW
                || target.assumesRole() && curfewInEnrolledAccount(c.callerArn(), c.account())) {
            return new Creation(owner, null, BY_CURFEW + " (" + c.callerArn() + ")", null);
        }
        if (owner == null) {
            // the instructor, an admin, root, or a name the caller chose (a federated user, a role session the policy
            // does not name): nothing is tagged, so none of it becomes a student's (a created-by tag alone would make
            // a bucket a student bucket)
            String why = who == null ? "CloudTrail names no caller" : who.reason();
            return new Creation(null, null, "not tagged: not a student's (" + why + ")", why);
        }
        Map<String, String> tags = new LinkedHashMap<>();
        tags.put(p.ownerTag(), owner);
        if (c.callerArn() != null) {
            tags.put(CurfewTags.CREATED_BY, c.callerArn());
        }
        tags.put(p.ec2().forgotten().expiresTag(), DateTimeFormatter.ISO_INSTANT.format(CurfewTimes.next(p,
                c.time())));
        // when it came to be, for the scope of an enrolled account (kinds AWS gives no creation time)
        tags.put(AccountScope.CREATED_AT_TAG, DateTimeFormatter.ISO_INSTANT.format(c.time()));
        return new Creation(owner, Collections.unmodifiableMap(tags), null, null);
    }

    /** Whether a caller is Curfew itself in an enrolled account: a session of the role it assumes there. */
    public static boolean curfewInEnrolledAccount(String callerArn, String account) {
        return callerArn != null && callerArn.matches("arn:aws[a-z-]*:sts::" + account + ":assumed-role/"
                + Enrolment.ROLE_NAME + "/[\\w+=,.@-]+");
    }
}
