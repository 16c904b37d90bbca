package io.checkedmqtt.broker.observe;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** HTTP/1.1 as it goes over the wire: keep-alive, pipelining, chunked and Content-Length bodies, HTTP/1.0, HEAD. */
class HttpWireTest {

    private static final String GET_SUMMARY = "GET /api/v1/summary HTTP/1.1\r\nHost: t\r\n\r\n";

    @Test
    @DisplayName("keep-alive: several requests on one connection, each answered with Content-Length; Connection: close ends it")
    void keepAlive() throws Exception {
        try (ObservedBroker b = new ObservedBroker(); RawHttp http = new RawHttp(b.httpPort())) {
            for (int i = 0; i < 3; i++) {
                RawHttp.Response r = http.send(GET_SUMMARY).read();
                assertEquals(200, r.status());
                assertEquals(String.valueOf(r.body().getBytes(java.nio.charset.StandardCharsets.UTF_8).length),
                        r.header("content-length"));
                assertNull(r.header("connection"));
            }
            assertFalse(http.closedWithin(200));
            RawHttp.Response last = http.send("GET /api/v1/summary HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n").read();
            assertEquals(200, last.status());
            assertEquals("close", last.header("connection"));
            assertTrue(http.closedWithin(2000));
        }
    }

    @Test
    @DisplayName("pipelining: three requests in one write are answered in order")
    void pipelining() throws Exception {
        try (ObservedBroker b = new ObservedBroker(); RawHttp http = new RawHttp(b.httpPort())) {
            http.send(GET_SUMMARY + "GET /nothing HTTP/1.1\r\nHost: t\r\n\r\n" + "GET /api/v1/topics HTTP/1.1\r\nHost: t\r\n\r\n");
            assertEquals(List.of(200, 404, 200), List.of(http.read().status(), http.read().status(), http.read().status()));
        }
    }

    @Test
    @DisplayName("listings are chunked to HTTP/1.1 clients: sizes in hex, a last empty chunk, the JSON whole; 150 KB in several chunks")
    void chunkedListing() throws Exception {
        try (ObservedBroker b = new ObservedBroker(); RawHttp http = new RawHttp(b.httpPort())) {
            var pub = b.v3("pub", true);
            byte[] kilobyte = "x".repeat(1000).getBytes(java.nio.charset.StandardCharsets.UTF_8);
            for (int i = 0; i < 100; i++) {
                pub.publish("big/" + i, kilobyte, 1, true);
            }
            RawHttp.Response r = http.send("GET /api/v1/retained?limit=1000 HTTP/1.1\r\nHost: t\r\n\r\n").read();
            assertEquals("chunked", r.header("transfer-encoding"));
            assertNull(r.header("content-length"));
            assertTrue(r.rawBody().endsWith("\r\n0\r\n\r\n"), "ends with the last chunk");
            long chunks = r.rawBody().lines().filter(line -> line.matches("[0-9a-f]+")).count();
            assertTrue(chunks >= 4, "a body of " + r.body().length() + " characters in " + chunks + " chunks");
            assertEquals(100L, JsonReader.at(JsonReader.parse(r.body()), "total"));
            assertEquals(200, http.send(GET_SUMMARY).read().status(), "the connection goes on after a chunked body");
        }
    }

    @Test
    @DisplayName("HTTP/1.0: no chunked body (the connection closes at its end), keep-alive only when asked for")
    void http10() throws Exception {
        try (ObservedBroker b = new ObservedBroker()) {
            try (RawHttp http = new RawHttp(b.httpPort())) {
                RawHttp.Response r = http.send("GET /api/v1/clients HTTP/1.0\r\n\r\n").read();
                assertEquals(200, r.status());
                assertNull(r.header("transfer-encoding"));
                assertEquals("close", r.header("connection"));
                assertEquals(0L, JsonReader.at(JsonReader.parse(r.body()), "total"));
            }
            try (RawHttp http = new RawHttp(b.httpPort())) {
                RawHttp.Response r = http.send("GET /api/v1/summary HTTP/1.0\r\nConnection: keep-alive\r\n\r\n").read();
                assertEquals("keep-alive", r.header("connection"));
                assertEquals(200, http.send("GET /metrics HTTP/1.0\r\n\r\n").read().status());
                assertTrue(http.closedWithin(2000), "without keep-alive the 1.0 connection closes");
            }
        }
    }

    @Test
    @DisplayName("HEAD: the head of the GET answer, no body; the dashboard's files with their types and a Content-Security-Policy")
    void headAndFiles() throws Exception {
        try (ObservedBroker b = new ObservedBroker(); RawHttp http = new RawHttp(b.httpPort())) {
            RawHttp.Response head = http.send("HEAD / HTTP/1.1\r\nHost: t\r\n\r\n").readHead();
            assertEquals(200, head.status());
            assertEquals("text/html; charset=utf-8", head.header("content-type"));
            assertTrue(head.header("content-security-policy").contains("default-src 'self'"));
            RawHttp.Response js = http.send("GET /dashboard.js HTTP/1.1\r\nHost: t\r\n\r\n").read();
            assertEquals("text/javascript; charset=utf-8", js.header("content-type"));
            assertTrue(js.body().contains("function route()"), "the HEAD left no body behind: this is the next answer");
            assertEquals("text/css; charset=utf-8", http.send("GET /dashboard.css HTTP/1.1\r\nHost: t\r\n\r\n").read()
                    .header("content-type"));
        }
    }
}
