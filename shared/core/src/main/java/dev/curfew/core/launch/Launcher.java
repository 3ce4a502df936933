package dev.curfew.core.launch;

import dev.curfew.core.policy.LaunchLimits;
import dev.curfew.core.policy.Policy;
import dev.curfew.core.report.Json;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * The spot launcher, as an HTTP service: {@code POST /instances} launches, {@code GET /instances} lists the caller's
 * instances, {@code DELETE /instances/{id}} terminates one of them, {@code GET /} says what the course allows.
 *
 * <p>Everything that can be checked is checked before anything is created: identity, body size and shape, the
 * policy's limits, the account guard, the key pair, the per-student cap and the price. A refused request changes
 * nothing. The owner is always the signed caller ({@link Caller}), never the body.
 */
public final class Launcher {
    /** Security groups the launcher creates are named {@code curfew-ssh-<owner>-<time>-<request>}. */
    public static final String GROUP_PREFIX = "curfew-ssh-";
    public static final String CREATED_BY_TAG = dev.curfew.core.model.CurfewTags.CREATED_BY;
    private static final Pattern INSTANCE_ID = Pattern.compile("i-[0-9a-f]{8,17}");
    private static final DateTimeFormatter COMPACT = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
            .withZone(ZoneOffset.UTC);

    /**
     * @param homeRegion   the launcher's own region: where students launch when the policy names no regions
     * @param maxBodyBytes larger bodies are refused with 413
     * @param addressWait  how long to wait for a new instance's public address before answering without it
     */
    /**
     * @param leaseWait how long a launch waits for the owner's launch lease while another launch of theirs holds it,
     *                  before it answers 429 launch-in-progress
     */
    public record Settings(String homeRegion, int maxBodyBytes, Duration addressWait, Duration leaseWait) {
        public static final int MAX_BODY_BYTES = 16 * 1024;
        public static final Duration LEASE_WAIT = Duration.ofSeconds(10);
        /** How long a launch waits for its new instance to be listed under its owner before it lets the next one count. */
        public static final Duration LISTED_WAIT = Duration.ofSeconds(10);

        public Settings(String homeRegion, int maxBodyBytes, Duration addressWait) {
            this(homeRegion, maxBodyBytes, addressWait, LEASE_WAIT);
        }

        public static Settings defaults(String homeRegion) {
            return new Settings(homeRegion, MAX_BODY_BYTES, Duration.ofSeconds(15));
        }
    }

    private final LaunchPort cloud;
    private final LaunchAccounts accounts;
    private final Supplier<Policy> policies;
    private final Clock clock;
    private final Settings settings;
    private final Consumer<String> log;
    private volatile String account;

    public Launcher(LaunchPort cloud, Supplier<Policy> policies, Clock clock, Settings settings, Consumer<String> log) {
        this(cloud, LaunchAccounts.NONE, policies, clock, settings, log);
    }

    /**
     * @param cloud    AWS in the launcher's own account
     * @param accounts students' own enrolled accounts: a caller signed in to one gets the instance there
     */
    public Launcher(LaunchPort cloud, LaunchAccounts accounts, Supplier<Policy> policies, Clock clock,
                    Settings settings, Consumer<String> log) {
        this.cloud = cloud;
        this.accounts = accounts;
        this.policies = policies;
        this.clock = clock;
        this.settings = settings;
        this.log = log;
    }

    public HttpAnswer handle(HttpCall call) {
        String who = call.userArn() == null ? "(no identity)" : call.userArn();
        try {
            HttpAnswer a = route(call);
            log.accept(call.method() + " " + call.path() + " by " + who + " from " + call.sourceIp() + ": "
                    + a.status());
            return a;
        } catch (Refusal r) {
            log.accept(call.method() + " " + call.path() + " by " + who + " from " + call.sourceIp() + ": refused "
                    + r.status() + " " + r.code() + ": " + r.getMessage());
            Map<String, String> headers = new LinkedHashMap<>();
            if (r.status() == 405) {
                headers.put("Allow", String.valueOf(r.details().get("allow")));
            }
            if (r.details().get("retryAfterSeconds") != null) {
                headers.put("Retry-After", String.valueOf(r.details().get("retryAfterSeconds")));
            }
            return answer(call, r.status(), Answers.refusal(r), headers);
        } catch (CloudFailure f) {
            // AWS's own text (an encoded authorization message, ARNs, policy names) goes to the log only
            log.accept(call.method() + " " + call.path() + " by " + who + ": AWS refused (request "
                    + reference(call) + "): " + f.code() + ": " + f.getMessage());
            return answer(call, 502, Answers.refusal(Answers.awsRefused(f.safeCode(), "the request",
                    reference(call), "")), Map.of());
        } catch (RuntimeException e) {
            log.accept(call.method() + " " + call.path() + " by " + who + ": internal error (request "
                    + reference(call) + "): " + e);
            return answer(call, 500, Answers.refusal(new Refusal(500, "internal-error", "the launcher failed; "
                    + "nothing more was done. The instructor can read why in the launcher's log (request "
                    + reference(call) + ")", Map.of("requestId", reference(call)))), Map.of());
        }
    }

