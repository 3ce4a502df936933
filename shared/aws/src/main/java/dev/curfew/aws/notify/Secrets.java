package dev.curfew.aws.notify;

import dev.curfew.aws.AwsClients;
import dev.curfew.core.launch.JsonBody;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.awscore.exception.AwsServiceException;

/**
 * Reads the Slack secrets from Secrets Manager. A secret is the value itself ({@code https://hooks.slack.com/...},
 * {@code xoxb-...}) or a JSON object holding it under one of a few usual keys. Values are never logged, and errors
 * name the secret, never its value.
 */
public final class Secrets {
    public static final List<String> IAM_ACTIONS = List.of("secretsmanager:GetSecretValue");

    private final AwsClients clients;

    public Secrets(AwsClients clients) {
        this.clients = clients;
    }

    /** @throws IllegalStateException naming the secret and AWS's error code */
    public String read(String secretId, String... jsonKeys) {
        String value;
        try {
            value = clients.secrets().getSecretValue(b -> b.secretId(secretId)).secretString();
        } catch (AwsServiceException e) {
            String code = e.awsErrorDetails() == null ? String.valueOf(e.statusCode())
                    : e.awsErrorDetails().errorCode();
            throw new IllegalStateException("cannot read the secret " + secretId + " (" + code + ")");
        }
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("the secret " + secretId + " has no text value");
        }
        String v = value.trim();
        if (v.startsWith("{")) {
            try {
                Object parsed = JsonBody.parse(v);
                if (parsed instanceof Map<?, ?> m) {
                    for (String k : jsonKeys) {
                        if (m.get(k) instanceof String s && !s.isBlank()) {
                            return s.trim();
                        }
                    }
                }
            } catch (RuntimeException e) {
                throw new IllegalStateException("the secret " + secretId + " is neither a plain value nor JSON");
            }
            throw new IllegalStateException("the secret " + secretId + " is JSON without any of the keys "
                    + String.join(", ", jsonKeys));
        }
        return v;
    }

    /**
     * A Slack incoming webhook URL, checked when it is read: HTTPS (plain HTTP only to this machine, for a local
     * stand-in), nothing but printable ASCII, a URL Java can send to. Nothing that goes wrong says the value.
     *
     * @throws IllegalStateException naming the secret and what is wrong with its value
     */
    public String webhookUrl(String secretId) {
        String url = read(secretId, "url", "webhook-url", "webhook_url", "webhook");
        checkPrintable(secretId, url);
        java.net.URI uri;
        try {
            uri = new java.net.URI(url);
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException("the secret " + secretId + " does not hold a valid URL (the value "
                    + "is not shown)");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(java.util.Locale.ROOT);
        String host = uri.getHost();
        boolean local = host != null && (host.equals("127.0.0.1") || host.equals("localhost")
                || host.equals("[::1]"));
        if (host == null || !(scheme.equals("https") || scheme.equals("http") && local)) {
            throw new IllegalStateException("the secret " + secretId + " does not hold an https:// webhook URL "
                    + "(the value is not shown)");
        }
        return url;
    }

    /**
     * A Slack bot token, checked when it is read: printable ASCII without spaces, as an HTTP header can carry it.
     *
     * @throws IllegalStateException naming the secret and what is wrong with its value
     */
    public String botToken(String secretId) {
        String token = read(secretId, "token", "bot-token", "bot_token");
        checkPrintable(secretId, token);
        return token;
    }

    /** Only printable ASCII without spaces: a line break in a URL or header would smuggle in another header. */
    static void checkPrintable(String secretId, String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x21 || c > 0x7e) {
                throw new IllegalStateException("the secret " + secretId + " holds a value with a line break or "
                        + "control character, space or non-ASCII character at position " + (i + 1)
                        + " (the value is not shown); store it again without it");
            }
        }
    }
}
