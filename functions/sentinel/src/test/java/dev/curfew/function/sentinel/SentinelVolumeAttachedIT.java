package dev.curfew.function.sentinel;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.Tag;

/**
 * A volume marked by a sweep (due for snapshot-then-delete, its snapshot recorded) that a student attaches again:
 * the CloudTrail AttachVolume event, through the deployed handler, removes the mark, the unattached-since record and
 * the snapshot id, and nothing else; the next sweep starts afresh. A repeated delivery changes nothing more; in
 * dry-run nothing is removed.
 */
class SentinelVolumeAttachedIT extends Sentinels {
    static Map<String, String> tags(String id) {
        Map<String, String> out = new LinkedHashMap<>();
        ec2().describeTags(b -> b.filters(Filter.builder().name("resource-id").values(id).build())).tags()
                .forEach(t -> out.put(t.key(), t.value()));
        return out;
    }

    /** A volume as the sweep leaves it once its snapshot is started: marked, first seen unattached, snapshot noted. */
    static String[] markedVolumeAndInstance() {
        String vol = ec2().createVolume(b -> b.size(8).availabilityZone("eu-west-1a").tagSpecifications(s -> s
                .resourceType("volume").tags(Tag.builder().key("curfew:owner").value("alice").build(),
                        Tag.builder().key("Name").value("scratch").build()))).volumeId();
        String snap = ec2().createSnapshot(b -> b.volumeId(vol)).snapshotId();
        ec2().createTags(b -> b.resources(vol).tags(
                Tag.builder().key("curfew:pending").value("snapshot-then-delete@2026-11-25T17:00:00Z").build(),
                Tag.builder().key("curfew:unattached-since").value("2026-11-24T17:00:00Z").build(),
                Tag.builder().key("curfew:snapshot-id").value(snap).build()));
        String instance = ec2().runInstances(b -> b.imageId("ami-12c6146b").instanceType("t3.micro").minCount(1)
                .maxCount(1)).instances().get(0).instanceId();
        ec2().attachVolume(b -> b.volumeId(vol).instanceId(instance).device("/dev/sdf"));
        return new String[] {vol, instance};
    }

    static Map<String, Object> deliver(SentinelHandler h, String vol, String instance) throws Exception {
        return h.handleRequest(Events.parse(json, Events.rewritten("sentinel-attachvolume.json", Events.VOLUME, vol,
                Events.INSTANCE, instance)), null);
    }

    @Test
    void attachingAMarkedVolumeRemovesItsMarksOnlyAndARepeatIsHarmless() throws Exception {
        String[] vi = markedVolumeAndInstance();
        String vol = vi[0];

        Map<String, Object> out = deliver(handler, vol, vi[1]);

        assertThat(tags(vol)).containsOnly(Map.entry("curfew:owner", "alice"), Map.entry("Name", "scratch"));
        assertThat(out).containsEntry("kind", "volume-attached").containsEntry("volume", vol)
                .containsEntry("untagged", Map.of(vol, List.of("curfew:pending", "curfew:unattached-since",
                        "curfew:snapshot-id")));
        assertThat(out.get("awsCalls").toString()).contains("ec2:DeleteTags=1");

        Map<String, Object> again = deliver(handler, vol, vi[1]);

        assertThat(tags(vol)).containsOnly(Map.entry("curfew:owner", "alice"), Map.entry("Name", "scratch"));
        assertThat((String) again.get("outcome")).startsWith("nothing to do: the volume carries none of");
        assertThat(again.get("awsCalls").toString()).doesNotContain("ec2:DeleteTags");
    }

    @Test
    void onlyTheMarksItCarriesAreRemoved() throws Exception {
        String vol = ec2().createVolume(b -> b.size(8).availabilityZone("eu-west-1a")).volumeId();
        ec2().createTags(b -> b.resources(vol).tags(Tag.builder().key("curfew:unattached-since")
                .value("2026-11-24T17:00:00Z").build(), Tag.builder().key("curfew:keep").value("2026-11-30")
                .build()));

        Map<String, Object> out = deliver(handler, vol, Events.INSTANCE);

        assertThat(out).containsEntry("untagged", Map.of(vol, List.of("curfew:unattached-since")));
        assertThat(tags(vol)).containsOnly(Map.entry("curfew:keep", "2026-11-30"));
    }

    @Test
    void inDryRunTheMarksStayAndTheResultSaysWhatWouldGo() throws Exception {
        String[] vi = markedVolumeAndInstance();
        Map<String, String> before = tags(vi[0]);
        try (SentinelHandler dry = Sentinels.handler(moto, Map.of("curfew.mode", "dry-run"))) {
            Map<String, Object> out = deliver(dry, vi[0], vi[1]);

            assertThat(out).containsEntry("wouldUntag", Map.of(vi[0], List.of("curfew:pending",
                    "curfew:unattached-since", "curfew:snapshot-id"))).doesNotContainKey("untagged");
            assertThat((String) out.get("outcome")).startsWith("dry-run: would remove");
            assertThat(out.get("awsCalls").toString()).doesNotContain("ec2:DeleteTags");
        }
        assertThat(tags(vi[0])).isEqualTo(before).hasSize(5);
    }

    @Test
    void aFailedAttachChangesNothing() throws Exception {
        String[] vi = markedVolumeAndInstance();
        Map<String, String> before = tags(vi[0]);
        String failed = Events.rewritten("sentinel-attachvolume.json", Events.VOLUME, vi[0], Events.INSTANCE, vi[1])
                .replace("\"eventType\": \"AwsApiCall\"", "\"errorCode\": \"Client.IncorrectState\", "
                        + "\"eventType\": \"AwsApiCall\"");

        Map<String, Object> out = handler.handleRequest(Events.parse(json, failed), null);

        assertThat((String) out.get("outcome")).startsWith("skipped: the call failed (Client.IncorrectState)");
        assertThat(tags(vi[0])).isEqualTo(before);
    }
}