    /** What the student can quote to the instructor: the Lambda request id the log lines carry. */
    private static String reference(HttpCall call) {
        return call.requestId() == null ? "unknown" : Caller.printable(call.requestId());
    }

    private HttpAnswer route(HttpCall call) {
        String path = call.path().length() > 1 && call.path().endsWith("/")
                ? call.path().substring(0, call.path().length() - 1) : call.path();
        String m = call.method();
        if (path.equals("/")) {
            requireMethod(m, "GET");
            return usage(call);
        }
        if (path.equals("/instances")) {
            if (m.equals("GET")) {
                return list(call);
            }
            if (m.equals("POST")) {
                return launch(call);
            }
            throw methodNotAllowed(m, "GET, POST");
        }
        if (path.startsWith("/instances/") && path.indexOf('/', "/instances/".length()) < 0) {
            requireMethod(m, "DELETE");
            return terminate(call, path.substring("/instances/".length()));
        }
        throw new Refusal(404, "no-such-path", "there is nothing at " + Caller.printable(call.path())
                + "; use POST /instances (launch), GET /instances (list) or DELETE /instances/{id} (terminate)");
    }

    private static void requireMethod(String m, String allowed) {
        if (!m.equals(allowed)) {
            throw methodNotAllowed(m, allowed);
        }
    }

    private static Refusal methodNotAllowed(String m, String allowed) {
        return new Refusal(405, "method-not-allowed", Caller.printable(m) + " is not allowed here; use " + allowed,
                Map.of("allow", allowed));
    }

    // ---------------------------------------------------------------- launch

    private HttpAnswer launch(HttpCall call) {
        Policy policy = policy();
        Caller caller = caller(call, policy);
        checkQuery(call, Set.of());
        String cidr = caller.sourceCidr();
        Object body = parseBody(call);
        if (body instanceof Map<?, ?> raw) {
            Map<String, Object> fields = new LinkedHashMap<>();
            raw.forEach((k, v) -> fields.put(String.valueOf(k), v));
            LaunchRequest.refuseOwnerFields(fields);
        }
        LaunchLimits limits = policy.launcher();
        List<String> regions = regions(limits);
        LaunchRequest req = LaunchRequest.from(body, limits, regions, defaultRegion(regions));
        LaunchPort cloud = guard(caller, policy);
        refuseOverBudget(policy, caller);

        if (!cloud.keyPairExists(req.region(), req.keyName())) {
            throw new Refusal(400, "key-pair-not-found", "there is no key pair \"" + Caller.printable(req.keyName())
                    + "\" in " + req.region() + "; create one first (aws ec2 create-key-pair --region " + req.region()
                    + " --key-name " + Caller.printable(req.keyName()) + " --query KeyMaterial --output text > ~/.ssh/"
                    + Caller.printable(req.keyName()) + ".pem) or import your public key (aws ec2 import-key-pair)");
        }

        // Over the cap already: refused before any lease is written. Otherwise one launch of an owner at a time,
        // across every function instance: counting again and launching happen under the owner's lease, so
        // parallel requests cannot all see room under the cap and all launch.
        refuseOverCap(cloud, policy, caller, regions, limits);
        // the lease is the student's wherever they launch: kept in the launcher's own account
        LaunchPort.Lease lease = this.cloud.launchLease(caller.owner(), settings.leaseWait()).orElseThrow(() ->
                new Refusal(429, "launch-in-progress", "another launch of " + caller.owner() + "'s is still under way; "
                        + "the course allows " + limits.maxRunningPerStudent() + " running per student and counts them "
                        + "one launch at a time. Try again in a few seconds (GET /instances lists yours). Nothing was "
                        + "launched", Map.of("maxRunning", limits.maxRunningPerStudent(),
                        "retryAfterSeconds", RETRY_AFTER_SECONDS)));
        Launch made;
        try {
            made = launchHoldingTheLease(cloud, call, caller, policy, limits, regions, req, cidr);
        } finally {
            bestEffort(lease::close, "release " + caller.owner() + "'s launch lease (it lapses by itself)");
        }
        CloudInstance instance = made.instance();
        ZoneChoice choice = made.choice();
        ZoneQuote zone = made.zone();
        Instant now = made.now();
        Instant expiresAt = made.expiresAt();
        String groupId = made.groupId();
        String address = instance.publicIp();
        if (address == null) {
            address = cloud.awaitPublicAddress(req.region(), instance.id(), settings.addressWait()).orElse(null);
        }
        bestEffort(() -> cleanupGroups(cloud, policy, caller, req.region(), Set.of(groupId), Set.of()),
                "clean up " + caller.owner() + "'s unused security groups");
        log.accept("launched " + instance.id() + " (" + req.instanceType() + ", spot at $" + zone.current() + "/h in "
                + zone.zone() + ") for " + caller.owner() + (caller.ownAccount() ? " in their own account "
                + caller.accountId() : "") + " until " + expiresAt + ", ssh from " + cidr);
        Answers.Launched l = new Answers.Launched(caller, instance, req, choice, now, expiresAt, address,
                Answers.sshUser(limits.ami()), groupId, cidr, call.baseUrl());
        return answer(call, 201, Answers.launched(l, policy), Map.of("Location", "/instances/" + instance.id()));
    }

