package dev.curfew.core.launch;

import dev.curfew.core.policy.LaunchLimits;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A launch request that passed every check the policy's {@code launcher} section makes without asking AWS:
 * an allowed instance type, whole hours within the maximum, a plausible key pair name, an allowed region.
 */
public record LaunchRequest(String instanceType, int hours, String keyName, String region) {
    /** The fields a request may have. */
    public static final Set<String> FIELDS = Set.of("instanceType", "hours", "keyName", "region");
    private static final Pattern KEY_NAME = Pattern.compile("[\\x20-\\x7e]{1,255}");
    private static final Pattern REGION = Pattern.compile("[a-z]{2}(-[a-z]+)+-\\d{1,2}");

    /**
     * Checks a parsed body against the limits.
     *
     * @param regions       where students may launch (never empty: the policy's list, or the launcher's region)
     * @param defaultRegion the region used when the body names none
     * @throws Refusal 403 when the body tries to say who the owner is; 400 for anything else that is wrong
     */
    public static LaunchRequest from(Object body, LaunchLimits limits, List<String> regions, String defaultRegion) {
        if (!(body instanceof Map<?, ?> raw)) {
            throw Refusal.badRequest("not-an-object", "the body must be a JSON object such as "
                    + "{\"instanceType\": \"" + limits.allowedTypes().get(0) + "\", \"hours\": 2, \"keyName\": "
                    + "\"my-key\"}");
        }
        Map<String, Object> m = new LinkedHashMap<>();
        raw.forEach((k, v) -> m.put(String.valueOf(k), v));
        refuseOwnerFields(m);
        List<String> unknown = m.keySet().stream().filter(k -> !FIELDS.contains(k)).sorted().toList();
        if (!unknown.isEmpty()) {
            throw new Refusal(400, "unknown-field", (unknown.size() == 1 ? "unknown field " : "unknown fields ")
                    + quoted(unknown) + "; a request has instanceType, hours, keyName and optionally region",
                    Map.of("fields", List.of("instanceType", "hours", "keyName", "region")));
        }
        List<String> missing = new ArrayList<>();
        for (String f : List.of("instanceType", "hours", "keyName")) {
            if (m.get(f) == null) {
                missing.add(f);
            }
        }
        if (!missing.isEmpty()) {
            throw Refusal.badRequest("missing-field", (missing.size() == 1 ? "missing field " : "missing fields ")
                    + quoted(missing) + "; e.g. {\"instanceType\": \"" + limits.allowedTypes().get(0)
                    + "\", \"hours\": 2, \"keyName\": \"my-key\"}");
        }

        String type = text("instanceType", m.get("instanceType"));
        if (!limits.allowedTypes().contains(type)) {
            throw new Refusal(400, "type-not-allowed", "instance type \"" + Caller.printable(type)
                    + "\" is not allowed in this course; choose one of " + String.join(", ", limits.allowedTypes()),
                    Map.of("allowedTypes", limits.allowedTypes()));
        }

        int hours = hours(m.get("hours"), limits.maxHours());

        String key = text("keyName", m.get("keyName"));
        if (!KEY_NAME.matcher(key).matches() || !key.equals(key.trim())) {
            throw Refusal.badRequest("bad-key-name", "keyName \"" + Caller.printable(key) + "\" is not a key pair "
                    + "name (1 to 255 printable ASCII characters, no leading or trailing spaces)");
        }

        String region = defaultRegion;
        if (m.get("region") != null) {
            region = text("region", m.get("region"));
            if (!REGION.matcher(region).matches()) {
                throw new Refusal(400, "bad-region", "region \"" + Caller.printable(region)
                        + "\" is not a region name such as eu-west-1; students may launch in "
                        + String.join(", ", regions), Map.of("regions", regions));
            }
        }
        if (!regions.contains(region)) {
            throw new Refusal(400, "region-not-allowed", "region " + region + " is not open to students; "
                    + (regions.size() == 1 ? "launch in " + regions.get(0) : "choose one of "
                    + String.join(", ", regions)), Map.of("regions", regions));
        }
        return new LaunchRequest(type, hours, key, region);
    }

    /** A body may not say who it is for: the owner is the signed identity. */
    static void refuseOwnerFields(Map<String, Object> m) {
        for (String k : m.keySet()) {
            String norm = k.toLowerCase(Locale.ROOT).replaceAll("[^a-z]", "");
            if (norm.contains("owner") || norm.contains("createdby") || norm.contains("userarn")
                    || norm.equals("user") || norm.equals("username") || norm.equals("tags") || norm.equals("tag")
                    || norm.contains("identity") || norm.equals("caller") || norm.equals("principal")
                    || norm.equals("student") || norm.startsWith("account") || norm.startsWith("curfew")
                    || norm.equals("requestcontext") || norm.equals("authorizer") || norm.equals("arn")) {
                throw new Refusal(403, "owner-in-body", "field \"" + Caller.printable(k) + "\" is refused: the "
                        + "owner of an instance is the IAM identity that signed the request, never a field of the "
                        + "body; remove it");
            }
        }
    }

    private static String text(String field, Object v) {
        if (!(v instanceof String s)) {
            throw Refusal.badRequest("wrong-type", field + " must be a string, found " + describe(v));
        }
        if (s.isBlank()) {
            throw Refusal.badRequest("wrong-type", field + " is empty");
        }
        return s;
    }

    /**
     * Whole hours from 1 to {@code max}. The number is compared before anything else is done with it, and echoed
     * short ({@link #echo}): {@code 1e999999999} is refused as it is, never written out digit by digit.
     */
    private static int hours(Object v, int max) {
        String range = " is not a whole number of hours between 1 and " + max;
        if (!(v instanceof BigDecimal n)) {
            throw Refusal.badRequest("wrong-type", "hours: " + describe(v) + range);
        }
        if (n.compareTo(BigDecimal.valueOf(max)) > 0) {
            throw new Refusal(400, "too-many-hours", "hours " + echo(n) + " is more than this course "
                    + "allows (at most " + max + ")", Map.of("maxHours", max));
        }
        if (n.compareTo(BigDecimal.ONE) < 0 || n.stripTrailingZeros().scale() > 0) {
            throw Refusal.badRequest("bad-hours", "hours: " + echo(n) + range);
        }
        return n.intValueExact();
    }

    /**
     * A number as an answer may repeat it: plain when it is short ({@code 2.5}), in E notation otherwise
     * ({@code 1E+999999999}), and never longer than 40 characters.
     */
    static String echo(BigDecimal n) {
        String s = n.precision() <= 20 && Math.abs(n.scale()) <= 20 ? n.toPlainString() : n.toString();
        return s.length() > 40 ? s.substring(0, 40) + "..." : s;
    }

    private static String describe(Object v) {
        if (v == null) {
            return "null";
        }
        if (v instanceof String s) {
            return "the text \"" + Caller.printable(s) + "\"";
        }
        if (v instanceof Map<?, ?>) {
            return "an object";
        }
        if (v instanceof List<?>) {
            return "a list";
        }
        if (v instanceof BigDecimal n) {
            return echo(n);
        }
        return String.valueOf(v).length() > 40 ? String.valueOf(v).substring(0, 40) + "..." : String.valueOf(v);
    }

    private static String quoted(List<String> names) {
        return String.join(", ", names.stream().map(n -> "\"" + Caller.printable(n) + "\"").toList());
    }
}
