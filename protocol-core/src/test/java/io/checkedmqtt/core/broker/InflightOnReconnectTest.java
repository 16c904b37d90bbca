package io.checkedmqtt.core.broker;

import io.checkedmqtt.core.codec.Hex;
import io.checkedmqtt.core.codec.MqttEncoder;
import io.checkedmqtt.core.effect.ConnectionId;
import io.checkedmqtt.core.packet.Packet;
import io.checkedmqtt.core.packet.PropertyId;
import io.checkedmqtt.core.packet.ProtocolVersion;
import io.checkedmqtt.core.packet.PubAck;
import io.checkedmqtt.core.packet.PubComp;
import io.checkedmqtt.core.packet.PubRec;
import io.checkedmqtt.core.packet.PubRel;
import io.checkedmqtt.core.packet.Publish;
import io.checkedmqtt.core.packet.QoS;
import io.checkedmqtt.testkit.BrokerHarness;
import io.checkedmqtt.testkit.Packets;
import io.checkedmqtt.testkit.ProtocolVersions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import static io.checkedmqtt.testkit.Packets.V5;
import static io.checkedmqtt.testkit.Packets.connect;
import static io.checkedmqtt.testkit.Packets.expiring;
import static io.checkedmqtt.testkit.Packets.publish;
import static io.checkedmqtt.testkit.Packets.publishes;
import static io.checkedmqtt.testkit.Packets.subscribe;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a kept session's in-flight messages become when the client comes back: their Message
 * Expiry Interval counts down while they wait and is never sent larger than what is left, an
 * expired one that was sent once still goes again, and a client that reconnects with a smaller
 * Receive Maximum gets no more unacknowledged PUBLISHes than it allows.
 */
class InflightOnReconnectTest {

    private final BrokerHarness h = new BrokerHarness();

    private ConnectionId keptSubscriber(String id, QoS qos, long receiveMaximum) {
        ConnectionId c = h.open();
        h.in(c, reconnectPacket(id, receiveMaximum), subscribe(1, "t", qos));
        h.out(c);
        return c;
    }

    private static io.checkedmqtt.core.packet.Connect reconnectPacket(String id, long receiveMaximum) {
        io.checkedmqtt.core.packet.Connect c = Packets.connect5(id, false, 600);
        return receiveMaximum == 0 ? c : Packets.withProperty(c, PropertyId.RECEIVE_MAXIMUM, receiveMaximum);
    }

    private ConnectionId publisher() {
        ConnectionId c = h.open();
        h.in(c, connect(V5, "p", true));
        h.out(c);
        return c;
    }

    private static long interval(Publish p) {
        return p.properties().integer(PropertyId.MESSAGE_EXPIRY_INTERVAL, -1);
    }

    @Test
    @DisplayName("v5 [MQTT-3.3.2-6] [MQTT-4.4.0-1] a QoS 1 message resent on reconnect carries the seconds left then, not the interval of its first send")
    void resendCarriesTheTimeLeft() {
        ConnectionId sub = keptSubscriber("s", QoS.AT_LEAST_ONCE, 0);
        ConnectionId pub = publisher();
        h.in(pub, expiring("x", QoS.AT_LEAST_ONCE, 1, 30));
        Publish first = publishes(h.out(sub)).get(0);
        assertEquals(30, interval(first));
        h.lose(sub);
        h.advance(12_500);
        sub = h.open();
        h.in(sub, reconnectPacket("s", 0));
        Publish again = publishes(h.out(sub)).get(0);
        assertEquals(first.packetId(), again.packetId());
        assertTrue(again.dup());
        assertEquals(17, interval(again), "17.5 s are left: never more than that");
    }

    @Test
    @DisplayName("v5 [MQTT-3.3.2-5] [MQTT-4.3.3-7] [MQTT-4.4.0-1] QoS 1 and 2 messages sent once and expired while the client was away are resent with the same id and a Message Expiry Interval of 0; a queued one is dropped")
    void expiredAfterFirstSendIsResentWithZero() {
        ConnectionId sub = keptSubscriber("s", QoS.EXACTLY_ONCE, 0);
        ConnectionId pub = publisher();
        h.in(pub, expiring("one", QoS.AT_LEAST_ONCE, 1, 2), expiring("two", QoS.EXACTLY_ONCE, 2, 2));
        List<Publish> first = publishes(h.out(sub));
        assertEquals(2, first.size());
        h.lose(sub);
        h.in(pub, expiring("queued", QoS.AT_LEAST_ONCE, 3, 2));
        h.advance(60_000);
        sub = h.open();
        h.in(sub, reconnectPacket("s", 0));
        List<Publish> again = publishes(h.out(sub));
        assertEquals(List.of("one", "two"), again.stream().map(Packets::text).toList(),
                "delivery of both had started; the queued one had not, and is gone");
        for (int i = 0; i < 2; i++) {
            assertEquals(first.get(i).packetId(), again.get(i).packetId());
            assertEquals(0, interval(again.get(i)), "no time is left, and the client is told so");
        }
        h.in(sub, new PubAck(again.get(0).packetId()), new PubRec(again.get(1).packetId()));
        assertEquals(List.of(new PubRel(again.get(1).packetId())), h.out(sub));
        h.in(sub, new PubComp(again.get(1).packetId()));
        assertTrue(h.state().session("s").inflight().isEmpty());
    }

