package dev.curfew.function.sweeper;

import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import io.micronaut.json.JsonMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads the sample events of events/ as Lambda would hand them to the handler. */
final class Events {
    private Events() {
    }

    static Path dir() {
        return Path.of(System.getProperty("curfew.events-dir", "../../events"));
    }

    static ScheduledEvent scheduled(JsonMapper json, String file) throws IOException {
        return json.readValue(Files.readAllBytes(dir().resolve(file)), ScheduledEvent.class);
    }

    static ScheduledEvent scheduledFromText(JsonMapper json, String text) throws IOException {
        return json.readValue(text, ScheduledEvent.class);
    }
}
