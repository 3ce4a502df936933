package dev.curfew.core.launch;

import dev.curfew.core.plan.CurfewTimes;
import dev.curfew.core.policy.Ec2Rules;
import dev.curfew.core.policy.LaunchLimits;
import dev.curfew.core.policy.Mode;
import dev.curfew.core.policy.Policy;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * What the launcher says back: a JSON-ready map with a {@code message} a person can read. Pure: every figure is
 * passed in, so the text is tested as it is.
 */
public final class Answers {
    private static final DateTimeFormatter LOCAL = DateTimeFormatter.ofPattern("EEE d MMM HH:mm", Locale.ENGLISH);

    private Answers() {
    }

    /** What a successful launch tells the student. */
    public record Launched(Caller caller, CloudInstance instance, LaunchRequest request, ZoneChoice choice,
                           Instant now, Instant expiresAt, String address, String sshUser, String groupId,
                           String cidr, String baseUrl) {
    }

    public static Map<String, Object> launched(Launched l, Policy policy) {
        ZoneQuote q = l.choice().chosen().orElseThrow();
        Map<String, Object> price = price(q.current(), policy.launcher().priceCapPerHour(),
                l.request().region(), l.request().instanceType());
        String ssh = l.address() == null ? null : sshCommand(l.request().keyName(), l.sshUser(), l.address());
        String cleanup = cleanup(policy, l.now(), l.expiresAt());
        String terminate = terminateCommand(l.baseUrl(), l.request().region(), l.instance().id());

        Map<String, Object> out = new LinkedHashMap<>();
        out.put("instanceId", l.instance().id());
        out.put("instanceType", l.request().instanceType());
        out.put("region", l.request().region());
        if (l.caller().ownAccount()) {
            out.put("account", l.caller().accountId());
        }
        out.put("zone", q.zone());
        out.put("owner", l.caller().owner());
        out.put("state", l.instance().state());
        out.put("price", price);
        out.put("zones", zones(l.choice()));
        out.put("expiresAt", l.expiresAt().toString());
        out.put("cleanup", cleanup);
        Map<String, Object> sshMap = new LinkedHashMap<>();
        sshMap.put("command", ssh);
        sshMap.put("address", l.address());
        sshMap.put("allowedFrom", l.cidr());
        sshMap.put("securityGroupId", l.groupId());
        out.put("ssh", sshMap);
        out.put("terminate", terminate);

        StringBuilder m = new StringBuilder();
        m.append("Launched ").append(l.instance().id()).append(" (").append(l.request().instanceType())
                .append(", one-time spot) for ").append(l.caller().owner()).append(" in ").append(q.zone())
                .append(inAccount(l.caller())).append(".\n");
        m.append("Price: ").append(priceSentence(price, l.request().region())).append('\n');
        m.append("Cleanup: ").append(cleanup).append('\n');
        if (ssh != null) {
            m.append("SSH, open to ").append(l.cidr()).append(" only:\n  ").append(ssh).append('\n');
        } else {
            m.append("SSH is open to ").append(l.cidr()).append(" only; the instance has no public address yet: "
                    + "list your instances in a minute to get the ssh command.\n");
        }
        m.append("Done early? Terminate it: ").append(terminate);
        out.put("message", m.toString());
        return out;
    }

