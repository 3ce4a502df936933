package dev.curfew.aws;

import static org.assertj.core.api.Assertions.assertThat;

import dev.curfew.aws.testing.FaultProxy;
import dev.curfew.aws.testing.MotoTest;
import dev.curfew.core.model.Resource;
import dev.curfew.core.plan.Action;
import dev.curfew.core.plan.ActionTag;
import dev.curfew.core.plan.Decision;
import dev.curfew.core.sweep.Outcome;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.services.emr.EmrClient;
import software.amazon.awssdk.services.emr.model.ClusterState;

/**
 * IAM allows a destructive act only on a resource carrying its {@code curfew:action} record, written a moment before,
 * and tags are eventually consistent: the act may be refused once. Through the fault injector, the act of each kind
 * (DeleteVolume, ReleaseAddress, DeleteSnapshot, DeregisterImage, EMR TerminateJobFlows) is refused as IAM refuses
 * it (EC2 {@code UnauthorizedOperation}, EMR {@code AccessDeniedException}): once, and it is done after one retry;
 * twice, and it ends as a failed outcome naming the refusal, with nothing destroyed.
 */
class TagPropagationIT extends MotoTest {
    EmrClient emr;
    FaultProxy proxy;
    AwsClients through;
    AwsCloud cloud;
    Duration settleBefore;

    @BeforeEach
    void setUp() {
        emr = clients.emr(EU);
        proxy = FaultProxy.start(moto.endpoint(), 0.0, 1);
        through = new AwsClients(moto.settingsThrough(proxy, EU, 2));
        // a snapshot counts as evidence only when started at or after the mark (here: this clock's instant)
        cloud = new AwsCloud(through, Clock.fixed(Instant.now().minusSeconds(60), ZoneOffset.UTC));
        settleBefore = Tagging.settle(Duration.ofMillis(20));
    }

    @AfterEach
    void tearDown() {
        Tagging.settle(settleBefore);
        through.close();
        proxy.close();
    }

    /** One kind's destructive act: the resource, the decision, the refused operation and whether it is gone. */
    record Case(String operation, String refusal, Decision decision, BooleanSupplier gone) {
    }

    private Case arrange(String kind) {
        return switch (kind) {
            case "volume" -> {
                String id = volume();
                yield new Case("ec2:DeleteVolume", "UnauthorizedOperation", decide(volumeModel(id), Action.DELETE),
                        () -> ec2().describeVolumes().volumes().stream().noneMatch(v -> v.volumeId().equals(id)));
            }
            case "address" -> {
                String id = ec2().allocateAddress(b -> b.domain("vpc")).allocationId();
                var model = listed(new ElasticIps().list(clients, EU), id);
                yield new Case("ec2:ReleaseAddress", "UnauthorizedOperation", decide(model, Action.RELEASE),
                        () -> ec2().describeAddresses().addresses().stream()
                                .noneMatch(a -> id.equals(a.allocationId())));
            }
            case "snapshot" -> {
                String id = ec2().createSnapshot(b -> b.volumeId(volume())).snapshotId();
                var model = listed(new EbsSnapshots().list(clients, EU), id);
                yield new Case("ec2:DeleteSnapshot", "UnauthorizedOperation", decide(model, Action.DELETE),
                        () -> ec2().describeSnapshots(b -> b.ownerIds("self")).snapshots().stream()
                                .noneMatch(s -> s.snapshotId().equals(id)));
            }
            case "image" -> {
                String instance = ec2().runInstances(b -> b.imageId("ami-12c6146b").instanceType("t3.micro")
                        .minCount(1).maxCount(1)).instances().get(0).instanceId();
                String id = ec2().createImage(b -> b.instanceId(instance).name("lab-image")).imageId();
                var model = listed(new MachineImages().list(clients, EU), id);
                yield new Case("ec2:DeregisterImage", "UnauthorizedOperation", decide(model, Action.DELETE),
                        () -> ec2().describeImages(b -> b.owners("self")).images().stream()
                                .noneMatch(i -> i.imageId().equals(id)));
            }
            case "emr" -> {
                String id = emr.runJobFlow(b -> b.name("spark-lab").releaseLabel("emr-7.0.0")
                        .instances(i -> i.instanceCount(1).masterInstanceType("m5.xlarge")
                                .keepJobFlowAliveWhenNoSteps(true))
                        .jobFlowRole("EMR_EC2_DefaultRole").serviceRole("EMR_DefaultRole")).jobFlowId();
                var model = listed(new EmrClusters().list(clients, EU), id);
                yield new Case("emr:TerminateJobFlows", "AccessDeniedException", decide(model, Action.TERMINATE),
                        () -> List.of(ClusterState.TERMINATING, ClusterState.TERMINATED)
                                .contains(emr.describeCluster(b -> b.clusterId(id)).cluster().status().state()));
            }
            case "spot" -> {
                String id = spotRequest(software.amazon.awssdk.services.ec2.model.SpotInstanceType.PERSISTENT)[0];
                var model = listed(new SpotRequests().list(clients, EU), id);
                yield new Case("ec2:CancelSpotInstanceRequests", "UnauthorizedOperation", decide(model, Action.CANCEL),
                        () -> !spotRequestOpen(id));
            }
            default -> throw new IllegalArgumentException(kind);
        };
    }

