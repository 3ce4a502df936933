package dev.curfew.core.sentinel;

import dev.curfew.core.model.Resource;
import dev.curfew.core.model.ResourceKind;
import dev.curfew.core.plan.ExemptCheck;
import dev.curfew.core.policy.Mode;
import dev.curfew.core.policy.Policy;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Whether a running instance keeps to the course's launch limits (the policy's {@code launcher} section: allowed
 * types, running instances per student) and what the sentinel does about it (the {@code sentinel} section's action).
 * Pure: the caller reads the instance and the owner's running count.
 */
public final class LaunchCheck {
    private LaunchCheck() {
    }

    /** A breach of an instance type not allowed. */
    public static final String TYPE = "type";
    /** A breach of the running instances per student. */
    public static final String CAP = "cap";
    /** The tag EC2 puts on the instances a Spot Fleet request launches (its {@code sfr-...} id). */
    public static final String SPOT_FLEET_TAG = "aws:ec2spot:fleet-request-id";
    /** The tag EC2 puts on the instances an EC2 Fleet launches (its {@code fleet-...} id). */
    public static final String FLEET_TAG = "aws:ec2:fleet-id";

    /**
     * The Spot Fleet request or EC2 Fleet that launched the instance, as EC2's {@code aws:} tag names it (nobody
     * else can write such a key), or null.
     */
    public static String fleetOf(Map<String, String> tags) {
        String sfr = tags.get(SPOT_FLEET_TAG);
        return sfr != null && !sfr.isBlank() ? sfr : tags.get(FLEET_TAG) != null && !tags.get(FLEET_TAG).isBlank()
                ? tags.get(FLEET_TAG) : null;
    }

    /** What the owner of a fleet's instance outside the limits is told to do: the fleet, not the instance. */
    public static String fleetAdvice(String fleet) {
        return fleet.startsWith("sfr-")
                ? "part of the Spot Fleet request " + fleet + ": Curfew does not stop it (the fleet would launch "
                + "another); lower its target capacity (aws ec2 modify-spot-fleet-request --spot-fleet-request-id "
                + fleet + " --target-capacity N) or cancel it (aws ec2 cancel-spot-fleet-requests "
                + "--spot-fleet-request-ids " + fleet + " --terminate-instances)"
                : "part of the EC2 Fleet " + fleet + ": Curfew does not stop it (the fleet would launch another); "
                + "lower its target capacity (aws ec2 modify-fleet --fleet-id " + fleet + " "
                + "--target-capacity-specification TotalTargetCapacity=N) or delete it (aws ec2 delete-fleets "
                + "--fleet-ids " + fleet + " --terminate-instances)";
    }

    /**
     * One way an instance is outside the limits.
     *
     * @param kind {@link #TYPE} or {@link #CAP}: what a message is told once per instance for
     * @param text the breach in words, for the owner
     */
    public record Breach(String kind, String text) {
    }

    /**
     * @param found  why the instance is outside the limits; empty when it is within them
     * @param action {@code none}, {@code notify}, {@code stop} or {@code terminate}: what to do now
     * @param note   why the action is weaker than the policy's (exempt, dry-run, spot), or null
     */
    public record Verdict(List<Breach> found, String action, String note) {
        public Verdict {
            found = List.copyOf(found);
        }

        /** The breaches in words. */
        public List<String> breaches() {
            return found.stream().map(Breach::text).toList();
        }

        /** The kinds of breach, sorted, each once. */
        public List<String> kinds() {
            return found.stream().map(Breach::kind).distinct().sorted().toList();
        }

        /**
         * The record that claims the telling of all these kinds together ({@code type}, {@code cap},
         * {@code cap-and-type}): of two sentinels that see the same breaches at once, only the one that creates it
         * goes on (README, "Sentinel").
         */
        public String claim() {
            return String.join("-and-", kinds());
        }

        /** The breaches, in words, of the given kinds: those not told before. */
        public List<String> breaches(java.util.Collection<String> kinds) {
            return found.stream().filter(b -> kinds.contains(b.kind())).map(Breach::text).toList();
        }

        /** Whether the owner is to be told (a breach, and an action that is not {@code none}). */
        public boolean tell() {
            return !found.isEmpty() && !action.equals("none");
        }

        public boolean destructive() {
            return action.equals("stop") || action.equals("terminate");
        }
    }

    /**
     * @param running the owner's pending or running instances in the region, this one included; ignored when the
     *                owner is null (not known yet)
     */
    public static Verdict check(Policy p, String instanceId, String region, String type, boolean spot,
                                Map<String, String> tags, String owner, int running, Instant now) {
        List<Breach> breaches = new ArrayList<>();
        if (!p.launcher().allowedTypes().contains(type)) {
            breaches.add(new Breach(TYPE, "instance type " + type + " is not allowed (allowed: "
                    + String.join(", ", p.launcher().allowedTypes()) + ")"));
        }
        int cap = p.launcher().maxRunningPerStudent();
        if (owner != null && running > cap) {
            breaches.add(new Breach(CAP, owner + " has " + running + " running instances in " + region
                    + " (the course allows " + cap + ")"));
        }
        if (breaches.isEmpty()) {
            return new Verdict(breaches, "none", null);
        }
        Resource r = new Resource() {
            @Override
            public ResourceKind kind() {
                return ResourceKind.EC2_INSTANCE;
            }

            @Override
            public String id() {
                return instanceId;
            }

            @Override
            public String region() {
                return region;
            }

            @Override
            public Map<String, String> tags() {
                return tags;
            }

            @Override
            public Resource withTags(Map<String, String> t) {
                throw new UnsupportedOperationException("a launch being checked is not re-tagged");
            }
        };
        String exempt = ExemptCheck.reason(r, p, now);
        String action = p.sentinel().action();
        if (exempt != null) {
            return new Verdict(breaches, "none", exempt);
        }
        if (action.equals("notify")) {
            return new Verdict(breaches, "notify", null);
        }
        String fleet = fleetOf(tags);
        if (fleet != null) {
            // a fleet that maintains its capacity replaces an instance stopped or terminated for it, and the
            // replacement breaches again: the owner is told what to change in the fleet, nothing is stopped
            return new Verdict(breaches, "notify", fleetAdvice(fleet));
        }
        if (p.mode() != Mode.ENFORCE) {
            return new Verdict(breaches, "notify", "dry-run: would " + action);
        }
        if (spot) {
            // one-time spot instances cannot be stopped, and terminating the instance of a persistent request makes
            // AWS launch another: the sweep cancels the request first; the sentinel only tells
            return new Verdict(breaches, "notify", "a spot instance is only told about (the sweep cancels its request "
                    + "before terminating it)");
        }
        return new Verdict(breaches, action, null);
    }
}
