package dev.curfew.function.sweeper;

import dev.curfew.aws.testing.SampleEvents;
import io.micronaut.core.type.Argument;
import io.micronaut.json.JsonMapper;
import java.io.IOException;
import java.util.Map;

/** Reads the sample events of events/ as Lambda would hand them to the handler. */
final class Events extends SampleEvents {
    private Events() {
    }

    /** A scheduled event as the sweeper takes it: JSON's own shape. */
    static Map<String, Object> scheduled(JsonMapper json, String file) throws IOException {
        return json.readValue(bytes(file), Argument.mapOf(String.class, Object.class));
    }

    static Map<String, Object> scheduledFromText(JsonMapper json, String text) throws IOException {
        return json.readValue(text, Argument.mapOf(String.class, Object.class));
    }
}