    private static final int RETRY_AFTER_SECONDS = 5;

    /**
     * 403 over-budget while the sweep's record of the owner's spend this course week is still at or over their budget
     * as it is now (the policy and this week's top-up): raising the budget, or the week turning, lets them launch.
     */
    private void refuseOverBudget(Policy policy, Caller caller) {
        if (!policy.budgets().any()) {
            return;
        }
        Instant now = clock.instant();
        dev.curfew.core.budget.OverBudget.Records r = this.cloud.budget(caller.owner(),
                dev.curfew.core.budget.CourseWeek.key(policy.timeZone(), now));
        dev.curfew.core.budget.Standing st = dev.curfew.core.budget.OverBudget.refuses(policy.budgets(), r.over(),
                r.topUp());
        if (st == null) {
            return;
        }
        Instant turns = dev.curfew.core.budget.CourseWeek.end(policy.timeZone(), now);
        throw new Refusal(403, "over-budget", caller.owner() + " is over budget, " + st.text() + ": new launches "
                + "are refused until the instructor raises the budget or the week turns ("
                + dev.curfew.core.notify.Digests.when(turns, policy.timeZone()) + "). Nothing was launched",
                dev.curfew.core.budget.OverBudget.figures(st, turns));
    }

    /** 429 when the owner's pending and running instances already reach the course's cap. */
    private void refuseOverCap(LaunchPort cloud, Policy policy, Caller caller, List<String> regions,
                               LaunchLimits limits) {
        List<CloudInstance> live = owned(cloud, policy, caller, regions).stream().filter(CloudInstance::live).toList();
        if (live.size() >= limits.maxRunningPerStudent()) {
            throw new Refusal(429, "too-many-instances", caller.owner() + " already has " + live.size()
                    + " running instance" + (live.size() == 1 ? "" : "s") + " ("
                    + String.join(", ", live.stream().map(CloudInstance::id).toList())
                    + "); the course allows " + limits.maxRunningPerStudent() + " per student. Terminate one first",
                    Map.of("running", live.stream().map(CloudInstance::id).toList(),
                            "maxRunning", limits.maxRunningPerStudent()));
        }
    }

    /** What a launch made while it held the owner's lease. */
    private record Launch(CloudInstance instance, ZoneChoice choice, ZoneQuote zone, Instant now, Instant expiresAt,
                          String groupId) {
    }

