package dev.curfew.aws;

import dev.curfew.core.model.Ec2Instance;
import dev.curfew.core.model.InstanceMetrics;
import dev.curfew.core.model.InstanceState;
import dev.curfew.core.model.Protection;
import dev.curfew.core.model.Resource;
import dev.curfew.core.model.ResourceKind;
import dev.curfew.core.model.SpotRequest;
import dev.curfew.core.model.SpotRequestType;
import dev.curfew.core.plan.Action;
import dev.curfew.core.plan.ActionTag;
import dev.curfew.core.plan.Decision;
import dev.curfew.core.policy.Ec2Rules;
import dev.curfew.core.sweep.Deadline;
import dev.curfew.core.sweep.Outcome;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.DescribeInstanceAttributeResponse;
import software.amazon.awssdk.services.ec2.model.DescribeInstancesRequest;
import software.amazon.awssdk.services.ec2.model.DescribeInstancesResponse;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.InstanceAttributeName;
import software.amazon.awssdk.services.ec2.model.InstanceBlockDeviceMapping;
import software.amazon.awssdk.services.ec2.model.InstanceLifecycleType;
import software.amazon.awssdk.services.ec2.model.Reservation;
import software.amazon.awssdk.services.ec2.model.Tag;

/**
 * The {@code ec2-instance} resource kind: list instances of a region (pages of 1,000, tags included, spot requests
 * joined in one call), read their metrics ({@link InstanceMetricsReader}) and, for those a plan would stop or
 * terminate, their protection, and stop/terminate in batches, each instance's {@code curfew:action} record first.
 * Already gone counts as done.
 */
public final class Ec2Instances extends KindAdapter {
    /** Every IAM action this class calls besides the metrics' ({@link InstanceMetricsReader#IAM_ACTIONS}). */
    public static final List<String> IAM_ACTIONS = List.of(
            "ec2:DescribeInstances", "ec2:DescribeSpotInstanceRequests", "ec2:DescribeInstanceAttribute",
            "ec2:StopInstances", "ec2:TerminateInstances", "ec2:CancelSpotInstanceRequests", "ec2:CreateTags");

    static final int PAGE_SIZE = 1000;
    static final int ACTION_BATCH = 100;
    private static final Logger LOG = LogManager.getLogger(Ec2Instances.class);
    private static final Pattern REASON_TIME = Pattern.compile("\\((\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}) (?:UTC|GMT)\\)");
    private static final DateTimeFormatter REASON_FORMAT = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    public Ec2Instances() {
        super(ResourceKind.EC2_INSTANCE, java.util.stream.Stream.concat(IAM_ACTIONS.stream(),
                InstanceMetricsReader.IAM_ACTIONS.stream()).toList());
    }

    /** Instances that are not terminated, with tags, lifecycle, spot request and root-volume attach time. */
    @Override
    public List<Ec2Instance> list(AwsClients clients, String region) {
        return list(clients, region, null);
    }

    /**
     * As {@link #list(AwsClients, String)}, joining spot instances with the region's spot requests as the sweep
     * listed them when its spot-request rule is on (none when that listing failed: the planner then acts on no spot
     * instance of the region); else they are listed here, only if there are spot instances.
     */
    @Override
    @SuppressWarnings("unchecked")
    public List<Ec2Instance> list(Scope scope, String region, Map<String, String> failures,
                                  Map<ResourceKind, List<? extends Resource>> listed) {
        List<SpotRequest> spot = !scope.policy().leftovers().rule(ResourceKind.SPOT_REQUEST).enabled() ? null
                : (List<SpotRequest>) listed.getOrDefault(ResourceKind.SPOT_REQUEST, List.of());
        return list(scope.clients(), region, spot);
    }

    /** CPU and network of the running instances over the idle window, when the idle rule is on. */
    @Override
    public Map<String, InstanceMetrics> metrics(Scope scope, String region, List<? extends Resource> listed,
                                                Instant now) {
        Ec2Rules.Idle idle = scope.policy().ec2().idle();
        if (!idle.enabled()) {
            return Map.of();
        }
        List<String> running = listed.stream().map(Ec2Instance.class::cast)
                .filter(i -> i.state() == InstanceState.RUNNING).map(Ec2Instance::id).toList();
        return new InstanceMetricsReader(scope.clients()).read(region, running, idle.window(), now);
    }

