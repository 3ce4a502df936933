package dev.curfew.function.sentinel;

import dev.curfew.aws.testing.SampleEvents;
import io.micronaut.json.JsonMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** Reads the sample EventBridge events of events/ as Lambda would hand them to the handler, ids rewritten. */
final class Events extends SampleEvents {
    /** The ids the samples carry, to be replaced by those of resources made in the emulator. */
    static final String INSTANCE = "i-0a1b2c3d4e5f60718";
    static final String VOLUME = "vol-0a1b2c3d4e5f60718";
    static final String ALLOCATION = "eipalloc-0a1b2c3d4e5f60718";
    static final String SPOT_REQUEST = "sir-0a1b2c3d";
    static final String SPOT_FLEET = "sfr-0a1b2c3d-4e5f-4a6b-8c7d-0e1f2a3b4c5d";
    static final String FLEET = "fleet-0a1b2c3d-4e5f-4a6b-8c7d-0e1f2a3b4c5d";
    static final String SNAPSHOT = "snap-0a1b2c3d4e5f60718";
    static final String IMAGE = "ami-0a1b2c3d4e5f60718";
    static final String GROUP = "sg-0a1b2c3d4e5f60718";
    static final String CLUSTER = "j-2AXXXXXXGAPLF";
    static final String BUCKET = "lab-alice-data";

    private Events() {
    }

    /** The sample with each {@code from, to} pair of ids replaced. */
    static String rewritten(String file, String... fromTo) throws IOException {
        String t = text(file);
        for (int i = 0; i < fromTo.length; i += 2) {
            t = t.replace(fromTo[i], fromTo[i + 1]);
        }
        return t;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> parse(JsonMapper json, String text) throws IOException {
        return json.readValue(text.getBytes(StandardCharsets.UTF_8), Map.class);
    }
}
