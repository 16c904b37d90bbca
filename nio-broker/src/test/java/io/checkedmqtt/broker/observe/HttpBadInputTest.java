package io.checkedmqtt.broker.observe;

import io.checkedmqtt.broker.HttpSettings;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Bad HTTP input on the listener next to the MQTT ones: each gets its status or a close, and MQTT
 * clients publishing and receiving all the while lose nothing.
 */
class HttpBadInputTest {

    /** A 3.1.1 publisher sending QoS 1 messages in a loop and a subscriber that must get every one. */
    private static final class Bystanders implements AutoCloseable {
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final AtomicInteger sent = new AtomicInteger();
        private final Set<String> received = ConcurrentHashMap.newKeySet();
        private final Thread publisher;

        Bystanders(ObservedBroker b) throws Exception {
            MqttClient sub = b.v3("bystander-sub", true);
            sub.subscribe("bystanders/#", 1, (topic, message) -> received.add(new String(message.getPayload(),
                    StandardCharsets.UTF_8)));
            MqttClient pub = b.v3("bystander-pub", true);
            publisher = new Thread(() -> {
                try {
                    while (running.get()) {
                        pub.publish("bystanders/x", ("m" + sent.get()).getBytes(StandardCharsets.UTF_8), 1, false);
                        sent.incrementAndGet();
                        Thread.sleep(5);
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }, "bystander-publisher");
            publisher.start();
        }

        /** Stops publishing and checks that every message sent arrived, and that some did during the test. */
        @Override
        public void close() throws Exception {
            long enough = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (sent.get() < 50 && System.nanoTime() < enough) {
                Thread.sleep(10);   // the traffic overlapped the test, and a little beyond it
            }
            running.set(false);
            publisher.join(10_000);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (received.size() < sent.get() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertTrue(sent.get() > 20, "the bystanders kept publishing: " + sent.get());
            assertEquals(sent.get(), received.size(), "every bystander message arrived");
        }
    }

    /** The answer to a request the server cannot read on from: it must close the connection after it. */
    private static int refused(ObservedBroker b, String request) throws IOException {
        try (RawHttp http = new RawHttp(b.httpPort())) {
            RawHttp.Response r = http.send(request).read();
            assertTrue(http.closedWithin(3000), "closed after " + r.status());
            assertEquals((long) r.status(), JsonReader.at(JsonReader.parse(r.body()), "status"), "the error as JSON");
            return r.status();
        }
    }

    /** The answer to a well-formed request the API cannot serve: the connection stays usable. */
    private static int answered(ObservedBroker b, String request) throws IOException {
        try (RawHttp http = new RawHttp(b.httpPort())) {
            int status = http.send(request).read().status();
            assertEquals(200, http.send("GET /api/v1/summary HTTP/1.1\r\nHost: t\r\n\r\n").read().status());
            return status;
        }
    }

    @Test
    @DisplayName("oversize header, endless request line, unknown method and path, a body on GET, Transfer-Encoding, HTTP/2, garbage: status and close")
    void badRequests() throws Exception {
        try (ObservedBroker b = new ObservedBroker(); Bystanders bystanders = new Bystanders(b)) {
            assertEquals(431, refused(b, "GET / HTTP/1.1\r\nHost: t\r\nX-Big: " + "a".repeat(9000) + "\r\n\r\n"));
            StringBuilder many = new StringBuilder("GET / HTTP/1.1\r\nHost: t\r\n");
            for (int i = 0; i < 101; i++) {
                many.append("X-").append(i).append(": v\r\n");
            }
            assertEquals(431, refused(b, many + "\r\n"));
            assertEquals(414, refused(b, "GET /" + "a".repeat(9000)));
            assertEquals(501, answered(b, "BREW /pot HTTP/1.1\r\nHost: t\r\n\r\n"));
            assertEquals(404, answered(b, "GET /no/such/path HTTP/1.1\r\nHost: t\r\n\r\n"));
            assertEquals(400, refused(b, "GET /api/v1/summary HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\n\r\nhello"));
            assertEquals(501, refused(b, "POST /api/v1/clients/x/disconnect HTTP/1.1\r\nHost: t\r\n"
                    + "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n"));
            assertEquals(413, refused(b, "POST /api/v1/clients/x/disconnect HTTP/1.1\r\nHost: t\r\n"
                    + "Content-Length: 100000\r\n\r\n"));
            assertEquals(400, refused(b, "GET / HTTP/1.1\r\n\r\n"), "HTTP/1.1 without Host");
            assertEquals(400, refused(b, "GET / HTTP/1.1\r\nHost: t\r\n folded\r\n\r\n"));
            assertEquals(400, refused(b, "GET /%zz HTTP/1.1\r\nHost: t\r\n\r\n"));
            assertEquals(505, refused(b, "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"));
            assertEquals(400, refused(b, "\u0010\u0000\u0004MQTT\u0004\u0002\u0000\u003c\r\n\r\n"),
                    "an MQTT CONNECT sent to the HTTP port");
            assertEquals(200, b.send("GET", "/api/v1/summary").statusCode(), "the listener still serves");
        }
    }

    @Test
    @DisplayName("1,000 concurrent slow requests: each gets 408 once the request timeout passes, while the API and MQTT carry on")
    void thousandSlowRequests() throws Exception {
        try (ObservedBroker b = new ObservedBroker(s -> s.http(HttpSettings.on(0).withLimits(1100, 1500, 60_000)));
             Bystanders bystanders = new Bystanders(b)) {
            List<Socket> slow = new ArrayList<>();
            try {
                for (int i = 0; i < 1000; i++) {
                    Socket socket = new Socket("127.0.0.1", b.httpPort());
                    socket.getOutputStream().write(("GET /api/v1/summary HTTP/1.1\r\nHost: slow-" + i + "\r\n")
                            .getBytes(StandardCharsets.ISO_8859_1));
                    slow.add(socket);
                }
                assertEquals(200, b.send("GET", "/api/v1/summary").statusCode(), "a whole request is served meanwhile");
                int timedOut = 0;
                for (Socket socket : slow) {
                    socket.setSoTimeout(10_000);
                    byte[] answer = socket.getInputStream().readAllBytes();   // 408, then the close
                    String text = new String(answer, StandardCharsets.ISO_8859_1);
                    if (text.startsWith("HTTP/1.1 408 ") && text.contains("\"status\":408")) {
                        timedOut++;
                    }
                }
                assertEquals(1000, timedOut);
            } finally {
                for (Socket socket : slow) {
                    socket.close();
                }
            }
        }
    }

    @Test
    @DisplayName("a request line that trickles in and never ends gets 408 at the request timeout, however slowly it comes")
    void tricklingRequestLine() throws Exception {
        try (ObservedBroker b = new ObservedBroker(s -> s.http(HttpSettings.on(0).withLimits(10, 800, 60_000)));
             RawHttp http = new RawHttp(b.httpPort())) {
            long start = System.nanoTime();
            Thread trickle = new Thread(() -> {
                try {
                    for (int i = 0; i < 20; i++) {   // a byte every 150 ms for 3 s: each would reset an idle timer
                        http.send("a");
                        Thread.sleep(150);
                    }
                } catch (IOException | InterruptedException e) {
                    // the broker closed the connection: the trickle ends
                }
            }, "trickle");
            http.send("GET /");
            trickle.start();
            RawHttp.Response r = http.read();
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertEquals(408, r.status());
            assertTrue(millis >= 750 && millis < 2500, "408 after about 800 ms, while still trickling (3 s); was " + millis);
            assertTrue(http.closedWithin(2000));
            trickle.interrupt();
            trickle.join();
        }
    }

    @Test
    @DisplayName("over http_max_connections a new connection gets 503 and a close; the ones open are still served")
    void connectionLimit() throws Exception {
        try (ObservedBroker b = new ObservedBroker(s -> s.http(HttpSettings.on(0).withLimits(20, 10_000, 60_000)))) {
            List<RawHttp> open = new ArrayList<>();
            try {
                for (int i = 0; i < 20; i++) {
                    open.add(new RawHttp(b.httpPort()));
                }
                Thread.sleep(200);   // all twenty accepted
                try (RawHttp extra = new RawHttp(b.httpPort())) {
                    RawHttp.Response refused = extra.read();
                    assertEquals(503, refused.status());
                    assertEquals("close", refused.header("connection"));
                }
                assertEquals(200, open.get(7).send("GET /api/v1/summary HTTP/1.1\r\nHost: t\r\n\r\n").read().status());
            } finally {
                for (RawHttp http : open) {
                    http.close();
                }
            }
            Thread.sleep(200);
            assertEquals(200, b.send("GET", "/api/v1/summary").statusCode(), "served again once they closed");
        }
    }
}
