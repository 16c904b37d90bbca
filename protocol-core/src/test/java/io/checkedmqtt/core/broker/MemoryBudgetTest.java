package io.checkedmqtt.core.broker;

import io.checkedmqtt.core.codec.MqttEncoder;
import io.checkedmqtt.core.config.BrokerConfig;
import io.checkedmqtt.core.config.MemoryBudget;
import io.checkedmqtt.core.effect.ConnectionId;
import io.checkedmqtt.core.packet.Connack;
import io.checkedmqtt.core.packet.Packet;
import io.checkedmqtt.core.packet.ProtocolVersion;
import io.checkedmqtt.core.packet.PubAck;
import io.checkedmqtt.core.packet.PubRec;
import io.checkedmqtt.core.packet.Publish;
import io.checkedmqtt.core.packet.QoS;
import io.checkedmqtt.core.packet.ReasonCode;
import io.checkedmqtt.core.packet.SubAck;
import io.checkedmqtt.testkit.BrokerHarness;
import io.checkedmqtt.testkit.Packets;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.List;

import static io.checkedmqtt.testkit.Packets.V3;
import static io.checkedmqtt.testkit.Packets.V5;
import static io.checkedmqtt.testkit.Packets.connect;
import static io.checkedmqtt.testkit.Packets.connect5;
import static io.checkedmqtt.testkit.Packets.publish;
import static io.checkedmqtt.testkit.Packets.subscribe;
import static io.checkedmqtt.testkit.Packets.unsubscribe;
import static io.checkedmqtt.testkit.Packets.will;
import static io.checkedmqtt.testkit.Packets.withWill;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The core's memory budgets ({@link MemoryBudget}) and what a client sees when one is reached:
 * new kept sessions refused with a CONNACK code, queued messages dropped for the sessions that
 * hold more than their share (and counted), retained messages refused with 0x97 where the
 * publisher can read a reason code and otherwise routed without being kept.
 */
class MemoryBudgetTest {

    private static BrokerHarness harness(MemoryBudget budget) {
        return new BrokerHarness(BrokerConfig.builder().budget(budget).build());
    }

    private static Connack connackOf(BrokerHarness h, ConnectionId c) {
        return assertInstanceOf(Connack.class, h.out(c).get(0));
    }

    private static ConnectionId connectWith(BrokerHarness h, io.checkedmqtt.core.packet.Connect connect) {
        ConnectionId c = h.open();
        h.in(c, connect);
        return c;
    }

    @Test
    @DisplayName("v5 section 3.2.2.2 (0x97) v3.1.1 section 3.2.2.3 (0x03): a new kept session over max_sessions is refused; resuming one and clean sessions are not")
    void keptSessionsBounded() {
        BrokerHarness h = harness(MemoryBudget.defaults().withMaxSessions(2));
        h.lose(connectWith(h, connect5("a", false, 600)));
        h.lose(connectWith(h, connect(V3, "b", false)));
        ConnectionId third5 = connectWith(h, connect5("c", false, 600));
        assertEquals(ReasonCode.QUOTA_EXCEEDED, connackOf(h, third5).reasonCode());
        assertTrue(h.closedByServer(third5));
        ConnectionId third3 = connectWith(h, connect(V3, "d", false));
        Connack refused3 = connackOf(h, third3);
        assertEquals(ReasonCode.SERVER_UNAVAILABLE, refused3.reasonCode());
        ByteBuffer wire = ByteBuffer.allocate(4);
        MqttEncoder.encode(refused3, V3, wire);
        assertEquals(3, wire.get(3), "3.1.1 return code 0x03 Server unavailable");
        assertNull(h.state().session("c"));
        ConnectionId clean = connectWith(h, connect(V3, "e", true));
        assertEquals(ReasonCode.SUCCESS, connackOf(h, clean).reasonCode());
        ConnectionId resumed = connectWith(h, connect5("a", false, 600));
        Connack back = connackOf(h, resumed);
        assertEquals(ReasonCode.SUCCESS, back.reasonCode());
        assertTrue(back.sessionPresent());
        assertEquals(2, h.state().holdings().keptSessions());
    }

