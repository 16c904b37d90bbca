package io.checkedmqtt.broker;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static io.checkedmqtt.broker.EventLoopTest.eventually;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The transport seam, through {@link ToyTransport} on a listener of its own beside a plain one,
 * in one loop: the loop and the core see the MQTT stream whatever the transport does to the
 * bytes, and back-pressure, gathering writes, OP_WRITE resume and the close after the last byte
 * keep working through it.
 */
class TransportSeamTest {

    private static final int HAND_OUT = 7;
    private static final int TRICKLE = 4096;

    private final ScriptedCore core = new ScriptedCore();
    private final FakeClock clock = new FakeClock();
    private final List<AutoCloseable> toClose = new ArrayList<>();
    private MqttBroker broker;
    private Listener plain;
    private Listener toy;

    private void start(BrokerSettings.Builder settings) throws IOException {
        InetSocketAddress loopback = new InetSocketAddress("127.0.0.1", 0);
        plain = Listener.bind("mqtt", loopback, PlainTransport.FACTORY);
        toy = Listener.bind("toy", loopback, ToyTransport.factory(HAND_OUT, TRICKLE));
        broker = MqttBroker.start(settings.build(), clock, core,
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), List.of(plain, toy));
    }

    /** A client that has done the toy handshake and speaks through the toy's byte change. */
    private TextClient toyClient(int receiveBuffer) throws IOException {
        Socket socket = TextClient.open(toy.address().getPort(), receiveBuffer);
        toClose.add(socket);
        socket.getOutputStream().write(ToyTransport.HELLO);
        byte[] welcome = socket.getInputStream().readNBytes(ToyTransport.WELCOME.length);
        assertArrayEquals(ToyTransport.WELCOME, welcome, "the handshake answer, written from inside read");
        return new TextClient(socket, ToyTransport.clientIn(socket.getInputStream()),
                ToyTransport.clientOut(socket.getOutputStream()));
    }

    private TextClient plainClient() throws IOException {
        TextClient client = new TextClient(plain.address().getPort());
        toClose.add(client);
        return client;
    }

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : toClose) {
            c.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    @DisplayName("through a transport the core sees the MQTT stream: handshake first, bytes changed both ways, input handed on a few bytes at a time")
    void mqttStreamThroughATransport() throws Exception {
        start(BrokerSettings.builder());
        TextClient client = toyClient(0);
        // CONNECT and PUBLISH arrive in one segment and leave the transport 7 bytes per read: the
        // loop has to come back for the rest without waiting for the socket, or nothing is echoed
        client.send("echo through the toy");
        assertEquals("through the toy", client.receive());
        assertTrue(core.saw("attached conn-1 text"), core.events.toString());
    }

    @Test
    @DisplayName("one loop serves a plain listener and a transport's listener: one core, packets cross between them")
    void twoListenersOneLoop() throws Exception {
        start(BrokerSettings.builder());
        TextClient overToy = toyClient(0);
        TextClient overTcp = plainClient();
        overTcp.send("echo plain");
        assertEquals("plain", overTcp.receive());
        overToy.send("echo toy");
        assertEquals("toy", overToy.receive());
        overToy.send("fanout to both");
        assertEquals("to both", overToy.receive());
        assertEquals("to both", overTcp.receive());
    }

    @Test
    @DisplayName("back-pressure through a transport: input held by the transport pauses and resumes; nothing is lost uncounted")
    void backPressureThroughATransport() throws Exception {
        long limit = 64 * 1024;
        start(BrokerSettings.builder().maxOutboundBytes(limit));
        EventLoopTest.floodUnreadThenDrain(toyClient(8192), core, broker);
    }

    @Test
    @DisplayName("12 MB to a client that reads late goes out through the transport on OP_WRITE (4 KB a write), then its goodbye, then the close")
    void drainThenGoodbyeThroughATransport() throws Exception {
        start(BrokerSettings.builder().maxOutboundBytes(64L << 20));
        TextClient late = toyClient(8192);
        late.send("floodclose 200 60000");
        eventually(() -> core.saw("packet conn-1 floodclose 200 60000"), "command seen");
        Thread.sleep(200);
        assertEquals(1, broker.stats().connectionsOpen(), "still draining: the socket took only part of it");
        String body = "x".repeat(60_000);
        for (int i = 0; i < 200; i++) {
            assertEquals(body, late.receive(), "message " + i);
        }
        assertEquals("BYE\n", late.receiveBytes(ToyTransport.GOODBYE.length), "the goodbye after the last MQTT byte");
        assertTrue(late.closedByPeer());
        eventually(() -> broker.stats().connectionsOpen() == 0, "closed");
        assertFalse(core.events.stream().anyMatch(e -> e.startsWith("lost")), "the core had closed it already");
    }

    @Test
    @DisplayName("a transport that throws ends only its own connection: the loop and the other listener carry on")
    void transportFailureIsContained() throws Exception {
        start(BrokerSettings.builder());
        TextClient overTcp = plainClient();
        overTcp.send("echo before");
        assertEquals("before", overTcp.receive());
        try (Socket buggy = TextClient.open(toy.address().getPort(), 0)) {
            buggy.getOutputStream().write(ToyTransport.BUG);
            assertEquals(-1, buggy.getInputStream().read(), "closed by the broker");
        }
        overTcp.send("echo after");
        assertEquals("after", overTcp.receive());
        assertTrue(broker.isRunning());
        eventually(() -> core.saw("lost conn-2"), "the core is told the connection is gone");
    }
}
