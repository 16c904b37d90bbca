package io.checkedmqtt.broker.hostile;

import io.checkedmqtt.broker.e2e.RawClient;
import io.checkedmqtt.core.packet.Disconnect;
import io.checkedmqtt.core.packet.Properties;
import io.checkedmqtt.core.packet.ProtocolVersion;
import io.checkedmqtt.core.packet.PubAck;
import io.checkedmqtt.core.packet.Publish;
import io.checkedmqtt.core.packet.QoS;
import io.checkedmqtt.core.packet.ReasonCode;
import io.checkedmqtt.core.packet.SubAck;
import io.checkedmqtt.core.packet.Subscribe;
import io.checkedmqtt.core.packet.Subscription;
import io.checkedmqtt.core.packet.SubscriptionOptions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static io.checkedmqtt.broker.hostile.MemoryAttack.SLACK;
import static io.checkedmqtt.broker.hostile.MemoryAttack.budget;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Memory attacks through what clients send (issue 22): large frames half sent over many
 * connections, packets with the most User Properties, retained messages on ever new topics, deep
 * filters by the thousand. Each
 * runs against a broker with a 128 MB heap and its default budgets ({@link MemoryAttack}); each
 * fails with the budget it meets turned off. The one case that turns a budget off on purpose
 * shows what the broker does when memory runs out all the same: it exits with code 3.
 */
class HostileMemoryFloodsTest {

    /** Half-sent frames: each declares 7,000,000 bytes (under the max_packet_size of heap/16) and sends 6,500,000. */
    private static final int CONNECTIONS = 24;
    private static final int DECLARED = 7_000_000;
    private static final int SENT = 6_500_000;

    @Test
    @DisplayName("v3.1.1 + v5 (issue 22): 24 connections each send 6.5 MB of a 7 MB PUBLISH and stop: the frames beyond budget_partial_bytes wait unread (their TCP windows close), the broker holds what arrived within the budget, nothing is answered")
    void halfSentFrames() throws Exception {
        try (MemoryAttack a = MemoryAttack.start("24 connections with 6.5 MB of a 7 MB frame each",
                List.of("budget_partial_bytes 0"))) {
            List<SocketChannel> attackers = connectAll(a.broker.port());
            long[] sent = trickle(attackers, 3_000);
            long done = java.util.Arrays.stream(sent).filter(n -> n == SENT).count();
            String stats = a.broker.stats();
            long partial = Long.parseLong(stats.replaceAll(".*partial frame bytes=(\\d+).*", "$1"));
            assertTrue(partial <= budget(16) + budget(64), "partial frames hold " + partial + " bytes: " + stats);
            a.finish(budget(16) + budget(64) + SLACK, done + " of " + CONNECTIONS + " sent their 6.5 MB, the others "
                    + "found their TCP window closed after " + java.util.Arrays.stream(sent).min().orElse(0) / 1024
                    + " KB or more; none got an answer (partial frame bytes held " + partial / 1024 + " KB)");
            for (SocketChannel c : attackers) {
                c.close();
            }
        }
    }

    @Test
    @DisplayName("issue 22: with budget_partial_bytes 0 (no bound) the same half-sent frames exhaust a 128 MB heap, and the broker ends with exit code 3 within seconds instead of holding its port and answering nobody")
    void outOfMemoryEndsTheProcess() throws Exception {
        try (HostileBroker broker = HostileBroker.childProcess(MemoryAttack.HEAP, List.of("budget_partial_bytes 0"))) {
            List<SocketChannel> attackers = connectAll(broker.port());
            trickle(attackers, 3_000);
            long start = System.nanoTime();
            Integer exit = broker.exitCode(30_000);
            assertNotNull(exit, "the broker still runs 30 s after the attack");
            assertEquals(3, exit);
            System.out.printf("[memory] no partial-frame budget (-Xmx%s): out of memory, exit code %d, %d ms after the"
                    + " attack's last byte%n", MemoryAttack.HEAP, exit, (System.nanoTime() - start) / 1_000_000);
            for (SocketChannel c : attackers) {
                c.close();
            }
        }
    }

