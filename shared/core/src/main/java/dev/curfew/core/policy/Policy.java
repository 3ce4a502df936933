package dev.curfew.core.policy;

import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Set;

/**
 * A course's cleanup policy, validated. Build one with {@link PolicyLoader}.
 *
 * @param regions the regions to sweep; empty means every enabled region of the account
 */
public record Policy(
        String course,
        ZoneId timeZone,
        LocalTime curfew,
        Set<String> accounts,
        List<String> regions,
        Mode mode,
        String ownerTag,
        Exemptions exemptions,
        int maxDestructiveActions,
        Ec2Rules ec2,
        LeftoverRules leftovers,
        LaunchLimits launcher,
        Notifications notifications,
        SentinelRules sentinel,
        IdentityRules identity) {

    public Policy {
        accounts = Set.copyOf(accounts);
        regions = List.copyOf(regions);
        notifications = notifications == null ? Notifications.none() : notifications;
        sentinel = sentinel == null ? SentinelRules.defaults() : sentinel;
        identity = identity == null ? IdentityRules.defaults() : identity;
    }

    /** A policy without an identity section (IAM users and Identity Center sessions are students). */
    public Policy(String course, ZoneId timeZone, LocalTime curfew, Set<String> accounts, List<String> regions,
                  Mode mode, String ownerTag, Exemptions exemptions, int maxDestructiveActions, Ec2Rules ec2,
                  LeftoverRules leftovers, LaunchLimits launcher, Notifications notifications,
                  SentinelRules sentinel) {
        this(course, timeZone, curfew, accounts, regions, mode, ownerTag, exemptions, maxDestructiveActions, ec2,
                leftovers, launcher, notifications, sentinel, IdentityRules.defaults());
    }

    /** A policy without a sentinel section (the sentinel's defaults). */
    public Policy(String course, ZoneId timeZone, LocalTime curfew, Set<String> accounts, List<String> regions,
                  Mode mode, String ownerTag, Exemptions exemptions, int maxDestructiveActions, Ec2Rules ec2,
                  LeftoverRules leftovers, LaunchLimits launcher, Notifications notifications) {
        this(course, timeZone, curfew, accounts, regions, mode, ownerTag, exemptions, maxDestructiveActions, ec2,
                leftovers, launcher, notifications, SentinelRules.defaults());
    }

    /** A policy without a notifications section (nobody is messaged). */
    public Policy(String course, ZoneId timeZone, LocalTime curfew, Set<String> accounts, List<String> regions,
                  Mode mode, String ownerTag, Exemptions exemptions, int maxDestructiveActions, Ec2Rules ec2,
                  LeftoverRules leftovers, LaunchLimits launcher) {
        this(course, timeZone, curfew, accounts, regions, mode, ownerTag, exemptions, maxDestructiveActions, ec2,
                leftovers, launcher, Notifications.none());
    }

    public boolean allRegions() {
        return regions.isEmpty();
    }

    public Policy withMode(Mode m) {
        return new Policy(course, timeZone, curfew, accounts, regions, m, ownerTag, exemptions,
                maxDestructiveActions, ec2, leftovers, launcher, notifications, sentinel, identity);
    }

    /** The same policy with one more exempt CloudFormation stack (Curfew's own, when deployed). */
    public Policy withExemptStack(String stack) {
        if (stack == null || stack.isBlank() || exemptions.stacks().contains(stack)) {
            return this;
        }
        java.util.Set<String> stacks = new java.util.LinkedHashSet<>(exemptions.stacks());
        stacks.add(stack);
        return new Policy(course, timeZone, curfew, accounts, regions, mode, ownerTag,
                new Exemptions(exemptions.keepTag(), exemptions.longestKeep(), exemptions.allowList(), stacks),
                maxDestructiveActions, ec2, leftovers, launcher, notifications, sentinel, identity);
    }

    public Policy withNotifications(Notifications n) {
        return new Policy(course, timeZone, curfew, accounts, regions, mode, ownerTag, exemptions,
                maxDestructiveActions, ec2, leftovers, launcher, n, sentinel, identity);
    }

    public Policy withRegions(List<String> r) {
        return new Policy(course, timeZone, curfew, accounts, r, mode, ownerTag, exemptions,
                maxDestructiveActions, ec2, leftovers, launcher, notifications, sentinel, identity);
    }
}
