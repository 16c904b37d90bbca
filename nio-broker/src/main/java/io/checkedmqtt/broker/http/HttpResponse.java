package io.checkedmqtt.broker.http;

import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/**
 * One HTTP/1.x response: a status, header fields, and a body that is either whole (sent with
 * {@code Content-Length}) or {@link Body streamed} (sent chunked to HTTP/1.1 clients, and to
 * HTTP/1.0 clients until the connection closes). The connection writes {@link #head} first, then
 * the body.
 */
public final class HttpResponse {

    /** A body made piece by piece, as the client reads: the next piece, or null at the end. */
    @FunctionalInterface
    public interface Body {
        byte[] next();
    }

    public static final String JSON = "application/json; charset=utf-8";
    public static final String TEXT = "text/plain; charset=utf-8";

    private final int status;
    private final String contentType;
    private final byte[] body;
    private final Body stream;
    private final List<String> extraHeaders = new ArrayList<>(2);
    private boolean close;

    private HttpResponse(int status, String contentType, byte[] body, Body stream) {
        this.status = status;
        this.contentType = contentType;
        this.body = body;
        this.stream = stream;
    }

    public static HttpResponse of(int status, String contentType, byte[] body) {
        return new HttpResponse(status, contentType, body, null);
    }

    public static HttpResponse json(int status, String json) {
        return of(status, JSON, json.getBytes(StandardCharsets.UTF_8));
    }

    /** An error as JSON: {@code {"status": 404, "error": "Not Found", "message": "..."}}. */
    public static HttpResponse error(int status, String message) {
        return json(status, new Json().object().field("status", status).field("error", phrase(status))
                .field("message", message).end().toString());
    }

    public static HttpResponse streamed(int status, String contentType, Body body) {
        return new HttpResponse(status, contentType, null, body);
    }

    /** Adds a header field (a name and value without line breaks). */
    public HttpResponse header(String name, String value) {
        extraHeaders.add(name + ": " + value + "\r\n");
        return this;
    }

    /** The connection closes after this response, whatever the request asked. */
    public HttpResponse closing() {
        close = true;
        return this;
    }

    public int status() {
        return status;
    }

    public boolean closes() {
        return close;
    }

    /** The whole body, or null when it is streamed. */
    public byte[] body() {
        return body;
    }

    /** The streamed body, or null when it is whole. */
    public Body stream() {
        return stream;
    }

    /** Whether a streamed body goes out chunked: to HTTP/1.1 clients (RFC 9112 7.1). */
    public static boolean chunked(int minorVersion) {
        return minorVersion >= 1;
    }

    /**
     * The status line and header fields, ending with the blank line.
     *
     * @param minorVersion the request's HTTP minor version (1.0 clients get no chunked body)
     * @param keepAlive    whether the connection stays open after this response
     */
    public byte[] head(int minorVersion, boolean keepAlive, long nowEpochMillis) {
        StringBuilder out = new StringBuilder(256);
        out.append("HTTP/1.1 ").append(status).append(' ').append(phrase(status)).append("\r\n");
        out.append("Date: ").append(DateTimeFormatter.RFC_1123_DATE_TIME.format(
                ZonedDateTime.ofInstant(java.time.Instant.ofEpochMilli(nowEpochMillis), ZoneOffset.UTC))).append("\r\n");
        out.append("Server: checked-mqtt\r\n");
        if (contentType != null) {
            out.append("Content-Type: ").append(contentType).append("\r\n");
        }
        if (body != null) {
            out.append("Content-Length: ").append(body.length).append("\r\n");
        } else if (chunked(minorVersion)) {
            out.append("Transfer-Encoding: chunked\r\n");
        }
        for (String header : extraHeaders) {
            out.append(header);
        }
        if (!persistent(minorVersion, keepAlive)) {
            out.append("Connection: close\r\n");
        } else if (minorVersion == 0) {
            out.append("Connection: keep-alive\r\n");
        }
        out.append("\r\n");
        return out.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    /**
     * Whether the connection stays open after this response: the request asked for it, the
     * response does not close, and its end can be told without a close (a length, or chunks).
     */
    public boolean persistent(int minorVersion, boolean keepAlive) {
        return keepAlive && !close && (body != null || chunked(minorVersion));
    }

    /** One chunk of a chunked body (RFC 9112 7.1): its size in hex, the bytes; an empty array gives the last chunk. */
    public static byte[] chunk(byte[] data) {
        if (data.length == 0) {
            return "0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);
        }
        byte[] size = (Integer.toHexString(data.length) + "\r\n").getBytes(StandardCharsets.ISO_8859_1);
        byte[] out = new byte[size.length + data.length + 2];
        System.arraycopy(size, 0, out, 0, size.length);
        System.arraycopy(data, 0, out, size.length, data.length);
        out[out.length - 2] = '\r';
        out[out.length - 1] = '\n';
        return out;
    }

    public static String phrase(int status) {
        return switch (status) {
            case 101 -> "Switching Protocols";
            case 200 -> "OK";
            case 202 -> "Accepted";
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 408 -> "Request Timeout";
            case 409 -> "Conflict";
            case 413 -> "Content Too Large";
            case 414 -> "URI Too Long";
            case 431 -> "Request Header Fields Too Large";
            case 500 -> "Internal Server Error";
            case 501 -> "Not Implemented";
            case 503 -> "Service Unavailable";
            case 505 -> "HTTP Version Not Supported";
            default -> "Status " + status;
        };
    }
}
