package dev.curfew.core.launch;

/** AWS refused a call: its error code (e.g. {@code InsufficientInstanceCapacity}) and message. */
public final class CloudFailure extends RuntimeException {
    private final String code;

    public CloudFailure(String code, String message, Throwable cause) {
        super(message, cause);
        this.code = code == null ? "Unknown" : code;
    }

    public String code() {
        return code;
    }
}
