package dev.curfew.function.launcher;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import io.micronaut.json.JsonMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads the sample Function URL events of events/ as Lambda would hand them to the handler. */
final class Events {
    private Events() {
    }

    static Path dir() {
        return Path.of(System.getProperty("curfew.events-dir", "../../events"));
    }

    static APIGatewayV2HTTPEvent read(JsonMapper json, String file) throws IOException {
        return json.readValue(Files.readAllBytes(dir().resolve(file)), APIGatewayV2HTTPEvent.class);
    }
}