    /** A fulfilled spot request: its id and its instance's. */
    private String[] spotRequest(software.amazon.awssdk.services.ec2.model.SpotInstanceType type) {
        String id = ec2().requestSpotInstances(b -> b.spotPrice("0.05").instanceCount(1).type(type)
                .launchSpecification(l -> l.imageId("ami-12c6146b").instanceType("t3.micro")))
                .spotInstanceRequests().get(0).spotInstanceRequestId();
        return new String[] {id, ec2().describeSpotInstanceRequests(b -> b.spotInstanceRequestIds(id))
                .spotInstanceRequests().get(0).instanceId()};
    }

    /** Whether the request is still there and not cancelled (the emulator removes a cancelled one). */
    private boolean spotRequestOpen(String id) {
        return ec2().describeSpotInstanceRequests().spotInstanceRequests().stream()
                .anyMatch(r -> r.spotInstanceRequestId().equals(id) && !"cancelled".equals(r.stateAsString()));
    }

    /**
     * A persistent spot instance is terminated after its request is cancelled; IAM allows that cancel only on a
     * request carrying {@code cancel@...}, so the request is tagged first and a refusal just after is retried.
     */
    @Test
    void aSpotInstancesRequestIsRecordedForCancellingBeforeItIsCancelledThenTheInstanceTerminated() {
        String[] spot = spotRequest(software.amazon.awssdk.services.ec2.model.SpotInstanceType.PERSISTENT);
        var instance = new Ec2Instances().list(clients, EU).stream().filter(i -> i.id().equals(spot[1])).findFirst()
                .orElseThrow();
        proxy.refuse("ec2:CancelSpotInstanceRequests", spot[0], 1);
        Instant at = Instant.now();
        Decision terminate = new Decision(instance, "alice", List.of(), Action.TERMINATE, "test", spot[0],
                ActionTag.of(Action.TERMINATE, at), List.of(), null);

        Outcome o = apply(terminate);

        assertThat(o.status()).as(o.detail()).isEqualTo(Outcome.Status.DONE);
        assertThat(spotRequestOpen(spot[0])).isFalse();
        List<FaultProxy.Call> tagged = proxy.passed().stream().filter(c -> c.name().equals("ec2:CreateTags")).toList();
        List<String> order = proxy.passed().stream().map(FaultProxy.Call::name)
                .filter(n -> n.equals("ec2:CancelSpotInstanceRequests") || n.equals("ec2:CreateTags")
                        || n.equals("ec2:TerminateInstances")).toList();
        assertThat(order).containsExactly("ec2:CreateTags", "ec2:CancelSpotInstanceRequests", "ec2:CreateTags",
                "ec2:TerminateInstances");
        // the first tag written is the request's record, with the instance's instant
        assertThat(tagged.get(0).params().values().stream().flatMap(List::stream).toList())
                .contains(spot[0], ActionTag.value(Action.CANCEL, at));
    }

    private String volume() {
        return ec2().createVolume(b -> b.availabilityZone("eu-west-1a").size(4)).volumeId();
    }

    private dev.curfew.core.model.EbsVolume volumeModel(String id) {
        return EbsVolumes.toModel(EU, ec2().describeVolumes(b -> b.volumeIds(id)).volumes().get(0));
    }

    /** The resource {@code id} of a listing, as the adapter made it. */
    private static <R extends Resource> R listed(List<R> listing, String id) {
        return listing.stream().filter(r -> r.id().equals(id)).findFirst().orElseThrow();
    }

    private static Decision decide(Resource r, Action a) {
        return new Decision(r, "alice", List.of(), a, "test", null, ActionTag.of(a, Instant.now()), List.of(), null);
    }