    /**
     * The part of a launch that must not run twice at once for one owner: the count against the cap, the price, the
     * security group, RunInstances, and the wait until the new instance is listed (so the next launch counts it).
     */
    private Launch launchHoldingTheLease(LaunchPort cloud, HttpCall call, Caller caller, Policy policy,
                                         LaunchLimits limits, List<String> regions, LaunchRequest req, String cidr) {
        refuseOverCap(cloud, policy, caller, regions, limits);

        Instant now = clock.instant();
        List<SpotPrice> history = cloud.spotPrices(req.region(), req.instanceType(), now.minus(ZoneChoice.WINDOW), now);
        ZoneChoice choice = ZoneChoice.choose(history, req.instanceType(), limits.priceCapPerHour(), now);
        if (choice.zones().isEmpty()) {
            throw new Refusal(409, "no-spot-price", "EC2 has no Linux spot price for " + req.instanceType() + " in "
                    + req.region() + ": the type may not be offered there; try another type or region. Nothing was "
                    + "launched");
        }
        if (choice.chosen().isEmpty()) {
            throw Answers.overCap(req, choice);
        }
        ZoneQuote zone = choice.chosen().get();

        String image = cloud.imageId(req.region(), limits.ami());
        Instant expiresAt = now.plus(Duration.ofHours(req.hours())).truncatedTo(ChronoUnit.SECONDS);
        Map<String, String> tags = new LinkedHashMap<>();
        tags.put(policy.ownerTag(), caller.owner());
        tags.put(CREATED_BY_TAG, caller.arn());
        tags.put(policy.ec2().forgotten().expiresTag(), expiresAt.toString());

        String suffix = safe(call.requestId() == null ? Long.toHexString(clock.millis()) : call.requestId())
                .replace("-", "");
        String groupName = GROUP_PREFIX + safe(caller.owner()) + "-" + COMPACT.format(now)
                + (suffix.isEmpty() ? "" : "-" + suffix.substring(0, Math.min(8, suffix.length())))
                + String.format("-%06x", java.util.concurrent.ThreadLocalRandom.current().nextInt(1 << 24));
        String groupId = cloud.createSshGroup(new SshGroupSpec(req.region(), groupName,
                "Curfew launcher: SSH from " + cidr + " only, for " + caller.owner(), cidr, tags));
        CloudInstance instance;
        try {
            instance = cloud.runSpot(new SpotLaunchSpec(req.region(), zone.zone(), image, req.instanceType(),
                    req.keyName(), limits.priceCapPerHour(), groupId, tags));
        } catch (CloudFailure f) {
            log.accept("AWS refused the launch for " + caller.owner() + " (request " + reference(call) + "): "
                    + f.code() + ": " + f.getMessage());
            bestEffort(() -> cloud.deleteGroup(req.region(), groupId), "delete " + groupId + " after a failed launch");
            throw launchFailure(f, req, choice, reference(call));
        }
        String id = instance.id();
        bestEffort(() -> {
            if (!cloud.awaitListed(req.region(), policy.ownerTag(), caller.owner(), id, Settings.LISTED_WAIT)) {
                log.accept(id + " is not listed under " + caller.owner() + " after "
                        + Settings.LISTED_WAIT.toSeconds() + " s; releasing the launch lease anyway");
            }
        }, "wait for " + id + " to be listed");
        return new Launch(instance, choice, zone, now, expiresAt, groupId);
    }

    /**
     * What the student is told when EC2 refuses the launch: what it means for them, AWS's error code, and where the
     * instructor finds the rest. AWS's own message (which can hold an encoded authorization message, ARNs, policy
     * names) is logged by {@link #launch}, never answered.
     */
    private static Refusal launchFailure(CloudFailure f, LaunchRequest req, ZoneChoice choice, String reference) {
        String c = f.safeCode();
        String tail = " Nothing was launched.";
        Map<String, Object> details = Map.of("awsError", c, "requestId", reference);
        if (c.equals("SpotMaxPriceTooLow")) {
            return Answers.overCap(req, choice);
        }
        if (c.startsWith("InsufficientInstanceCapacity") || c.equals("InsufficientCapacity")
                || c.equals("MaxSpotInstanceCountExceeded") || c.equals("VcpuLimitExceeded")
                || c.equals("InstanceLimitExceeded")) {
            return new Refusal(503, "no-capacity", "AWS cannot start a " + req.instanceType() + " spot instance in "
                    + req.region() + " right now (" + c + "). Try another type, region or a little later." + tail,
                    details);
        }
        if (c.startsWith("AuthFailure.ServiceLinkedRole")) {
            return new Refusal(503, "spot-role-missing", "this account has no AWSServiceRoleForEC2Spot role yet (" + c + "); "
                    + "the instructor creates it once with: aws iam create-service-linked-role --aws-service-name "
                    + "spot.amazonaws.com." + tail, details);
        }
        if (c.startsWith("InvalidKeyPair")) {
            return new Refusal(400, "key-pair-not-found", "the key pair \"" + Caller.printable(req.keyName())
                    + "\" cannot be used in " + req.region() + " (" + c + ")." + tail, details);
        }
        if (c.equals("UnauthorizedOperation") || c.equals("AccessDenied") || c.startsWith("AuthFailure")) {
            return new Refusal(500, "launcher-not-permitted", "the launcher's own role may not do this (" + c
                    + "); the instructor should check the deployed template: the launcher's log has AWS's full "
                    + "answer under request " + reference + "." + tail, details);
        }
        return Answers.awsRefused(c, "the launch", reference, tail);
    }

