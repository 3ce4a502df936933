package dev.curfew.function.sweeper;

import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import dev.curfew.aws.testing.SampleEvents;
import io.micronaut.json.JsonMapper;
import java.io.IOException;

/** Reads the sample events of events/ as Lambda would hand them to the handler. */
final class Events extends SampleEvents {
    private Events() {
    }

    static ScheduledEvent scheduled(JsonMapper json, String file) throws IOException {
        return json.readValue(bytes(file), ScheduledEvent.class);
    }

    static ScheduledEvent scheduledFromText(JsonMapper json, String text) throws IOException {
        return json.readValue(text, ScheduledEvent.class);
    }
}
