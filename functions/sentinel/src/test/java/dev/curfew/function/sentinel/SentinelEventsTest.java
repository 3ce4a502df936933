package dev.curfew.function.sentinel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.curfew.core.policy.PolicyException;
import dev.curfew.core.policy.PolicyLoader;
import dev.curfew.core.policy.Policy;
import dev.curfew.core.policy.PolicyOverride;
import dev.curfew.core.sentinel.BadEventException;
import dev.curfew.core.sentinel.Created;
import dev.curfew.core.sentinel.EventReader;
import dev.curfew.core.sentinel.LaunchCheck;
import dev.curfew.core.sentinel.SentinelEvent;
import io.micronaut.context.ApplicationContext;
import io.micronaut.json.JsonMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The sample events read as the sentinel reads them; the sentinel policy section; the launch-limit verdicts. */
class SentinelEventsTest {
    static ApplicationContext ctx;
    static JsonMapper json;
    static final Instant NOW = Instant.parse("2026-11-25T10:00:30Z");

    @BeforeAll
    static void start() {
        ctx = ApplicationContext.run();
        json = ctx.getBean(JsonMapper.class);
    }

    @AfterAll
    static void stop() {
        ctx.close();
    }

    static SentinelEvent read(String file) throws Exception {
        return EventReader.read(Events.parse(json, Events.text(file)));
    }

