package dev.curfew.core.launch;

import java.util.Map;

/** The launcher's answer: an HTTP status, headers and a body (JSON, or text when the client asked for text). */
public record HttpAnswer(int status, Map<String, String> headers, String body) {
    public HttpAnswer {
        headers = Map.copyOf(headers);
    }
}