    @Test
    @DisplayName("v5 [MQTT-3.3.4-9] [MQTT-4.4.0-1] [MQTT-4.6.0-1] a client reconnecting with a smaller Receive Maximum gets that many resent PUBLISHes; the others follow, in order, as it acknowledges")
    void smallerReceiveMaximumHoldsResends() {
        ConnectionId sub = keptSubscriber("s", QoS.AT_LEAST_ONCE, 10);
        ConnectionId pub = publisher();
        for (int i = 1; i <= 5; i++) {
            h.in(pub, publish("t", "m" + i, QoS.AT_LEAST_ONCE, i));
        }
        List<Publish> first = publishes(h.out(sub));
        assertEquals(5, first.size());
        h.lose(sub);
        sub = h.open();
        h.in(sub, reconnectPacket("s", 2));
        List<Publish> again = publishes(h.out(sub));
        assertEquals(List.of("m1", "m2"), again.stream().map(Packets::text).toList(), "only as many as it allows");
        assertEquals(5, h.state().session("s").inflight().size(), "the other three keep their identifiers");
        h.in(pub, publish("t", "m6", QoS.AT_LEAST_ONCE, 6));
        assertEquals(List.of(), h.out(sub), "a new message waits behind the held ones");
        List<String> seen = new ArrayList<>();
        while (!again.isEmpty()) {
            Publish next = again.remove(0);
            seen.add(Packets.text(next));
            h.in(sub, new PubAck(next.packetId()));
            List<Publish> more = publishes(h.out(sub));
            for (Publish p : more) {
                int index = Integer.parseInt(Packets.text(p).substring(1)) - 1;
                if (index < 5) {
                    assertTrue(p.dup(), "a held message goes out as a resend");
                    assertEquals(first.get(index).packetId(), p.packetId(), "with its original identifier");
                }
            }
            again.addAll(more);
            assertTrue(h.state().session("s").inflight().activeCount() <= 2, "never more than 2 unacknowledged");
        }
        assertEquals(List.of("m1", "m2", "m3", "m4", "m5", "m6"), seen);
    }

    @Test
    @DisplayName("v5 [MQTT-4.9.0-3] PUBRELs are resent at once even beyond the Receive Maximum; the held PUBLISH follows their PUBCOMPs")
    void pubRelsAreNeverHeld() {
        ConnectionId sub = keptSubscriber("s", QoS.EXACTLY_ONCE, 10);
        ConnectionId pub = publisher();
        for (int i = 1; i <= 3; i++) {
            h.in(pub, publish("t", "m" + i, QoS.EXACTLY_ONCE, i));
        }
        List<Publish> first = publishes(h.out(sub));
        h.in(sub, new PubRec(first.get(0).packetId()), new PubRec(first.get(1).packetId()));
        h.out(sub);
        h.lose(sub);
        sub = h.open();
        h.in(sub, reconnectPacket("s", 1));
        List<Packet> out = h.out(sub);
        assertEquals(List.of(new PubRel(first.get(0).packetId()), new PubRel(first.get(1).packetId())),
                out.stream().filter(PubRel.class::isInstance).toList());
        assertEquals(List.of(), publishes(out), "the quota is taken by the flows still open");
        h.in(sub, new PubComp(first.get(0).packetId()), new PubComp(first.get(1).packetId()));
        List<Publish> held = publishes(h.out(sub));
        assertEquals(List.of("m3"), held.stream().map(Packets::text).toList());
        assertEquals(first.get(2).packetId(), held.get(0).packetId());
        assertTrue(held.get(0).dup());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(ProtocolVersions.BEFORE_5)
    @DisplayName("v3.1 a PUBREL resent on reconnect carries DUP=1, as 3.1 marks every retry (3.1 sections 2.1, 3.6); 3.1.1 keeps the flags 0010 [MQTT-3.6.1-1]")
    void mqtt31PubRelRetryHasDup(ProtocolVersion v) {
        BrokerHarness b = new BrokerHarness();
        ConnectionId sub = b.open();
        b.in(sub, connect(v, "s", false), subscribe(1, "t", QoS.EXACTLY_ONCE));
        b.out(sub);
        ConnectionId pub = b.open();
        b.in(pub, connect(v, "p", true), publish("t", "x", QoS.EXACTLY_ONCE, 1));
        int id = publishes(b.out(sub)).get(0).packetId();
        b.in(sub, new PubRec(id));
        assertEquals(List.of(new PubRel(id)), b.out(sub), "the first PUBREL is no retry");
        b.lose(sub);
        sub = b.open();
        b.in(sub, connect(v, "s", false));
        Packet resent = b.out(sub).get(1);
        String expected = v == ProtocolVersion.MQTT_3_1 ? "6A 02 00 01" : "62 02 00 01";
        assertEquals(expected, wire(resent, v));
    }

    private static String wire(Packet packet, ProtocolVersion v) {
        ByteBuffer out = ByteBuffer.allocate(MqttEncoder.encodedSize(packet, v));
        MqttEncoder.encode(packet, v, out);
        return Hex.of(out.array());
    }
}