    @Test
    void everySentinelSampleIsReadWithWhatItCreated() throws Exception {
        List<String> files;
        try (Stream<Path> s = Files.list(Events.dir())) {
            files = s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("sentinel-")).sorted().toList();
        }
        assertThat(files).contains("sentinel-runinstances.json", "sentinel-createvolume.json",
                "sentinel-createbucket.json", "sentinel-allocateaddress.json", "sentinel-requestspotinstances.json",
                "sentinel-state-running.json", "sentinel-spot-interruption.json", "sentinel-createsnapshot.json",
                "sentinel-createimage.json", "sentinel-runjobflow.json", "sentinel-requestspotfleet.json",
                "sentinel-createfleet.json");
        for (String f : files) {
            assertThat(read(f)).as(f).isNotNull();
        }
        Map<String, Created> expected = Map.of(
                "sentinel-runinstances.json", new Created("ec2", Events.INSTANCE),
                "sentinel-createvolume.json", new Created("ec2", Events.VOLUME),
                "sentinel-createbucket.json", new Created("s3", Events.BUCKET),
                "sentinel-allocateaddress.json", new Created("ec2", Events.ALLOCATION),
                "sentinel-requestspotinstances.json", new Created("ec2", Events.SPOT_REQUEST),
                "sentinel-createsnapshot.json", new Created("ec2", Events.SNAPSHOT),
                "sentinel-createimage.json", new Created("ec2", Events.IMAGE),
                "sentinel-runjobflow.json", new Created("emr", Events.CLUSTER));
        for (var e : expected.entrySet()) {
            SentinelEvent.ApiCall c = (SentinelEvent.ApiCall) read(e.getKey());
            assertThat(c.created()).as(e.getKey()).containsExactly(e.getValue());
            assertThat(c.errorCode()).isNull();
            assertThat(c.time()).isEqualTo(Instant.parse("2026-11-25T10:00:00Z"));
        }
    }

    /**
     * A fleet's call names the fleet EC2 answered with (its owner is recorded, it is not tagged) and, for an
     * {@code instant} EC2 Fleet, the instances EC2 named in its answer, in each of the shapes CloudTrail writes a set
     * in (one member as an object, several as a list, none as empty text); an id of the wrong kind is named.
     */
    @Test
    @SuppressWarnings("unchecked")
    void aFleetCallNamesTheFleetAndTheInstancesOfAnInstantFleet() throws Exception {
        SentinelEvent.ApiCall spot = (SentinelEvent.ApiCall) read("sentinel-requestspotfleet.json");
        assertThat(spot.created()).containsExactly(new Created(EventReader.FLEET_KIND, Events.SPOT_FLEET));
        SentinelEvent.ApiCall instant = (SentinelEvent.ApiCall) read("sentinel-createfleet.json");
        assertThat(instant.created()).containsExactly(new Created(EventReader.INSTANT_FLEET_KIND, Events.FLEET),
                new Created("ec2", Events.INSTANCE));

        Map<String, Object> e = Events.parse(json, Events.text("sentinel-createfleet.json"));
        Map<String, Object> answer = (Map<String, Object>) ((Map<String, Object>) ((Map<String, Object>) e
                .get("detail")).get("responseElements")).get("CreateFleetResponse");
        answer.put("fleetInstanceSet", Map.of("item", List.of(
                Map.of("lifecycle", "spot", "instanceIds", Map.of("item", List.of("i-0000000000000aaaa",
                        "i-0000000000000bbbb"))),
                Map.of("lifecycle", "on-demand", "instanceIds", List.of("i-0000000000000cccc")))));
        assertThat(((SentinelEvent.ApiCall) EventReader.read(e)).created()).extracting(Created::id)
                .containsExactly(Events.FLEET, "i-0000000000000aaaa", "i-0000000000000bbbb", "i-0000000000000cccc");
        // an instant fleet that launched nothing: EC2's answer still has the sets (AWS writes them, not the caller)
        answer.put("fleetInstanceSet", "");
        assertThat(((SentinelEvent.ApiCall) EventReader.read(e)).created())
                .containsExactly(new Created(EventReader.INSTANT_FLEET_KIND, Events.FLEET));
        answer.remove("fleetInstanceSet");
        assertThat(((SentinelEvent.ApiCall) EventReader.read(e)).created())
                .containsExactly(new Created(EventReader.INSTANT_FLEET_KIND, Events.FLEET));
        // a maintain or request fleet: an answer of its id alone
        answer.remove("errorSet");
        assertThat(((SentinelEvent.ApiCall) EventReader.read(e)).created())
                .containsExactly(new Created(EventReader.FLEET_KIND, Events.FLEET));
        answer.put("errorSet", "");

        answer.put("fleetInstanceSet", Map.of("item", Map.of("instanceIds", Map.of("item", "vol-0a1b2c3d4e5f60718"))));
        assertThatThrownBy(() -> EventReader.read(e)).isInstanceOf(BadEventException.class).hasMessage(
                "detail.responseElements.CreateFleetResponse.fleetInstanceSet[0].instanceIds[0]: text "
                        + "\"vol-0a1b2c3d4e5f60718\" is not an instance id (i-...)");
        answer.put("fleetId", Events.SPOT_FLEET);
        assertThatThrownBy(() -> EventReader.read(e)).isInstanceOf(BadEventException.class).hasMessageStartingWith(
                "detail.responseElements.CreateFleetResponse.fleetId: \"" + Events.SPOT_FLEET + "\" is not an id");
        // without CloudTrail's wrapper, the answer's own fields
        Map<String, Object> bare = Events.parse(json, Events.text("sentinel-requestspotfleet.json"));
        ((Map<String, Object>) bare.get("detail")).put("responseElements", Map.of("spotFleetRequestId",
                Events.SPOT_FLEET));
        assertThat(((SentinelEvent.ApiCall) EventReader.read(bare)).created())
                .containsExactly(new Created(EventReader.FLEET_KIND, Events.SPOT_FLEET));
    }

    @Test
    void theCallerIsWhatCloudTrailSaysArnTypeAndTheRoleBehindASession() throws Exception {
        SentinelEvent.ApiCall user = (SentinelEvent.ApiCall) read("sentinel-runinstances.json");
        assertThat(user.caller()).isEqualTo(new dev.curfew.core.identity.AwsIdentity(
                "arn:aws:iam::123456789012:user/alice", "IAMUser", null));
        SentinelEvent.ApiCall role = (SentinelEvent.ApiCall) read("sentinel-createvolume.json");
        assertThat(role.caller()).isEqualTo(new dev.curfew.core.identity.AwsIdentity(
                "arn:aws:sts::123456789012:assumed-role/StudentRole/bob", "AssumedRole",
                "arn:aws:iam::123456789012:role/StudentRole"));
        assertThat(role.callerArn()).isEqualTo("arn:aws:sts::123456789012:assumed-role/StudentRole/bob");
    }

    @Test
    void stateChangeAndInterruptionSamples() throws Exception {
        assertThat(read("sentinel-state-running.json")).isEqualTo(new SentinelEvent.StateChange(
                "a1b2c3d4-0009-4e5f-8a9b-000000000009", "123456789012", "eu-west-1",
                Instant.parse("2026-11-25T10:00:20Z"), Events.INSTANCE, "running"));
        assertThat(read("sentinel-spot-interruption.json")).isInstanceOfSatisfying(
                SentinelEvent.SpotInterruption.class, s -> assertThat(s.instanceAction()).isEqualTo("terminate"));
    }

    @Test
    void aScheduledEventOrALauncherRequestIsNotASentinelEvent() throws Exception {
        assertThatThrownBy(() -> EventReader.read(Events.parse(json, Events.text("scheduled-curfew.json"))))
                .isInstanceOf(BadEventException.class).hasMessageStartingWith("source: text \"aws.scheduler\"");
        assertThatThrownBy(() -> EventReader.read(Events.parse(json, Events.text("launcher-list.json"))))
                .isInstanceOf(BadEventException.class).hasMessageStartingWith("source: nothing");
        assertThatThrownBy(() -> EventReader.read(List.of()))
                .isInstanceOf(BadEventException.class).hasMessageContaining("not a JSON object");
        String spotFromS3 = Events.text("sentinel-spot-interruption.json").replace("\"aws.ec2\"", "\"aws.s3\"");
        assertThatThrownBy(() -> EventReader.read(Events.parse(json, spotFromS3)))
                .isInstanceOf(BadEventException.class).hasMessageStartingWith("source:");
    }

    static Policy policy(String yaml) {
        return PolicyLoader.load("accounts: [\"123456789012\"]\n" + yaml, "test.yaml");
    }

    @Test
    void theSentinelSectionDefaultsToNotifyAndNamesItsBadFields() {
        Policy p = PolicyLoader.bundledDefault(List.<PolicyOverride>of());
        assertThat(p.sentinel().enabled()).isTrue();
        assertThat(p.sentinel().action()).isEqualTo("notify");
        assertThat(p.sentinel().welcome()).isTrue();
        Policy q = policy("sentinel:\n  action: terminate\n  welcome: false\n");
        assertThat(q.sentinel().action()).isEqualTo("terminate");
        assertThat(q.sentinel().welcome()).isFalse();
        assertThatThrownBy(() -> policy("sentinel:\n  action: delete\n  enabled: maybe\n  colour: red\n"))
                .isInstanceOf(PolicyException.class)
                .hasMessageContaining("sentinel.action: \"delete\" is not an action here; use one of notify, stop, "
                        + "terminate")
                .hasMessageContaining("sentinel.enabled: \"maybe\" is not true or false")
                .hasMessageContaining("sentinel.colour: unknown field");
    }

    @Test
    void launchLimitVerdicts() {
        Policy notify = policy("launcher:\n  allowed-types: [t3.micro]\n  max-running-per-student: 1\n");
        Policy stop = policy("mode: enforce\nlauncher:\n  allowed-types: [t3.micro]\n  max-running-per-student: 1\n"
                + "sentinel:\n  action: stop\nexemptions:\n  allow-list: [i-0allowed]\n");
        Map<String, String> none = Map.of();

        assertThat(LaunchCheck.check(notify, "i-1", "eu-west-1", "t3.micro", false, none, "alice", 1, NOW).action())
                .isEqualTo("none");
        LaunchCheck.Verdict big = LaunchCheck.check(notify, "i-1", "eu-west-1", "m5.large", false, none, "alice", 2,
                NOW);
        assertThat(big.breaches()).hasSize(2);
        assertThat(big.action()).isEqualTo("notify");
        assertThat(big.note()).as("the policy is a dry-run by default, but its action is notify anyway").isNull();

        assertThat(LaunchCheck.check(stop, "i-1", "eu-west-1", "m5.large", false, none, null, 0, NOW).action())
                .isEqualTo("stop");
        assertThat(LaunchCheck.check(stop, "i-1", "eu-west-1", "m5.large", true, none, null, 0, NOW))
                .satisfies(v -> {
                    assertThat(v.action()).isEqualTo("notify");
                    assertThat(v.note()).contains("spot instance is only told about");
                });
        Policy terminate = policy("mode: enforce\nlauncher:\n  allowed-types: [t3.micro]\nsentinel:\n  action: terminate\n");
        assertThat(LaunchCheck.check(terminate, "i-1", "eu-west-1", "m5.large", true, none, "a", 1, NOW).action())
                .as("a persistent request would launch it again").isEqualTo("notify");
        assertThat(LaunchCheck.check(terminate, "i-1", "eu-west-1", "m5.large", false, none, "a", 1, NOW).action())
                .isEqualTo("terminate");
        assertThat(LaunchCheck.check(stop, "i-0allowed", "eu-west-1", "m5.large", false, none, "a", 5, NOW).action())
                .isEqualTo("none");
        assertThat(LaunchCheck.check(stop, "i-1", "eu-west-1", "m5.large", false, Map.of("curfew:keep", "2026-11-27"),
                "a", 1, NOW).action()).isEqualTo("none");
        assertThat(LaunchCheck.check(stop.withMode(dev.curfew.core.policy.Mode.DRY_RUN), "i-1", "eu-west-1",
                "m5.large", false, none, "a", 1, NOW)).satisfies(v -> {
                    assertThat(v.action()).isEqualTo("notify");
                    assertThat(v.note()).isEqualTo("dry-run: would stop");
                });
        // a fleet's instance (EC2's aws: tag): the fleet would replace it, so it is only told about, naming the fleet
        for (var fleet : Map.of(LaunchCheck.FLEET_TAG, "fleet-0a1b2c3d-4e5f-4a6b-8c7d-0e1f2a3b4c5d",
                LaunchCheck.SPOT_FLEET_TAG, "sfr-0a1b2c3d-4e5f-4a6b-8c7d-0e1f2a3b4c5d").entrySet()) {
            assertThat(LaunchCheck.check(terminate, "i-1", "eu-west-1", "m5.large", false, Map.of(fleet.getKey(),
                    fleet.getValue()), "a", 1, NOW)).satisfies(v -> {
                        assertThat(v.action()).isEqualTo("notify");
                        assertThat(v.note()).contains(fleet.getValue()).contains("--terminate-instances");
                    });
        }
    }

    /** A sample event as a mutable map, changed by {@code change}, then read as the sentinel in 123456789012. */
    @SuppressWarnings("unchecked")
    static SentinelEvent readChanged(String file, java.util.function.Consumer<Map<String, Object>> change)
            throws Exception {
        Map<String, Object> e = Events.parse(json, Events.text(file));
        change.accept(e);
        return EventReader.read(e, "123456789012");
    }

    static void rejected(String file, String field, java.util.function.Consumer<Map<String, Object>> change) {
        assertThatThrownBy(() -> readChanged(file, change)).as(field).isInstanceOf(BadEventException.class)
                .hasMessageStartingWith(field + ":");
    }

    @Test
    void theEnvelopeIsExactlyWhatEventBridgeDeliversEachFieldNamedWhenNot() throws Exception {
        for (String f : List.of("sentinel-runinstances.json", "sentinel-state-running.json",
                "sentinel-spot-interruption.json", "sentinel-attachvolume.json")) {
            assertThat(readChanged(f, e -> { })).as(f).isNotNull();
        }
        String run = "sentinel-runinstances.json";
        rejected(run, "version", e -> e.put("version", "1"));
        rejected(run, "version", e -> e.put("version", 0));
        rejected(run, "version", e -> e.remove("version"));
        rejected(run, "id", e -> e.put("id", "forged-event-1"));
        rejected(run, "id", e -> e.put("id", "a1b2c3d4-0001-4e5f-8a9b-00000000000"));
        rejected(run, "id", e -> e.remove("id"));
        rejected(run, "source", e -> e.put("source", "curfew.forged"));
        rejected(run, "source", e -> e.put("source", "aws.health"));
        rejected(run, "source", e -> e.put("source", "aws.s3")); // does not match detail.eventSource
        rejected("sentinel-state-running.json", "source", e -> e.put("source", "aws.elasticmapreduce"));
        rejected(run, "detail-type", e -> e.put("detail-type", "AWS Console Sign In via CloudTrail"));
        rejected(run, "detail-type", e -> e.remove("detail-type"));
        rejected(run, "account", e -> e.put("account", "999999999999"));
        rejected(run, "account", e -> e.put("account", "12345678901"));
        rejected(run, "account", e -> e.put("account", 123456789012L));
        rejected(run, "region", e -> e.put("region", "moon-base-1a"));
        rejected(run, "region", e -> e.remove("region"));
        rejected(run, "time", e -> e.put("time", "2026-11-25 10:00"));
        rejected(run, "time", e -> e.put("time", 1795687200));
        rejected(run, "resources", e -> e.put("resources", "arn:aws:ec2:eu-west-1:123456789012:instance/i-1"));
        rejected(run, "resources", e -> e.remove("resources"));
        rejected("sentinel-state-running.json", "resources[0]", e -> e.put("resources", List.of("i-0a1b2c3d")));
        rejected(run, "detail", e -> e.put("detail", "{}"));
        rejected(run, "detail", e -> e.remove("detail"));

        assertThat(EventReader.read(Events.parse(json, Events.text(run).replace("123456789012", "999999999999"))))
                .as("without an account to compare with, only its form is checked (template tests)")
                .isNotNull();
    }

    @Test
    void attachVolumeNamesTheVolumeFromTheResponseOrElseTheRequest() throws Exception {
        assertThat(read("sentinel-attachvolume.json")).isEqualTo(new SentinelEvent.VolumeAttached(
                "a1b2c3d4-0011-4e5f-8a9b-000000000011", "123456789012", "eu-west-1",
                Instant.parse("2026-11-25T10:05:00Z"), Events.VOLUME, null));
        @SuppressWarnings("unchecked")
        SentinelEvent failed = readChanged("sentinel-attachvolume.json", e -> {
            Map<String, Object> d = (Map<String, Object>) e.get("detail");
            d.put("errorCode", "Client.IncorrectState");
            d.put("responseElements", null);
        });
        assertThat(failed).isInstanceOfSatisfying(SentinelEvent.VolumeAttached.class, v -> {
            assertThat(v.volumeId()).isEqualTo(Events.VOLUME);
            assertThat(v.errorCode()).isEqualTo("Client.IncorrectState");
        });
        String a = Events.text("sentinel-attachvolume.json");
        String otherInResponse = a.replaceFirst(Events.VOLUME, "vol-0ffffffffffffffff");
        assertThatThrownBy(() -> EventReader.read(Events.parse(json, otherInResponse)))
                .isInstanceOf(BadEventException.class)
                .hasMessageStartingWith("detail.responseElements.volumeId: \"" + Events.VOLUME + "\" is not the volume "
                        + "of detail.requestParameters.volumeId \"vol-0ffffffffffffffff\"");
        assertThatThrownBy(() -> EventReader.read(Events.parse(json, a.replace(Events.VOLUME, "snap-0a1b2c3d"))))
                .isInstanceOf(BadEventException.class)
                .hasMessageStartingWith("detail.requestParameters.volumeId: \"snap-0a1b2c3d\" is not a volume id");
        assertThatThrownBy(() -> EventReader.read(Events.parse(json, a.replace("\"volumeId\"", "\"volume\""))))
                .isInstanceOf(BadEventException.class)
                .hasMessageStartingWith("detail.responseElements.volumeId: expected a volume id");
        assertThatThrownBy(() -> EventReader.read(Events.parse(json, a.replace("\"ec2.amazonaws.com\"",
                "\"s3.amazonaws.com\"")))).isInstanceOf(BadEventException.class)
                .hasMessageStartingWith("detail.eventName: s3.amazonaws.com AttachVolume is not a call");
    }
}
