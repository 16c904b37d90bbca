package io.checkedmqtt.broker.http;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link RequestReader} byte by byte, without a socket: what it takes, and what it refuses with which status. */
class RequestReaderTest {

    private static RequestReader.Result read(String bytes) {
        RequestReader reader = new RequestReader();
        reader.feed(ByteBuffer.wrap(bytes.getBytes(StandardCharsets.ISO_8859_1)));
        return reader.next();
    }

    private static HttpRequest request(String bytes) {
        return assertInstanceOf(RequestReader.Complete.class, read(bytes)).request();
    }

    private static int refusal(String bytes) {
        return assertInstanceOf(RequestReader.Refused.class, read(bytes)).status();
    }

    @Test
    @DisplayName("a request fed one byte at a time: nothing until the blank line, then the whole request")
    void byteByByte() {
        String text = "GET /api/v1/clients/a%2Fb/disconnect?search=x+y&limit=5&limit=6 HTTP/1.1\r\n"
                + "Host: t\r\nAccept: a\r\naccept: b\r\n\r\n";
        RequestReader reader = new RequestReader();
        for (int i = 0; i < text.length() - 1; i++) {
            reader.feed(ByteBuffer.wrap(new byte[] {(byte) text.charAt(i)}));
            assertNull(reader.next(), "incomplete after " + (i + 1) + " bytes");
            assertTrue(reader.holdsBytes());
        }
        reader.feed(ByteBuffer.wrap(new byte[] {'\n'}));
        HttpRequest r = assertInstanceOf(RequestReader.Complete.class, reader.next()).request();
        assertEquals("GET", r.method());
        assertEquals(List.of("api", "v1", "clients", "a/b", "disconnect"), r.segments(), "%2F stays inside its segment");
        assertEquals(Map.of("search", "x y", "limit", "5"), r.query(), "+ is a space in a query; the first value wins");
        assertEquals("a, b", r.header("accept"), "repeated fields are one list");
        assertEquals(1, r.minorVersion());
        assertTrue(r.keepAlive());
        assertFalse(reader.holdsBytes());
        assertEquals(text, new String(r.head(), StandardCharsets.ISO_8859_1), "the head as it came, for an upgrade");
    }

    @Test
    @DisplayName("pipelined requests come out one at a time; a POST body is read and dropped; blank lines before a request are skipped")
    void pipelinedWithBody() {
        RequestReader reader = new RequestReader();
        reader.feed(ByteBuffer.wrap(("\r\nPOST /a HTTP/1.1\r\nHost: t\r\nContent-Length: 4\r\n\r\nbodyGET /b HTTP/1.0\n\nGET /c")
                .getBytes(StandardCharsets.ISO_8859_1)));
        assertEquals("/a", assertInstanceOf(RequestReader.Complete.class, reader.next()).request().path());
        HttpRequest b = assertInstanceOf(RequestReader.Complete.class, reader.next()).request();
        assertEquals("/b", b.path());
        assertEquals(0, b.minorVersion());
        assertFalse(b.keepAlive(), "HTTP/1.0 closes unless it asks for keep-alive");
        assertNull(reader.next());
        assertEquals(6, reader.heldBytes(), "the start of the third request waits");
    }