    @Test
    @DisplayName("v5 (0x97): a client identifier or will that would take the sessions past max_session_bytes is refused")
    void sessionBytesBounded() {
        BrokerHarness h = harness(MemoryBudget.defaults().withMaxSessionBytes(100));
        ConnectionId longId = connectWith(h, connect(V5, "x".repeat(101), true));
        assertEquals(ReasonCode.QUOTA_EXCEEDED, connackOf(h, longId).reasonCode());
        ConnectionId bigWill = connectWith(h, withWill(connect(V5, "w", true), will("t", "y".repeat(100), QoS.AT_MOST_ONCE,
                false, 0)));
        assertEquals(ReasonCode.QUOTA_EXCEEDED, connackOf(h, bigWill).reasonCode());
        ConnectionId fits = connectWith(h, withWill(connect(V5, "w", true), will("t", "y".repeat(90), QoS.AT_MOST_ONCE,
                false, 0)));
        assertEquals(ReasonCode.SUCCESS, connackOf(h, fits).reasonCode());
        assertEquals(92, h.state().holdings().sessionBytes());
    }

    @Test
    @DisplayName("v3.1.1 section 4.1 v5 section 4.1 (non-normative): at the budget of queued messages, sessions that do not read keep their share and lose the newest, counted; a reading subscriber gets every message")
    void queuedMessagesShared() {
        BrokerHarness h = harness(MemoryBudget.defaults().withMaxQueuedMessages(40));
        for (int i = 1; i <= 4; i++) {
            ConnectionId hog = connectWith(h, connect(V3, "hog" + i, false));
            h.in(hog, subscribe(1, "t", QoS.AT_LEAST_ONCE));
            h.lose(hog);
        }
        ConnectionId reader = h.connected(V3, "reader");
        h.in(reader, subscribe(1, "t", QoS.AT_LEAST_ONCE));
        h.out(reader);
        ConnectionId publisher = h.connected(V3, "publisher");
        int received = 0;
        for (int m = 1; m <= 30; m++) {
            h.in(publisher, publish("t", "m" + m, QoS.AT_LEAST_ONCE, m));
            assertEquals(List.<Packet>of(new PubAck(m)), h.out(publisher), "every message is taken");
            for (Packet p : h.out(reader)) {
                Publish delivered = assertInstanceOf(Publish.class, p);
                assertEquals("m" + m, Packets.text(delivered));
                h.in(reader, new PubAck(delivered.packetId()));
                received++;
            }
        }
        assertEquals(30, received, "the reader got every message");
        // the four hold 4/5 of the budget together (room is left for a fifth), 8 each
        for (int i = 1; i <= 4; i++) {
            assertEquals(8, h.state().session("hog" + i).queue().size(), "hog" + i);
            assertEquals(30 - 8, h.state().session("hog" + i).droppedMessages());
        }
        assertEquals(32, h.state().holdings().queuedMessages());
        assertEquals(4 * (30 - 8), h.state().holdings().droppedForBudget());
    }

    @Test
    @DisplayName("v5 large messages to subscribers that never acknowledge fill the bytes budget short of room for one more; a client that reads still gets its messages")
    void largeMessagesToNonReaders() {
        long budget = 32_000;
        BrokerHarness h = harness(new MemoryBudget(MemoryBudget.UNBOUNDED, MemoryBudget.UNBOUNDED, MemoryBudget.UNBOUNDED,
                MemoryBudget.UNBOUNDED, MemoryBudget.UNBOUNDED, budget, MemoryBudget.UNBOUNDED, 1_000));
        for (int i = 1; i <= 12; i++) {
            ConnectionId hog = h.connected(V5, "hog" + i);
            h.in(hog, subscribe(1, "big", QoS.AT_LEAST_ONCE));   // and never acknowledges anything
        }
        ConnectionId reader = h.connected(V5, "reader");
        h.in(reader, subscribe(1, "small", QoS.AT_LEAST_ONCE));
        h.out(reader);
        ConnectionId publisher = h.connected(V5, "publisher");
        String large = "x".repeat(4_000);
        for (int m = 1; m <= 10; m++) {
            h.in(publisher, publish("big", large, QoS.AT_LEAST_ONCE, 2 * m), publish("small", "s" + m, QoS.AT_LEAST_ONCE, 2 * m + 1));
            Publish small = assertInstanceOf(Publish.class, h.out(reader).get(0));
            assertEquals("s" + m, Packets.text(small));
            h.in(reader, new PubAck(small.packetId()));
            long held = h.state().holdings().queuedBytes();
            long holders = h.state().holdings().holders();
            assertTrue(held <= budget - budget / (holders + 1), "held " + held + " by " + holders);
        }
        assertTrue(h.state().holdings().droppedForBudget() >= 12 * 10 - 8, "most large copies were dropped");
    }

