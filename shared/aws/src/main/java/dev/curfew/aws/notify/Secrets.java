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
}
