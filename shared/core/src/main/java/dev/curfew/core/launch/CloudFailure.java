package dev.curfew.core.launch;

/**
 * AWS refused a call: its error code (e.g. {@code InsufficientInstanceCapacity}) and message. The message is AWS's
 * own text (it can hold an encoded authorization message): the log gets it, a student's answer never does.
 */
public final class CloudFailure extends RuntimeException {
    private final String code;

    public CloudFailure(String code, String message, Throwable cause) {
        super(message, cause);
        this.code = code == null ? "Unknown" : code;
    }

    public String code() {
        return code;
    }

    /**
     * The code as an answer may repeat it: AWS's codes are words and dots ({@code InsufficientInstanceCapacity},
     * {@code InvalidKeyPair.NotFound}); anything else is {@code Unknown}. The message is for the log only.
     */
    public String safeCode() {
        return code.matches("[A-Za-z0-9.]{1,80}") ? code : "Unknown";
    }
}