    @Test
    @DisplayName("v5 section 4.1: with 12 subscribers that never acknowledge at their shares, one that reads finds room for a message up to budget/((H+1)(H+2)); a larger copy is dropped for it too, and counted (the limit nio-broker/README.md states)")
    void readersRoomUnderFullShares() {
        long budget = 32_000;
        BrokerHarness h = harness(new MemoryBudget(MemoryBudget.UNBOUNDED, MemoryBudget.UNBOUNDED,
                MemoryBudget.UNBOUNDED, MemoryBudget.UNBOUNDED, MemoryBudget.UNBOUNDED, budget, MemoryBudget.UNBOUNDED, 1_000));
        for (int i = 1; i <= 12; i++) {
            h.in(h.connected(V5, "hog" + i), subscribe(1, "t", QoS.AT_LEAST_ONCE));
        }
        ConnectionId reader = h.connected(V5, "reader");
        h.in(reader, subscribe(1, "t", QoS.AT_LEAST_ONCE));
        h.out(reader);
        ConnectionId publisher = h.connected(V5, "publisher");
        for (int m = 1; m <= 40; m++) {
            h.in(publisher, publish("t", "x".repeat(100), QoS.AT_LEAST_ONCE, m));
            acknowledgeAll(h, reader);
        }
        long room = budget / (13 * 14);   // H = 12 holders
        assertTrue(h.state().holdings().queuedBytes() > budget - budget / 13 - 200, "the shares are full");
        h.in(publisher, publish("t", "y".repeat((int) room - 2), QoS.AT_LEAST_ONCE, 41));
        assertEquals(1, acknowledgeAll(h, reader), "a message within the room reaches the reader");
        long dropped = h.state().session("reader").droppedMessages();
        h.in(publisher, publish("t", "z".repeat(1_000), QoS.AT_LEAST_ONCE, 42));
        assertEquals(0, acknowledgeAll(h, reader), "a larger one does not");
        assertEquals(dropped + 1, h.state().session("reader").droppedMessages(), "and is counted as dropped for it");
    }

    /** Acknowledges every PUBLISH the client was sent; returns how many. */
    private static int acknowledgeAll(BrokerHarness h, ConnectionId c) {
        int n = 0;
        for (Packet p : h.out(c)) {
            if (p instanceof Publish publish) {
                h.in(c, new PubAck(publish.packetId()));
                n++;
            }
        }
        return n;
    }

    private static BrokerHarness retainedHarness() {
        return harness(MemoryBudget.defaults().withMaxRetainedMessages(2));
    }

    private static Publish retained(String topic, String payload, QoS qos, int id) {
        return publish(topic, payload, qos, id).withRetain(true);
    }

    @Test
    @DisplayName("v5 [MQTT-3.4.2-1] [MQTT-3.5.2-1] [MQTT-4.3.3-9] a retained QoS 1/2 message the full store cannot keep gets PUBACK/PUBREC 0x97 and goes nowhere; its QoS 2 id is not kept")
    void retainedRefusedV5() {
        BrokerHarness h = retainedHarness();
        ConnectionId watcher = h.connected(V5, "watcher");
        h.in(watcher, subscribe(1, "#", QoS.AT_LEAST_ONCE));
        h.out(watcher);
        ConnectionId p = h.connected(V5, "p");
        h.in(p, retained("a", "1", QoS.AT_LEAST_ONCE, 1), retained("b", "2", QoS.AT_LEAST_ONCE, 2));
        h.out(p);
        assertEquals(2, h.out(watcher).size());
        h.in(p, retained("c", "3", QoS.AT_LEAST_ONCE, 3));
        assertEquals(List.<Packet>of(new PubAck(3, ReasonCode.QUOTA_EXCEEDED, io.checkedmqtt.core.packet.Properties.EMPTY)),
                h.out(p));
        assertTrue(h.out(watcher).isEmpty(), "a refused message is not routed");
        h.in(p, retained("c", "4", QoS.EXACTLY_ONCE, 4));
        assertEquals(List.<Packet>of(new PubRec(4, ReasonCode.QUOTA_EXCEEDED, io.checkedmqtt.core.packet.Properties.EMPTY)),
                h.out(p));
        assertFalse(h.state().session("p").awaitingPubRel().contains(4), "the refused QoS 2 identifier is free");
        h.in(p, retained("a", "5", QoS.AT_LEAST_ONCE, 5));
        assertEquals(List.<Packet>of(new PubAck(5)), h.out(p), "replacing a stored topic adds nothing");
        h.in(p, retained("b", "", QoS.AT_LEAST_ONCE, 6));
        h.out(p);
        h.in(p, retained("c", "7", QoS.AT_LEAST_ONCE, 7));
        assertEquals(List.<Packet>of(new PubAck(7)), h.out(p), "a delete made room");
        assertEquals(2, h.state().router().retained().size());
        assertEquals(2, h.state().holdings().droppedForBudget());
    }

