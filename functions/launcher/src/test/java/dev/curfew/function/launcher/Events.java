package dev.curfew.function.launcher;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import dev.curfew.aws.testing.SampleEvents;
import io.micronaut.json.JsonMapper;
import java.io.IOException;

/** Reads the sample Function URL events of events/ as Lambda would hand them to the handler. */
final class Events extends SampleEvents {
    private Events() {
    }

    static APIGatewayV2HTTPEvent read(JsonMapper json, String file) throws IOException {
        return json.readValue(bytes(file), APIGatewayV2HTTPEvent.class);
    }
}