    @Test
    @DisplayName("v5 section 3.3.2.3.7 / 3.14.2.1 (0x97 Quota exceeded): a PUBLISH with 1,000,001 empty User Properties gets DISCONNECT 0x97; 6,000 retained QoS 1 messages with 1,000 User Properties each: those past budget_retained_bytes get PUBACK 0x97 and are not kept, those acknowledged are")
    void userPropertiesFlood() throws Exception {
        int messages = 6_000;
        try (MemoryAttack a = MemoryAttack.start("1,000,001 User Properties; 6,000 retained messages with 1,000 each",
                List.of("max_user_properties 2147483647", "budget_retained_bytes 0", "budget_retained_messages 0"))) {
            RawClient many = new RawClient(a.broker.port());
            many.handshake(ProtocolVersion.MQTT_5, "many-properties");
            many.write(publishWithUserProperties(0x30, "t", 0, 1_000_001, ""));
            assertEquals(List.of(new Disconnect(ReasonCode.QUOTA_EXCEEDED)), many.awaitClose(10_000));
            RawClient pub = new RawClient(a.broker.port());
            pub.handshake(ProtocolVersion.MQTT_5, "property-flooder");
            int refused = 0;
            int kept = 0;
            for (int from = 0; from < messages; from += 100) {
                for (int i = from; i < from + 100; i++) {
                    pub.write(publishWithUserProperties(0x33, "props/" + i, i + 1, 1_000, "k"));
                }
                for (int i = from; i < from + 100; i++) {
                    PubAck ack = assertInstanceOf(PubAck.class, pub.receive());
                    assertEquals(i + 1, ack.packetId());
                    if (ack.reasonCode() == ReasonCode.QUOTA_EXCEEDED) {
                        refused++;
                    } else {
                        assertTrue(!ack.reasonCode().isError(), "PUBACK " + ack.reasonCode());   // 0x10 at most
                        kept++;
                    }
                }
            }
            assertTrue(refused > 0, "all " + messages + " retained");
            assertRetained(a.broker.port(), "props/0");
            a.finish(2 * budget(16) + SLACK, "DISCONNECT 0x97 for 1,000,001 User Properties; " + kept
                    + " retained messages of 7 KB kept (PUBACK 0), " + refused + " refused with PUBACK 0x97");
        }
    }

    @Test
    @DisplayName("v5 [MQTT-3.3.1-5] and 0x97 Quota exceeded: 80,000 retained QoS 1 messages on new 200-byte topics: those past budget_retained_messages / _bytes get PUBACK 0x97 and are not kept; the first, acknowledged, is still delivered")
    void retainedFlood() throws Exception {
        int messages = 80_000;
        String prefix = "retained/" + "r".repeat(190) + "/";
        try (MemoryAttack a = MemoryAttack.start("80,000 retained messages on new topics",
                List.of("budget_retained_bytes 0", "budget_retained_messages 0"))) {
            RawClient pub = new RawClient(a.broker.port());
            pub.handshake(ProtocolVersion.MQTT_5, "retained-flooder");
            int refused = 0;
            for (int from = 0; from < messages; from += 1_000) {
                for (int i = from; i < from + 1_000; i++) {
                    pub.send(new Publish(prefix + i, HostileMemoryTest.payload(i, 16), QoS.AT_LEAST_ONCE, true, false,
                            i % 65_535 + 1, Properties.EMPTY));
                }
                for (int i = from; i < from + 1_000; i++) {
                    PubAck ack = assertInstanceOf(PubAck.class, pub.receive());
                    refused += ack.reasonCode() == ReasonCode.QUOTA_EXCEEDED ? 1 : 0;
                }
            }
            assertTrue(refused > 0, "all " + messages + " retained");
            assertRetained(a.broker.port(), prefix + 0);
            a.finish(2 * budget(16) + SLACK, (messages - refused) + " kept (PUBACK 0), " + refused
                    + " refused with PUBACK 0x97 Quota exceeded");
        }
    }

    @Test
    @DisplayName("v5 [MQTT-3.9.3-2] (0x97 Quota exceeded): 10,000 filters of 501 levels each, 50 to a SUBSCRIBE: those past budget_subscription_bytes are refused in the SUBACK, those granted work")
    void subscriptionFlood() throws Exception {
        int packets = 200;
        int perPacket = 50;
        String deep = "/a".repeat(500);
        try (MemoryAttack a = MemoryAttack.start("10,000 filters of 501 levels",
                List.of("budget_subscription_bytes 0"))) {
            RawClient c = new RawClient(a.broker.port());
            c.handshake(ProtocolVersion.MQTT_5, "filter-flooder");
            int granted = 0;
            int refused = 0;
            for (int p = 0; p < packets; p++) {
                List<Subscription> filters = new ArrayList<>();
                for (int i = 0; i < perPacket; i++) {
                    filters.add(new Subscription((p * perPacket + i) + deep, SubscriptionOptions.of(QoS.AT_MOST_ONCE)));
                }
                c.send(new Subscribe(p + 1, filters, Properties.EMPTY));
                for (ReasonCode code : assertInstanceOf(SubAck.class, c.receive()).reasonCodes()) {
                    if (code == ReasonCode.QUOTA_EXCEEDED) {
                        refused++;
                    } else {
                        assertEquals(ReasonCode.GRANTED_QOS_0, code);
                        granted++;
                    }
                }
            }
            assertTrue(refused > 0, "all " + packets * perPacket + " filters granted");
            c.send(new Publish("0" + deep, new byte[] {1}, QoS.AT_MOST_ONCE, false, false, 0, Properties.EMPTY));
            assertEquals("0" + deep, assertInstanceOf(Publish.class, c.receive()).topic(), "a granted filter works");
            a.finish(budget(16) * 3 / 2 + SLACK, granted + " filters granted, " + refused
                    + " refused with SUBACK 0x97 Quota exceeded");
        }
    }

