package io.checkedmqtt.broker.tls;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import javax.net.ssl.SSLEngine;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The TLS layer against a JDK client engine, bytes moved by hand in pieces of random size. */
class TlsLayerTest {

    @TempDir
    static Path directory;
    private static TestPki pki;
    private static ServerTls plainServer;
    private static ServerTls certificateServer;

    @BeforeAll
    static void keys() throws Exception {
        pki = new TestPki(directory);
        plainServer = ServerTls.load(pki.serverSettings());
        certificateServer = ServerTls.load(pki.serverSettings().withCaFile(pki.caFile, true));
    }

    private static LayerPair connect(ServerTls server, SSLEngine clientEngine, long seed, int maxPiece) {
        TlsLayer client = new TlsLayer(clientEngine);
        TlsLayer layer = server.newLayer();
        LayerPair pair = new LayerPair(client, layer, seed, maxPiece);
        client.receive(ByteBuffer.allocate(0));   // a client engine speaks first: its ClientHello
        pair.pump();
        return pair;
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"TLSv1.2", "TLSv1.3"})
    @DisplayName("handshake, then bytes both ways arrive whole and in order however the records are cut")
    void handshakeAndData(String protocol) throws Exception {
        long seed = System.nanoTime();
        LayerPair pair = connect(plainServer, pki.clientEngine(false, protocol), seed, 700);
        TlsLayer server = (TlsLayer) pair.server;
        assertTrue(server.established(), "seed " + seed);
        assertTrue(pair.client.established());
        assertEquals(protocol, server.protocol());
        assertNull(server.peerSubject(), "no client certificate was asked for");

        byte[] up = new byte[100_000];   // more than six records
        new Random(seed).nextBytes(up);
        LayerPair.send(pair.client, up);
        pair.pump();
        assertArrayEquals(up, pair.serverGot.toByteArray(), "seed " + seed);

        byte[] down = "CONNACK".getBytes(StandardCharsets.US_ASCII);
        ByteBuffer[] several = {ByteBuffer.wrap(down, 0, 3), ByteBuffer.wrap(down, 3, 4)};
        server.send(several, 0, 2);   // a gathering wrap: two buffers, one record
        pair.pump();
        assertArrayEquals(down, pair.clientGot.toByteArray());
        assertNull(server.endReason());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"TLSv1.2", "TLSv1.3"})
    @DisplayName("the server prefers AES-128-GCM with SHA-256 when the client offers it, whatever the client's order")
    void preferredSuite(String protocol) throws Exception {
        SSLEngine clientEngine = pki.clientEngine(false, protocol);
        java.util.List<String> offered = new java.util.ArrayList<>(java.util.List.of(clientEngine.getEnabledCipherSuites()));
        java.util.Collections.reverse(offered);   // the client would rather have anything else
        clientEngine.setEnabledCipherSuites(offered.toArray(new String[0]));
        LayerPair pair = connect(plainServer, clientEngine, 1, 4096);
        assertTrue(pair.server.established());
        String suite = clientEngine.getSession().getCipherSuite();
        assertTrue(suite.contains("AES_128_GCM_SHA256"), suite);
    }

    @Test
    @DisplayName("records cut into single bytes still decrypt")
    void oneByteAtATime() throws Exception {
        LayerPair pair = connect(plainServer, pki.clientEngine(false, "TLSv1.3"), 1, 1);
        LayerPair.send(pair.client, "hello".getBytes(StandardCharsets.US_ASCII));
        pair.pump();
        assertEquals("hello", pair.serverGot.toString(StandardCharsets.US_ASCII));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"TLSv1.2", "TLSv1.3"})
    @DisplayName("require_certificate: a client certificate from the CA gets in, and its subject can name the user")
    void clientCertificate(String protocol) throws Exception {
        LayerPair pair = connect(certificateServer, pki.clientEngine(true, protocol), 7, 4096);
        TlsLayer server = (TlsLayer) pair.server;
        assertTrue(server.established());
        assertNull(server.endReason());
        assertEquals("CN=device-42,O=checked-mqtt test CA (for testing only)", server.peerSubject());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"TLSv1.2", "TLSv1.3"})
    @DisplayName("require_certificate: a client without a certificate is refused with an alert")
    void noClientCertificate(String protocol) throws Exception {
        LayerPair pair = connect(certificateServer, pki.clientEngine(false, protocol), 7, 4096);
        TlsLayer server = (TlsLayer) pair.server;
        assertNotNull(server.endReason());
        assertTrue(server.endReason().startsWith("TLS: "), server.endReason());
        assertFalse(pair.serverGot.size() > 0);
    }

    @Test
    @DisplayName("the client's close_notify ends the layer and is answered with one")
    void closeNotifyFromClient() throws Exception {
        SSLEngine clientEngine = pki.clientEngine(false, "TLSv1.3");
        LayerPair pair = connect(plainServer, clientEngine, 3, 4096);
        pair.client.close();
        pair.server.receive(pair.client.outbound().bytes());
        assertEquals("closed by client (TLS close_notify)", pair.server.endReason());
        // the client layer has ended, so its engine reads the server's answer directly
        ByteBuffer answer = pair.server.outbound().bytes();
        ByteBuffer plain = ByteBuffer.allocate(clientEngine.getSession().getApplicationBufferSize());
        while (answer.hasRemaining() && !clientEngine.isInboundDone()) {
            clientEngine.unwrap(answer, plain);
        }
        assertTrue(clientEngine.isInboundDone(), "the server's close_notify reached the client");
    }

    @Test
    @DisplayName("the broker's close sends close_notify after the data queued before it")
    void closeFromBroker() throws Exception {
        SSLEngine clientEngine = pki.clientEngine(false, "TLSv1.2");
        LayerPair pair = connect(plainServer, clientEngine, 3, 4096);
        LayerPair.send(pair.server, "last words".getBytes(StandardCharsets.US_ASCII));
        pair.server.close();
        pair.pump();
        assertEquals("last words", pair.clientGot.toString(StandardCharsets.US_ASCII));
        assertTrue(clientEngine.isInboundDone());
        assertEquals("closed by broker", pair.server.endReason());
    }

    @Test
    @DisplayName("TLS 1.2 renegotiation started by the client ends the connection")
    void renegotiationRefused() throws Exception {
        SSLEngine clientEngine = pki.clientEngine(false, "TLSv1.2");
        LayerPair pair = connect(plainServer, clientEngine, 5, 4096);
        clientEngine.beginHandshake();
        pair.client.receive(ByteBuffer.allocate(0));   // the client engine writes its new ClientHello
        pair.pump();
        assertEquals("TLS: renegotiation refused", pair.server.endReason());
    }

    @Test
    @DisplayName("plain MQTT sent to a TLS port: no bytes go up, the layer ends, an alert goes back")
    void plainMqttToTlsPort() {
        TlsLayer server = plainServer.newLayer();
        byte[] connect = {0x10, 0x10, 0, 4, 'M', 'Q', 'T', 'T', 4, 2, 0, 60, 0, 4, 't', 'e', 's', 't'};
        ByteBuffer up = server.receive(ByteBuffer.wrap(connect));
        assertFalse(up.hasRemaining());
        assertNotNull(server.endReason());
        byte[] answer = new byte[server.outbound().size()];
        server.outbound().bytes().get(answer);
        assertTrue(answer.length >= 7 && answer[0] == 0x15, "a TLS alert record: " + Arrays.toString(answer));
        // the layer reads nothing more
        assertFalse(server.receive(ByteBuffer.wrap(connect)).hasRemaining());
    }

    @Test
    @DisplayName("random garbage after a valid ClientHello start ends the layer without throwing")
    void garbage() {
        Random random = new Random(11);
        for (int i = 0; i < 200; i++) {
            TlsLayer server = plainServer.newLayer();
            byte[] junk = new byte[1 + random.nextInt(300)];
            random.nextBytes(junk);
            if (i % 2 == 0) {
                junk[0] = 0x16;   // looks like a handshake record
                if (junk.length > 2) {
                    junk[1] = 3;
                    junk[2] = 3;
                }
            }
            server.receive(ByteBuffer.wrap(junk));
            assertFalse(server.established());
        }
    }
}
