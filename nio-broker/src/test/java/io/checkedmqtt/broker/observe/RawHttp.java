package io.checkedmqtt.broker.observe;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP at the byte level, for what the JDK's client will not send or hides: pipelining, HTTP/1.0,
 * chunked bodies as they come, malformed requests, and whether the server closed the connection.
 */
final class RawHttp implements AutoCloseable {

    /** One response as it came: status, header fields (lower-case names), body (de-chunked), and the raw body bytes. */
    record Response(int status, Map<String, String> headers, String body, String rawBody) {
        String header(String name) {
            return headers.get(name);
        }
    }

    final Socket socket;
    private final InputStream in;

    RawHttp(int port) throws IOException {
        socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(10_000);
        in = socket.getInputStream();
    }

    RawHttp send(String text) throws IOException {
        socket.getOutputStream().write(text.getBytes(StandardCharsets.ISO_8859_1));
        socket.getOutputStream().flush();
        return this;
    }

    /** Reads one response: by Content-Length, chunked, or (neither) until the server closes. */
    Response read() throws IOException {
        String head = line();
        if (head == null) {
            throw new IOException("closed before a response");
        }
        int status = Integer.parseInt(head.split(" ")[1]);
        Map<String, String> headers = new LinkedHashMap<>();
        for (String line = line(); line != null && !line.isEmpty(); line = line()) {
            int colon = line.indexOf(':');
            headers.put(line.substring(0, colon).toLowerCase(Locale.ROOT), line.substring(colon + 1).strip());
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        ByteArrayOutputStream raw = new ByteArrayOutputStream();
        if (headers.containsKey("content-length")) {
            body.write(in.readNBytes(Integer.parseInt(headers.get("content-length"))));
            raw.write(body.toByteArray());
        } else if ("chunked".equals(headers.get("transfer-encoding"))) {
            while (true) {
                String size = line();
                raw.write((size + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
                int n = Integer.parseInt(size, 16);
                byte[] chunk = in.readNBytes(n);
                body.write(chunk);
                raw.write(chunk);
                String end = line();
                raw.write((end + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
                if (!end.isEmpty()) {
                    throw new IOException("a chunk not followed by CRLF");
                }
                if (n == 0) {
                    break;
                }
            }
        } else if (!"HEAD".equals(headers.get("x-method"))) {
            body.write(in.readAllBytes());
            raw.write(body.toByteArray());
        }
        return new Response(status, headers, body.toString(StandardCharsets.UTF_8), raw.toString(StandardCharsets.ISO_8859_1));
    }

    /** Reads the head of a response to HEAD (no body follows). */
    Response readHead() throws IOException {
        String head = line();
        int status = Integer.parseInt(head.split(" ")[1]);
        Map<String, String> headers = new LinkedHashMap<>();
        for (String line = line(); line != null && !line.isEmpty(); line = line()) {
            int colon = line.indexOf(':');
            headers.put(line.substring(0, colon).toLowerCase(Locale.ROOT), line.substring(colon + 1).strip());
        }
        return new Response(status, headers, "", "");
    }

    /** Whether the server has closed the connection (end of stream within {@code millis}). */
    boolean closedWithin(int millis) throws IOException {
        socket.setSoTimeout(millis);
        try {
            return in.read() < 0;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true;   // reset
        } finally {
            socket.setSoTimeout(10_000);
        }
    }

    private String line() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0) {
            if (b == '\n') {
                String text = out.toString(StandardCharsets.ISO_8859_1);
                return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
            }
            out.write(b);
        }
        return out.size() == 0 ? null : out.toString(StandardCharsets.ISO_8859_1);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
