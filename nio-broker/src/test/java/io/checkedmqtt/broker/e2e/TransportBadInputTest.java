package io.checkedmqtt.broker.e2e;

import io.checkedmqtt.core.config.BrokerConfig;
import io.checkedmqtt.core.packet.Connack;
import io.checkedmqtt.core.packet.PingReq;
import io.checkedmqtt.core.packet.Properties;
import io.checkedmqtt.core.packet.ProtocolVersion;
import io.checkedmqtt.core.packet.QoS;
import io.checkedmqtt.core.packet.Subscribe;
import io.checkedmqtt.core.packet.Subscription;
import io.checkedmqtt.core.packet.SubscriptionOptions;
import io.checkedmqtt.core.packet.ReasonCode;
import io.checkedmqtt.testkit.paho.Received;
import io.checkedmqtt.testkit.paho.TestClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Bad input on the TLS and WebSocket listeners. Each case gets its answer (a TLS alert, an HTTP
 * status, a WebSocket close status) and a closed connection, and after each, bystanders on the
 * other transports (one subscriber over TCP, one publisher over secure WebSocket) still talk.
 */
class TransportBadInputTest {

    /** A handshake or upgrade that never completes is cut when CONNECT would be: after this long. */
    private static final int CONNECT_TIMEOUT_MS = 1_500;
    private static final int MAX_PACKET = 64 * 1024;

    private static TestBroker broker;
    private static TestClient bystanderSub;
    private static TestClient bystanderPub;
    private static int bystanderMessages;

    @BeforeAll
    static void start() throws Exception {
        BrokerConfig core = BrokerConfig.builder().maximumPacketSize(MAX_PACKET)
                .connectTimeoutMillis(CONNECT_TIMEOUT_MS).build();
        broker = TestBroker.withTransports(s -> s.core(core));
        bystanderSub = Transports.TCP.client(broker, Versions.V3_1_1, "bystander-sub").connect(true).subscribe("calm/#", 1);
        bystanderPub = Transports.WSS.client(broker, Versions.V5, "bystander-pub").connect(true);
    }

    @AfterEach
    void bystandersStillTalk() throws Exception {
        String payload = "still fine " + (++bystanderMessages);
        bystanderPub.publish("calm/x", payload, 1);
        Received r = bystanderSub.next();
        assertNotNull(r, "clients on other transports are unharmed");
        assertEquals(payload, r.payload());
    }

    @AfterAll
    static void stop() {
        broker.close();
    }

    private static int port(Transports transport) {
        return transport.port(broker);
    }

    private static SSLContext trustingContext() throws Exception {
        return broker.pki().clientContext(false);
    }

    /**
     * The transport closes a connection it refuses at once: well before the CONNECT timeout would
     * (a transport that only answered and left the socket open would fail here).
     */
    private static final int AT_ONCE_MS = CONNECT_TIMEOUT_MS - 500;

    /** Everything the broker sends until it closes the socket (fails if it does not close within {@code millis}). */
    private static byte[] untilClosed(Socket socket, int millis) throws IOException {
        socket.setSoTimeout(millis);
        InputStream in = socket.getInputStream();
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        byte[] chunk = new byte[4096];
        int n;
        try {
            while ((n = in.read(chunk)) >= 0) {
                got.write(chunk, 0, n);
            }
        } catch (java.net.SocketException reset) {
            // closed with unread bytes behind: a reset, also a close
        }
        return got.toByteArray();
    }