    // ---------------------------------------------------------------- list and terminate

    private HttpAnswer list(HttpCall call) {
        Policy policy = policy();
        Caller caller = caller(call, policy);
        checkQuery(call, Set.of("region"));
        List<String> regions = queryRegions(call, regions(policy.launcher()));
        LaunchPort cloud = sameAccount(caller);
        List<CloudInstance> mine = new ArrayList<>(owned(cloud, policy, caller, regions));
        mine.sort(Comparator.comparing((CloudInstance i) -> i.launchTime() == null ? Instant.EPOCH : i.launchTime())
                .thenComparing(CloudInstance::id));
        return answer(call, 200, Answers.listed(caller, mine, policy, Answers.sshUser(policy.launcher().ami()),
                call.baseUrl()), Map.of());
    }

    private HttpAnswer terminate(HttpCall call, String id) {
        Policy policy = policy();
        Caller caller = caller(call, policy);
        checkQuery(call, Set.of("region"));
        if (!INSTANCE_ID.matcher(id).matches()) {
            throw Refusal.badRequest("bad-instance-id", "\"" + Caller.printable(id) + "\" is not an instance id "
                    + "such as i-0123456789abcdef0");
        }
        List<String> regions = queryRegions(call, regions(policy.launcher()));
        LaunchPort cloud = guard(caller, policy);
        CloudInstance found = null;
        for (String r : regions) {
            Optional<CloudInstance> i = cloud.instance(r, id);
            if (i.isPresent()) {
                found = i.get();
                break;
            }
        }
        if (found == null) {
            throw new Refusal(404, "no-such-instance", "there is no instance " + id + " in "
                    + String.join(", ", regions) + "; GET /instances lists yours");
        }
        String owner = found.tag(policy.ownerTag());
        if (!caller.owner().equals(owner)) {
            throw new Refusal(403, "not-yours", id + " is not " + caller.owner() + "'s (its " + policy.ownerTag()
                    + " tag names " + (owner == null ? "no one" : "someone else") + "): the launcher terminates only "
                    + "your own instances. Nothing was changed");
        }
        if ("terminated".equals(found.state())) {
            return answer(call, 200, Answers.terminated(caller, found, "terminated", true), Map.of());
        }
        String after = cloud.terminate(found.region(), id);
        log.accept("terminated " + id + " for " + caller.owner() + " (was " + found.state() + ")");
        CloudInstance gone = found;
        bestEffort(() -> cleanupGroups(cloud, policy, caller, gone.region(), Set.of(),
                        Set.copyOf(gone.securityGroupIds())),
                "delete the security group of " + id);
        return answer(call, 200, Answers.terminated(caller, found, after, false), Map.of());
    }

    private HttpAnswer usage(HttpCall call) {
        checkQuery(call, Set.of());
        Policy policy = policy();
        Caller caller = null;
        if (call.userArn() != null) {
            try {
                caller = caller(call, policy);
            } catch (Refusal ignored) {
                // the usage text is for anyone who may call the URL
            }
        }
        return answer(call, 200, Answers.usage(policy, regions(policy.launcher()), caller, call.baseUrl()), Map.of());
    }

    // ---------------------------------------------------------------- checks