    /** The price block: spot now, the cap, the on-demand price it is compared with, and where that comes from. */
    static Map<String, Object> price(BigDecimal spot, BigDecimal cap, String region, String type) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("spotPerHour", usd(spot));
        p.put("maxPricePerHour", usd(cap));
        Optional<OnDemandPrices.Quote> od = OnDemandPrices.lookup(region, type);
        if (od.isPresent()) {
            p.put("onDemandPerHour", usd(od.get().perHour()));
            p.put("onDemandRegion", od.get().region());
            if (od.get().perHour().signum() > 0) {
                BigDecimal saving = BigDecimal.ONE.subtract(spot.divide(od.get().perHour(), 6, RoundingMode.HALF_UP))
                        .multiply(BigDecimal.valueOf(100)).setScale(0, RoundingMode.HALF_UP);
                p.put("savingPercent", saving.intValue());
            }
        } else {
            p.put("onDemandPerHour", null);
        }
        p.put("onDemandSource", OnDemandPrices.SOURCE + ", as of " + OnDemandPrices.AS_OF);
        return p;
    }

    static String priceSentence(Map<String, Object> p, String region) {
        StringBuilder s = new StringBuilder("$" + p.get("spotPerHour") + "/h spot (you pay at most $"
                + p.get("maxPricePerHour") + "/h, the course's cap)");
        if (p.get("onDemandPerHour") != null) {
            s.append("; on-demand is $").append(p.get("onDemandPerHour")).append("/h");
            if (!p.get("onDemandRegion").equals(region)) {
                s.append(" in ").append(p.get("onDemandRegion"));
            }
            Object saving = p.get("savingPercent");
            if (saving != null) {
                int pct = (Integer) saving;
                s.append(pct >= 0 ? ", so " + pct + "% less" : ", so " + (-pct) + "% more");
            }
            s.append(" (").append(p.get("onDemandSource")).append(")");
        } else {
            s.append("; Curfew's table has no on-demand price for this type");
        }
        return s.append('.').toString();
    }

    /**
     * When Curfew will clean the instance up, from the policy the sweeper runs: honest about dry-run and about a
     * rule that is turned off.
     */
    public static String cleanup(Policy policy, Instant now, Instant expiresAt) {
        Ec2Rules.Forgotten f = policy.ec2().forgotten();
        String expires = "It expires at " + expiresAt + " (" + local(policy, expiresAt) + ")";
        String spot = " AWS may also reclaim a spot instance at any time, with two minutes' notice; it is then "
                + "terminated.";
        if (policy.mode() == Mode.DRY_RUN) {
            return expires + ", but Curfew runs in dry-run in this account and will not terminate it: terminate "
                    + "it yourself when you are done." + spot;
        }
        if (!f.enabled()) {
            return expires + ", but the course policy's ec2-forgotten rule is off, so Curfew will not terminate "
                    + "it for that: terminate it yourself when you are done." + spot;
        }
        Instant curfew = CurfewTimes.next(policy, now);
        String action = f.action().toString().toLowerCase(Locale.ROOT);
        if (f.atCurfew() && curfew.isBefore(expiresAt)) {
            return expires + "; the curfew comes first: Curfew's sweep at " + local(policy, curfew) + " ("
                    + curfew + ") will " + action + " it." + spot;
        }
        return expires + "; Curfew's first sweep after that will " + action + " it"
                + (f.atCurfew() ? ", at the curfew (" + local(policy, curfew) + ") at the latest" : "") + "." + spot;
    }

    public static String sshCommand(String keyName, String user, String address) {
        return "ssh -i ~/.ssh/" + shellWord(keyName + ".pem") + " " + user + "@" + address;
    }

    /** The user name of the course's AMI, guessed from its name; Amazon Linux (ec2-user) unless it says otherwise. */
    public static String sshUser(String ami) {
        String a = ami.toLowerCase(Locale.ROOT);
        if (a.contains("ubuntu")) {
            return "ubuntu";
        }
        if (a.contains("debian")) {
            return "admin";
        }
        return "ec2-user";
    }

    static String terminateCommand(String baseUrl, String region, String instanceId) {
        String url = (baseUrl == null ? "$CURFEW_URL" : baseUrl) + "/instances/" + instanceId;
        return "awscurl --service lambda --region " + region + " -X DELETE " + url;
    }

    static List<Map<String, Object>> zones(ZoneChoice choice) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (ZoneQuote z : choice.zones()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("zone", z.zone());
            m.put("spotPerHour", usd(z.current()));
            m.put("highestInLastHour", usd(z.highestInHour()));
            m.put("underCap", z.underCap());
            out.add(m);
        }
        return out;
    }

    /** Refused for price: every zone's current price, so the student sees how far over the cap the market is. */
    public static Refusal overCap(LaunchRequest r, ZoneChoice choice) {
        StringBuilder m = new StringBuilder("no zone of " + r.region() + " sells " + r.instanceType()
                + " at or under the course's cap of $" + usd(choice.cap()) + "/h right now; current spot prices: ");
        List<String> parts = new ArrayList<>();
        for (ZoneQuote z : choice.zones()) {
            parts.add(z.zone() + " $" + usd(z.current()) + "/h");
        }
        m.append(String.join(", ", parts)).append(". Try a smaller type, another region, or later; nothing was "
                + "launched");
        return new Refusal(409, "over-price-cap", m.toString(),
                Map.of("capPerHour", usd(choice.cap()), "zones", zones(choice)));
    }

    public static Map<String, Object> listed(Caller caller, List<CloudInstance> mine, Policy policy, String sshUser,
                                             String baseUrl) {
        List<Map<String, Object>> rows = new ArrayList<>();
        StringBuilder m = new StringBuilder();
        long live = mine.stream().filter(CloudInstance::live).count();
        int cap = policy.launcher().maxRunningPerStudent();
        m.append(caller.owner()).append(" has ").append(live).append(" running instance")
                .append(live == 1 ? "" : "s").append(inAccount(caller)).append(" (the course allows ").append(cap)
                .append(")");
        m.append(mine.isEmpty() ? "." : ":");
        String expiresTag = policy.ec2().forgotten().expiresTag();
        for (CloudInstance i : mine) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("instanceId", i.id());
            r.put("region", i.region());
            r.put("zone", i.zone());
            r.put("instanceType", i.instanceType());
            r.put("state", i.state());
            r.put("lifecycle", i.lifecycle() == null ? "on-demand" : i.lifecycle());
            r.put("launchTime", i.launchTime() == null ? null : i.launchTime().toString());
            r.put("expiresAt", i.tag(expiresTag));
            r.put("publicIp", i.publicIp());
            String ssh = i.live() && i.publicIp() != null && i.keyName() != null
                    ? sshCommand(i.keyName(), sshUser, i.publicIp()) : null;
            r.put("ssh", ssh);
            r.put("terminate", terminateCommand(baseUrl, i.region(), i.id()));
            rows.add(r);
            m.append("\n  ").append(i.id()).append("  ").append(i.instanceType()).append("  ").append(i.state())
                    .append("  ").append(i.zone() == null ? i.region() : i.zone());
            if (i.tag(expiresTag) != null) {
                m.append("  expires ").append(i.tag(expiresTag));
            }
            if (ssh != null) {
                m.append("\n    ").append(ssh);
            }
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("owner", caller.owner());
        if (caller.ownAccount()) {
            out.put("account", caller.accountId());
        }
        out.put("running", live);
        out.put("maxRunning", cap);
        out.put("instances", rows);
        out.put("message", m.toString());
        return out;
    }

    public static Map<String, Object> terminated(Caller caller, CloudInstance i, String stateAfter, boolean already) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("instanceId", i.id());
        out.put("region", i.region());
        if (caller.ownAccount()) {
            out.put("account", caller.accountId());
        }
        out.put("owner", caller.owner());
        out.put("previousState", i.state());
        out.put("state", stateAfter);
        out.put("message", already ? i.id() + " was already terminated; nothing to do."
                : "Terminating " + i.id() + " (" + i.instanceType() + " in " + (i.zone() == null ? i.region()
                : i.zone()) + "): it was " + i.state() + ", it is now " + stateAfter + ".");
        return out;
    }

    /** ", in your own account 111111111111" for a caller of their own enrolled account; nothing otherwise. */
    static String inAccount(Caller caller) {
        return caller.ownAccount() ? ", in your own account " + caller.accountId() : "";
    }

    /** GET /: what this course allows, and how to ask. */
    public static Map<String, Object> usage(Policy policy, List<String> regions, Caller caller, String baseUrl) {
        LaunchLimits l = policy.launcher();
        String url = baseUrl == null ? "$CURFEW_URL" : baseUrl;
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("course", policy.course());
        if (caller != null) {
            out.put("you", caller.owner());
        }
        Map<String, Object> limits = new LinkedHashMap<>();
        limits.put("allowedTypes", l.allowedTypes());
        limits.put("maxHours", l.maxHours());
        limits.put("maxRunningPerStudent", l.maxRunningPerStudent());
        limits.put("regions", regions);
        limits.put("priceCapPerHour", usd(l.priceCapPerHour()));
        out.put("limits", limits);
        out.put("launch", "POST " + url + "/instances  {\"instanceType\": \"" + l.allowedTypes().get(0)
                + "\", \"hours\": 2, \"keyName\": \"my-key\", \"region\": \"" + regions.get(0) + "\"}");
        out.put("list", "GET " + url + "/instances");
        out.put("terminate", "DELETE " + url + "/instances/i-...");
        out.put("message", "Curfew launcher for " + policy.course() + ": one-time spot instances of "
                + String.join(", ", l.allowedTypes()) + ", up to " + l.maxHours() + " h, at most "
                + l.maxRunningPerStudent() + " running per student, in " + String.join(", ", regions)
                + ", at most $" + usd(l.priceCapPerHour()) + "/h. Sign every request with your AWS credentials "
                + "(awscurl --service lambda).");
        return out;
    }

    /**
     * AWS refused a call for a reason the launcher has no better words for: its error code and where the
     * instructor finds the rest, never AWS's own message.
     */
    public static Refusal awsRefused(String code, String what, String reference, String tail) {
        return new Refusal(502, "aws-error", "AWS refused " + what + " (" + code + ")." + tail + " The instructor "
                + "can read AWS's full answer in the launcher's log under request " + reference + ".",
                Map.of("awsError", code, "requestId", reference));
    }

    public static Map<String, Object> refusal(Refusal r) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("error", r.code());
        out.put("status", r.status());
        out.put("message", r.getMessage());
        out.putAll(r.details());
        return out;
    }

    static String usd(BigDecimal v) {
        BigDecimal s = v.stripTrailingZeros();
        if (s.scale() < 2) {
            s = s.setScale(2, RoundingMode.UNNECESSARY);
        }
        return s.toPlainString();
    }

    static String local(Policy policy, Instant t) {
        return LOCAL.format(t.atZone(policy.timeZone())) + " " + policy.timeZone().getId();
    }

    private static String shellWord(String s) {
        return s.matches("[A-Za-z0-9._@%+=:,/-]+") ? s : "'" + s.replace("'", "'\\''") + "'";
    }
}
