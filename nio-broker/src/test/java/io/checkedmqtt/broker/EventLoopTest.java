package io.checkedmqtt.broker;

import io.checkedmqtt.core.packet.Publish;
import io.checkedmqtt.core.packet.ReasonCode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.BindException;
import java.net.ConnectException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The loop's side of the contract, checked with a scripted core over real sockets: framing,
 * closing, timers, containment, back-pressure, linger, shutdown.
 */
class EventLoopTest {

    private final LoopFixture loop = new LoopFixture();
    private final ScriptedCore core = loop.core;
    private final FakeClock clock = loop.clock;
    private MqttBroker broker;

    private MqttBroker start(BrokerSettings.Builder settings) throws IOException {
        broker = loop.start(settings);
        return broker;
    }

    private TextClient client() throws IOException {
        return loop.client();
    }

    private String log() {
        return loop.log();
    }

    @AfterEach
    void stop() throws Exception {
        loop.close();
    }

    static void eventually(BooleanSupplier condition, String what) throws InterruptedException {
        long end = System.nanoTime() + 5_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("timed out waiting for: " + what);
            }
            Thread.sleep(5);
        }
    }

    @Test
    @DisplayName("frames split across reads and frames coalesced in one read each reach the core whole, in order")
    void framing() throws Exception {
        start(BrokerSettings.builder());
        TextClient client = client();
        client.connect();
        byte[] one = TextPackets.frame("echo first");
        client.write(java.util.Arrays.copyOfRange(one, 0, 1));
        Thread.sleep(50);
        client.write(java.util.Arrays.copyOfRange(one, 1, 6));
        Thread.sleep(50);
        ByteArrayOutputStream rest = new ByteArrayOutputStream();
        rest.write(java.util.Arrays.copyOfRange(one, 6, one.length));
        rest.write(TextPackets.frame("echo second"));
        rest.write(TextPackets.frame("echo third"));
        client.write(rest.toByteArray());
        assertEquals("first", client.receive());
        assertEquals("second", client.receive());
        assertEquals("third", client.receive());
        assertTrue(log().contains("open conn-1"), log());
    }

    @Test
    @DisplayName("Close runs after the earlier Sends are written; later Sends to the closing connection are dropped")
    void closeAfterFlush() throws Exception {
        start(BrokerSettings.builder());
        TextClient client = client();
        client.send("close");
        assertEquals("bye", client.receive());
        assertTrue(client.closedByPeer());
        eventually(() -> broker.stats().connectionsOpen() == 0, "connection closed");
        assertFalse(core.events.stream().anyMatch(e -> e.startsWith("lost")), "core closed it, so no connectionLost");
        assertEquals(1, broker.stats().droppedToClosed());
        eventually(() -> log().contains("closed by broker, " + ReasonCode.NORMAL_DISCONNECTION + " asked to"),
                "the disconnect log line");
    }

    @Test
    @DisplayName("with the longest busy poll, wakeUp() still makes the loop read the moved clock at once")
    void wakeUpEndsTheBusyPoll() throws Exception {
        start(BrokerSettings.builder().busyPollMicros(BrokerSettings.MAX_BUSY_POLL_MICROS));
        TextClient client = client();
        for (int i = 1; i <= 20; i++) {
            client.send("timer 60000");   // a missed wake-up would leave the loop in a 60 s select
            int scheduled = i;
            eventually(() -> core.events.stream().filter(e -> e.endsWith("timer 60000")).count() == scheduled,
                    "timer " + i + " scheduled");
            clock.advance(60_000);
            long asked = System.nanoTime();
            broker.wakeUp();
            assertEquals("fired at " + clock.millis(), client.receive());
            long waitedMillis = (System.nanoTime() - asked) / 1_000_000;
            assertTrue(waitedMillis < 2_000, "the timer fired " + waitedMillis + " ms after wakeUp()");
        }
    }

    @Test
    @DisplayName("a socket the client closes is reported to the core as lost, once")
    void lostConnection() throws Exception {
        start(BrokerSettings.builder());
        TextClient client = client();
        client.send("echo hi");
        assertEquals("hi", client.receive());
        client.close();
        eventually(() -> core.saw("lost conn-1"), "connectionLost");
        assertEquals(1, core.events.stream().filter(e -> e.startsWith("lost")).count());
    }

    @Test
    @DisplayName("timers fire from the fake clock: at the deadline, not before; moved and cancelled timers obey")
    void timersUseTheClock() throws Exception {
        start(BrokerSettings.builder());
        TextClient client = client();
        client.send("timer 5000");
        eventually(() -> core.saw("packet conn-1 timer 5000"), "timer scheduled");
        clock.advance(4_999);
        broker.wakeUp();
        Thread.sleep(100);
        assertFalse(core.events.stream().anyMatch(e -> e.startsWith("timer KeepAlive")), "fired early");
        clock.advance(1);
        broker.wakeUp();
        assertEquals("fired at " + clock.millis(), client.receive());

        client.send("timer 100");
        client.send("cancel");
        eventually(() -> core.saw("packet conn-1 cancel"), "cancel seen");
        clock.advance(1_000);
        broker.wakeUp();
        Thread.sleep(100);
        assertEquals(1, core.events.stream().filter(e -> e.startsWith("timer KeepAlive")).count());
    }

    @Test
    @DisplayName("a closed connection's keep-alive goes with it: the heap of deadlines keeps no closed connection")
    void keepAliveEndsWithTheConnection() throws Exception {
        start(BrokerSettings.builder());
        TextClient client = client();
        client.send("timer 5000");
        eventually(() -> core.saw("packet conn-1 timer 5000"), "timer scheduled");
        client.close();
        eventually(() -> core.saw("lost conn-1"), "connectionLost");
        clock.advance(10_000);
        broker.wakeUp();
        Thread.sleep(100);
        assertFalse(core.events.stream().anyMatch(e -> e.startsWith("timer KeepAlive")), core.events.toString());
    }

    @Test
    @DisplayName("malformed input goes to the core once, nothing after it is read, other clients carry on")
    void malformed() throws Exception {
        start(BrokerSettings.builder());
        TextClient bad = client();
        TextClient good = client();
        bad.connect();
        bad.write(new byte[] {0x36, 0x00});   // a PUBLISH of QoS 3
        bad.send("echo never");
        assertEquals("malformed", bad.receive());
        assertTrue(bad.closedByPeer());
        assertTrue(core.events.stream().anyMatch(e -> e.startsWith(
                "malformed conn-1 " + ReasonCode.MALFORMED_PACKET + " [MQTT-3.3.1-4]")), core.events.toString());
        assertFalse(core.saw("packet conn-1 echo never"));
        good.send("echo still here");
        assertEquals("still here", good.receive());
        assertEquals(1, broker.stats().malformedInputs());
    }

    @Test
    @DisplayName("one packet sent to many connections is encoded once and reaches each of them whole")
    void fanOutSharesTheEncoding() throws Exception {
        start(BrokerSettings.builder());
        List<TextClient> clients = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            clients.add(client());
        }
        eventually(() -> core.open.size() == 5, "five open");
        clients.get(0).send("fanout to everyone");
        for (TextClient c : clients) {
            assertEquals("to everyone", c.receive());
        }
        clients.get(3).send("fanout again");
        for (TextClient c : clients) {
            assertEquals("again", c.receive());
        }
    }

    /** Five clients, each sent its CONNECT, all open in the loop. */
    private List<TextClient> fiveConnected() throws Exception {
        List<TextClient> clients = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            clients.add(client());
            clients.get(i).connect();
        }
        eventually(() -> core.open.size() == 5, "five open");
        return clients;
    }

    @Test
    @DisplayName("a large PUBLISH to many connections, each with its own packet id, is written from one payload array")
    void fanOutSharesThePayload() throws Exception {
        start(BrokerSettings.builder().maxOutboundBytes(64L << 20));
        List<TextClient> clients = fiveConnected();
        long before = loop.loopAllocatedBytes();
        int size = 4 << 20;
        clients.get(0).send("bigfanout " + size);
        java.util.Set<Integer> packetIds = new java.util.HashSet<>();
        for (TextClient c : clients) {
            Publish received = (Publish) c.receivePacket(TextPackets.VERSION);
            assertEquals(size, received.payload().length);
            assertEquals('p', received.payload()[size - 1]);
            packetIds.add(received.packetId());
        }
        long allocated = loop.loopAllocatedBytes() - before;
        assertEquals(5, packetIds.size(), "each connection got its own packet");
        // the core made the payload once (4 MB); one encoded copy per connection would add 20 MB
        assertTrue(allocated < 2L * size, "the loop allocated " + allocated + " bytes");
    }

    @Test
    @DisplayName("a small QoS 1 PUBLISH to many connections, each with its own packet id, reaches each whole with its id")
    void fanOutPatchesThePacketId() throws Exception {
        start(BrokerSettings.builder());
        List<TextClient> clients = fiveConnected();
        clients.get(0).send("bigfanout 64");   // below the shared-payload size: encoded whole, then copied
        java.util.Set<Integer> packetIds = new java.util.TreeSet<>();
        for (TextClient c : clients) {
            Publish received = (Publish) c.receivePacket(TextPackets.VERSION);
            assertEquals("t", received.topic());
            assertEquals(64, received.payload().length);
            assertEquals('p', received.payload()[63]);
            packetIds.add(received.packetId());
        }
        assertEquals(java.util.Set.of(1, 2, 3, 4, 5), packetIds, "each connection got the id the core gave it");
    }

    @Test
    @DisplayName("a core failure closes only the connection whose input caused it")
    void coreFailureIsContained() throws Exception {
        start(BrokerSettings.builder());
        TextClient bad = client();
        TextClient good = client();
        bad.send("boom");
        assertTrue(bad.closedByPeer());
        good.send("echo alive");
        assertEquals("alive", good.receive());
        assertEquals(1, broker.stats().coreFailures());
        assertTrue(core.saw("lost conn-1"), "the core is told the connection is gone");
    }

    @Test
    @DisplayName("max_sockets: sockets beyond the limit are closed on accept and counted")
    void maxConnections() throws Exception {
        start(BrokerSettings.builder().maxConnections(2));
        TextClient a = client();
        TextClient b = client();
        eventually(() -> broker.stats().connectionsOpen() == 2, "two open");
        TextClient c = client();
        assertTrue(c.closedByPeer());
        assertEquals(1, broker.stats().connectionsRefused());
        a.send("echo a");
        assertEquals("a", a.receive());
        b.send("echo b");
        assertEquals("b", b.receive());
    }

    /**
     * Has a client that does not read ask for 200 x 1,000 QoS 0 messages of 1 KiB, then an echo:
     * 200 MiB offered, each flood filling the outbound limit, and more than the kernel's socket
     * buffers hold, so its input must pause. Checks it did, then drains everything and checks that
     * each message was delivered or counted as dropped. Returns how many were delivered.
     */
    static long floodUnreadThenDrain(TextClient slow, ScriptedCore core, MqttBroker broker) throws Exception {
        for (int i = 0; i < 200; i++) {
            slow.send("flood 1000 1000");
        }
        slow.send("echo done");
        eventually(() -> broker.stats().droppedQos0() > 0, "QoS 0 dropped");
        Thread.sleep(200);
        assertFalse(core.saw("packet conn-1 echo done"), "input paused while the outbound queue is full");
        // now drain: everything queued arrives, then input resumes and the echo comes back
        long received = 0;
        while (true) {
            String next;
            try {
                next = slow.receive();
            } catch (IOException e) {
                throw new AssertionError("after " + received + ": " + broker.stats() + " " + core.events.size(), e);
            }
            if (next.equals("done")) {
                break;
            }
            received++;
        }
        assertEquals(200_000, received + broker.stats().droppedQos0(),
                "every message is either delivered or counted as dropped");
        return received;
    }

    @Test
    @DisplayName("back-pressure: a client that does not read gets QoS 0 dropped and counted, its input pauses, then resumes")
    void backPressure() throws Exception {
        long limit = 64 * 1024;
        start(BrokerSettings.builder().maxOutboundBytes(limit));
        TextClient slow = new TextClient(broker.port(), 8192);
        loop.closeLater(slow);
        long received = floodUnreadThenDrain(slow, core, broker);
        long dropped = broker.stats().droppedQos0();
        assertTrue(dropped > 150_000, "most of the flood was dropped: " + dropped);
        // the broker never held more than about the limit for this client
        int frame = TextPackets.frame("x".repeat(1000)).length;
        assertTrue(received * frame <= 200 * (limit + frame), "never more than the limit per pass: " + received);
    }

    @Test
    @DisplayName("a connection the core closed but whose client never reads is cut after close_linger_ms (fake clock)")
    void closeLinger() throws Exception {
        start(BrokerSettings.builder().closeLingerMillis(3_000).maxOutboundBytes(64L << 20));
        TextClient stuck = new TextClient(broker.port(), 8192);
        loop.closeLater(stuck);
        // 200 x 60 KB = 12 MB: far more than the kernel's socket buffers take while the client reads nothing
        stuck.send("floodclose 200 60000");
        eventually(() -> core.saw("packet conn-1 floodclose 200 60000"), "command seen");
        Thread.sleep(200);
        assertEquals(1, broker.stats().connectionsOpen(), "still draining");
        clock.advance(2_999);
        broker.wakeUp();
        Thread.sleep(100);
        assertEquals(1, broker.stats().connectionsOpen(), "not before the linger time");
        clock.advance(1);
        broker.wakeUp();
        eventually(() -> broker.stats().connectionsOpen() == 0, "cut after the linger time");
        eventually(() -> log().contains("queued bytes not drained in 3000 ms"), "the log line");
        assertFalse(core.events.stream().anyMatch(e -> e.startsWith("lost")), "the core had closed it already");
    }

    @Test
    @DisplayName("graceful stop: the core says goodbye, queued bytes drain, sockets close, the port is released")
    void gracefulStop() throws Exception {
        start(BrokerSettings.builder());
        TextClient client = client();
        client.send("echo hi");
        assertEquals("hi", client.receive());
        int port = broker.port();
        broker.close();
        assertFalse(broker.isRunning());
        assertEquals("shutting down", client.receive());
        assertTrue(client.closedByPeer());
        assertTrue(core.saw("shutdown"));
        assertThrows(ConnectException.class, () -> new TextClient(port).close());
        broker.close();   // a second close does nothing
    }

    @Test
    @DisplayName("a port in use fails start with BindException, on the caller's thread")
    void portInUse() throws Exception {
        start(BrokerSettings.builder());
        BrokerSettings same = BrokerSettings.builder().port(broker.port()).build();
        assertThrows(BindException.class, () -> MqttBroker.start(same, clock, new ScriptedCore(),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)).close());
        TextClient client = client();
        client.send("echo first broker unharmed");
        assertEquals("first broker unharmed", client.receive());
    }
}