    /** A 5.0 subscriber to {@code topic} gets its retained message. */
    private static void assertRetained(int port, String topic) throws IOException {
        RawClient sub = new RawClient(port);
        sub.handshake(ProtocolVersion.MQTT_5, "retained-check");
        sub.subscribe(1, topic, QoS.AT_MOST_ONCE);
        Publish got = assertInstanceOf(Publish.class, sub.receive());
        assertEquals(List.of(topic, true), List.of(got.topic(), got.retain()), "the acknowledged message was kept");
        sub.close();
    }

    /**
     * The wire form of a 5.0 PUBLISH (first byte given: QoS and RETAIN) with {@code count} User
     * Properties of {@code text} as both name and value, and a 16-byte payload; built by hand
     * because a packet with more User Properties than the broker takes must be sendable too.
     */
    static byte[] publishWithUserProperties(int first, String topic, int packetId, int count, String text) {
        byte[] t = topic.getBytes(StandardCharsets.UTF_8);
        byte[] s = text.getBytes(StandardCharsets.UTF_8);
        int property = 1 + 2 * (2 + s.length);
        ByteArrayOutputStream body = new ByteArrayOutputStream(count * property + t.length + 32);
        body.write(t.length >>> 8);
        body.write(t.length);
        body.writeBytes(t);
        if ((first & 0x06) != 0) {
            body.write(packetId >>> 8);
            body.write(packetId);
        }
        writeVariableByteInteger(body, (long) count * property);
        byte[] one = new byte[property];
        one[0] = 0x26;
        one[2] = (byte) s.length;
        System.arraycopy(s, 0, one, 3, s.length);
        one[4 + s.length] = (byte) s.length;
        System.arraycopy(s, 0, one, 5 + s.length, s.length);
        for (int i = 0; i < count; i++) {
            body.writeBytes(one);
        }
        body.writeBytes(new byte[16]);
        ByteArrayOutputStream packet = new ByteArrayOutputStream(body.size() + 5);
        packet.write(first);
        writeVariableByteInteger(packet, body.size());
        packet.writeBytes(body.toByteArray());
        return packet.toByteArray();
    }

    private static void writeVariableByteInteger(ByteArrayOutputStream out, long value) {
        do {
            int digit = (int) (value % 128);
            value /= 128;
            out.write(value > 0 ? digit | 0x80 : digit);
        } while (value > 0);
    }

    /** {@link #CONNECTIONS} 3.1.1 clients, connected (CONNACK read), left in non-blocking mode. */
    private static List<SocketChannel> connectAll(int port) throws IOException {
        List<SocketChannel> all = new ArrayList<>();
        for (int i = 0; i < CONNECTIONS; i++) {
            SocketChannel c = SocketChannel.open(new InetSocketAddress("127.0.0.1", port));
            c.write(ByteBuffer.wrap(RawClient.encode(RawClient.connect(ProtocolVersion.MQTT_3_1_1, "half-" + i, 0,
                    Properties.EMPTY), ProtocolVersion.MQTT_3_1_1)));
            ByteBuffer connack = ByteBuffer.allocate(4);
            while (connack.hasRemaining() && c.read(connack) >= 0) {
                Thread.onSpinWait();
            }
            assertEquals(0, connack.get(3), "CONNACK accepted");
            c.configureBlocking(false);
            all.add(c);
        }
        return all;
    }

    /**
     * Writes each connection's header (a PUBLISH of {@link #DECLARED} bytes) and then up to
     * {@link #SENT} bytes of it, round robin, until every one sent them all or none made progress
     * for {@code stallMillis} (or the broker went away). Returns the bytes of body each sent.
     */
    private static long[] trickle(List<SocketChannel> attackers, long stallMillis) throws InterruptedException {
        byte[] header = {0x30, 0, 0, 0, 0, 0, 1, 'h'};
        int length = DECLARED;
        for (int i = 1; i <= 4; i++) {
            header[i] = (byte) (length % 128 | (i < 4 ? 0x80 : 0));
            length /= 128;
        }
        ByteBuffer chunk = ByteBuffer.allocate(64 * 1024);
        long[] sent = new long[attackers.size()];
        long lastProgress = System.nanoTime();
        boolean headersOut = false;
        while ((System.nanoTime() - lastProgress) / 1_000_000 < stallMillis) {
            boolean progress = false;
            boolean all = true;
            for (int i = 0; i < attackers.size(); i++) {
                try {
                    if (!headersOut) {
                        ByteBuffer h = ByteBuffer.wrap(header);
                        while (h.hasRemaining()) {
                            attackers.get(i).write(h);
                        }
                        continue;
                    }
                    if (sent[i] >= SENT) {
                        continue;
                    }
                    all = false;
                    chunk.clear().limit((int) Math.min(chunk.capacity(), SENT - sent[i]));
                    int n = attackers.get(i).write(chunk);
                    sent[i] += n;
                    progress |= n > 0;
                } catch (IOException gone) {
                    return sent;   // the broker closed the connection, or went away
                }
            }
            if (!headersOut) {
                headersOut = true;
                continue;
            }
            if (all) {
                return sent;
            }
            if (progress) {
                lastProgress = System.nanoTime();
            } else {
                Thread.sleep(5);
            }
        }
        return sent;
    }
}
