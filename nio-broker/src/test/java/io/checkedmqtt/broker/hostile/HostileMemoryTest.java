package io.checkedmqtt.broker.hostile;

import io.checkedmqtt.broker.e2e.RawClient;
import io.checkedmqtt.core.packet.Connack;
import io.checkedmqtt.core.packet.Connect;
import io.checkedmqtt.core.packet.Properties;
import io.checkedmqtt.core.packet.ProtocolVersion;
import io.checkedmqtt.core.packet.PubAck;
import io.checkedmqtt.core.packet.Publish;
import io.checkedmqtt.core.packet.QoS;
import io.checkedmqtt.core.packet.ReasonCode;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import static io.checkedmqtt.broker.hostile.MemoryAttack.MB;
import static io.checkedmqtt.broker.hostile.MemoryAttack.SLACK;
import static io.checkedmqtt.broker.hostile.MemoryAttack.budget;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Memory attacks through sessions (issue 22): many kept sessions whose queues fill while they
 * are offline, sessions with the longest client identifiers, subscribers of large messages that
 * never read. Each runs against a broker with a 128 MB heap and its default budgets
 * ({@link MemoryAttack}); each fails with the budget it meets turned off.
 */
class HostileMemoryTest {

    @Test
    @DisplayName("v3.1.1 section 4.1 (session state may be discarded under resource constraints): 2,000 kept sessions offline, 1,000 QoS 1 messages for each: the held messages stay within budget_queued_messages, the rest are dropped per session and counted; the publisher gets every PUBACK, a subscriber that reads gets every message")
    void offlineSessionsWithFullQueues() throws Exception {
        int sessions = 2_000;
        int messages = 1_000;
        try (MemoryAttack a = MemoryAttack.start("2,000 offline sessions with full queues",
                List.of("budget_queued_messages 0", "budget_queued_bytes 0"))) {
            for (int i = 0; i < sessions; i++) {
                RawClient c = new RawClient(a.broker.port());
                c.send(kept("offline-" + i));
                assertEquals(ReasonCode.SUCCESS, assertInstanceOf(Connack.class, c.receive()).reasonCode());
                c.subscribe(1, "offline/#", QoS.AT_LEAST_ONCE);
                c.close();
            }
            RawClient reader = new RawClient(a.broker.port());
            reader.handshake(ProtocolVersion.MQTT_3_1_1, "reader");
            reader.subscribe(1, "offline/#", QoS.AT_LEAST_ONCE);
            RawClient pub = new RawClient(a.broker.port());
            pub.handshake(ProtocolVersion.MQTT_3_1_1, "queue-flooder");
            int batch = 10;   // a reading subscriber holds no more than its share while it catches up
            for (int from = 0; from < messages; from += batch) {
                for (int i = from; i < from + batch; i++) {
                    pub.send(new Publish("offline/" + i, payload(i, 64), QoS.AT_LEAST_ONCE, false, false, i + 1,
                            Properties.EMPTY));
                }
                for (int i = from; i < from + batch; i++) {
                    assertEquals(new PubAck(i + 1), pub.receive(), "the publisher is acknowledged");
                }
                for (int i = from; i < from + batch; i++) {
                    Publish got = assertInstanceOf(Publish.class, reader.receive());
                    assertArrayEquals(payload(i, 64), got.payload(), "the reader gets every message, in order");
                    reader.send(new PubAck(got.packetId()));
                }
            }
            // budgeted: at most budget_queued_messages of 32 B plus the shared messages, and the sessions
            a.finish(budget(2048) * 40 + 1_000L * 200 + sessions * 2_048L + SLACK,
                    "the publisher every PUBACK; the reader all " + messages + " messages; each offline session"
                            + " its share, the rest dropped and counted");
        }
    }

    @Test
    @DisplayName("v3.1.1 section 3.2.2.3 (0x03 Server unavailable): 500 kept sessions with 60,000-byte client identifiers: those that would take the sessions past budget_session_bytes are refused and closed, the others kept and resumed")
    void longestClientIds() throws Exception {
        int attempts = 500;
        try (MemoryAttack a = MemoryAttack.start("500 kept sessions with 60,000-byte client identifiers",
                List.of("budget_session_bytes 0", "budget_sessions 0"))) {
            List<String> kept = new ArrayList<>();
            int refused = 0;
            for (int i = 0; i < attempts; i++) {
                String id = String.format("%05d", i) + "i".repeat(59_995);
                RawClient c = new RawClient(a.broker.port());
                c.send(kept(id));
                Connack ack = assertInstanceOf(Connack.class, c.receive());
                if (ack.reasonCode() == ReasonCode.SUCCESS) {
                    kept.add(id);
                } else {
                    assertEquals(ReasonCode.SERVER_UNAVAILABLE, ack.reasonCode(), "3.1.1 return code 0x03");
                    assertEquals(List.of(), c.awaitClose(3_000), "refused and closed");
                    refused++;
                }
                c.close();
            }
            assertTrue(refused > 0, "every one of " + attempts + " sessions was kept");
            assertTrue(kept.size() * 60_000L <= budget(16), kept.size() + " kept: more than the budget");
            RawClient back = new RawClient(a.broker.port());
            back.send(kept(kept.get(0)));
            Connack resumed = assertInstanceOf(Connack.class, back.receive());
            assertEquals(List.of(ReasonCode.SUCCESS, true), List.of(resumed.reasonCode(), resumed.sessionPresent()),
                    "a kept session is resumed");
            back.close();
            a.finish(budget(16) * 2 + SLACK, kept.size() + " sessions kept (CONNACK 0), " + refused
                    + " refused with CONNACK 0x03 Server unavailable");
        }
    }

