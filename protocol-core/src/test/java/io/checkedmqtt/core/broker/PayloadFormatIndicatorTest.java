package io.checkedmqtt.core.broker;

import io.checkedmqtt.core.effect.ConnectionId;
import io.checkedmqtt.core.packet.Connack;
import io.checkedmqtt.core.packet.Disconnect;
import io.checkedmqtt.core.packet.Packet;
import io.checkedmqtt.core.packet.Properties;
import io.checkedmqtt.core.packet.PropertyId;
import io.checkedmqtt.core.packet.PubAck;
import io.checkedmqtt.core.packet.PubRec;
import io.checkedmqtt.core.packet.Publish;
import io.checkedmqtt.core.packet.QoS;
import io.checkedmqtt.core.packet.ReasonCode;
import io.checkedmqtt.core.packet.Will;
import io.checkedmqtt.testkit.BrokerHarness;
import io.checkedmqtt.testkit.Packets;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static io.checkedmqtt.testkit.Packets.V3;
import static io.checkedmqtt.testkit.Packets.V5;
import static io.checkedmqtt.testkit.Packets.connect;
import static io.checkedmqtt.testkit.Packets.subscribe;
import static io.checkedmqtt.testkit.Packets.withWill;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * 5.0 Payload Format Indicator 1 promises a UTF-8 payload (section 3.3.2.3.2). The broker checks
 * the promise: a PUBLISH that breaks it is answered with 0x99 Payload format invalid (PUBACK,
 * PUBREC, or for QoS 0 DISCONNECT) and never handed on; a Will that breaks it is refused in CONNACK.
 */
class PayloadFormatIndicatorTest {

    private static final byte[] NOT_UTF8 = {(byte) 0xC3, (byte) 0x28};
    private static final Properties SAYS_UTF8 = Properties.EMPTY.withInteger(PropertyId.PAYLOAD_FORMAT_INDICATOR, 1);

    private final BrokerHarness h = new BrokerHarness();

    private ConnectionId client(String id) {
        ConnectionId c = h.open();
        h.in(c, connect(V5, id, true));
        h.out(c);
        return c;
    }

    private ConnectionId subscriber() {
        ConnectionId c = client("sub");
        h.in(c, subscribe(1, "t", QoS.EXACTLY_ONCE));
        h.out(c);
        return c;
    }

    private static Publish publish(byte[] payload, QoS qos, int packetId) {
        return new Publish("t", payload, qos, false, false, packetId, SAYS_UTF8);
    }

    @Test
    @DisplayName("v5 [MQTT-3.4.2-1] [MQTT-3.5.2-1] a QoS 1 / 2 PUBLISH whose payload is not the UTF-8 its indicator says gets PUBACK / PUBREC 0x99 and goes to nobody")
    void refusedWithAnAcknowledgement() {
        ConnectionId sub = subscriber();
        ConnectionId pub = client("pub");
        h.in(pub, publish(NOT_UTF8, QoS.AT_LEAST_ONCE, 1));
        assertEquals(List.of(new PubAck(1, ReasonCode.PAYLOAD_FORMAT_INVALID, Properties.EMPTY)), h.out(pub));
        h.in(pub, publish(NOT_UTF8, QoS.EXACTLY_ONCE, 2));
        assertEquals(List.of(new PubRec(2, ReasonCode.PAYLOAD_FORMAT_INVALID, Properties.EMPTY)), h.out(pub));
        assertTrue(h.out(sub).isEmpty(), "refused messages are not handed on");
        assertTrue(!h.isClosed(pub) && !h.isClosed(sub));
    }

    @Test
    @DisplayName("v5 [MQTT-4.3.3-9] after PUBREC 0x99 the packet identifier is free: a PUBLISH with it is a new message")
    void identifierFreeAfterRefusal() {
        ConnectionId sub = subscriber();
        ConnectionId pub = client("pub");
        h.in(pub, publish(NOT_UTF8, QoS.EXACTLY_ONCE, 7));
        h.out(pub);
        h.in(pub, publish("fine".getBytes(StandardCharsets.UTF_8), QoS.EXACTLY_ONCE, 7));
        assertEquals(List.of(new PubRec(7)), h.out(pub));
        List<Packet> got = h.out(sub);
        assertEquals(1, got.size());
        assertEquals("fine", Packets.text(assertInstanceOf(Publish.class, got.get(0))));
    }

    @Test
    @DisplayName("v5 [MQTT-3.3.2-4] a payload that agrees with indicator 1 is delivered with the indicator unchanged")
    void validPayloadForwardedWithItsIndicator() {
        ConnectionId sub = subscriber();
        ConnectionId pub = client("pub");
        h.in(pub, publish("h\u00e9llo".getBytes(StandardCharsets.UTF_8), QoS.AT_LEAST_ONCE, 1));
        assertEquals(List.of(new PubAck(1)), h.out(pub));
        Publish got = assertInstanceOf(Publish.class, h.out(sub).get(0));
        assertEquals(1, got.properties().integer(PropertyId.PAYLOAD_FORMAT_INDICATOR, 0));
    }

    @Test
    @DisplayName("v5 [MQTT-4.13.1-1] a QoS 0 PUBLISH has no acknowledgement to carry 0x99: DISCONNECT 0x99, the connection closes")
    void qos0Disconnects() {
        ConnectionId sub = subscriber();
        ConnectionId pub = client("pub");
        h.in(pub, publish(NOT_UTF8, QoS.AT_MOST_ONCE, 0));
        assertEquals(List.of(new Disconnect(ReasonCode.PAYLOAD_FORMAT_INVALID)), h.out(pub));
        assertEquals(ReasonCode.PAYLOAD_FORMAT_INVALID, h.closeReason(pub));
        assertTrue(h.out(sub).isEmpty());
    }

    @Test
    @DisplayName("v5 [MQTT-3.2.2-6] [MQTT-3.2.2-7] a Will whose payload is not the UTF-8 its indicator says: CONNACK 0x99 with Session Present 0, then the close")
    void willRefused() {
        ConnectionId c = h.open();
        h.in(c, withWill(connect(V5, "w", true), new Will("w/t", NOT_UTF8, QoS.AT_MOST_ONCE, false, SAYS_UTF8)));
        Connack ack = assertInstanceOf(Connack.class, h.out(c).get(0));
        assertEquals(ReasonCode.PAYLOAD_FORMAT_INVALID, ack.reasonCode());
        assertTrue(!ack.sessionPresent() && h.isClosed(c));
    }

    @Test
    @DisplayName("v3.1.1 has no Payload Format Indicator: any payload bytes are routed")
    void v311AnyBytes() {
        ConnectionId sub = h.open();
        h.in(sub, connect(V3, "sub3", true), subscribe(1, "t", QoS.AT_LEAST_ONCE));
        h.out(sub);
        ConnectionId pub = h.open();
        h.in(pub, connect(V3, "pub3", true));
        h.out(pub);
        h.in(pub, new Publish("t", NOT_UTF8, QoS.AT_LEAST_ONCE, false, false, 1, Properties.EMPTY));
        assertEquals(List.of(new PubAck(1)), h.out(pub));
        assertEquals(1, h.out(sub).size());
    }
}