    /** Its state as EC2 tells it ("stopped", "terminated"), or gone. */
    @Override
    public String left(AwsClients clients, String region, String id) {
        try {
            return clients.ec2(region).describeInstances(b -> b.instanceIds(id)).reservations().stream()
                    .flatMap(r -> r.instances().stream()).findFirst()
                    .map(i -> i.state().nameAsString()).orElse("gone");
        } catch (AwsServiceException e) {
            if (Errors.notFound(e)) {
                return "gone";
            }
            throw e;
        }
    }

    /**
     * As {@link #list(AwsClients, String)}, joining spot instances with the given spot requests of the region; when
     * null, the requests are listed here, only if there are spot instances.
     */
    List<Ec2Instance> list(AwsClients clients, String region, List<SpotRequest> spotRequests) {
        Ec2Client ec2 = clients.ec2(region);
        List<Instance> raw = new ArrayList<>();
        String token = null;
        do {
            DescribeInstancesResponse page = ec2.describeInstances(DescribeInstancesRequest.builder()
                    .filters(Filter.builder().name("instance-state-name")
                            .values("pending", "running", "stopping", "stopped").build())
                    .maxResults(PAGE_SIZE).nextToken(token).build());
            for (Reservation r : page.reservations()) {
                raw.addAll(r.instances());
            }
            token = page.nextToken();
        } while (token != null && !token.isEmpty());

        Map<String, SpotRequest> spot = new HashMap<>();
        List<SpotRequest> requests = spotRequests != null ? spotRequests
                : raw.stream().anyMatch(Ec2Instances::isSpot) ? new SpotRequests().list(clients, region) : List.of();
        requests.stream().filter(r -> r.instanceId() != null).forEach(r -> spot.put(r.instanceId(), r));
        List<Ec2Instance> out = new ArrayList<>(raw.size());
        for (Instance i : raw) {
            out.add(toModel(region, i, spot.get(i.instanceId())));
        }
        return out;
    }

    private static boolean isSpot(Instance i) {
        return i.instanceLifecycle() == InstanceLifecycleType.SPOT;
    }

    static Ec2Instance toModel(String region, Instance i, SpotRequest spot) {
        Map<String, String> tags = new LinkedHashMap<>();
        for (Tag t : i.tags()) {
            tags.put(t.key(), t.value());
        }
        Instant rootAttach = null;
        for (InstanceBlockDeviceMapping b : i.blockDeviceMappings()) {
            if (b.deviceName() != null && b.deviceName().equals(i.rootDeviceName()) && b.ebs() != null) {
                rootAttach = b.ebs().attachTime();
            }
        }
        InstanceState state = InstanceState.fromAws(i.state() == null ? null : i.state().nameAsString());
        Instant stoppedAt = state == InstanceState.STOPPED ? stoppedAt(i.stateTransitionReason()) : null;
        boolean isSpot = isSpot(i);
        String requestId = spot != null ? spot.id() : i.spotInstanceRequestId();
        SpotRequestType type = spot != null ? spot.type() : isSpot ? SpotRequestType.ONE_TIME : null;
        return new Ec2Instance(i.instanceId(), region, i.instanceTypeAsString(), state, isSpot, requestId, type,
                i.launchTime(), rootAttach, stoppedAt, tags, Protection.UNKNOWN);
    }

    /** EC2 writes the stop time into the reason: "User initiated (2026-11-25 17:02:36 GMT)". */
    static Instant stoppedAt(String reason) {
        if (reason == null) {
            return null;
        }
        Matcher m = REASON_TIME.matcher(reason);
        return m.find() ? LocalDateTime.parse(m.group(1), REASON_FORMAT).toInstant(ZoneOffset.UTC) : null;
    }

