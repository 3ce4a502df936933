package dev.curfew.function.sentinel;

import dev.curfew.aws.AwsClients;
import dev.curfew.aws.AwsSettings;
import dev.curfew.aws.PolicySource;
import dev.curfew.aws.ProtectedBuckets;
import dev.curfew.aws.accounts.AccountSessions;
import dev.curfew.aws.accounts.OrganizationAccounts;
import dev.curfew.aws.accounts.UnitMembers;
import dev.curfew.aws.notify.Notifier;
import dev.curfew.aws.notify.RosterSource;
import dev.curfew.aws.sentinel.SentinelAws;
import dev.curfew.core.accounts.AccountTarget;
import dev.curfew.core.notify.Delivery;
import dev.curfew.core.notify.Digest;
import dev.curfew.core.notify.Renderer;
import dev.curfew.core.plan.CurfewTimes;
import dev.curfew.core.policy.Mode;
import dev.curfew.core.policy.Policy;
import dev.curfew.core.sentinel.BadEventException;
import dev.curfew.core.sentinel.Created;
import dev.curfew.core.sentinel.CreationCheck;
import dev.curfew.core.sentinel.EventOrigin;
import dev.curfew.core.sentinel.EventReader;
import dev.curfew.core.sentinel.LaunchCheck;
import dev.curfew.core.sentinel.SentinelEvent;
import dev.curfew.core.sentinel.SentinelNotices;
import dev.curfew.core.spend.RunHistory;
import jakarta.annotation.PreDestroy;
import dev.curfew.function.common.Deployment;
import dev.curfew.function.common.Priming;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Acts on one EventBridge event (see {@link EventReader} for the shapes taken); what to do is decided in core
 * ({@link CreationCheck}, {@link LaunchCheck}, {@link SentinelNotices}: who is told what), here it is read and done:
 * <ul>
 *   <li>a creating call by a student ({@link CreationCheck}): the created resources get {@code curfew:owner},
 *   {@code curfew:created-by} and {@code curfew:expires-at} (the next curfew after the call), each only if the
 *   resource does not have it yet, so an owner is never overwritten and a repeated delivery writes nothing; a failed
 *   call, a call made by Curfew's own roles and a call by anyone who is not a student (the instructor, an admin, root,
 *   a federated user, a role session the policy does not name) tag nothing; an owner seen for the first time is
 *   welcomed (recorded in SSM, once per owner); the owner of a launched instance is recorded in SSM (once), for the
 *   spend of its runs, and so is the owner of a spot request (RequestSpotInstances), of a Spot Fleet request
 *   (RequestSpotFleet) or EC2 Fleet (CreateFleet), and of the instances EC2 launched for them;</li>
 *   <li>an instance started, stopped or terminated: the start or end of its run is recorded for the spend estimate
 *   ({@link RunHistory}, one SSM parameter per transition, with the owner Curfew recorded at creation, or at the
 *   creation of the spot request or fleet EC2 says launched it); a record SSM would not take fails the invocation
 *   once the rest is done ({@link UnrecordedException});</li>
 *   <li>an instance now running: given an expiry if it has none, then checked against the launch limits; an
 *   instance outside them is told about, stopped or terminated as the policy's {@code sentinel.action} says (enforce
 *   only; exemptions win);</li>
 *   <li>a spot interruption warning: the owner is told;</li>
 *   <li>a volume attached (CloudTrail AttachVolume): the marks a sweep left on it ({@code curfew:pending},
 *   {@code curfew:unattached-since}, {@code curfew:snapshot-id}) are removed, so the next sweep marks it afresh and
 *   no snapshot taken before it was used again can justify deleting it.</li>
 * </ul>
 * Messages about an instance are sent once: a launch-limits message is recorded first, SSM parameters created without
 * overwrite ({@link SentinelAws#limitsToldName}): one for the verdict's kinds of breach together (of two handlers at
 * once that see the same breaches, only the one that creates it goes on), then one per kind (a kind told before is not
 * told again; two handlers that saw different breaches, because one acted in between, each tell only the kinds they
 * recorded); a spot interruption warning is recorded the same way, one SSM parameter per instance
 * ({@link SentinelAws#interruptionToldName}), and only the handler that creates it tells the owner.
 * <p>Events forwarded from other accounts ({@link EventOrigin}): an event whose {@code account} is a student's own
 * account (the roster's {@code account} column) or a member of the policy's Organization unit (then with the
 * Organization's external id; its student, if the roster names one, owns what is created there, else the caller's
 * identity decides as in the class account) is acted on in that account, through its role {@code curfew-access} ({@link AccountSessions}, session {@value #SESSION_NAME}); in a
 * student's own account what is created is that student's, whoever CloudTrail names. An event from any other account
 * is refused: logged with the account, nothing changed, and the invocation does not fail (a refused account is not
 * the sentinel's error, and a failure would only be retried). The records are kept in the home account, named with
 * the enrolled account.
 * <p>Messages are rendered from the notification templates and delivered by the {@link Notifier}, as the sweeper's.
 * <p>In dry-run nothing is written (no tag, no SSM record) and no message is delivered on Slack or by email: what
 * would be written is in the result ({@code wouldTag}, {@code wouldUntag}, {@code wouldRecord}), and each message
 * is written to the log only. Without the records that keep a message from going twice, a repeated delivery could
 * not be told apart from a new event; in dry-run it repeats a log line and nothing else.
 */
@Singleton
public class SentinelService {
    private static final Logger LOG = LogManager.getLogger(SentinelService.class);
    /** The role session name in enrolled accounts: what a student sees in their CloudTrail. */
    static final String SESSION_NAME = "curfew-sentinel";

    private final Deployment deployment;
    private final AwsClients clients;
    private final SentinelAws aws;
    private final SentinelMessenger messenger;
    private final Notifier notifier;
    private final AccountSessions sessions;
    /**
     * The members of the policy's {@code enrolment.organization-unit} (organizations:ListAccountsForParent), listed at
     * most once per {@link UnitMembers#TTL} in a warm instance, and only for an event of another account.
     */
    private final UnitMembers unit;
    private final Clock clock;
    /** Held here because org.crac keeps registered resources only weakly. */
    private final Priming priming;

    public SentinelService(Deployment deployment, SentinelMessenger messenger, Clock clock) {
        this.deployment = deployment;
        this.clients = new AwsClients(AwsSettings.fromEnvironment(deployment.endpoint(), deployment.region()));
        this.aws = new SentinelAws(clients);
        this.messenger = messenger;
        this.notifier = new Notifier(clients, null, deployment.slackApiUrl(), x -> LOG.info("message {}", x));
        this.sessions = new AccountSessions(clients, SESSION_NAME);
        this.unit = new UnitMembers(new OrganizationAccounts(clients), Clock.systemUTC(), UnitMembers.TTL);
        this.clock = clock;
        this.priming = Priming.register("curfew-sentinel", this::prime);
    }

    /**
     * Before a SnapStart snapshot: the deployed policy is read and checked, the EC2 client of the home region is
     * built and STS GetCallerIdentity is called once. Nothing is tagged, stopped or sent.
     */
    void prime() {
        dev.curfew.aws.SdkWarmup.await(java.time.Duration.ofSeconds(10));
        policy();
        clients.sts().getCallerIdentity();
        clients.ec2(clients.settings().homeRegion().id());
    }

    /**
     * An event's first kinds of calls, for {@link dev.curfew.aws.SdkWarmup} (clients that answer from memory): EC2's
     * protocol (the instance read) and SSM's JSON one (the records).
     */
    static void warmup(dev.curfew.aws.AwsClients clients) {
        clients.ec2("us-east-1").describeInstances(b -> b.instanceIds("i-0123456789abcdef0"));
        clients.ssm("us-east-1").getParameter(b -> b.name("/curfew/warmup"));
    }

    Priming priming() {
        return priming;
    }

    public Policy policy() {
        return PolicySource.load(deployment.policy(), PolicySource.overridesFrom(deployment.overrides()), clients);
    }

    /** Handles one event and returns what was done (also logged); a bad event throws {@link BadEventException}. */
    public Map<String, Object> handle(Map<String, Object> raw) {
        clients.counter().reset();
        SentinelEvent e;
        String account = aws.account();
        try {
            e = EventReader.read(raw);
        } catch (BadEventException x) {
            LOG.error("rejected event {}: {}", raw == null ? null : raw.get("id"), x.getMessage());
            throw x;
        }
        Policy p = policy();
        if (!p.accounts().isEmpty() && !p.accounts().contains(account)) {
            // the account guard, as in the sweep: enforce always has a list (the policy requires one)
            throw new dev.curfew.core.sweep.AccountGuardException("account " + account + " is not among the policy's "
                    + "accounts " + new java.util.TreeSet<>(p.accounts()) + ": the sentinel changes nothing here");
        }
        Report r = new Report(e);
        r.map.put("mode", p.mode().wireName());
        // the event's account is EventBridge's word for where it happened; only the roster (or the Organization) makes
        // another account one the sentinel acts in
        String ou = p.enrolment().organizationUnit();
        EventOrigin.Origin origin = EventOrigin.of(e.account(), account, e.account().equals(account) ? null
                : RosterSource.load(p.notifications().roster(), clients), ou == null ? EventOrigin.Organization.NONE
                : a -> unit.member(ou, a));
        if (origin.note() != null) {
            r.note(origin.note());
            LOG.warn("event {}: {}", e.id(), origin.note());
        }
        if (origin.refused()) {
            r.map.put("refused", e.account());
            r.outcome("refused: " + origin.refusal());
            r.map.put("awsCalls", clients.counter().snapshot());
            LOG.warn("event {} from account {} refused: {}", e.id(), e.account(), origin.refusal());
            return r.map;
        }
        AccountTarget target = origin.target();
        if (target.assumesRole()) {
            r.map.put("account", target.account());
            r.map.put("accountOf", target.owner() != null ? target.owner() : target.source().text());
        }
        if (!p.sentinel().enabled()) {
            r.outcome("ignored: the policy's sentinel.enabled is false");
        } else {
            SentinelAws in = in(target, p);
            if (e instanceof SentinelEvent.ApiCall c) {
                CreationCheck.Creation creation = CreationCheck.check(p, c, target, ownRolePrefix());
                apiCall(p, c, creation, r, in, target);
                launchedByCurfew(p, c, creation, raw, r, in, target);
            } else if (e instanceof SentinelEvent.StateChange s) {
                stateChange(p, s, r, in, target);
            } else if (e instanceof SentinelEvent.SpotInterruption s) {
                interruption(p, s, r, in, target);
            } else if (e instanceof SentinelEvent.VolumeAttached v) {
                volumeAttached(p, v, r, in);
            }
        }
        r.map.put("awsCalls", clients.counter().snapshot());
        LOG.info("event {}: {}", e.id(), r.map);
        if (r.unrecorded != null) {
            // the rest of the event is done; its records are created without overwrite, so Lambda's retry of the
            // invocation writes only what is missing
            throw new UnrecordedException(e.id(), r.unrecorded, r.map);
        }
        return r.map;
    }

    /**
     * The sentinel's calls acting in the target's account: the home account's own, or through the role of an enrolled
     * account; there the account guard holds as at home: STS must say the credentials are that account's.
     */
    private SentinelAws in(AccountTarget target, Policy p) {
        if (!target.assumesRole()) {
            return aws;
        }
        SentinelAws there = aws.in(target.account(), sessions.clients(target), target.owner() == null ? null
                : p.ownerTag());
        String reached = there.account();
        if (!target.account().equals(reached)) {
            throw new dev.curfew.core.sweep.AccountGuardException("account guard: the role assumed for account "
                    + target.account() + " acts in account " + reached + "; the sentinel changes nothing");
        }
        return there;
    }

    private void apiCall(Policy p, SentinelEvent.ApiCall c, CreationCheck.Creation creation, Report r,
                         SentinelAws aws, AccountTarget target) {
        r.map.put("call", c.eventName());
        r.map.put("owner", creation.owner());
        if (!creation.tagged()) {
            if (creation.notAStudent() != null) {
                r.map.put("notAStudent", creation.notAStudent());
                LOG.info("event {}: {} by {} is not a student's: {}", c.id(), c.eventName(), c.callerArn(),
                        creation.notAStudent());
            }
            r.outcome(creation.outcome());
            return;
        }
        String owner = creation.owner();
        Map<String, String> wanted = creation.tags();
        boolean write = enforce(p);
        Map<String, Object> tagged = new LinkedHashMap<>();
        List<String> ec2 = c.created().stream().filter(x -> x.kind().equals("ec2")).map(Created::id).toList();
        if (!ec2.isEmpty()) {
            tagged.putAll(aws.tagEc2(c.region(), ec2, wanted, write));
        }
        Map<String, String> leftAlone = ProtectedBuckets.of(deployment.policy(), p); // Curfew's own buckets
        for (Created x : c.created()) {
            if (x.kind().equals("s3") && leftAlone.containsKey(x.id())) {
                r.note("the bucket " + x.id() + " " + leftAlone.get(x.id()) + ": never tagged");
                tagged.put(x.id(), Map.of());
            } else if (x.kind().equals("s3")) {
                // an S3 error here fails the event, as the tagging would (a bucket already gone is an error)
                String existed = aws.existedBefore(x.id(), c.time());
                if (existed != null) {
                    // us-east-1 answers CreateBucket on a bucket this account owns with success: not the caller's
                    r.note("the bucket " + x.id() + " is not tagged as " + owner + "'s: " + existed
                            + " (S3 in us-east-1 answers CreateBucket on an existing bucket of this account with "
                            + "success)");
                    LOG.warn("event {}: CreateBucket {} by {} is not tagged: {}", c.id(), x.id(), c.callerArn(),
                            existed);
                    tagged.put(x.id(), Map.of());
                    continue;
                }
                try {
                    tagged.put(x.id(), aws.tagBucket(x.id(), wanted, write));
                } catch (SentinelAws.SystemTagsException skipped) {
                    r.note(skipped.getMessage());
                    tagged.put(x.id(), Map.of());
                }
            } else if (x.kind().equals("emr")) {
                tagged.put(x.id(), aws.tagCluster(c.region(), x.id(), wanted, write));
            }
        }
        r.map.put(write ? "tagged" : "wouldTag", tagged);
        r.outcome(write ? "tagged " + tagged.size() + " resource(s)"
                : "dry-run: would tag " + tagged.size() + " resource(s), wrote nothing");
        if (c.eventName().equals("RunInstances")) {
            // the instances as read when their owner was recorded (after the tagging): the limits use the same view
            Map<String, SentinelAws.InstanceView> seen = write ? recordOwners(p, c, ec2, owner, r, aws, false)
                    : Map.of();
            for (String id : ec2) {
                // in dry-run the owner tag was not written: the limits are checked for the owner it would have
                limits(p, c.region(), id, seen.get(id), c, r, write ? null : owner, aws, target);
            }
        } else if (c.eventName().equals("RequestSpotInstances") && write) {
            recordRequestOwners(p, c, ec2, owner, r, aws);
        } else if (c.eventName().equals("RequestSpotFleet") || c.eventName().equals("CreateFleet")) {
            recordFleetOwners(p, c, owner, r, aws, target, write);
        }
        boolean welcome = p.sentinel().welcome();
        if (welcome && !write) {
            // whether the owner was welcomed is known only from the record dry-run does not write: a welcome in the
            // log on every creating call would say nothing
            r.map.put("wouldRecord", SentinelAws.welcomedPrefix(deployment.stackName()) + owner
                    + " (if not there yet, and then welcome " + owner + ")");
        } else if (welcome && aws.firstWelcome(deployment.stackName(), owner,
                DateTimeFormatter.ISO_INSTANT.format(c.time()))) {
            SentinelNotices.Recipient to = recipient(p, owner);
            send(p, r, to, SentinelNotices.welcome(p, to, c, target, ec2), c.id());
        }
    }

    /** Curfew's own roles are named {@code <stack>-...}, as SAM names them. */
    private String ownRolePrefix() {
        String stack = deployment.stackName();
        return stack == null || stack.isBlank() ? null : stack + "-";
    }

    private void stateChange(Policy p, SentinelEvent.StateChange s, Report r, SentinelAws aws, AccountTarget target) {
        r.map.put("instance", s.instanceId());
        RunHistory.Kind kind = RunHistory.kindOf(s.state());
        if (kind == null) {
            r.outcome("ignored: state " + s.state() + " (neither starts nor ends a run)");
            return;
        }
        // a dry run's end of a run needs nothing of the instance (it records nothing): no read
        SentinelAws.InstanceView i = recordRun(p, s, kind, kind == RunHistory.Kind.END && !enforce(p) ? null
                : aws.instance(s.region(), s.instanceId()), r, aws, target);
        if (kind == RunHistory.Kind.END) {
            r.outcome(enforce(p) ? "recorded: the run ended (" + s.state() + ")"
                    : "dry-run: would record the run's end (" + s.state() + "), wrote nothing");
            return;
        }
        if (i == null) {
            r.outcome("nothing to do: the instance is gone");
            return;
        }
        String expiresTag = p.ec2().forgotten().expiresTag();
        if (!i.tags().containsKey(expiresTag)) {
            Map<String, String> w = Map.of(expiresTag,
                    DateTimeFormatter.ISO_INSTANT.format(CurfewTimes.next(p, s.time())));
            r.map.put(enforce(p) ? "tagged" : "wouldTag", aws.tagEc2(s.region(), List.of(i.id()), w, enforce(p)));
        }
        if (!i.tags().containsKey(p.ownerTag()) && target.owner() == null) {
            r.note("owner not known yet: the CloudTrail RunInstances event tags it (and checks the per-student cap "
                    + "then); no owner is guessed");
        }
        r.outcome("checked");
        limits(p, s.region(), i.id(), i, s, r, null, aws, target);
    }

    /**
     * Records a run's start or end for the spend estimate ({@link RunHistory}; enforce only), at the event's time
     * (the same on every delivery, so a repeat creates nothing), with the instance's type and its owner as Curfew
     * recorded it at creation (or the enrolled account's student); an instance's tags never name its owner here. A
     * failed write is reported and the event goes on (the estimate then misses that run, as before there were
     * records). The instance of a spot request (EC2 tags only the request) gets the policy's owner tag where it lacks
     * it, from its recorded owner; returns the instance's view with that tag.
     */
    private SentinelAws.InstanceView recordRun(Policy p, SentinelEvent.StateChange s, RunHistory.Kind kind,
                                               SentinelAws.InstanceView i, Report r, SentinelAws aws,
                                               AccountTarget target) {
        String stack = deployment.stackName();
        String type = i == null ? null : i.type();
        String transition = aws.transitionName(stack, p.timeZone(), s.region(), s.instanceId(), s.time(), kind);
        try {
            if (!enforce(p)) {
                r.map.put("wouldRecord", List.of(transition));
                return i;
            }
            String owner = target.owner() != null ? target.owner() : aws.recordedOwner(stack, s.region(),
                    s.instanceId());
            if (owner == null && i != null && !i.launchers().isEmpty()) {
                owner = ownerOfLauncher(stack, s.region(), i, r, aws);
            }
            String name = aws.recordTransition(stack, p.timeZone(), s.region(), s.instanceId(), s.time(), kind, type,
                    owner);
            r.map.put("run", name != null ? Map.of("recorded", name, "owner", String.valueOf(owner))
                    : Map.of("alreadyRecorded", transition));
            // an instance going away is not tagged (a refused write would fail every retry of the event)
            boolean goingAway = dev.curfew.core.model.InstanceState.fromAws(s.state()).isGone();
            if (owner != null && i != null && !i.launchers().isEmpty() && !goingAway) {
                return ownerTagged(p, s.region(), i, owner, r, aws, s.id());
            }
        } catch (RuntimeException x) {
            String what = "the run's " + (kind == RunHistory.Kind.START ? "start" : "end") + " of " + s.instanceId()
                    + " (" + transition + ")";
            r.unrecorded(what + " was not recorded: " + dev.curfew.aws.Errors.describe(x));
            LOG.error("event {}: {} was not recorded", s.id(), what, x);
        }
        return i;
    }

    /**
     * Writes the policy's owner tag, naming the owner Curfew recorded, on an instance of a spot request or a fleet
     * (EC2 tags only the request with what the caller asked), so the per-student cap, the budgets and the sweeper's
     * messages see it as the owner's. A tag naming someone else is overwritten and reported
     * ({@code ownerTagCorrected}): a fleet's launch template or specification tags its instances through the fleet's
     * service role, not the caller, so the caller's IAM denial of {@code curfew:*} tags does not stop them. A failed
     * write is reported as unrecorded (the invocation fails once the rest is done; the retry writes it). Returns the
     * view as tagged.
     */
    private SentinelAws.InstanceView ownerTagged(Policy p, String region, SentinelAws.InstanceView i, String owner,
                                                 Report r, SentinelAws aws, String eventId) {
        String had = i.tags().get(p.ownerTag());
        if (owner.equals(had)) {
            return i;
        }
        try {
            aws.setTag(region, i.id(), p.ownerTag(), owner);
        } catch (RuntimeException x) {
            r.unrecorded("the owner tag of " + i.id() + " was not " + (had == null ? "added" : "corrected") + ": "
                    + dev.curfew.aws.Errors.describe(x));
            LOG.error("event {}: the owner tag of {} was not written", eventId, i.id(), x);
            return i;
        }
        if (had != null) {
            r.list("ownerTagCorrected").add(Map.of("instance", i.id(), "was", had, "now", owner));
            LOG.warn("event {}: the owner tag of {} named {}, corrected to {}, the owner Curfew recorded", eventId,
                    i.id(), had, owner);
        } else {
            r.list("ownerTagged").add(i.id());
        }
        Map<String, String> tags = new LinkedHashMap<>(i.tags());
        tags.put(p.ownerTag(), owner);
        return new SentinelAws.InstanceView(i.id(), i.type(), i.state(), i.spot(), tags, i.launchTime(),
                i.spotRequestId());
    }

    /**
     * The owner Curfew recorded for what launched an instance ({@link SentinelAws.InstanceView#launchers}: its spot
     * request's {@code SpotInstanceRequestId}, its Spot Fleet request's or EC2 Fleet's {@code aws:} tag, which EC2
     * sets and the caller cannot), the first of them that has one, recorded as the instance's own owner from now on;
     * null when none has an owner record (not a student's, made before the sentinel ran, or its CloudTrail event is
     * still on its way: that event then records the instance's owner). An owner the instance has already is never
     * replaced.
     */
    private String ownerOfLauncher(String stack, String region, SentinelAws.InstanceView i, Report r,
                                   SentinelAws aws) {
        String owner = null;
        String from = null;
        for (String launcher : i.launchers()) {
            owner = aws.recordedOwner(stack, region, launcher);
            if (owner != null) {
                from = launcher;
                break;
            }
        }
        if (owner == null) {
            return null;
        }
        if (!aws.recordOwner(stack, region, i.id(), owner)) {
            // recorded in between (the launcher's CloudTrail event, handled at the same time): that one stands
            return aws.recordedOwner(stack, region, i.id());
        }
        r.map.put("ownerFrom", from);
        return owner;
    }

    /**
     * A RunInstances call Curfew's launcher made (nothing is tagged: the launcher tagged the instances itself): the
     * owner it asked CloudTrail to tag them with is the one its caller's identity vouched for, and is recorded as the
     * instances' owner for the spend of their runs (enforce only). A student's own call never gets here.
     */
    private void launchedByCurfew(Policy p, SentinelEvent.ApiCall c, CreationCheck.Creation creation,
                                  Map<String, Object> raw, Report r, SentinelAws aws, AccountTarget target) {
        if (!c.eventName().equals("RunInstances") || !enforce(p) || !creation.byCurfew()) {
            return;
        }
        // the launcher's role, as SAM names it (<stack>-LauncherFunctionRole-<suffix>); the sweeper never launches
        String launcher = ":assumed-role/" + deployment.stackName() + "-LauncherFunctionRole-";
        String owner = target.owner() != null ? target.owner() : c.callerArn() != null
                && c.callerArn().contains(launcher) ? EventReader.requestedInstanceTag(raw, p.ownerTag()) : null;
        if (owner != null) {
            recordOwners(p, c, c.created().stream().filter(x -> x.kind().equals("ec2")).map(Created::id).toList(),
                    owner, r, aws, false);
        }
    }

    /**
     * Records who created the instances of a RunInstances call (the creation's owner, never a tag) and, under that
     * owner, the start of each one's first run at its launch time, so that a run whose own events came before this
     * call's CloudTrail event (minutes later) is still the owner's (enforce only; a failure fails the event once
     * the rest is done, see {@link UnrecordedException}). An instance that has an owner record already keeps it, and
     * its first start is recorded under that owner (a call EC2 answers with an earlier call's instances, the same
     * client token repeated, names somebody else's). {@code ownersRecorded} lists the records created here,
     * {@code ownersAlreadyRecorded} those found. Returns the instances as read here (one DescribeInstances each), by
     * id.
     *
     * @param tagOwner the instances are a spot request's or a fleet's: each gets the owner tag where it lacks it
     */
    private Map<String, SentinelAws.InstanceView> recordOwners(Policy p, SentinelEvent.ApiCall c, List<String> ids,
                                                               String owner, Report r, SentinelAws aws,
                                                               boolean tagOwner) {
        String stack = deployment.stackName();
        Map<String, SentinelAws.InstanceView> seen = new LinkedHashMap<>();
        for (String id : ids) {
            if (!id.startsWith("i-")) {
                continue;
            }
            try {
                boolean created = aws.recordOwner(stack, c.region(), id, owner);
                String recorded = created ? owner : aws.recordedOwner(stack, c.region(), id);
                String o = recorded != null ? recorded : owner;
                SentinelAws.InstanceView i = aws.instance(c.region(), id);
                if (i != null && i.launchTime() != null) {
                    aws.recordTransition(stack, p.timeZone(), c.region(), id, i.launchTime(), RunHistory.Kind.START,
                            i.type(), o);
                }
                if (tagOwner && i != null) {
                    i = ownerTagged(p, c.region(), i, o, r, aws, c.id());
                }
                seen.put(id, i);
                r.list(created ? "ownersRecorded" : "ownersAlreadyRecorded").add(id);
            } catch (RuntimeException x) {
                r.unrecorded("the owner of " + id + " was not recorded: " + dev.curfew.aws.Errors.describe(x));
                LOG.error("event {}: the owner of {} was not recorded", c.id(), id, x);
            }
        }
        r.list("ownersRecorded");
        return seen;
    }

    /**
     * Records who made a RequestSpotInstances call as the owner of each of its spot requests (created without
     * overwrite: a request's first recorded owner stands, whatever a later event names), then, for each request EC2
     * has already fulfilled (DescribeSpotInstanceRequests: the instance is EC2's word, not the caller's), the
     * request's recorded owner as the instance's, as {@link #recordOwners} does for RunInstances. An instance
     * launched later (a request fulfilled later, a persistent request launching again) gets its owner from its
     * request when its first state-change event comes ({@link #ownerOfLauncher}). Either way the instance gets the
     * owner tag where it lacks it (EC2 tags only the request). {@code requestOwnersRecorded} lists the records created
     * here, {@code requestOwnersAlreadyRecorded} those found.
     */
    private void recordRequestOwners(Policy p, SentinelEvent.ApiCall c, List<String> ids, String owner, Report r,
                                     SentinelAws aws) {
        String stack = deployment.stackName();
        Map<String, String> owners = new LinkedHashMap<>();
        for (String id : ids) {
            if (!id.startsWith("sir-")) {
                continue;
            }
            try {
                boolean created = aws.recordOwner(stack, c.region(), id, owner);
                owners.put(id, created ? owner : aws.recordedOwner(stack, c.region(), id));
                r.list(created ? "requestOwnersRecorded" : "requestOwnersAlreadyRecorded").add(id);
            } catch (RuntimeException x) {
                r.unrecorded("the owner of " + id + " was not recorded: " + dev.curfew.aws.Errors.describe(x));
                LOG.error("event {}: the owner of {} was not recorded", c.id(), id, x);
            }
        }
        Map<String, String> launched;
        try {
            launched = aws.spotInstances(c.region(), List.copyOf(owners.keySet()));
        } catch (RuntimeException x) {
            r.unrecorded("the instances of " + owners.keySet() + " could not be read: "
                    + dev.curfew.aws.Errors.describe(x));
            LOG.error("event {}: the instances of {} could not be read", c.id(), owners.keySet(), x);
            return;
        }
        launched.forEach((request, instance) -> {
            String theirs = owners.get(request);
            if (theirs != null) {
                recordOwners(p, c, List.of(instance), theirs, r, aws, true);
            }
        });
    }

    /**
     * Records who made a RequestSpotFleet or CreateFleet call as the owner of the fleet (its {@code sfr-...} or
     * {@code fleet-...} id, created without overwrite: a fleet's first recorded owner stands, whatever a later event
     * names, a repeated call through EC2's client-token idempotency included), then the fleet's recorded owner as the
     * owner of each instance it has launched, as {@link #recordOwners} does for RunInstances (the launch-time start
     * too, and the owner tag, written over one naming someone else): the instances an {@code instant} fleet named
     * in EC2's answer (an instant fleet is never listed: its answer has {@code fleetInstanceSet}/{@code errorSet},
     * none maybe), else those EC2 lists now (DescribeSpotFleetInstances, DescribeFleetInstances); then each is
     * checked against the launch limits, as RunInstances' are (their running events came first, without an owner; a
     * fleet's instance outside them is only told about, see {@link LaunchCheck}). In dry-run nothing is recorded: the
     * instances are listed and checked as the caller's. An instance the fleet launches later gets its owner at its
     * first state-change event, from the fleet's {@code aws:} tag ({@link #ownerOfLauncher}). A fleet EC2 no longer
     * knows leaves out only its own instances ({@code fleetsUnknown}); a record SSM refuses, or a listing that fails,
     * fails the invocation once the rest is done. In an enrolled account the fleet's instances are not listed (the
     * role there reads instances, not fleets): they get their owner at a later state change (their first running
     * event came before this one). {@code fleetOwnersRecorded} lists the records created here,
     * {@code fleetOwnersAlreadyRecorded} those found.
     */
    private void recordFleetOwners(Policy p, SentinelEvent.ApiCall c, String owner, Report r, SentinelAws aws,
                                   AccountTarget target, boolean write) {
        String stack = deployment.stackName();
        List<String> named = c.created().stream().filter(x -> x.kind().equals("ec2")).map(Created::id).toList();
        for (Created fleet : c.created()) {
            boolean instant = fleet.kind().equals(EventReader.INSTANT_FLEET_KIND);
            if (!instant && !fleet.kind().equals(EventReader.FLEET_KIND)) {
                continue;
            }
            String id = fleet.id();
            // in dry-run nothing is recorded: the instances are checked as the caller's, the owner they would get
            String theirs = owner;
            if (write) {
                try {
                    boolean created = aws.recordOwner(stack, c.region(), id, owner);
                    theirs = created ? owner : aws.recordedOwner(stack, c.region(), id);
                    r.list(created ? "fleetOwnersRecorded" : "fleetOwnersAlreadyRecorded").add(id);
                } catch (RuntimeException x) {
                    r.unrecorded("the owner of " + id + " was not recorded: " + dev.curfew.aws.Errors.describe(x));
                    LOG.error("event {}: the owner of {} was not recorded", c.id(), id, x);
                    continue;
                }
            }
            // an instant fleet's answer names all it launched (none maybe): it is never listed
            List<String> launched = named;
            if (!instant && target.assumesRole()) {
                r.note("the instances of " + id + " get their owner at a state change after this event (in account "
                        + target.account() + " the sentinel reads instances, not fleets)");
                continue;
            }
            if (!instant) {
                try {
                    launched = aws.fleetInstances(c.region(), id);
                } catch (RuntimeException x) {
                    r.unrecorded("the instances of " + id + " could not be read: " + dev.curfew.aws.Errors.describe(x));
                    LOG.error("event {}: the instances of {} could not be read", c.id(), id, x);
                    continue;
                }
                if (launched == null) {
                    r.list("fleetsUnknown").add(id);
                    continue;
                }
            }
            if (theirs == null) {
                continue;
            }
            // the instances' first running events came before this one, without an owner: the cap is checked here,
            // on the instances as read when their owner was recorded (and tagged)
            Map<String, SentinelAws.InstanceView> seen = write ? recordOwners(p, c, launched, theirs, r, aws, true)
                    : Map.of();
            for (String i : launched) {
                limits(p, c.region(), i, seen.get(i), c, r, write ? null : theirs, aws, target);
            }
        }
    }

    /**
     * Checks one instance against the launch limits and acts; a stopped or gone instance is left as it is.
     *
     * @param wouldBeOwner in dry-run, the owner the creating call would have tagged (the instance has no tag), else
     *                     null
     */
    private void limits(Policy p, String region, String id, SentinelAws.InstanceView known, SentinelEvent e, Report r,
                        String wouldBeOwner, SentinelAws aws, AccountTarget target) {
        SentinelAws.InstanceView i = known != null ? known : aws.instance(region, id);
        if (i == null || !i.live()) {
            r.limit(id, Map.of("verdict", "not running (" + (i == null ? "gone" : i.state()) + "): nothing to do"));
            return;
        }
        String cluster = i.tags().get("aws:elasticmapreduce:job-flow-id");
        if (cluster != null) {
            r.limit(id, Map.of("verdict", "part of the EMR cluster " + cluster + ": handled through the cluster"));
            return;
        }
        // in a student's own account the instance is theirs, whatever its tag says
        String owner = target.owner() != null ? target.owner() : i.tags().get(p.ownerTag());
        if (target.owner() == null && wouldBeOwner != null && !wouldBeOwner.equals(owner)) {
            // (a fleet's instance may carry a tag naming someone else: the tag a write would correct)
            owner = wouldBeOwner;
            r.note("dry-run: the limits of " + id + " are checked as " + wouldBeOwner + "'s, the owner it would be "
                    + "tagged with (" + wouldBeOwner + "'s other instances are counted only if tagged)");
        }
        int running = owner == null ? 0 : aws.running(region, p.ownerTag(), owner);
        LaunchCheck.Verdict v = LaunchCheck.check(p, id, region, i.type(), i.spot(), i.tags(), owner, running,
                Instant.now(clock));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("type", i.type());
        out.put("owner", owner);
        out.put("breaches", v.breaches());
        out.put("action", v.action());
        if (v.note() != null) {
            out.put("note", v.note());
        }
        r.limit(id, out);
        if (!v.tell()) {
            return;
        }
        if (v.action().equals("stop")) {
            aws.stop(region, id, Instant.now(clock));
            out.put("done", "stopped");
        } else if (v.action().equals("terminate")) {
            aws.terminate(region, id, Instant.now(clock));
            out.put("done", "terminated");
        }
        // told once per instance and kind of breach, recorded (created without overwrite) before the message goes.
        // The verdict's kinds together are claimed first: of two handlers at once that see the same breaches (the
        // RunInstances and the running event of one launch), only the one that created the claim goes on; it then
        // records each kind, and tells those not told before
        String stack = deployment.stackName();
        String acct = aws.enrolled();
        List<String> kinds = v.kinds();
        String claim = v.claim();
        List<String> breaches;
        if (enforce(p)) {
            String what = DateTimeFormatter.ISO_INSTANT.format(Instant.now(clock)) + " event " + e.id();
            List<String> fresh = new ArrayList<>();
            if (aws.firstToldOfLimits(stack, region, id, claim, what)) {
                for (String kind : kinds) {
                    // one kind alone is its own claim
                    if (kinds.size() == 1 || aws.firstToldOfLimits(stack, region, id, kind, what)) {
                        fresh.add(kind);
                    }
                }
            }
            if (fresh.isEmpty()) {
                out.put("message", "already told (recorded in " + SentinelAws.limitsToldName(stack, acct, region,
                        id, claim) + ")");
                return;
            }
            out.put("recorded", fresh.stream().map(k -> SentinelAws.limitsToldName(stack, acct, region, id, k))
                    .toList());
            breaches = v.breaches(fresh);
        } else {
            breaches = v.breaches();
            out.put("wouldRecord", List.of(SentinelAws.limitsToldName(stack, acct, region, id, claim)));
        }
        String fleet = LaunchCheck.fleetOf(i.tags());
        if (fleet != null) {
            // what to change is the fleet: said with the breaches
            out.put("fleet", fleet);
            breaches = new ArrayList<>(breaches);
            breaches.add(LaunchCheck.fleetAdvice(fleet));
        }
        SentinelNotices.Recipient to = recipient(p, owner);
        send(p, r, to, SentinelNotices.limits(p, to, id, region, i.type(), v, breaches, Instant.now(clock)), e.id());
    }

    private void interruption(Policy p, SentinelEvent.SpotInterruption s, Report r, SentinelAws aws,
                              AccountTarget target) {
        r.map.put("instance", s.instanceId());
        SentinelAws.InstanceView i = aws.instance(s.region(), s.instanceId());
        if (i == null) {
            r.outcome("nothing to do: the instance is gone");
            return;
        }
        // recorded (created without overwrite) before the message goes: of two deliveries handled at once, only the
        // one that created the record tells the owner
        String stack = deployment.stackName();
        String record = SentinelAws.interruptionToldName(stack, aws.enrolled(), s.region(), i.id());
        if (enforce(p)) {
            if (!aws.firstToldOfInterruption(stack, s.region(), i.id(), DateTimeFormatter.ISO_INSTANT.format(s.time())
                    + " event " + s.id())) {
                r.outcome("already told (recorded in " + record + ")");
                return;
            }
            r.map.put("recorded", List.of(record));
        } else {
            r.map.put("wouldRecord", List.of(record));
        }
        String owner = target.owner() != null ? target.owner() : i.tags().get(p.ownerTag());
        SentinelNotices.Recipient to = recipient(p, owner);
        send(p, r, to, SentinelNotices.interruption(p, to, s, i.type()), s.id());
        r.outcome((enforce(p) ? "told " : "dry-run: would tell ") + to.to());
    }

    /**
     * A volume attached again: the marks of an earlier sweep are removed (only those keys, only those it carries),
     * so the next sweep that finds it unattached marks it afresh, and a snapshot recorded before cannot justify
     * deleting it. Removing a mark only ever postpones an act, so the event's caller does not matter.
     */
    private void volumeAttached(Policy p, SentinelEvent.VolumeAttached v, Report r, SentinelAws aws) {
        r.map.put("volume", v.volumeId());
        if (v.errorCode() != null) {
            r.outcome("skipped: the call failed (" + v.errorCode() + "), nothing was attached");
            return;
        }
        boolean write = enforce(p);
        List<String> carried = aws.untagVolume(v.region(), v.volumeId(), SentinelAws.UNMARKED_ON_ATTACH, write);
        if (carried.isEmpty()) {
            r.outcome("nothing to do: the volume carries none of " + SentinelAws.UNMARKED_ON_ATTACH);
            return;
        }
        r.map.put(write ? "untagged" : "wouldUntag", Map.of(v.volumeId(), carried));
        r.outcome(write ? "unmarked: removed " + carried + " (attached again)"
                : "dry-run: would remove " + carried + " (attached again), wrote nothing");
    }

    private static boolean enforce(Policy p) {
        return p.mode() == Mode.ENFORCE;
    }

    /**
     * Who a message goes to: the owner as the roster knows them, else the instructor. The roster is read only for a
     * message that is delivered (enforce): in dry-run a message is only logged, addressed to the owner as named.
     */
    private SentinelNotices.Recipient recipient(Policy p, String owner) {
        return SentinelNotices.recipient(p, owner, owner == null || !enforce(p) ? null
                : RosterSource.load(p.notifications().roster(), clients));
    }

    /**
     * Logs the message (the messenger), then delivers it through the {@link Notifier} on the policy's channels
     * (enforce only: in dry-run nothing records that it went, so it is logged and not delivered); what became of it
     * on each channel is reported, a failure never thrown.
     */
    private void send(Policy p, Report r, SentinelNotices.Recipient to, Digest d, String eventId) {
        List<String> result = new ArrayList<>();
        try {
            result.add(messenger.send(new SentinelMessage(d.message(), to.to(), d.subject(), Renderer.render(d)
                    .text(), eventId, !enforce(p))));
            if (!enforce(p)) {
                result.add("not delivered: in dry-run the sentinel writes its messages to the log only");
            } else {
                if (to.note() != null) {
                    result.add(to.note());
                }
                notifier.deliver(p, d).forEach(x -> result.add(said(x)));
            }
        } catch (RuntimeException x) {
            result.add("failed: " + x.getMessage());
            LOG.error("message {} to {} failed", d.message(), to.to(), x);
        }
        result.stream().filter(x -> x.contains("failed")).forEach(x -> LOG.warn("message {} to {}: {}", d.message(),
                to.to(), x));
        r.message(d.message(), to.to(), String.join("; ", result));
    }

    /** A delivery in the result's words: {@code email to a@b.c: sent (SES message ...)}, {@code slack-webhook: sent}. */
    static String said(Delivery d) {
        String where = d.address() == null || d.channel().equals("slack-webhook") ? "" : " to " + d.address();
        return d.channel() + where + ": " + d.status().wireName() + (d.detail() == null ? "" : " (" + d.detail()
                + ")");
    }

    /** What one event led to, as returned and logged. */
    static final class Report {
        final Map<String, Object> map = new LinkedHashMap<>();
        /** The first record the event failed to write (the invocation fails once the rest is done), or null. */
        String unrecorded;

        Report(SentinelEvent e) {
            map.put("event", e.id());
            map.put("kind", e instanceof SentinelEvent.ApiCall ? "api-call"
                    : e instanceof SentinelEvent.StateChange ? "state-change"
                    : e instanceof SentinelEvent.VolumeAttached ? "volume-attached" : "spot-interruption");
            map.put("region", e.region());
        }

        void outcome(String o) {
            map.put("outcome", o);
        }

        void note(String n) {
            list("notes").add(n);
        }

        /** A record of the spend estimate that could not be written: reported, and the invocation fails at the end. */
        void unrecorded(String why) {
            list("unrecorded").add(why);
            if (unrecorded == null) {
                unrecorded = why;
            }
        }

        @SuppressWarnings("unchecked")
        void limit(String id, Map<String, Object> v) {
            ((Map<String, Object>) map.computeIfAbsent("limits", k -> new LinkedHashMap<>())).put(id, v);
        }

        void message(String kind, String to, String result) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("kind", kind);
            m.put("to", to);
            m.put("result", result);
            list("messages").add(m);
        }

        @SuppressWarnings("unchecked")
        <T> List<T> list(String key) {
            return (List<T>) map.computeIfAbsent(key, k -> new ArrayList<>());
        }
    }

    /**
     * An event whose work is done except a record of the spend estimate (a run's start or end, an instance's or a spot
     * request's owner) that could not be written after the SDK's retries: the invocation fails, so Lambda invokes it
     * again (EventBridge's invocation is asynchronous: two more tries, a minute and two minutes later) and the
     * {@code SentinelErrorsAlarm} fires if those fail too. The retry is harmless: tags are only added where missing,
     * messages and records are created without overwrite, so it writes only what is missing.
     */
    public static final class UnrecordedException extends RuntimeException {
        private final transient Map<String, Object> result;

        UnrecordedException(String eventId, String why, Map<String, Object> result) {
            super("event " + eventId + ": " + why + "; everything else was done, and the invocation fails so that "
                    + "Lambda delivers the event again (the records are created without overwrite: a repeat writes "
                    + "only what is missing)");
            this.result = result;
        }

        /** What the event led to, as it would have been returned. */
        public Map<String, Object> result() {
            return result;
        }
    }

    @PreDestroy
    public void close() {
        sessions.close();
        clients.close();
    }
}