    private Outcome apply(Decision d) {
        return cloud.apply(EU, List.of(d)).get(0);
    }

    /** The case's decision applied, its act refused by IAM the first {@code times} times it is asked. */
    private Outcome appliedRefused(Case c, int times) {
        proxy.refuse(c.operation(), c.decision().resource().id(), times);
        return apply(c.decision());
    }

    /** The requests of {@code operation} that reached the emulator. */
    private long passed(String operation) {
        return proxy.passed().stream().filter(c -> c.name().equals(operation)).count();
    }

    @ParameterizedTest
    @ValueSource(strings = {"volume", "address", "snapshot", "image", "emr", "spot"})
    void refusedOnceJustAfterItsTagIsWrittenTheActIsDoneOnTheRetry(String kind) {
        Case c = arrange(kind);

        Outcome o = appliedRefused(c, 1);

        assertThat(o.status()).as(o.detail()).isEqualTo(Outcome.Status.DONE);
        assertThat(c.gone().getAsBoolean()).isTrue();
        assertThat(proxy.faulted()).extracting(FaultProxy.Call::name).containsExactly(c.operation());
        assertThat(passed(c.operation())).isEqualTo(1);
        // the record was written before the act (and before its refusal)
        List<String> order = proxy.passed().stream().map(FaultProxy.Call::name)
                .filter(n -> n.equals(c.operation()) || n.endsWith(":CreateTags") || n.endsWith(":AddTags")).toList();
        assertThat(order).first().matches(n -> n.endsWith("Tags"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"volume", "address", "snapshot", "image", "emr", "spot"})
    void refusedTwiceTheActFailsNamingTheRefusalAndNothingIsDestroyed(String kind) {
        Case c = arrange(kind);

        Outcome o = appliedRefused(c, 2);

        assertThat(o.status()).isEqualTo(Outcome.Status.FAILED);
        assertThat(o.detail()).startsWith(c.refusal() + ": ");
        assertThat(c.gone().getAsBoolean()).isFalse();
        assertThat(proxy.faulted()).extracting(FaultProxy.Call::name).containsExactly(c.operation(), c.operation());
        assertThat(passed(c.operation())).isZero();
    }

    @Test
    void aVolumeSnapshottedThenRefusedOnceIsDeletedOnTheRetryWithOneSnapshot() {
        String id = volume();
        proxy.refuse("ec2:DeleteVolume", id, 1);

        Outcome o = apply(decide(volumeModel(id), Action.SNAPSHOT_THEN_DELETE));

        assertThat(o.status()).as(o.detail()).isEqualTo(Outcome.Status.DONE);
        assertThat(o.detail()).contains("volume deleted");
        assertThat(ec2().describeVolumes().volumes()).noneMatch(v -> v.volumeId().equals(id));
        assertThat(snapshotsOf(id)).hasSize(1);
    }

    @Test
    void aVolumeSnapshottedThenRefusedTwiceIsKeptAndTheNextSweepTakesNoSecondSnapshot() {
        String id = volume();
        proxy.refuse("ec2:DeleteVolume", id, 2);

        Outcome o = apply(decide(volumeModel(id), Action.SNAPSHOT_THEN_DELETE));

        List<String> snapshots = snapshotsOf(id);
        assertThat(snapshots).hasSize(1);
        assertThat(o.status()).isEqualTo(Outcome.Status.FAILED);
        assertThat(o.detail()).startsWith("snapshot " + snapshots.get(0) + " made; the volume was not deleted "
                + "(UnauthorizedOperation: ");
        assertThat(ec2().describeVolumes(b -> b.volumeIds(id)).volumes()).hasSize(1);
        assertThat(volumeModel(id).tags()).containsEntry("curfew:snapshot-id", snapshots.get(0));

        Outcome next = apply(decide(volumeModel(id), Action.SNAPSHOT_THEN_DELETE));

        assertThat(next.status()).as(next.detail()).isEqualTo(Outcome.Status.DONE);
        assertThat(ec2().describeVolumes().volumes()).noneMatch(v -> v.volumeId().equals(id));
        assertThat(snapshotsOf(id)).isEqualTo(snapshots);
    }

    private List<String> snapshotsOf(String volumeId) {
        return ec2().describeSnapshots(b -> b.ownerIds("self")).snapshots().stream()
                .filter(s -> volumeId.equals(s.volumeId())).map(s -> s.snapshotId()).toList();
    }
}