    /** Reads the protection attribute that matters for each planned action (one call per instance). */
    @Override
    public Map<String, Protection> protection(AwsClients clients, String region, Map<String, Action> candidates) {
        Ec2Client ec2 = clients.ec2(region);
        Map<String, Protection> out = new HashMap<>();
        candidates.forEach((id, action) -> {
            try {
                if (action == Action.TERMINATE) {
                    DescribeInstanceAttributeResponse r = ec2.describeInstanceAttribute(b -> b.instanceId(id)
                            .attribute(InstanceAttributeName.DISABLE_API_TERMINATION));
                    out.put(id, new Protection(r.disableApiTermination() != null
                            && Boolean.TRUE.equals(r.disableApiTermination().value()), null));
                } else if (action == Action.STOP) {
                    DescribeInstanceAttributeResponse r = ec2.describeInstanceAttribute(b -> b.instanceId(id)
                            .attribute(InstanceAttributeName.DISABLE_API_STOP));
                    out.put(id, new Protection(null, r.disableApiStop() != null
                            && Boolean.TRUE.equals(r.disableApiStop().value())));
                }
            } catch (SdkException e) {
                // not read: the engine treats it as unreadable and does nothing destructive to it
                LOG.warn("cannot read protection of {} in {}: {}", id, region, Errors.describe(e));
            }
        });
        return out;
    }

    /**
     * Marks one at a time; stops and terminates in batches, cancelling persistent spot requests first. Each instance
     * is first tagged with the decision's {@code curfew:action} record (IAM allows the act only on an instance
     * carrying it); an instance whose tag cannot be written is not acted on. One outcome per decision.
     */
    @Override
    public List<Outcome> applyAll(AwsClients clients, String region, List<Decision> decisions, Deadline deadline) {
        Map<String, Outcome> outcomes = new HashMap<>();
        List<Decision> acts = new ArrayList<>();
        for (Decision d : decisions) {
            if (d.action() == Action.MARK || d.action() == Action.UNMARK) {
                outcomes.put(d.resource().id(), apply(clients, region, d, deadline));
            } else {
                acts.add(d);
            }
        }
        if (!acts.isEmpty()) {
            acts(clients.ec2(region), acts, true).forEach(o -> outcomes.put(o.resourceId(), o));
        }
        return decisions.stream().map(d -> outcomes.get(d.resource().id())).toList();
    }

    /** One stop or terminate whose {@code curfew:action} record was just written ({@link KindAdapter#apply}). */
    @Override
    protected Outcome act(AwsClients clients, String region, Decision d) {
        return acts(clients.ec2(region), List.of(d), false).get(0);
    }

    /**
     * Stops and terminates, cancelling persistent spot requests first; with {@code writeRecords}, each batch is
     * first tagged with its {@code curfew:action} record. One outcome per decision, in their order.
     */
    private List<Outcome> acts(Ec2Client ec2, List<Decision> decisions, boolean writeRecords) {
        Map<String, Outcome> outcomes = new LinkedHashMap<>();
        Map<Map<String, String>, List<String>> toTerminate = new LinkedHashMap<>();
        Map<Map<String, String>, List<String>> toStop = new LinkedHashMap<>();
        for (Decision d : decisions) {
            String id = d.resource().id();
            if (d.action() == Action.TERMINATE) {
                if (d.cancelFirst() != null) {
                    SdkException failure = cancelSpotRequest(ec2, d.cancelFirst(), d);
                    if (failure != null) {
                        outcomes.put(id, Errors.failed(id, "not terminated: cancelling its persistent spot "
                                + "request " + d.cancelFirst() + " failed (" + Errors.describe(failure) + ")", failure));
                        continue;
                    }
                }
                toTerminate.computeIfAbsent(writeRecords ? d.setTags() : Map.of(), k -> new ArrayList<>()).add(id);
            } else if (d.action() == Action.STOP) {
                toStop.computeIfAbsent(writeRecords ? d.setTags() : Map.of(), k -> new ArrayList<>()).add(id);
            } else {
                outcomes.put(id, Outcome.failed(id, "instances cannot be sent " + d.action().wireName()));
            }
        }
        toTerminate.forEach((tags, ids) -> batch(ec2, ids, tags,
                chunk -> ec2.terminateInstances(b -> b.instanceIds(chunk)), "terminated", outcomes));
        toStop.forEach((tags, ids) -> batch(ec2, ids, tags,
                chunk -> ec2.stopInstances(b -> b.instanceIds(chunk)), "stopped", outcomes));
        List<Outcome> ordered = new ArrayList<>();
        for (Decision d : decisions) {
            ordered.add(outcomes.get(d.resource().id()));
        }
        return ordered;
    }

