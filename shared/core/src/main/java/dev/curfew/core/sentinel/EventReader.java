package dev.curfew.core.sentinel;

import dev.curfew.core.identity.AwsIdentity;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads an EventBridge event (as the JSON object Lambda hands over) into a {@link SentinelEvent}, or rejects it with
 * a {@link BadEventException} that names the field that is wrong. Pure: nothing is called.
 */
public final class EventReader {
    public static final String API_CALL = "AWS API Call via CloudTrail";
    public static final String STATE_CHANGE = "EC2 Instance State-change Notification";
    public static final String SPOT_INTERRUPTION = "EC2 Spot Instance Interruption Warning";

    /** The call after which a volume's marks are removed: it is in use again, and the next sweep marks it afresh. */
    public static final String ATTACH_VOLUME = "AttachVolume";
    /** The calls whose results are tagged, by CloudTrail event source. */
    public static final Map<String, List<String>> CALLS = Map.of(
            "ec2.amazonaws.com", List.of("RunInstances", "RequestSpotInstances", "RequestSpotFleet", "CreateFleet",
                    "CreateVolume", "AllocateAddress", "CreateImage", "CreateSnapshot", "CreateSecurityGroup"),
            "s3.amazonaws.com", List.of("CreateBucket"),
            "elasticmapreduce.amazonaws.com", List.of("RunJobFlow"));
    private static final Set<String> SOURCES = Set.of("aws.ec2", "aws.s3", "aws.elasticmapreduce");
    private static final List<String> DETAIL_TYPES = List.of(API_CALL, STATE_CHANGE, SPOT_INTERRUPTION);
    private static final Pattern UUID = Pattern.compile(
            "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    private static final Pattern ACCOUNT = Pattern.compile("\\d{12}");
    private static final Pattern REGION = Pattern.compile("[a-z]{2}(-[a-z]+)+-\\d+");
    private static final Pattern INSTANCE = Pattern.compile("i-[0-9a-f]{8,17}");
    private static final Pattern VOLUME = Pattern.compile("vol-[0-9a-f]{8,17}");
    /** A Spot Fleet request ({@code sfr-...}) or an EC2 Fleet ({@code fleet-...}), as EC2 names them. */
    private static final Pattern SPOT_FLEET = Pattern.compile("sfr-[0-9a-fA-F-]{8,40}");
    private static final Pattern FLEET = Pattern.compile("fleet-[0-9a-fA-F-]{8,40}");
    /** The kind of {@link Created} a fleet is: its owner is recorded, the fleet itself is not tagged. */
    public static final String FLEET_KIND = "fleet";
    /**
     * The kind of {@link Created} an {@code instant} EC2 Fleet is: EC2's answer carries {@code fleetInstanceSet} or
     * {@code errorSet} (written by AWS, not the caller), and names every instance it launched, none maybe.
     */
    public static final String INSTANT_FLEET_KIND = "instant-fleet";

    private EventReader() {
    }

    /**
     * Reads an event, checking its envelope is what EventBridge delivers; the account is checked to be a 12-digit id
     * only: which accounts' events the sentinel acts on is {@link EventOrigin}'s to say (its own, and enrolled ones).
     */
    public static SentinelEvent read(Object raw) {
        return read(raw, null);
    }

    /**
     * Reads an event whose envelope must be exactly what EventBridge delivers for the sentinel's rules:
     * {@code version} "0", {@code id} a UUID, a {@code source} and {@code detail-type} pair the rules match,
     * {@code account} the given account (when not null), {@code region} a region name, {@code time} an ISO instant,
     * {@code resources} a list of ARNs and {@code detail} an object.
     */
    public static SentinelEvent read(Object raw, String expectedAccount) {
        if (!(raw instanceof Map<?, ?> m)) {
            throw new BadEventException("the event is not a JSON object (found " + kind(raw) + "); the sentinel "
                    + "takes EventBridge events such as events/sentinel-runinstances.json");
        }
        Object rawSource = m.get("source");
        String source = rawSource instanceof String s ? s : "";
        if (!SOURCES.contains(source)) {
            throw new BadEventException("source: " + kind(rawSource) + " is not a source the sentinel takes "
                    + "(aws.ec2, aws.s3, aws.elasticmapreduce)");
        }
        String detailType = text(m, "detail-type", "");
        if (!DETAIL_TYPES.contains(detailType)) {
            throw new BadEventException("detail-type: \"" + detailType + "\" is not an event the sentinel takes ("
                    + String.join(", ", DETAIL_TYPES) + ")");
        }
        if (!"0".equals(m.get("version"))) {
            throw new BadEventException("version: " + kind(m.get("version")) + " is not EventBridge's \"0\"");
        }
        String id = text(m, "id", "");
        if (!UUID.matcher(id).matches()) {
            throw new BadEventException("id: \"" + id + "\" is not a UUID, as EventBridge's event ids are");
        }
        String account = text(m, "account", "");
        if (!ACCOUNT.matcher(account).matches()) {
            throw new BadEventException("account: \"" + account + "\" is not a 12-digit account id");
        }
        if (expectedAccount != null && !expectedAccount.equals(account)) {
            throw new BadEventException("account: the event is about account " + account + ", and this "
                    + "function runs in " + expectedAccount + "; forward only this account's events");
        }
        String region = text(m, "region", "");
        if (!REGION.matcher(region).matches()) {
            throw new BadEventException("region: \"" + region + "\" is not a region such as eu-west-1");
        }
        Instant time = instant(text(m, "time", ""), "time");
        if (!(m.get("resources") instanceof List<?> resources)) {
            throw new BadEventException("resources: expected a list, found " + kind(m.get("resources")));
        }
        for (int i = 0; i < resources.size(); i++) {
            if (!(resources.get(i) instanceof String arn) || !arn.startsWith("arn:")) {
                throw new BadEventException("resources[" + i + "]: expected an ARN, found " + kind(resources.get(i)));
            }
        }
        Map<?, ?> detail = map(m, "detail", "");
        return switch (detailType) {
            case API_CALL -> apiCall(id, account, region, time, source, detail);
            case STATE_CHANGE -> {
                requireSource(source, "aws.ec2", detailType);
                String instance = instanceId(detail, "detail.");
                yield new SentinelEvent.StateChange(id, account, region, time, instance,
                        text(detail, "state", "detail."));
            }
            case SPOT_INTERRUPTION -> {
                requireSource(source, "aws.ec2", detailType);
                String instance = instanceId(detail, "detail.");
                Object action = detail.get("instance-action");
                yield new SentinelEvent.SpotInterruption(id, account, region, time, instance,
                        action == null ? "terminate" : String.valueOf(action));
            }
            default -> throw new BadEventException("detail-type: \"" + detailType + "\" is not an event the "
                    + "sentinel takes (" + API_CALL + ", " + STATE_CHANGE + ", " + SPOT_INTERRUPTION + ")");
        };
    }

    private static void requireSource(String source, String expected, String detailType) {
        if (!source.equals(expected)) {
            throw new BadEventException("source: \"" + detailType + "\" comes from " + expected + ", not " + source);
        }
    }

    private static String instanceId(Map<?, ?> detail, String prefix) {
        String id = text(detail, "instance-id", prefix);
        if (!INSTANCE.matcher(id).matches()) {
            throw new BadEventException(prefix + "instance-id: \"" + id + "\" is not an instance id (i-...)");
        }
        return id;
    }

    private static SentinelEvent apiCall(String id, String account, String region, Instant time,
                                         String source, Map<?, ?> d) {
        String p = "detail.";
        String eventSource = text(d, "eventSource", p);
        String eventName = text(d, "eventName", p);
        List<String> calls = CALLS.get(eventSource);
        boolean attach = eventSource.equals("ec2.amazonaws.com") && eventName.equals(ATTACH_VOLUME);
        if (!attach && (calls == null || !calls.contains(eventName))) {
            throw new BadEventException(p + "eventName: " + eventSource + " " + eventName + " is not a call the "
                    + "sentinel tags the results of (" + CALLS.values().stream().flatMap(List::stream).sorted()
                    .toList() + ") nor " + ATTACH_VOLUME);
        }
        if (!source.equals("aws." + eventSource.substring(0, eventSource.indexOf('.')))) {
            throw new BadEventException("source: " + source + " does not match " + p + "eventSource " + eventSource);
        }
        Object err = d.get("errorCode");
        String errorCode = err == null ? null : String.valueOf(err);
        if (attach) {
            return volumeAttached(id, account, region, time, errorCode, d);
        }
        Map<?, ?> who = map(d, "userIdentity", p);
        String service = serviceOf(d.get("sourceIPAddress"));
        if (service == null) {
            service = serviceOf(who.get("invokedBy"));
        }
        if (service == null && "AWSService".equals(who.get("type"))) {
            service = "an AWS service";
        }
        if (service != null && !(who.get("arn") instanceof String)) {
            Instant when = d.get("eventTime") == null ? time : instant(String.valueOf(d.get("eventTime")),
                    p + "eventTime");
            return new SentinelEvent.ApiCall(id, account, region, when, source, eventName,
                    d.get("errorCode") == null ? null : String.valueOf(d.get("errorCode")), null, service, List.of());
        }
        AwsIdentity caller = identity(who, p + "userIdentity.");
        Instant when = d.get("eventTime") == null ? time : instant(String.valueOf(d.get("eventTime")),
                p + "eventTime");
        List<Created> created = errorCode != null ? List.of() : created(eventName, d);
        return new SentinelEvent.ApiCall(id, account, region, when, source, eventName, errorCode, caller, service,
                created);
    }

    /**
     * {@code userIdentity}: the ARN (required), the type and the role behind a session (each optional, text when
     * present). Whose it is is decided later, with the policy, by {@link dev.curfew.core.identity.Principals}.
     */
    private static AwsIdentity identity(Map<?, ?> who, String prefix) {
        String arn = text(who, "arn", prefix);
        String type = optionalText(who, "type", prefix);
        String issuer = null;
        if (who.get("sessionContext") instanceof Map<?, ?> ctx && ctx.get("sessionIssuer") instanceof Map<?, ?> si) {
            issuer = optionalText(si, "arn", prefix + "sessionContext.sessionIssuer.");
        }
        return new AwsIdentity(arn, type, issuer);
    }

    private static String optionalText(Map<?, ?> m, String key, String prefix) {
        Object v = m.get(key);
        if (v == null) {
            return null;
        }
        if (!(v instanceof String s)) {
            throw new BadEventException(prefix + key + ": expected text, found " + kind(v));
        }
        return s.isBlank() ? null : s.trim();
    }

    /**
     * AttachVolume: the volume is {@code responseElements.volumeId}, else {@code requestParameters.volumeId} (a
     * failed call may have no response); when both are there they must agree.
     */
    private static SentinelEvent.VolumeAttached volumeAttached(String id, String account, String region, Instant time,
                                                               String errorCode, Map<?, ?> d) {
        String p = "detail.";
        String fromRequest = d.get("requestParameters") instanceof Map<?, ?> req && req.get("volumeId") != null
                ? volumeId(req, p + "requestParameters.") : null;
        String fromResponse = d.get("responseElements") instanceof Map<?, ?> res && res.get("volumeId") != null
                ? volumeId(res, p + "responseElements.") : null;
        if (fromRequest == null && fromResponse == null) {
            throw new BadEventException(p + "responseElements.volumeId: expected a volume id (vol-...), found "
                    + "nothing (nor in " + p + "requestParameters)");
        }
        if (fromRequest != null && fromResponse != null && !fromRequest.equals(fromResponse)) {
            throw new BadEventException(p + "responseElements.volumeId: \"" + fromResponse + "\" is not the volume "
                    + "of " + p + "requestParameters.volumeId \"" + fromRequest + "\"");
        }
        Instant when = d.get("eventTime") == null ? time : instant(String.valueOf(d.get("eventTime")),
                p + "eventTime");
        return new SentinelEvent.VolumeAttached(id, account, region, when, fromResponse != null ? fromResponse
                : fromRequest, errorCode);
    }

    private static String volumeId(Map<?, ?> m, String prefix) {
        String v = text(m, "volumeId", prefix);
        if (!VOLUME.matcher(v).matches()) {
            throw new BadEventException(prefix + "volumeId: \"" + v + "\" is not a volume id (vol-...)");
        }
        return v;
    }

    /** The service a {@code sourceIPAddress} or {@code invokedBy} names ({@code elasticmapreduce.amazonaws.com}). */
    private static String serviceOf(Object v) {
        return v instanceof String s && s.endsWith(".amazonaws.com") ? s : null;
    }

    private static List<Created> created(String name, Map<?, ?> d) {
        String p = "detail.";
        if (name.equals("CreateBucket")) {
            Map<?, ?> req = map(d, "requestParameters", p);
            return List.of(new Created("s3", text(req, "bucketName", p + "requestParameters.")));
        }
        Map<?, ?> res = map(d, "responseElements", p);
        String r = p + "responseElements.";
        return switch (name) {
            case "RunInstances" -> items(res, "instancesSet", "instanceId", r);
            case "RequestSpotInstances" -> items(res, "spotInstanceRequestSet", "spotInstanceRequestId", r);
            case "RequestSpotFleet" -> spotFleet(res, r);
            case "CreateFleet" -> fleet(res, r);
            case "CreateVolume" -> List.of(new Created("ec2", text(res, "volumeId", r)));
            case "AllocateAddress" -> List.of(new Created("ec2", text(res, "allocationId", r)));
            case "CreateImage" -> List.of(new Created("ec2", text(res, "imageId", r)));
            case "CreateSnapshot" -> List.of(new Created("ec2", text(res, "snapshotId", r)));
            case "CreateSecurityGroup" -> List.of(new Created("ec2", text(res, "groupId", r)));
            case "RunJobFlow" -> List.of(new Created("emr", text(res, "jobFlowId", r)));
            default -> throw new BadEventException(p + "eventName: " + name + " is not handled");
        };
    }

    /**
     * RequestSpotFleet: the fleet request EC2 answered with ({@code spotFleetRequestId}, under
     * {@code RequestSpotFleetResponse} as CloudTrail records EC2's newer answers, or directly).
     */
    private static List<Created> spotFleet(Map<?, ?> res, String prefix) {
        boolean wrapped = res.get("RequestSpotFleetResponse") instanceof Map<?, ?>;
        Map<?, ?> in = wrapped ? map(res, "RequestSpotFleetResponse", prefix) : res;
        String at = wrapped ? prefix + "RequestSpotFleetResponse." : prefix;
        return List.of(new Created(FLEET_KIND, id(in, "spotFleetRequestId", at, SPOT_FLEET, "sfr-...")));
    }

    /**
     * CreateFleet: the EC2 Fleet EC2 answered with ({@code fleetId}, under {@code CreateFleetResponse} or directly;
     * an {@link #INSTANT_FLEET_KIND} when the answer has {@code fleetInstanceSet} or {@code errorSet}), then, for a fleet of type {@code instant}, the instances EC2 launched and named in its answer
     * ({@code fleetInstanceSet}, each with its {@code instanceIds}): CloudTrail writes a set of one as an object and
     * an empty one as empty text, so {@code item}/{@code items} may hold an object or a list; an instance id that is
     * not one is rejected with its place named.
     */
    private static List<Created> fleet(Map<?, ?> res, String prefix) {
        boolean wrapped = res.get("CreateFleetResponse") instanceof Map<?, ?>;
        Map<?, ?> in = wrapped ? map(res, "CreateFleetResponse", prefix) : res;
        String at = wrapped ? prefix + "CreateFleetResponse." : prefix;
        List<Created> out = new ArrayList<>();
        boolean instant = in.containsKey("fleetInstanceSet") || in.containsKey("errorSet");
        out.add(new Created(instant ? INSTANT_FLEET_KIND : FLEET_KIND, id(in, "fleetId", at, FLEET, "fleet-...")));
        List<Object> launched = members(in.get("fleetInstanceSet"));
        for (int i = 0; i < launched.size(); i++) {
            String place = at + "fleetInstanceSet[" + i + "].";
            if (!(launched.get(i) instanceof Map<?, ?> item)) {
                throw new BadEventException(place.substring(0, place.length() - 1) + ": expected an object, found "
                        + kind(launched.get(i)));
            }
            List<Object> ids = members(item.get("instanceIds"));
            for (int j = 0; j < ids.size(); j++) {
                Object v = ids.get(j) instanceof Map<?, ?> m && m.get("instanceId") != null ? m.get("instanceId")
                        : ids.get(j);
                if (!(v instanceof String s) || !INSTANCE.matcher(s.trim()).matches()) {
                    throw new BadEventException(place + "instanceIds[" + j + "]: " + kind(v)
                            + " is not an instance id (i-...)");
                }
                out.add(new Created("ec2", s.trim()));
            }
        }
        return out;
    }

    /** The members of a CloudTrail set: a list, an object holding them under {@code item} or {@code items}, or one. */
    private static List<Object> members(Object set) {
        if (set == null || set instanceof String s && s.isBlank()) {
            return List.of();
        }
        if (set instanceof List<?> l) {
            return new ArrayList<>(l);
        }
        if (set instanceof Map<?, ?> m && (m.containsKey("item") || m.containsKey("items"))) {
            return members(m.containsKey("items") ? m.get("items") : m.get("item"));
        }
        return List.of(set);
    }

    private static String id(Map<?, ?> m, String key, String prefix, Pattern shape, String example) {
        String v = text(m, key, prefix);
        if (!shape.matcher(v).matches()) {
            throw new BadEventException(prefix + key + ": \"" + v + "\" is not an id such as " + example);
        }
        return v;
    }

    /**
     * The value of one tag the RunInstances call of a CloudTrail event asked for its instances
     * ({@code requestParameters.tagSpecificationSet}, resource type {@code instance}), or null when it asked for none.
     * CloudTrail records what the caller sent: this names the owner only of a call Curfew's own launcher made (it tags
     * each launch with the owner its caller's identity vouches for), never a student's call.
     */
    public static String requestedInstanceTag(Map<String, Object> raw, String key) {
        if (!(raw.get("detail") instanceof Map<?, ?> d) || !(d.get("requestParameters") instanceof Map<?, ?> req)
                || !(req.get("tagSpecificationSet") instanceof Map<?, ?> set)
                || !(set.get("items") instanceof List<?> specs)) {
            return null;
        }
        for (Object spec : specs) {
            if (spec instanceof Map<?, ?> m && "instance".equals(m.get("resourceType"))
                    && m.get("tags") instanceof List<?> tags) {
                for (Object t : tags) {
                    if (t instanceof Map<?, ?> tag && key.equals(tag.get("key")) && tag.get("value") instanceof String v
                            && !v.isBlank()) {
                        return v.trim();
                    }
                }
            }
        }
        return null;
    }

    private static List<Created> items(Map<?, ?> res, String set, String key, String prefix) {
        Map<?, ?> s = map(res, set, prefix);
        Object items = s.get("items");
        if (!(items instanceof List<?> l) || l.isEmpty()) {
            throw new BadEventException(prefix + set + ".items: expected a non-empty list, found " + kind(items));
        }
        List<Created> out = new ArrayList<>();
        for (int i = 0; i < l.size(); i++) {
            if (!(l.get(i) instanceof Map<?, ?> item)) {
                throw new BadEventException(prefix + set + ".items[" + i + "]: expected an object, found "
                        + kind(l.get(i)));
            }
            out.add(new Created("ec2", text(item, key, prefix + set + ".items[" + i + "].")));
        }
        return out;
    }

    private static Map<?, ?> map(Map<?, ?> m, String key, String prefix) {
        Object v = m.get(key);
        if (!(v instanceof Map<?, ?> r)) {
            throw new BadEventException(prefix + key + ": expected an object, found " + kind(v));
        }
        return r;
    }

    private static String text(Map<?, ?> m, String key, String prefix) {
        Object v = m.get(key);
        if (!(v instanceof String s) || s.isBlank()) {
            throw new BadEventException(prefix + key + ": expected text, found " + kind(v));
        }
        return s.trim();
    }

    private static Instant instant(String s, String path) {
        try {
            return Instant.parse(s);
        } catch (DateTimeParseException e) {
            throw new BadEventException(path + ": \"" + s + "\" is not an ISO-8601 instant");
        }
    }

    private static String kind(Object v) {
        if (v == null) {
            return "nothing";
        }
        if (v instanceof Map<?, ?>) {
            return "an object";
        }
        if (v instanceof List<?>) {
            return "a list";
        }
        if (v instanceof String s) {
            return s.isBlank() ? "empty text" : "text \"" + s + "\"";
        }
        return v.getClass().getSimpleName().toLowerCase() + " " + v;
    }
}
