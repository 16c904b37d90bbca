package io.checkedmqtt.broker.websocket;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The opening handshake of RFC 6455, server side: one HTTP/1.1 request head in, the answer out.
 * Checks in order, each with its own status:
 * <ol>
 *   <li>a request line and headers that parse, HTTP/1.1 ({@code 400});</li>
 *   <li>the configured path, query ignored ({@code 404});</li>
 *   <li>method GET ({@code 405}, RFC 6455 4.1 item 2);</li>
 *   <li>{@code Upgrade: websocket} and {@code Connection: Upgrade}, else this is plain HTTP asking
 *       for a page: {@code 426 Upgrade Required} saying what to upgrade to (RFC 7231 6.5.15);</li>
 *   <li>{@code Sec-WebSocket-Version: 13}, else {@code 426} naming version 13 (RFC 6455 4.2.2);</li>
 *   <li>{@code Host} and a {@code Sec-WebSocket-Key} of 16 base64 bytes ({@code 400}, RFC 6455 4.2.1);</li>
 *   <li>the subprotocol: MQTT clients MUST offer {@code mqtt} [MQTT-6.0.0-3] and the server MUST select
 *       and return {@code mqtt} [MQTT-6.0.0-4]. A client that does not offer it cannot be given it (a
 *       client MUST fail a connection whose server returns a subprotocol it did not offer, RFC 6455
 *       4.1), and without it the server cannot keep [MQTT-6.0.0-4]; so such a request is refused with
 *       {@code 400} (RFC 6455 4.2.1 lets a server refuse a handshake it cannot serve), as EMQX does
 *       by default. {@code mqttv3.1}, which MQTT 3.1 clients offered before the name was fixed, is
 *       selected when {@code mqtt} is not offered.</li>
 * </ol>
 */
final class UpgradeRequest {

    /** What to send back, and whether the connection now speaks WebSocket. */
    record Answer(int status, byte[] bytes, String reason, String subprotocol) {
        boolean accepted() {
            return status == 101;
        }
    }

    static final String SUBPROTOCOL = "mqtt";
    static final String MQTT_3_1_SUBPROTOCOL = "mqttv3.1";
    private static final String ACCEPT_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

    private UpgradeRequest() {
    }