    /**
     * Cancels the spot request of an instance about to be terminated, after writing its {@code curfew:action}
     * record ({@code cancel@} the instance's instant): IAM allows the cancel only on a request carrying it.
     *
     * @return null when cancelled (or already gone), else what went wrong
     */
    private SdkException cancelSpotRequest(Ec2Client ec2, String requestId, Decision terminate) {
        try {
            // the terminate record's instant (ActionTag.value wrote it)
            String record = terminate.setTags().get(ActionTag.TAG);
            Instant at = record == null ? Instant.now() : Instant.parse(record.substring(record.indexOf('@') + 1));
            Tagging.retag(ec2, requestId, ActionTag.of(Action.CANCEL, at), List.of());
            SpotRequests.cancel(ec2, requestId);
            return null;
        } catch (AwsServiceException e) {
            return Errors.notFound(e) ? null : e;
        } catch (SdkException e) {
            return e;
        }
    }

    /**
     * Tags, then acts on, up to {@link #ACTION_BATCH} instances a call. EC2 refuses a whole call when one instance
     * in it is protected or gone, so a refused batch is retried one instance at a time to isolate the failure.
     */
    private void batch(Ec2Client ec2, List<String> ids, Map<String, String> tags,
                       java.util.function.Consumer<List<String>> call, String verb, Map<String, Outcome> outcomes) {
        for (int from = 0; from < ids.size(); from += ACTION_BATCH) {
            List<String> chunk = tagged(ec2, ids.subList(from, Math.min(ids.size(), from + ACTION_BATCH)), tags,
                    verb, outcomes);
            if (chunk.isEmpty()) {
                continue;
            }
            try {
                Tagging.actAfterTagging(() -> call.accept(chunk));
                chunk.forEach(id -> outcomes.put(id, Outcome.done(id, verb)));
                continue;
            } catch (SdkException e) {
                if (chunk.size() == 1) {
                    outcomes.put(chunk.get(0), Errors.outcome(chunk.get(0), e));
                    continue;
                }
                LOG.info("batch of {} refused ({}); acting one by one", chunk.size(), Errors.describe(e));
            }
            for (String id : chunk) {
                try {
                    call.accept(List.of(id));
                    outcomes.put(id, Outcome.done(id, verb));
                } catch (SdkException e) {
                    outcomes.put(id, Errors.outcome(id, e));
                }
            }
        }
    }

    /** Writes the action record on a chunk (one call; one by one when that is refused); returns the tagged ids. */
    private static List<String> tagged(Ec2Client ec2, List<String> chunk, Map<String, String> tags, String verb,
                                       Map<String, Outcome> outcomes) {
        if (tags.isEmpty()) {
            return chunk;
        }
        List<Tag> asTags = tags.entrySet().stream().map(e -> Tag.builder().key(e.getKey()).value(e.getValue())
                .build()).toList();
        try {
            ec2.createTags(b -> b.resources(chunk).tags(asTags));
            return chunk;
        } catch (SdkException e) {
            if (chunk.size() > 1) {
                LOG.info("tagging a batch of {} refused ({}); tagging one by one", chunk.size(), Errors.describe(e));
            }
        }
        List<String> ok = new ArrayList<>();
        for (String id : chunk) {
            try {
                ec2.createTags(b -> b.resources(id).tags(asTags));
                ok.add(id);
            } catch (SdkException e) {
                Outcome o = Errors.outcome(id, e);
                outcomes.put(id, o.status() == Outcome.Status.ALREADY ? o : Errors.failed(id, "not " + verb
                        + ": its " + String.join(", ", tags.keySet()) + " tag could not be written ("
                        + Errors.describe(e) + ")", e));
            }
        }
        return ok;
    }
}
