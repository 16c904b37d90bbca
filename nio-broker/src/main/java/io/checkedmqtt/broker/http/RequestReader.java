package io.checkedmqtt.broker.http;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads HTTP/1.x requests (RFC 9112) from one connection's bytes, without a socket: bytes go in
 * through {@link #feed}, requests come out of {@link #next}. Strict and bounded, because the port
 * sits next to the MQTT ones: what it does not take it refuses with a status and the connection
 * is closed after the answer.
 *
 * <table>
 *   <caption>What is refused</caption>
 *   <tr><td>a request line not ended within {@link #MAX_HEAD} bytes</td><td>414</td></tr>
 *   <tr><td>a request head (line and fields) over {@link #MAX_HEAD} bytes, or over {@link #MAX_FIELDS} fields</td><td>431</td></tr>
 *   <tr><td>a request line that is not {@code METHOD SP /target SP HTTP/1.x}, a field line without a
 *       name and colon, a folded line, no {@code Host} in HTTP/1.1, a bad {@code Content-Length},
 *       a bad percent-escape</td><td>400</td></tr>
 *   <tr><td>HTTP/2.0 or later in the request line</td><td>505</td></tr>
 *   <tr><td>{@code Transfer-Encoding} (bodies come with {@code Content-Length} only)</td><td>501</td></tr>
 *   <tr><td>a body on GET, HEAD or DELETE (none of them means anything with one here)</td><td>400</td></tr>
 *   <tr><td>a body over {@link #MAX_BODY} bytes</td><td>413</td></tr>
 * </table>
 * A body that is allowed (POST) is read and dropped: no endpoint takes one. Several requests
 * may arrive in one read (pipelining); {@link #next} returns them one at a time.
 */
public final class RequestReader {

    public static final int MAX_HEAD = 8192;
    public static final int MAX_BODY = 8192;
    public static final int MAX_FIELDS = 100;

    /** What {@link #next} found. */
    public sealed interface Result {
    }

    /** A whole request (its body, if any, read and dropped). */
    public record Complete(HttpRequest request) implements Result {
    }

    /** The request cannot be served: answer {@code status} with {@code reason} and close. */
    public record Refused(int status, String reason) implements Result {
    }

    private byte[] held = new byte[512];
    private int length;

    /** Takes every remaining byte of {@code bytes}. */
    public void feed(ByteBuffer bytes) {
        int n = bytes.remaining();
        if (held.length - length < n) {
            held = Arrays.copyOf(held, Math.max(length + n, held.length * 2));
        }
        bytes.get(held, length, n);
        length += n;
    }

    /** Whether part of a request has arrived (not just the blank lines that may precede one). */
    public boolean holdsBytes() {
        return skipBlankLines() < length;
    }

    /** The next request, a refusal, or null while more bytes are needed. */
    public Result next() {
        int start = skipBlankLines();
        int headEnd = endOfHead(start);
        if (headEnd < 0) {
            if (length - start <= MAX_HEAD) {
                return null;
            }
            boolean lineEnded = indexOf((byte) '\n', start, start + MAX_HEAD) >= 0;
            return lineEnded ? new Refused(431, "the request head is longer than " + MAX_HEAD + " bytes")
                    : new Refused(414, "the request line is longer than " + MAX_HEAD + " bytes");
        }
        if (headEnd - start > MAX_HEAD) {
            return new Refused(431, "the request head is longer than " + MAX_HEAD + " bytes");
        }
        String text = new String(held, start, headEnd - start, StandardCharsets.ISO_8859_1);
        Object parsed = Head.parse(text);
        if (parsed instanceof Refused refused) {
            return refused;
        }
        Head head = (Head) parsed;
        if (length - headEnd < head.contentLength) {
            return null;
        }
        byte[] raw = Arrays.copyOfRange(held, start, headEnd);
        consume(headEnd + (int) head.contentLength);
        return new Complete(new HttpRequest(head.method, head.path, head.segments, head.query, head.minorVersion,
                head.fields, raw));
    }

    /** The bytes after the last request returned (those of a client that did not wait for an answer). */
    public int heldBytes() {
        return length;
    }

    private void consume(int n) {
        System.arraycopy(held, n, held, 0, length - n);
        length -= n;
        if (length == 0 && held.length > 4096) {
            held = new byte[512];   // an idle keep-alive connection goes back to a small buffer
        }
    }

    /** RFC 9112 2.2: empty lines before a request line are ignored. */
    private int skipBlankLines() {
        int i = 0;
        while (i < length && (held[i] == '\r' || held[i] == '\n')) {
            i++;
        }
        return i;
    }

    /** The index just past the blank line that ends the head, or -1. A bare LF ends a line too (RFC 9112 2.2). */
    private int endOfHead(int from) {
        for (int i = from; i < length; i++) {
            if (held[i] != '\n') {
                continue;
            }
            if (i + 1 < length && held[i + 1] == '\n') {
                return i + 2;
            }
            if (i + 2 < length && held[i + 1] == '\r' && held[i + 2] == '\n') {
                return i + 3;
            }
        }
        return -1;
    }

    private int indexOf(byte b, int from, int to) {
        for (int i = from; i < Math.min(to, length); i++) {
            if (held[i] == b) {
                return i;
            }
        }
        return -1;
    }

    /** A parsed request head, or the reason it is refused. */
    private record Head(String method, String path, List<String> segments, Map<String, String> query,
                        int minorVersion, Map<String, String> fields, long contentLength) {

        static Object parse(String text) {
            String[] lines = text.split("\r?\n", -1);
            String[] parts = lines[0].split(" ", -1);
            if (parts.length != 3 || !HttpTokens.isToken(parts[0]) || parts[1].isEmpty()) {
                return new Refused(400, "not a request line: " + printable(lines[0]));
            }
            int minor = version(parts[2]);
            if (minor < 0) {
                return minor == -2 ? new Refused(505, "this server speaks HTTP/1.1 and 1.0, not " + printable(parts[2]))
                        : new Refused(400, "not an HTTP version: " + printable(parts[2]));
            }
            Map<String, String> fields = new LinkedHashMap<>();
            int count = 0;
            for (int i = 1; i < lines.length; i++) {
                String line = lines[i];
                if (line.isEmpty()) {
                    continue;   // the blank line that ends the head
                }
                if (++count > MAX_FIELDS) {
                    return new Refused(431, "more than " + MAX_FIELDS + " header fields");
                }
                int colon = line.indexOf(':');
                if (colon <= 0 || !HttpTokens.isToken(line.substring(0, colon))) {
                    // also a folded line (starts with a space) and a space before the colon (RFC 9112 5.1, 5.2)
                    return new Refused(400, "not a header field: " + printable(line));
                }
                fields.merge(line.substring(0, colon).toLowerCase(Locale.ROOT), line.substring(colon + 1).strip(),
                        (a, b) -> a + ", " + b);
            }
            return withTarget(parts[0], parts[1], minor, fields);
        }

        private static Object withTarget(String method, String target, int minor, Map<String, String> fields) {
            if (minor == 1 && (fields.get("host") == null || fields.get("host").contains(","))) {
                return new Refused(400, "HTTP/1.1 needs exactly one Host header (RFC 9112 3.2)");
            }
            if (fields.containsKey("transfer-encoding")) {
                return new Refused(fields.containsKey("content-length") ? 400 : 501,
                        "request bodies are taken with Content-Length only, not Transfer-Encoding");
            }
            long contentLength = 0;
            String declared = fields.get("content-length");
            if (declared != null) {
                if (!declared.matches("[0-9]{1,10}")) {
                    return new Refused(400, "bad Content-Length: " + printable(declared));
                }
                contentLength = Long.parseLong(declared);
            }
            if (contentLength > 0 && (method.equals("GET") || method.equals("HEAD") || method.equals("DELETE"))) {
                return new Refused(400, method + " takes no body here");
            }
            if (contentLength > MAX_BODY) {
                return new Refused(413, "a body of " + contentLength + " bytes; at most " + MAX_BODY + " are taken");
            }
            String pathAndQuery = target;
            if (target.startsWith("http://") || target.startsWith("https://")) {
                int slash = target.indexOf('/', target.indexOf("//") + 2);   // absolute-form (RFC 9112 3.2.2)
                pathAndQuery = slash < 0 ? "/" : target.substring(slash);
            }
            if (!pathAndQuery.startsWith("/")) {
                return new Refused(400, "the target must be a path: " + printable(target));
            }
            int question = pathAndQuery.indexOf('?');
            String rawPath = question < 0 ? pathAndQuery : pathAndQuery.substring(0, question);
            try {
                List<String> segments = new ArrayList<>();
                for (String segment : rawPath.substring(1).split("/", -1)) {
                    segments.add(HttpTokens.decode(segment, false));
                }
                return new Head(method, rawPath, segments,
                        query(question < 0 ? "" : pathAndQuery.substring(question + 1)), minor, fields, contentLength);
            } catch (IllegalArgumentException e) {
                return new Refused(400, "the target: " + e.getMessage());
            }
        }

        private static Map<String, String> query(String text) {
            Map<String, String> out = new LinkedHashMap<>();
            for (String pair : text.split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int equals = pair.indexOf('=');
                String name = HttpTokens.decode(equals < 0 ? pair : pair.substring(0, equals), true);
                out.putIfAbsent(name, equals < 0 ? "" : HttpTokens.decode(pair.substring(equals + 1), true));
            }
            return out;
        }

        /** 1 for HTTP/1.1 (and 1.x above it, RFC 9110 2.5), 0 for 1.0, -2 for a later major version, -1 for garbage. */
        private static int version(String text) {
            if (!text.matches("HTTP/[0-9]\\.[0-9]")) {
                return -1;
            }
            int major = text.charAt(5) - '0';
            int minor = text.charAt(7) - '0';
            if (major != 1) {
                return major > 1 ? -2 : -1;
            }
            return Math.min(minor, 1);
        }
    }

    /** Text from the peer, safe for a log line and a response: at most 80 printable ASCII characters, quoted. */
    public static String printable(String text) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < text.length() && out.length() < 80; i++) {
            char c = text.charAt(i);
            out.append(c >= 0x20 && c < 0x7F ? c : '?');
        }
        return "'" + out + "'";
    }
}
