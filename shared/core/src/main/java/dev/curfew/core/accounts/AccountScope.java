package dev.curfew.core.accounts;

import dev.curfew.core.model.Ec2Instance;
import dev.curfew.core.model.ElasticIp;
import dev.curfew.core.model.Inventory;
import dev.curfew.core.model.Resource;
import dev.curfew.core.model.ResourceKind;
import dev.curfew.core.model.SecurityGroup;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * What a sweep may touch in one account (README, "Students' own accounts"). In the class account, and in an account
 * the instructor widened to everything, that is everything ({@link #everything}). In a student's own account it is
 * what was created since enrolment: a student who already had the account may keep personal things in it, and those
 * are listed in the report as out of scope and never touched.
 *
 * <p>A resource is in scope when the time it came to be is known and not before {@code since}: an instance's root
 * volume attach time (its launch time is reset by every start, so it never dates an instance), a volume's create time, a snapshot's start time, a bucket's creation
 * date, an image's and an EMR cluster's creation time, a spot request's create time. Kinds AWS gives no creation
 * time (Elastic IPs, security groups) are in scope only when the sentinel recorded their creation after enrolment in
 * {@link #CREATED_AT_TAG}. A time that is not known puts the resource out of scope: a doubt never widens the scope.
 *
 * <p>In a student's own account every resource in scope is that student's ({@code owner}): the account is AWS's word
 * for whose it is, so no owner tag is needed, and an owner tag naming somebody else is overruled.
 *
 * @param account the 12-digit account id
 * @param owner   the student whose account it is (their roster owner name), or null for the class account
 * @param since   the start of the scope, or null for everything
 */
public record AccountScope(String account, String owner, Instant since) {
    /** Written by the sentinel when it tags a resource at creation: the event's time, ISO-8601. */
    public static final String CREATED_AT_TAG = dev.curfew.core.model.CurfewTags.CREATED_AT;

    /**
     * The {@code since} of an account whose enrolment time is not known: nothing in it is in scope (a doubt never
     * widens the scope) until that time is known or the policy widens the account.
     */
    public static final Instant UNKNOWN_ENROLMENT = Instant.MAX;

    /** Everything in the account is in scope (the class account, or an account the policy widened). */
    public static AccountScope everything(String account) {
        return new AccountScope(account, null, null);
    }

    public boolean limited() {
        return since != null;
    }

    /** Why a resource is out of scope, or null when it is in scope. */
    public String outOfScope(Resource r) {
        if (since == null) {
            return null;
        }
        if (since.equals(UNKNOWN_ENROLMENT)) {
            return "out of scope: when this account was enrolled is not known, so nothing in it is touched (the "
                    + "policy's enrolment.accounts can widen it)";
        }
        Instant born = r.created();
        if (born == null) {
            return "out of scope: " + (r instanceof ElasticIp || r instanceof SecurityGroup || r instanceof Ec2Instance
                    ? "Curfew did not record its creation after enrolment (" + CREATED_AT_TAG + ")"
                    : "its creation time is not known") + "; this account is in scope from " + since;
        }
        if (born.isBefore(since)) {
            return "out of scope: created " + born + ", before enrolment (" + since + "); left alone";
        }
        return null;
    }

    /** A resource left out of a sweep, and why. */
    public record Left(Resource resource, String reason) {
    }

    /** An inventory cut to the scope, and what was left out. */
    public record Split(Inventory inScope, List<Left> outOfScope) {
    }

    /**
     * Cuts an inventory to the scope; in a student's account, every resource kept carries {@code owner} under the
     * policy's owner tag (in memory only: nothing is written).
     */
    public Split split(Inventory inv, String ownerTag) {
        List<Left> left = new ArrayList<>();
        Map<ResourceKind, List<Resource>> kept = new java.util.EnumMap<>(ResourceKind.class);
        inv.byKind().forEach((kind, all) -> kept.put(kind, keep(all, left, r -> r.withTags(owned(r.tags(),
                ownerTag)))));
        Inventory in = new Inventory(kept, inv.metrics(), inv.failures());
        return new Split(in, List.copyOf(left));
    }

    private <R extends Resource> List<R> keep(List<R> all, List<Left> left, Function<R, R> own) {
        List<R> kept = new ArrayList<>();
        for (R r : all) {
            String why = outOfScope(r);
            if (why != null) {
                left.add(new Left(r, why));
            } else {
                kept.add(owner == null ? r : own.apply(r));
            }
        }
        return kept;
    }

    private Map<String, String> owned(Map<String, String> tags, String ownerTag) {
        Map<String, String> m = new HashMap<>(tags);
        m.put(ownerTag, owner);
        return m;
    }
}