    private Object parseBody(HttpCall call) {
        String raw = call.body();
        if (raw == null) {
            raw = "";
        }
        int max = settings.maxBodyBytes();
        if (raw.length() > (call.base64() ? (max / 3 + 1) * 4 + 4 : max)) {
            throw tooLarge(max);
        }
        String text;
        if (call.base64()) {
            byte[] bytes;
            try {
                bytes = Base64.getDecoder().decode(raw.strip());
            } catch (IllegalArgumentException e) {
                throw Refusal.badRequest("malformed-body", "the body is marked base64 but is not");
            }
            if (bytes.length > max) {
                throw tooLarge(max);
            }
            text = utf8(bytes);
        } else {
            if (raw.getBytes(StandardCharsets.UTF_8).length > max) {
                throw tooLarge(max);
            }
            text = raw;
        }
        try {
            return JsonBody.parse(text, max);
        } catch (JsonBody.MalformedJson e) {
            throw Refusal.badRequest("malformed-json", e.getMessage());
        }
    }

    /** The bytes of a base64 body as text: UTF-8 only, no byte replaced by a guess. */
    private static String utf8(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            int at = 0;
            var d = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT);
            var in = ByteBuffer.wrap(bytes);
            var out = java.nio.CharBuffer.allocate(bytes.length + 1);
            if (d.decode(in, out, true).isError()) {
                at = in.position();
            }
            throw Refusal.badRequest("malformed-body", "the body is not UTF-8 text: byte " + at + " (0x"
                    + String.format("%02x", bytes[Math.min(at, bytes.length - 1)] & 0xff) + ") starts no character; "
                    + "send the JSON as UTF-8");
        }
    }

    private static Refusal tooLarge(int max) {
        return new Refusal(413, "body-too-large", "the body is larger than " + max + " bytes; a launch request is "
                + "a small JSON object", Map.of("maxBytes", max));
    }

    private static void checkQuery(HttpCall call, Set<String> allowed) {
        LaunchRequest.refuseOwnerFields(new LinkedHashMap<>(call.query()));
        for (String k : call.query().keySet()) {
            if (!allowed.contains(k)) {
                throw Refusal.badRequest("unknown-parameter", "unknown query parameter \"" + Caller.printable(k)
                        + "\"" + (allowed.isEmpty() ? "; this request takes none" : "; allowed: "
                        + String.join(", ", allowed)));
            }
        }
    }

    private static List<String> queryRegions(HttpCall call, List<String> regions) {
        String r = call.query().get("region");
        if (r == null || r.isBlank()) {
            return regions;
        }
        if (!regions.contains(r)) {
            throw new Refusal(400, "region-not-allowed", "region " + Caller.printable(r) + " is not open to students; "
                    + "the launcher serves " + String.join(", ", regions), Map.of("regions", regions));
        }
        return List.of(r);
    }

    private Policy policy() {
        try {
            return policies.get();
        } catch (RuntimeException e) {
            log.accept("the course policy cannot be loaded: " + e.getMessage());
            throw new Refusal(500, "policy-unavailable", "the course policy cannot be loaded; nothing was changed. "
                    + "The instructor must fix it: the launcher's log says why");
        }
    }

    List<String> regions(LaunchLimits limits) {
        return limits.regions().isEmpty() ? List.of(settings.homeRegion()) : limits.regions();
    }

    private String defaultRegion(List<String> regions) {
        return regions.contains(settings.homeRegion()) ? settings.homeRegion() : regions.get(0);
    }

    private String accountId() {
        String a = account;
        if (a == null) {
            a = cloud.accountId();
            account = a;
        }
        return a;
    }

    /**
     * The caller as AWS authenticated them: a principal of the launcher's own account as ever, or the student whose
     * own enrolled account the principal belongs to (the roster is read only for a caller of another account).
     */
    private Caller caller(HttpCall call, Policy policy) {
        return Caller.identifyIn(call.userArn(), call.accountId(), call.sourceIp(), policy.identity(),
                this::accountId, a -> accounts.targetOf(policy, a));
    }

    /**
     * The launcher's view of AWS in the caller's account: its own, or the student's own account, reached through the
     * role that account grants Curfew, whose credentials must belong to that very account (the account guard of a
     * student's account); 503 {@code account-unreachable} when the role cannot be used, and nothing is done.
     */
    private LaunchPort sameAccount(Caller caller) {
        if (caller.ownAccount()) {
            String there;
            LaunchPort port;
            try {
                port = accounts.port(caller.target());
                there = port.accountId();
            } catch (RuntimeException e) {
                log.accept("cannot act in " + caller.owner() + "'s account " + caller.accountId() + ": " + e);
                throw new Refusal(503, "account-unreachable", "Curfew cannot act in your account "
                        + caller.accountId() + " through its curfew-access role (not deployed, deployed without "
                        + "the launcher's role, or with another external id); the instructor can read why in the "
                        + "launcher's log. Nothing was changed", Map.of("account", caller.accountId()));
            }
            if (!caller.accountId().equals(there)) {
                throw new Refusal(503, "account-not-allowed", "the account guard: the credentials Curfew got for "
                        + "account " + caller.accountId() + " belong to account " + there + "; nothing was changed",
                        Map.of("account", caller.accountId()));
            }
            return port;
        }
        String here = accountId();
        if (!here.equals(caller.accountId())) {
            throw new Refusal(403, "foreign-account", "you are signed in to account " + caller.accountId()
                    + "; this launcher serves account " + here + " only");
        }
        return cloud;
    }

    /**
     * The account guard: the launcher changes nothing in an account the policy does not list, nor in a student's own
     * account but through credentials of that account.
     */
    private LaunchPort guard(Caller caller, Policy policy) {
        LaunchPort port = sameAccount(caller);
        if (caller.ownAccount()) {
            return port;
        }
        String here = accountId();
        if (!policy.accounts().contains(here)) {
            throw new Refusal(503, "account-not-allowed", "the launcher is switched off in account " + here
                    + ": the course policy's accounts " + (policy.accounts().isEmpty() ? "are empty"
                    : "are " + String.join(", ", policy.accounts().stream().sorted().toList()))
                    + " (the account guard). Ask the instructor; nothing was changed");
        }
        return port;
    }

    private List<CloudInstance> owned(LaunchPort cloud, Policy policy, Caller caller, List<String> regions) {
        List<CloudInstance> out = new ArrayList<>();
        for (String r : regions) {
            for (CloudInstance i : cloud.instancesTagged(r, policy.ownerTag(), caller.owner())) {
                if (!"terminated".equals(i.state()) && caller.owner().equals(i.tag(policy.ownerTag()))) {
                    out.add(i);
                }
            }
        }
        return out;
    }

    /**
     * Deletes the caller's launcher security groups that no instance of theirs uses any more and that are either
     * expired or were just freed ({@code freed}). A group of a launch still in flight is never expired, so two
     * launches at once cannot delete each other's group.
     */
    private void cleanupGroups(LaunchPort cloud, Policy policy, Caller caller, String region, Set<String> keep,
                               Set<String> freed) {
        Instant now = clock.instant();
        Set<String> used = new HashSet<>();
        for (CloudInstance i : cloud.instancesTagged(region, policy.ownerTag(), caller.owner())) {
            if (!i.gone()) {
                used.addAll(i.securityGroupIds()); // a shutting-down instance's group: AWS refuses until it is gone
            }
        }
        for (LaunchPort.TaggedGroup g : cloud.groupsTagged(region, policy.ownerTag(), caller.owner(), GROUP_PREFIX)) {
            if (keep.contains(g.id()) || used.contains(g.id())) {
                continue;
            }
            boolean expired = false;
            String exp = g.tags().get(policy.ec2().forgotten().expiresTag());
            try {
                expired = exp != null && Instant.parse(exp).isBefore(now);
            } catch (RuntimeException ignored) {
                // not an instant: leave the group
            }
            if (expired || freed.contains(g.id())) {
                boolean deleted = cloud.deleteGroup(region, g.id());
                log.accept((deleted ? "deleted" : "kept (still in use)") + " security group " + g.id() + " ("
                        + g.name() + ")");
            }
        }
    }

    private void bestEffort(Runnable r, String what) {
        try {
            r.run();
        } catch (RuntimeException e) {
            log.accept("could not " + what + ": " + e.getMessage());
        }
    }

    private static String safe(String s) {
        String t = s.replaceAll("[^A-Za-z0-9._-]", "-");
        return t.length() > 64 ? t.substring(0, 64) : t;
    }

    private static HttpAnswer answer(HttpCall call, int status, Map<String, Object> body, Map<String, String> extra) {
        Map<String, String> headers = new LinkedHashMap<>(extra);
        String accept = call.headers().getOrDefault("accept", "").toLowerCase(Locale.ROOT);
        if (accept.contains("text/plain") && !accept.contains("application/json")) {
            headers.put("Content-Type", "text/plain; charset=utf-8");
            return new HttpAnswer(status, headers, body.get("message") + "\n");
        }
        headers.put("Content-Type", "application/json");
        return new HttpAnswer(status, headers, Json.write(body) + "\n");
    }
}