    @Test
    @DisplayName("v3.1.1 and v5 QoS 0: with no reason code to carry a refusal, a retained message the full store cannot keep is routed and not stored")
    void retainedRoutedNotStored() {
        for (ProtocolVersion version : List.of(V3, V5)) {
            BrokerHarness h = retainedHarness();
            ConnectionId watcher = h.connected(version, "watcher");
            h.in(watcher, subscribe(1, "#", QoS.AT_LEAST_ONCE));
            ConnectionId p = h.connected(version, "p");
            h.in(p, retained("a", "1", QoS.AT_MOST_ONCE, 0), retained("b", "2", QoS.AT_MOST_ONCE, 0));
            h.in(p, retained("c", "3", version.isV5() ? QoS.AT_MOST_ONCE : QoS.AT_LEAST_ONCE, version.isV5() ? 0 : 3));
            List<Packet> answers = h.out(p);
            assertEquals(version.isV5() ? List.of() : List.<Packet>of(new PubAck(3)), answers);
            List<Packet> seen = h.out(watcher);
            assertEquals("3", Packets.text(assertInstanceOf(Publish.class, seen.get(seen.size() - 1))));
            assertNull(h.state().router().retained().get("c"), version + ": not stored");
            assertEquals(1, h.state().holdings().droppedForBudget());
        }
    }

    @Test
    @DisplayName("v5 [MQTT-3.9.3-2] (0x97) v3.1.1 [MQTT-3.9.3-2] (0x80): a filter that would take the subscriptions of all sessions past budget_subscription_bytes is refused in its SUBACK, the others in the packet granted; replacing a subscription and subscribing after an UNSUBSCRIBE are not refused")
    void subscriptionsBounded() {
        long one = Holdings.subscriptionWeight("a/1");
        for (ProtocolVersion version : List.of(V3, V5)) {
            BrokerHarness h = harness(MemoryBudget.defaults().withMaxSubscriptionBytes(3 * one));
            ConnectionId other = h.connected(version, "other");
            h.in(other, subscribe(1, "a/0", QoS.AT_MOST_ONCE));
            h.out(other);
            ConnectionId c = h.connected(version, "s");
            h.in(c, subscribe(1, "a/1", QoS.AT_LEAST_ONCE, "a/2", QoS.AT_LEAST_ONCE, "a/3", QoS.AT_LEAST_ONCE));
            SubAck ack = assertInstanceOf(SubAck.class, h.out(c).get(0));
            ReasonCode refused = version.isV5() ? ReasonCode.QUOTA_EXCEEDED : ReasonCode.UNSPECIFIED_ERROR;
            assertEquals(List.of(ReasonCode.GRANTED_QOS_1, ReasonCode.GRANTED_QOS_1, refused),
                    ack.reasonCodes(), version + ": the filter past the budget, and only it, refused");
            ByteBuffer wire = ByteBuffer.allocate(16);
            MqttEncoder.encode(ack, version, wire);
            assertEquals((byte) (version.isV5() ? 0x97 : 0x80), wire.get(wire.position() - 1), version + " on the wire");
            assertFalse(h.state().session("s").subscriptions().containsKey("a/3"));
            h.in(c, subscribe(2, "a/1", QoS.AT_MOST_ONCE));
            assertEquals(List.of(ReasonCode.GRANTED_QOS_0), assertInstanceOf(SubAck.class, h.out(c).get(0)).reasonCodes(),
                    "replacing a subscription adds nothing");
            h.in(c, unsubscribe(3, "a/2"));
            h.in(c, subscribe(4, "a/3", QoS.AT_MOST_ONCE));
            List<Packet> out = h.out(c);
            assertEquals(List.of(ReasonCode.GRANTED_QOS_0), assertInstanceOf(SubAck.class, out.get(out.size() - 1))
                    .reasonCodes(), "an UNSUBSCRIBE made room");
            assertEquals(3 * one, h.state().holdings().subscriptionBytes());
        }
    }

    @Test
    @DisplayName("a subscription counts its levels as well as its bytes: 65,536 empty levels in 65,535 bytes weigh more than 6 MB")
    void deepFiltersWeighTheirLevels() {
        assertEquals(3 + 2 * 96 + 128, Holdings.subscriptionWeight("a/b"));
        assertTrue(Holdings.subscriptionWeight("/".repeat(65_535)) > 6_000_000);
    }
}
