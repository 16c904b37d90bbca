package io.checkedmqtt.core.broker;

import io.checkedmqtt.core.codec.Hex;
import io.checkedmqtt.core.codec.MqttEncoder;
import io.checkedmqtt.core.effect.ConnectionId;
import io.checkedmqtt.core.packet.Connack;
import io.checkedmqtt.core.packet.Packet;
import io.checkedmqtt.core.packet.Properties;
import io.checkedmqtt.core.packet.ProtocolVersion;
import io.checkedmqtt.core.packet.PubAck;
import io.checkedmqtt.core.packet.PubComp;
import io.checkedmqtt.core.packet.PubRec;
import io.checkedmqtt.core.packet.Publish;
import io.checkedmqtt.core.packet.QoS;
import io.checkedmqtt.core.packet.ReasonCode;
import io.checkedmqtt.core.packet.SubAck;
import io.checkedmqtt.core.packet.UnsubAck;
import io.checkedmqtt.testkit.BrokerHarness;
import io.checkedmqtt.testkit.Packets;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.List;

import static io.checkedmqtt.testkit.Packets.connect;
import static io.checkedmqtt.testkit.Packets.publish;
import static io.checkedmqtt.testkit.Packets.subscribe;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * MQTT 3.1 clients (protocol name MQIsdp, level 3) through the broker core, with their packets as
 * bytes: a kept session comes back as in 3.1.1, but the CONNACK carries no Session Present (3.1
 * section 3.2: byte 1 "Reserved values. Not used."), and the retries 3.1 marks with DUP=1 (PUBREL,
 * SUBSCRIBE, UNSUBSCRIBE, 3.1 section 2.1) are served, not treated as malformed.
 */
class Mqtt31Test {

    static final ProtocolVersion V31 = ProtocolVersion.MQTT_3_1;

    private final BrokerHarness h = new BrokerHarness();

    @Test
    @DisplayName("v3.1 a kept session reconnects: subscriptions and the queued QoS 1 message are there, and the CONNACK's byte 1 is 0")
    void keptSessionReconnects() {
        ConnectionId c = h.open();
        h.in(c, connect(V31, "old", false));
        assertEquals("20 02 00 00", wire(h.out(c).get(0)), "CONNACK, new session");
        h.in(c, subscribe(1, "t", QoS.AT_LEAST_ONCE));
        h.out(c);
        h.lose(c);

        ConnectionId p = h.open();
        h.in(p, connect(V31, "p", true));
        h.in(p, publish("t", "while away", QoS.AT_LEAST_ONCE, 5));
        assertEquals(List.of(new PubAck(5)), h.out(p).subList(1, 2));

        ConnectionId back = h.open();
        h.in(back, connect(V31, "old", false));
        List<Packet> out = h.out(back);
        Connack connack = assertInstanceOf(Connack.class, out.get(0));
        assertTrue(connack.sessionPresent(), "the core resumed the session (3.1.1 would say Session Present 1)");
        assertEquals("20 02 00 00", wire(connack), "3.1 has no Session Present bit: byte 1 stays 0");
        Publish queued = assertInstanceOf(Publish.class, out.get(1));
        assertEquals("while away", Packets.text(queued));
        h.in(back, new PubAck(queued.packetId()));
        assertTrue(h.state().session("old").inflight().isEmpty());
    }

    @Test
    @DisplayName("v3.1 a PUBREL, SUBSCRIBE and UNSUBSCRIBE retried with DUP=1 are answered, and the connection stays open")
    void dupRetriesAreServed() {
        ConnectionId c = h.connected(V31, "retrier");
        h.inBytes(c, V31, Hex.bytes("34 06 00 01 71 00 05 78")); // PUBLISH QoS 2 "q", id 5, payload "x"
        assertEquals(List.of(new PubRec(5)), h.out(c));
        h.inBytes(c, V31, Hex.bytes("6A 02 00 05"));              // PUBREL id 5, DUP=1: a retry
        assertEquals(List.of(new PubComp(5)), h.out(c));
        h.inBytes(c, V31, Hex.bytes("8A 06 00 07 00 01 74 01"));  // SUBSCRIBE id 7 "t" QoS 1, DUP=1
        assertEquals(List.of(new SubAck(7, List.of(ReasonCode.GRANTED_QOS_1), Properties.EMPTY)), h.out(c));
        h.inBytes(c, V31, Hex.bytes("AA 05 00 08 00 01 74"));     // UNSUBSCRIBE id 8 "t", DUP=1
        assertEquals(List.of(new UnsubAck(8, List.of(), Properties.EMPTY)), h.out(c));
        assertFalse(h.isClosed(c));
    }

    @Test
    @DisplayName("v3.1 a SUBSCRIBE with a filter the broker refuses closes the connection, with no SUBACK (a 3.1 SUBACK holds granted QoS only) and nothing of it kept; 3.1.1 gets 0x80 [MQTT-3.9.3-2]")
    void refusedFilterCloses() {
        ConnectionId c = h.open();
        h.in(c, connect(V31, "refused", false));
        h.out(c);
        h.in(c, Packets.subscribe(3, "fine", QoS.AT_LEAST_ONCE, "$share//a", QoS.AT_LEAST_ONCE));
        assertEquals(List.of(), h.out(c));
        assertTrue(h.closedByServer(c));
        assertTrue(h.state().session("refused").subscriptions().isEmpty(), "the granted filter is not kept either");
        ConnectionId p = h.connected(V31, "p");
        h.in(p, publish("fine", "x", QoS.AT_LEAST_ONCE, 1));
        assertTrue(h.state().session("refused").queue().isEmpty(), "nothing routed to it");

        ConnectionId v311 = h.connected(ProtocolVersion.MQTT_3_1_1, "refused311");
        h.in(v311, Packets.subscribe(3, "fine", QoS.AT_LEAST_ONCE, "$share//a", QoS.AT_LEAST_ONCE));
        assertEquals(List.of(new SubAck(3, List.of(ReasonCode.GRANTED_QOS_1, ReasonCode.UNSPECIFIED_ERROR),
                Properties.EMPTY)), h.out(v311));
        assertFalse(h.isClosed(v311));
    }

    private static String wire(Packet packet) {
        ByteBuffer out = ByteBuffer.allocate(MqttEncoder.encodedSize(packet, V31));
        MqttEncoder.encode(packet, V31, out);
        return Hex.of(out.array());
    }
}
