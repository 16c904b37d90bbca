package io.checkedmqtt.broker.http;

import java.util.List;
import java.util.Map;

/**
 * One parsed HTTP/1.x request ({@link RequestReader} makes them).
 *
 * @param method  the method token as sent (case-sensitive, RFC 9110 9.1)
 * @param path    the path of the target as sent (percent-encoded); always starts with {@code /}
 * @param segments the path's segments between its slashes, each percent-decoded (so an encoded
 *                {@code %2F} stays inside its segment): {@code /a/b%2Fc} is {@code [a, b/c]}
 * @param query   the query parameters, percent-decoded ({@code +} as a space); the first of a repeated name wins
 * @param minorVersion 1 for HTTP/1.1, 0 for HTTP/1.0
 * @param headers field names in lower case; repeated fields joined with {@code ", "} (RFC 9110 5.3)
 * @param head    the request head as it arrived, up to and including its blank line (a WebSocket
 *                upgrade hands it on to the WebSocket layer)
 */
public record HttpRequest(String method, String path, List<String> segments, Map<String, String> query,
                          int minorVersion, Map<String, String> headers, byte[] head) {

    public HttpRequest {
        segments = List.copyOf(segments);
        query = Map.copyOf(query);
        headers = Map.copyOf(headers);
    }

    public String header(String lowerCaseName) {
        return headers.get(lowerCaseName);
    }

    public String parameter(String name) {
        return query.get(name);
    }

    /**
     * Whether the connection stays open after the answer: HTTP/1.1 unless the client says
     * {@code Connection: close}, HTTP/1.0 only with {@code Connection: keep-alive} (RFC 9112 9.3).
     */
    public boolean keepAlive() {
        String connection = headers.getOrDefault("connection", "").toLowerCase(java.util.Locale.ROOT);
        return minorVersion >= 1 ? !HttpTokens.contains(connection, "close") : HttpTokens.contains(connection, "keep-alive");
    }

    /** Whether it asks to switch to WebSocket ({@code Upgrade: websocket}). */
    public boolean upgradesToWebSocket() {
        return HttpTokens.contains(headers.getOrDefault("upgrade", "").toLowerCase(java.util.Locale.ROOT), "websocket");
    }
}
