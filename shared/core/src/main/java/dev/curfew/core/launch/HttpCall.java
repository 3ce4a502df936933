package dev.curfew.core.launch;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One HTTP request to the launcher, as the Function URL delivered it: method, path, query, headers (names in lower
 * case), the body as Lambda passed it, and the identity Lambda authenticated.
 *
 * @param base64    whether Lambda base64-encoded the body (it does for non-text content types)
 * @param userArn   {@code requestContext.authorizer.iam.userArn}; null when there is none
 * @param baseUrl   {@code https://} + {@code requestContext.domainName}, to write commands in answers; may be null
 */
public record HttpCall(String method, String path, Map<String, String> query, Map<String, String> headers,
                       String body, boolean base64, String userArn, String accountId, String sourceIp,
                       String requestId, String baseUrl) {
    public HttpCall {
        method = method == null ? "" : method.toUpperCase(Locale.ROOT);
        path = path == null || path.isEmpty() ? "/" : path;
        query = query == null ? Map.of() : Map.copyOf(query);
        Map<String, String> h = new LinkedHashMap<>();
        if (headers != null) {
            headers.forEach((k, v) -> {
                if (k != null && v != null) {
                    h.put(k.toLowerCase(Locale.ROOT), v);
                }
            });
        }
        headers = Map.copyOf(h);
    }
}