    /** Answers the request head {@code head} (everything before the blank line, ISO-8859-1). */
    static Answer answer(String head, String path) {
        String[] lines = head.split("\r\n", -1);
        String[] requestLine = lines[0].split(" ", -1);
        if (requestLine.length != 3 || requestLine[0].isEmpty() || !requestLine[2].startsWith("HTTP/")) {
            return refuse(400, "Bad Request", "not an HTTP request line: " + printable(lines[0]));
        }
        if (!requestLine[2].equals("HTTP/1.1")) {
            return refuse(400, "Bad Request", "a WebSocket upgrade needs HTTP/1.1, got " + printable(requestLine[2]));
        }
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon <= 0) {
                return refuse(400, "Bad Request", "malformed header line " + printable(lines[i]));
            }
            String name = lines[i].substring(0, colon).strip().toLowerCase(Locale.ROOT);
            String value = lines[i].substring(colon + 1).strip();
            headers.merge(name, value, (a, b) -> a + ", " + b);   // repeated fields are one list (RFC 7230 3.2.2)
        }
        String target = requestLine[1];
        int query = target.indexOf('?');
        String requestedPath = query < 0 ? target : target.substring(0, query);
        if (!requestedPath.equals(path)) {
            return refuse(404, "Not Found", "MQTT over WebSocket is served at " + path + ", not " + printable(requestedPath));
        }
        if (!requestLine[0].equals("GET")) {
            return refuse(405, "Method Not Allowed", "a WebSocket upgrade is a GET, not " + printable(requestLine[0]),
                    "Allow: GET\r\n");
        }
        if (!tokens(headers.get("upgrade")).contains("websocket") || !tokens(headers.get("connection")).contains("upgrade")) {
            return refuse(426, "Upgrade Required", "this port speaks MQTT over WebSocket: send Upgrade: websocket",
                    "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n");
        }
        if (!"13".equals(headers.get("sec-websocket-version"))) {
            return refuse(426, "Upgrade Required", "WebSocket version 13 only, got "
                    + printable(String.valueOf(headers.get("sec-websocket-version"))), "Sec-WebSocket-Version: 13\r\n");
        }
        if (headers.get("host") == null) {
            return refuse(400, "Bad Request", "no Host header");
        }
        String key = headers.get("sec-websocket-key");
        if (!validKey(key)) {
            return refuse(400, "Bad Request", "Sec-WebSocket-Key must be 16 bytes in base64");
        }
        List<String> offered = list(headers.get("sec-websocket-protocol"), false);   // names are case-sensitive
        String selected = offered.contains(SUBPROTOCOL) ? SUBPROTOCOL
                : offered.contains(MQTT_3_1_SUBPROTOCOL) ? MQTT_3_1_SUBPROTOCOL : null;
        if (selected == null) {
            return refuse(400, "Bad Request", "[MQTT-6.0.0-3] offer the WebSocket subprotocol 'mqtt'"
                    + (offered.isEmpty() ? " (none was offered)" : " (offered: " + printable(String.join(", ", offered)) + ")"));
        }
        String response = "HTTP/1.1 101 Switching Protocols\r\n"
                + "Upgrade: websocket\r\n"
                + "Connection: Upgrade\r\n"
                + "Sec-WebSocket-Accept: " + acceptFor(key) + "\r\n"
                + "Sec-WebSocket-Protocol: " + selected + "\r\n"
                + "\r\n";
        return new Answer(101, response.getBytes(StandardCharsets.ISO_8859_1), null, selected);
    }

    /** RFC 6455 4.2.2: base64 of SHA-1 over the key and the protocol's GUID. */
    static String acceptFor(String key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-1")
                    .digest((key + ACCEPT_GUID).getBytes(StandardCharsets.ISO_8859_1));
            return Base64.getEncoder().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-1", e);
        }
    }

    static Answer refuse(int status, String phrase, String reason) {
        return refuse(status, phrase, reason, "");
    }

    private static Answer refuse(int status, String phrase, String reason, String extraHeaders) {
        byte[] body = (reason + "\n").getBytes(StandardCharsets.UTF_8);
        String head = "HTTP/1.1 " + status + " " + phrase + "\r\n"
                + extraHeaders
                + "Content-Type: text/plain; charset=utf-8\r\n"
                + "Content-Length: " + body.length + "\r\n"
                + "Connection: close\r\n"
                + "\r\n";
        byte[] headBytes = head.getBytes(StandardCharsets.ISO_8859_1);
        byte[] all = new byte[headBytes.length + body.length];
        System.arraycopy(headBytes, 0, all, 0, headBytes.length);
        System.arraycopy(body, 0, all, headBytes.length, body.length);
        return new Answer(status, all, "WebSocket upgrade refused, " + status + ": " + reason, null);
    }

    private static boolean validKey(String key) {
        if (key == null) {
            return false;
        }
        try {
            return Base64.getDecoder().decode(key).length == 16;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** A comma-separated header value as lower-case tokens; empty for a missing header. */
    private static List<String> tokens(String value) {
        return list(value, true);
    }

    private static List<String> list(String value, boolean lowerCase) {
        List<String> tokens = new ArrayList<>();
        if (value != null) {
            for (String token : value.split(",")) {
                if (!token.isBlank()) {
                    tokens.add(lowerCase ? token.strip().toLowerCase(Locale.ROOT) : token.strip());
                }
            }
        }
        return tokens;
    }

    /** Text from the peer, safe for a log line and a response body: at most 80 printable ASCII characters. */
    private static String printable(String text) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < text.length() && out.length() < 80; i++) {
            char c = text.charAt(i);
            out.append(c >= 0x20 && c < 0x7F ? c : '?');
        }
        return "'" + out + "'";
    }
}
