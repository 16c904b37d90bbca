package io.checkedmqtt.broker;

import io.checkedmqtt.core.config.BrokerConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.checkedmqtt.broker.EventLoopTest.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The shell's two memory budgets and the frame timeout, with a scripted core over real sockets:
 * partial frames are kept as the bytes arrive, a frame that does not fit the budget of partial
 * frames waits unread while small packets still flow, a stalled frame ends its connection, and
 * at the budget of queued socket bytes QoS 0 is dropped for the clients that are behind.
 */
class ShellBudgetsTest {

    private final LoopFixture loop = new LoopFixture();
    private final ScriptedCore core = loop.core;
    private final FakeClock clock = loop.clock;
    private MqttBroker broker;

    private void start(BrokerSettings.Builder settings) throws IOException {
        broker = loop.start(settings);
    }

    /** A connected client. */
    private TextClient client() throws IOException {
        TextClient client = loop.client();
        client.connect();
        return client;
    }

    @AfterEach
    void stop() throws Exception {
        loop.close();
    }

    private static byte[] echoFrame(int textBytes) {
        return TextPackets.frame("echo " + "x".repeat(textBytes));
    }

    @Test
    @DisplayName("a frame grows with the bytes that arrived, not with its declared length, and is put together whole at its end")
    void partialFrameGrowsWithTheBytesReceived() throws Exception {
        start(BrokerSettings.builder());
        TextClient client = client();
        client.send("echo warm");
        assertEquals("warm", client.receive());
        byte[] frame = echoFrame(9_000_000);
        long before = loop.loopAllocatedBytes();
        client.write(Arrays.copyOfRange(frame, 0, 5_000_000));
        eventually(() -> broker.stats().partialFrameBytes() == frame.length, "the frame's claim");
        Thread.sleep(300);   // let the loop take in what the kernel holds
        long allocated = loop.loopAllocatedBytes() - before;
        // the chunks as they came: 5 MB; a buffer doubling from the start would have allocated about 16 MB
        assertTrue(allocated < 6_000_000, "allocated " + allocated + " bytes for 5 MB received");
        client.write(Arrays.copyOfRange(frame, 5_000_000, frame.length));
        assertEquals(9_000_000, client.receive().length());
        eventually(() -> broker.stats().partialFrameBytes() == 0, "the claim given back");
    }

    @Test
    @DisplayName("budgets of 0 in the config file (no bound): frames split across reads and floods of QoS 0 still go through")
    void noBound() throws Exception {
        start(BrokerSettings.builder().partialBytesBudget(Long.MAX_VALUE).outboundBytesBudget(Long.MAX_VALUE));
        TextClient client = client();
        byte[] frame = echoFrame(200_000);
        client.write(Arrays.copyOfRange(frame, 0, 1_000));
        client.write(Arrays.copyOfRange(frame, 1_000, frame.length));
        assertEquals(200_000, client.receive().length());
        client.send("flood 10 1000");
        for (int i = 0; i < 10; i++) {
            assertEquals(1000, client.receive().length());
        }
        assertEquals(0, broker.stats().droppedQos0());
    }

    @Test
    @DisplayName("budget_partial_bytes: a frame that does not fit waits unread, small packets still flow, and it is read once the other is done")
    void frameThatDoesNotFitWaits() throws Exception {
        int budget = 1 << 20;
        start(BrokerSettings.builder().partialBytesBudget(budget)
                .core(BrokerConfig.builder().maximumPacketSize(budget).build()));
        TextClient first = client();
        TextClient second = client();
        TextClient bystander = client();
        byte[] a = echoFrame(900_000);
        byte[] b = echoFrame(800_000);
        first.write(Arrays.copyOfRange(a, 0, 100_000));
        eventually(() -> broker.stats().partialFrameBytes() == a.length, "the first frame claimed");
        second.write(Arrays.copyOfRange(b, 0, 10));
        // the header read on its own first: had the rest arrived before the loop's first read of
        // this socket, that read would take a buffer's worth of it along with the header
        eventually(() -> broker.stats().partialFrameBytes() == a.length + 10, "the second frame's header read, unclaimed");
        CompletableFuture<Void> rest = CompletableFuture.runAsync(() -> {
            try {
                second.write(Arrays.copyOfRange(b, 10, b.length));   // waits in the kernel, then in this write
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        Thread.sleep(300);
        assertEquals(a.length + 10, broker.stats().partialFrameBytes(), "the second frame did not fit: no claim, its 10 bytes only");
        bystander.send("echo still served");
        assertEquals("still served", bystander.receive());
        assertFalse(core.events.stream().anyMatch(e -> e.startsWith("packet conn-2 echo")), "the second frame waits");
        first.write(Arrays.copyOfRange(a, 100_000, a.length));
        assertEquals(900_000, first.receive().length());
        assertEquals(800_000, second.receive().length());
        rest.get(5, TimeUnit.SECONDS);
        eventually(() -> broker.stats().partialFrameBytes() == 0, "every claim given back");
    }

    @Test
    @DisplayName("frame_timeout_ms: a frame not complete that long after its first byte ends its connection (fake clock); a complete one does not")
    void stalledFrameTimesOut() throws Exception {
        start(BrokerSettings.builder().frameTimeoutMillis(5_000));
        TextClient stalled = client();
        TextClient prompt = client();
        byte[] frame = echoFrame(100_000);
        stalled.write(Arrays.copyOfRange(frame, 0, 50_000));
        prompt.write(Arrays.copyOfRange(frame, 0, 50_000));
        eventually(() -> broker.stats().partialFrameBytes() == 2L * frame.length, "both claimed");
        clock.advance(4_000);
        broker.wakeUp();
        prompt.write(Arrays.copyOfRange(frame, 50_000, frame.length));
        assertEquals(100_000, prompt.receive().length());
        clock.advance(999);
        broker.wakeUp();
        Thread.sleep(100);
        assertEquals(2, broker.stats().connectionsOpen(), "not before the timeout");
        clock.advance(1);
        broker.wakeUp();
        assertTrue(stalled.closedByPeer());
        eventually(() -> core.saw("lost conn-1"), "the core is told the connection is gone");
        assertEquals(1, broker.stats().framesTimedOut());
        assertEquals(0, broker.stats().partialFrameBytes());
        prompt.send("echo on");
        assertEquals("on", prompt.receive());
        eventually(() -> loop.log().contains("frame not complete 5000 ms after its first byte"),
                "the log line");
    }

    @Test
    @DisplayName("budget_outbound_bytes: at it, QoS 0 to clients with bytes queued is dropped and counted; a client with none is still served")
    void outboundBudget() throws Exception {
        long budget = 256 * 1024;
        start(BrokerSettings.builder().outboundBytesBudget(budget).maxOutboundBytes(64L << 20));
        TextClient slow = new TextClient(broker.port(), 8192);
        loop.closeLater(slow);
        slow.connect();
        TextClient bystander = client();
        for (int i = 0; i < 20; i++) {
            slow.send("flood 100 10000");   // 20 MB asked for, by a client that reads nothing
        }
        eventually(() -> broker.stats().droppedQos0() > 0, "QoS 0 dropped");
        int frame = TextPackets.frame("x".repeat(10_000)).length;
        assertTrue(broker.stats().outboundBytes() <= budget + budget / 4 + frame,
                "queued " + broker.stats().outboundBytes());
        bystander.send("echo served");
        assertEquals("served", bystander.receive());
        long received = 0;
        slow.send("echo done");
        while (!slow.receive().equals("done")) {
            received++;
        }
        assertEquals(2_000, received + broker.stats().droppedQos0(), "each message delivered or counted as dropped");
    }
}