    @Test
    @DisplayName("a body that has not fully arrived waits")
    void bodyWaits() {
        RequestReader reader = new RequestReader();
        reader.feed(ByteBuffer.wrap("POST /a HTTP/1.1\r\nHost: t\r\nContent-Length: 4\r\n\r\nbo".getBytes(StandardCharsets.ISO_8859_1)));
        assertNull(reader.next());
        reader.feed(ByteBuffer.wrap("dy".getBytes(StandardCharsets.ISO_8859_1)));
        assertInstanceOf(RequestReader.Complete.class, reader.next());
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "GET / HTTP/1.1\\r\\n\\r\\n | 400",
        "GET / HTTP/1.1\\r\\nHost: a\\r\\nHost: b\\r\\n\\r\\n | 400",
        "GET / HTTP/1.1\\r\\nHost: t\\r\\n folded\\r\\n\\r\\n | 400",
        "GET / HTTP/1.1\\r\\nHost : t\\r\\n\\r\\n | 400",
        "GET / HTTP/1.1\\r\\nHost: t\\r\\nno colon\\r\\n\\r\\n | 400",
        "GET  / HTTP/1.1\\r\\nHost: t\\r\\n\\r\\n | 400",
        "G(T / HTTP/1.1\\r\\nHost: t\\r\\n\\r\\n | 400",
        "GET / HTTP/1\\r\\nHost: t\\r\\n\\r\\n | 400",
        "GET nopath HTTP/1.1\\r\\nHost: t\\r\\n\\r\\n | 400",
        "GET /%zz HTTP/1.1\\r\\nHost: t\\r\\n\\r\\n | 400",
        "GET /%C3 HTTP/1.1\\r\\nHost: t\\r\\n\\r\\n | 400",
        "GET / HTTP/2.0\\r\\nHost: t\\r\\n\\r\\n | 505",
        "GET / HTTP/1.1\\r\\nHost: t\\r\\nContent-Length: 1\\r\\n\\r\\nx | 400",
        "HEAD / HTTP/1.1\\r\\nHost: t\\r\\nContent-Length: 1\\r\\n\\r\\nx | 400",
        "DELETE / HTTP/1.1\\r\\nHost: t\\r\\nContent-Length: 1\\r\\n\\r\\nx | 400",
        "POST / HTTP/1.1\\r\\nHost: t\\r\\nContent-Length: -1\\r\\n\\r\\n | 400",
        "POST / HTTP/1.1\\r\\nHost: t\\r\\nContent-Length: 1, 2\\r\\n\\r\\n | 400",
        "POST / HTTP/1.1\\r\\nHost: t\\r\\nContent-Length: 8193\\r\\n\\r\\n | 413",
        "POST / HTTP/1.1\\r\\nHost: t\\r\\nTransfer-Encoding: chunked\\r\\n\\r\\n | 501",
        "POST / HTTP/1.1\\r\\nHost: t\\r\\nTransfer-Encoding: chunked\\r\\nContent-Length: 3\\r\\n\\r\\n | 400",
    })
    void refused(String request, int status) {
        assertEquals(status, refusal(request.replace("\\r", "\r").replace("\\n", "\n")));
    }

    @Test
    @DisplayName("bounds: a request line not ended within 8 KiB gets 414, a longer head 431, more than 100 fields 431")
    void bounds() {
        assertEquals(414, refusal("GET /" + "a".repeat(RequestReader.MAX_HEAD)));
        assertNull(read("GET /" + "a".repeat(RequestReader.MAX_HEAD - 10)), "just under the bound: more may come");
        assertEquals(431, refusal("GET / HTTP/1.1\r\nHost: t\r\nX: " + "a".repeat(RequestReader.MAX_HEAD)));
        assertEquals(431, refusal("GET / HTTP/1.1\r\nHost: t\r\nX: " + "a".repeat(RequestReader.MAX_HEAD) + "\r\n\r\n"));
        StringBuilder fields = new StringBuilder("GET / HTTP/1.1\r\nHost: t\r\n");
        for (int i = 0; i < RequestReader.MAX_FIELDS; i++) {
            fields.append("X").append(i).append(": v\r\n");
        }
        assertEquals(431, refusal(fields + "\r\n"));
        String atTheBound = "GET / HTTP/1.1\r\nHost: t\r\nX: ";
        String exactly = atTheBound + "a".repeat(RequestReader.MAX_HEAD - atTheBound.length() - 4) + "\r\n\r\n";
        assertEquals(RequestReader.MAX_HEAD, exactly.length());
        assertEquals("/", request(exactly).path(), "a head of exactly 8 KiB is taken");
    }

    @Test
    @DisplayName("the absolute form of a target is read as its path (RFC 9112 3.2.2); HTTP/1.0 needs no Host; keep-alive is asked for or not")
    void forms() {
        assertEquals("/metrics", request("GET http://127.0.0.1:18083/metrics HTTP/1.1\r\nHost: t\r\n\r\n").path());
        assertEquals("/", request("GET http://h HTTP/1.1\r\nHost: t\r\n\r\n").path());
        assertTrue(request("GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n").keepAlive());
        assertFalse(request("GET / HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n").keepAlive());
        assertTrue(request("GET /mqtt HTTP/1.1\r\nHost: t\r\nUpgrade: WebSocket\r\n\r\n").upgradesToWebSocket());
        assertEquals(1, request("GET / HTTP/1.9\r\nHost: t\r\n\r\n").minorVersion(), "a later 1.x is read as 1.1");
    }
}