    private static Socket tcp(int port) throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", port), 2_000);
        return socket;
    }

    @Test
    @DisplayName("plain MQTT sent to the TLS port is answered with a TLS alert and a close")
    void plainMqttToTlsPort() throws Exception {
        try (Socket socket = tcp(port(Transports.TLS))) {
            socket.getOutputStream().write(RawWebSocket.encode(
                    RawClient.connect(ProtocolVersion.MQTT_3_1_1, "plain", 0, Properties.EMPTY), ProtocolVersion.MQTT_3_1_1));
            byte[] answer = untilClosed(socket, AT_ONCE_MS);
            assertTrue(answer.length > 0 && answer[0] == 0x15, "a TLS alert record: " + Arrays.toString(answer));
        }
    }

    @Test
    @DisplayName("TLS garbage: a handshake record full of random bytes gets an alert and a close")
    void tlsGarbage() throws Exception {
        byte[] junk = new byte[600];
        new Random(3).nextBytes(junk);
        junk[0] = 0x16;
        junk[1] = 0x03;
        junk[2] = 0x03;
        junk[3] = 0x02;
        junk[4] = 0x00;
        try (Socket socket = tcp(port(Transports.WSS))) {
            socket.getOutputStream().write(junk);
            byte[] answer = untilClosed(socket, AT_ONCE_MS);
            assertTrue(answer.length == 0 || answer[0] == 0x15, "an alert or nothing: " + Arrays.toString(answer));
        }
    }

    @Test
    @DisplayName("a TLS handshake that never ends is cut like a CONNECT that never comes")
    void stalledHandshake() throws Exception {
        try (Socket socket = tcp(port(Transports.TLS))) {
            socket.getOutputStream().write(new byte[] {0x16, 0x03, 0x01, 0x02, 0x00, 0x01});   // half a ClientHello
            long start = System.nanoTime();
            untilClosed(socket, CONNECT_TIMEOUT_MS + 3_000);
            long took = (System.nanoTime() - start) / 1_000_000;
            assertTrue(took >= CONNECT_TIMEOUT_MS - 200 && took < CONNECT_TIMEOUT_MS + 3_000, "closed after " + took + " ms");
        }
    }

    @Test
    @DisplayName("a TLS 1.2 renegotiation asked for by the client ends the connection")
    void renegotiation() throws Exception {
        SSLSocket socket = (SSLSocket) trustingContext().getSocketFactory().createSocket("127.0.0.1", port(Transports.TLS));
        try (socket) {
            SSLParameters parameters = socket.getSSLParameters();
            parameters.setProtocols(new String[] {"TLSv1.2"});
            socket.setSSLParameters(parameters);
            socket.setSoTimeout(5_000);
            socket.startHandshake();
            socket.startHandshake();   // a second handshake: renegotiation
            assertThrows(IOException.class, () -> {
                socket.getOutputStream().write(RawWebSocket.encode(
                        RawClient.connect(ProtocolVersion.MQTT_3_1_1, "reneg", 0, Properties.EMPTY), ProtocolVersion.MQTT_3_1_1));
                if (socket.getInputStream().read() < 0) {
                    throw new IOException("closed");
                }
            });
        }
    }

    @Test
    @DisplayName("an HTTP request that is not an upgrade gets 426 naming websocket, then a close")
    void notAnUpgrade() throws Exception {
        try (Socket socket = tcp(port(Transports.WS))) {
            socket.getOutputStream().write("GET /mqtt HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            String answer = new String(untilClosed(socket, AT_ONCE_MS), StandardCharsets.ISO_8859_1);
            assertTrue(answer.startsWith("HTTP/1.1 426 Upgrade Required\r\n"), answer);
            assertTrue(answer.contains("\r\nUpgrade: websocket\r\n"), answer);
        }
    }

    @Test
    @DisplayName("a wrong path gets 404, then a close")
    void wrongPath() throws Exception {
        try (RawWebSocket ws = new RawWebSocket(port(Transports.WSS), trustingContext())) {
            assertTrue(ws.http(RawWebSocket.request("/", "mqtt")).startsWith("HTTP/1.1 404 Not Found\r\n"));
            assertTrue(ws.closedWithin(AT_ONCE_MS));
        }
    }

    @Test
    @DisplayName("v3.1.1 v5 [MQTT-6.0.0-3] [MQTT-6.0.0-4] an upgrade offering no subprotocol or another one gets 400, then a close")
    void subprotocol() throws Exception {
        for (String offered : new String[] {null, "wamp.2.json"}) {
            try (RawWebSocket ws = new RawWebSocket(port(Transports.WS), null)) {
                String head = ws.http(RawWebSocket.request("/mqtt", offered));
                assertTrue(head.startsWith("HTTP/1.1 400 Bad Request\r\n"), head);
                assertTrue(ws.closedWithin(AT_ONCE_MS));
            }
        }
        try (RawWebSocket ws = new RawWebSocket(port(Transports.WS), null)) {
            String head = ws.http(RawWebSocket.request("/mqtt", "mqttv3.1, mqtt"));
            assertTrue(head.contains("\r\nSec-WebSocket-Protocol: mqtt\r\n"), head);
        }
    }

    @Test
    @DisplayName("v3.1.1 v5 [MQTT-6.0.0-1] a text frame closes the connection with close 1003, over WS and WSS")
    void textFrame() throws Exception {
        for (SSLContext tls : new SSLContext[] {null, trustingContext()}) {
            int port = tls == null ? port(Transports.WS) : port(Transports.WSS);
            try (RawWebSocket ws = new RawWebSocket(port, tls).upgrade()) {
                ws.frame(true, RawWebSocket.TEXT, "{\"connect\":true}".getBytes(StandardCharsets.UTF_8), true);
                RawWebSocket.Frame close = ws.next();
                assertEquals(RawWebSocket.CLOSE, close.opcode());
                assertEquals(1003, close.closeStatus());
                assertTrue(ws.closedWithin(AT_ONCE_MS));
            }
        }
    }

    @Test
    @DisplayName("RFC 6455 5.1: an unmasked client frame closes the connection with close 1002")
    void unmasked() throws Exception {
        try (RawWebSocket ws = new RawWebSocket(port(Transports.WS), null).upgrade()) {
            ws.frame(true, RawWebSocket.BINARY, RawWebSocket.encode(
                    RawClient.connect(ProtocolVersion.MQTT_5, "unmasked", 0, Properties.EMPTY), ProtocolVersion.MQTT_5), false);
            RawWebSocket.Frame close = ws.next();
            assertEquals(1002, close.closeStatus());
            assertTrue(ws.closedWithin(AT_ONCE_MS));
        }
    }

    @Test
    @DisplayName("a frame larger than the maximum packet size is refused from its header with close 1009")
    void oversizeFrame() throws Exception {
        try (RawWebSocket ws = new RawWebSocket(port(Transports.WS), null).upgrade()) {
            // only the header: the broker must not wait for 64 KiB + 1 bytes before refusing
            int length = MAX_PACKET + 1;
            ws.write(new byte[] {(byte) 0x82, (byte) (0x80 | 127), 0, 0, 0, 0,
                    (byte) (length >>> 24), (byte) (length >>> 16), (byte) (length >>> 8), (byte) length, 1, 2, 3, 4});
            RawWebSocket.Frame close = ws.next();
            assertEquals(1009, close.closeStatus());
            assertTrue(ws.closedWithin(AT_ONCE_MS));
        }
    }

    @Test
    @DisplayName("an upgrade that never finishes is cut like a CONNECT that never comes")
    void stalledUpgrade() throws Exception {
        try (RawWebSocket ws = new RawWebSocket(port(Transports.WS), null)) {
            ws.write("GET /mqtt HTTP/1.1\r\nHost: 127.0.0.1\r\n".getBytes(StandardCharsets.ISO_8859_1));
            long start = System.nanoTime();
            assertTrue(ws.closedWithin(CONNECT_TIMEOUT_MS + 3_000));
            long took = (System.nanoTime() - start) / 1_000_000;
            assertTrue(took >= CONNECT_TIMEOUT_MS - 200, "closed after " + took + " ms");
        }
    }

    @Test
    @DisplayName("v3.1.1 v5 [MQTT-6.0.0-2] a CONNECT split across frames and fragments, then SUBSCRIBE and PINGREQ in one frame, over WSS")
    void packetsAcrossFrames() throws Exception {
        try (RawWebSocket ws = new RawWebSocket(port(Transports.WSS), trustingContext()).upgrade()) {
            ProtocolVersion v = ProtocolVersion.MQTT_5;
            byte[] connect = RawWebSocket.encode(RawClient.connect(v, "split", 0, Properties.EMPTY), v);
            ws.frame(false, RawWebSocket.BINARY, Arrays.copyOfRange(connect, 0, 3), true);
            ws.frame(true, RawWebSocket.PING, new byte[] {42}, true);                    // between fragments
            ws.frame(true, RawWebSocket.CONTINUATION, Arrays.copyOfRange(connect, 3, connect.length), true);
            RawWebSocket.Frame pong = ws.next();
            assertEquals(RawWebSocket.PONG, pong.opcode());
            assertArrayEquals(new byte[] {42}, pong.payload());
            Connack connack = (Connack) RawWebSocket.decode(ws.next().payload(), v);
            assertEquals(ReasonCode.SUCCESS, connack.reasonCode());

            ByteArrayOutputStream two = new ByteArrayOutputStream();
            two.writeBytes(RawWebSocket.encode(new Subscribe(1, List.of(new Subscription("a/b",
                    SubscriptionOptions.of(QoS.AT_LEAST_ONCE))), Properties.EMPTY), v));
            two.writeBytes(RawWebSocket.encode(PingReq.INSTANCE, v));
            ws.binary(two.toByteArray());
            ByteArrayOutputStream answers = new ByteArrayOutputStream();
            while (answers.size() < 5 + 2) {   // SUBACK (5 bytes in 5.0 with no properties) and PINGRESP
                answers.writeBytes(ws.next().payload());
            }
            byte[] bytes = answers.toByteArray();
            assertEquals((byte) 0x90, bytes[0], "SUBACK first: " + Arrays.toString(bytes));
            assertEquals((byte) 0xD0, bytes[bytes.length - 2], "then PINGRESP: " + Arrays.toString(bytes));
        }
    }
}
