package dev.curfew.core.launch;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A request the launcher will not carry out: the HTTP status a client expects, a short machine-readable code, a
 * sentence that names what is wrong, and any details (the allowed values, the current prices). Thrown before
 * anything is created.
 */
public final class Refusal extends RuntimeException {
    private final int status;
    private final String code;
    private final Map<String, Object> details;

    public Refusal(int status, String code, String message) {
        this(status, code, message, Map.of());
    }

    public Refusal(int status, String code, String message, Map<String, Object> details) {
        super(message);
        this.status = status;
        this.code = code;
        this.details = new LinkedHashMap<>(details);
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    public Map<String, Object> details() {
        return details;
    }

    static Refusal badRequest(String code, String message) {
        return new Refusal(400, code, message);
    }

    static Refusal forbidden(String code, String message) {
        return new Refusal(403, code, message);
    }
}