    @Test
    @DisplayName("v3.1.1 section 4.1: 12 subscribers that never read and 1,000 QoS 1 messages of 64 KB (64 MB, 768 MB as their copies): what they hold stays within budget_queued_bytes, one payload per message on the wire; the publisher gets every PUBACK, a subscriber that reads gets every message")
    void messagesToSubscribersThatNeverRead() throws Exception {
        fanOut("12 subscribers that never read and one that does, 1,000 QoS 1 messages of 64 KB", 64 * 1024, 1_000,
                true);
    }

    @Test
    @DisplayName("v3.1.1 section 4.1 (issue 22's shape): 12 subscribers that never read and 40 QoS 1 messages of 2 MB (80 MB, 960 MB as their copies): the broker keeps within budget_queued_bytes, the publisher gets every PUBACK, the bystander is served")
    void largeMessagesToSubscribersThatNeverRead() throws Exception {
        fanOut("12 subscribers that never read, 40 QoS 1 messages of 2 MB", 2 << 20, 40, false);
    }

    /**
     * Twelve kept sessions subscribe with a 4 KB receive window and never read; {@code messages}
     * QoS 1 messages of {@code size} bytes go to them; with {@code reader}, a subscriber that reads
     * must get every one. Beyond budget_queued_bytes / ((H+1)(H+2)) a reader's copy may be dropped
     * like the others' (nio-broker/README.md), which is why only the smaller messages check it.
     */
    private static void fanOut(String attack, int size, int messages, boolean reader) throws Exception {
        try (MemoryAttack a = MemoryAttack.start(attack,
                List.of("budget_queued_messages 0", "budget_queued_bytes 0", "budget_outbound_bytes 0"))) {
            List<RawClient> stuck = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                RawClient c = new RawClient(a.broker.port(), 4_096);
                c.send(kept("stuck-" + i));
                assertInstanceOf(Connack.class, c.receive());
                c.subscribe(1, "large/#", QoS.AT_LEAST_ONCE);
                stuck.add(c);
            }
            RawClient reads = null;
            if (reader) {
                reads = new RawClient(a.broker.port());
                reads.handshake(ProtocolVersion.MQTT_3_1_1, "large-reader");
                reads.subscribe(1, "large/#", QoS.AT_LEAST_ONCE);
            }
            RawClient pub = new RawClient(a.broker.port());
            pub.handshake(ProtocolVersion.MQTT_3_1_1, "large-publisher");
            for (int i = 0; i < messages; i++) {
                pub.send(new Publish("large/" + i, payload(i, size), QoS.AT_LEAST_ONCE, false, false, i + 1,
                        Properties.EMPTY));
                assertEquals(new PubAck(i + 1), pub.receive(), "the publisher is acknowledged");
                if (reads != null) {
                    Publish got = assertInstanceOf(Publish.class, reads.receive());
                    assertArrayEquals(payload(i, size), got.payload(), "the reader gets every message");
                    reads.send(new PubAck(got.packetId()));
                }
            }
            a.finish(budget(8) + budget(16) + 2L * size + SLACK, "the publisher every PUBACK"
                    + (reader ? "; the reader all " + messages : "") + "; the subscribers that never read what fits"
                    + " their share of the budget, the rest dropped and counted");
            for (RawClient c : stuck) {
                c.close();
            }
        }
    }

    static Connect kept(String clientId) {
        return new Connect(ProtocolVersion.MQTT_3_1_1, clientId, false, 0, null, null, null, Properties.EMPTY);
    }

    /** {@code size} bytes that tell message {@code i} from the others. */
    static byte[] payload(int i, int size) {
        byte[] p = new byte[size];
        for (int k = 0; k < Math.min(size, 8); k++) {
            p[k] = (byte) (i >>> (8 * (k % 4)));
        }
        p[size - 1] = (byte) i;
        return p;
    }
}
