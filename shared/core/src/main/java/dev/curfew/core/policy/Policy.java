package dev.curfew.core.policy;

import dev.curfew.core.accounts.AccountScope;
import dev.curfew.core.accounts.AccountTarget;
import java.time.Instant;
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
        LeftoverRules leftovers,
        LaunchLimits launcher,
        Notifications notifications,
        SentinelRules sentinel,
        IdentityRules identity,
        EnrolmentRules enrolment,
        dev.curfew.core.budget.BudgetRules budgets) {

    public Policy {
        accounts = Set.copyOf(accounts);
        regions = List.copyOf(regions);
        notifications = notifications == null ? Notifications.none() : notifications;
        sentinel = sentinel == null ? SentinelRules.defaults() : sentinel;
        identity = identity == null ? IdentityRules.defaults() : identity;
        enrolment = enrolment == null ? EnrolmentRules.defaults() : enrolment;
        budgets = budgets == null ? dev.curfew.core.budget.BudgetRules.none() : budgets;
    }

    /** A policy without a budgets section (nobody has a budget). */
    public Policy(String course, ZoneId timeZone, LocalTime curfew, Set<String> accounts, List<String> regions,
                  Mode mode, String ownerTag, Exemptions exemptions, int maxDestructiveActions,
                  LeftoverRules leftovers, LaunchLimits launcher, Notifications notifications,
                  SentinelRules sentinel, IdentityRules identity, EnrolmentRules enrolment) {
        this(course, timeZone, curfew, accounts, regions, mode, ownerTag, exemptions, maxDestructiveActions,
                leftovers, launcher, notifications, sentinel, identity, enrolment, null);
    }

    /** A policy without an enrolment section (enrolled accounts: what was created since enrolment). */
    public Policy(String course, ZoneId timeZone, LocalTime curfew, Set<String> accounts, List<String> regions,
                  Mode mode, String ownerTag, Exemptions exemptions, int maxDestructiveActions,
                  LeftoverRules leftovers, LaunchLimits launcher, Notifications notifications,
                  SentinelRules sentinel, IdentityRules identity) {
        this(course, timeZone, curfew, accounts, regions, mode, ownerTag, exemptions, maxDestructiveActions,
                leftovers, launcher, notifications, sentinel, identity, EnrolmentRules.defaults());
    }

    /** A policy without an identity section (IAM users and Identity Center sessions are students). */
    public Policy(String course, ZoneId timeZone, LocalTime curfew, Set<String> accounts, List<String> regions,
                  Mode mode, String ownerTag, Exemptions exemptions, int maxDestructiveActions,
                  LeftoverRules leftovers, LaunchLimits launcher, Notifications notifications,
                  SentinelRules sentinel) {
        this(course, timeZone, curfew, accounts, regions, mode, ownerTag, exemptions, maxDestructiveActions,
                leftovers, launcher, notifications, sentinel, IdentityRules.defaults());
    }

    /** A policy without a sentinel section (the sentinel's defaults). */
    public Policy(String course, ZoneId timeZone, LocalTime curfew, Set<String> accounts, List<String> regions,
                  Mode mode, String ownerTag, Exemptions exemptions, int maxDestructiveActions,
                  LeftoverRules leftovers, LaunchLimits launcher, Notifications notifications) {
        this(course, timeZone, curfew, accounts, regions, mode, ownerTag, exemptions, maxDestructiveActions,
                leftovers, launcher, notifications, SentinelRules.defaults());
    }

    /** A policy without a notifications section (nobody is messaged). */
    public Policy(String course, ZoneId timeZone, LocalTime curfew, Set<String> accounts, List<String> regions,
                  Mode mode, String ownerTag, Exemptions exemptions, int maxDestructiveActions,
                  LeftoverRules leftovers, LaunchLimits launcher) {
        this(course, timeZone, curfew, accounts, regions, mode, ownerTag, exemptions, maxDestructiveActions,
                leftovers, launcher, Notifications.none());
    }

    /**
     * What a sweep may touch in {@code target}'s account (README, "Students' own accounts (enrolment)"): the class
     * account whole; another account by its own entry in {@code enrolment.accounts}, else by {@code enrolment.scope}.
     * In an account of a student, every resource in scope is that student's ({@code target.owner()}).
     *
     * @param enrolledAt when the account was enrolled, or null when that is not known: then a since-enrolment scope
     *                   leaves everything out (a doubt never widens the scope), with that reason in the report
     */
    public AccountScope scopeFor(AccountTarget target, Instant enrolledAt) {
        if (target.source() == AccountTarget.Source.HOME) {
            return new AccountScope(target.account(), target.owner(), null);
        }
        EnrolmentRules.Rule rule = enrolment.ruleFor(target.account());
        Instant since = switch (rule.kind()) {
            case EVERYTHING -> null;
            case FROM_DATE -> rule.from().atStartOfDay(timeZone).toInstant();
            case SINCE_ENROLMENT -> enrolledAt != null ? enrolledAt : AccountScope.UNKNOWN_ENROLMENT;
        };
        return new AccountScope(target.account(), target.owner(), since);
    }

    /**
     * The instance rules ({@code ec2-idle}, {@code ec2-forgotten}, {@code ec2-stopped}): the rule of the registry's
     * instance kind, as its {@code KindRules} read it.
     */
    public Ec2Rules ec2() {
        return Ec2Rules.of(leftovers.rule(dev.curfew.core.model.ResourceKind.EC2_INSTANCE));
    }

    public boolean allRegions() {
        return regions.isEmpty();
    }

    public Policy withMode(Mode m) {
        return new Policy(course, timeZone, curfew, accounts, regions, m, ownerTag, exemptions,
                maxDestructiveActions, leftovers, launcher, notifications, sentinel, identity, enrolment, budgets);
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
                maxDestructiveActions, leftovers, launcher, notifications, sentinel, identity, enrolment, budgets);
    }

    public Policy withNotifications(Notifications n) {
        return new Policy(course, timeZone, curfew, accounts, regions, mode, ownerTag, exemptions,
                maxDestructiveActions, leftovers, launcher, n, sentinel, identity, enrolment, budgets);
    }

    /** The same policy with other budgets. */
    public Policy withBudgets(dev.curfew.core.budget.BudgetRules b) {
        return new Policy(course, timeZone, curfew, accounts, regions, mode, ownerTag, exemptions,
                maxDestructiveActions, leftovers, launcher, notifications, sentinel, identity, enrolment, b);
    }

    public Policy withRegions(List<String> r) {
        return new Policy(course, timeZone, curfew, accounts, r, mode, ownerTag, exemptions,
                maxDestructiveActions, leftovers, launcher, notifications, sentinel, identity, enrolment, budgets);
    }
}
