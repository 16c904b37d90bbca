package io.checkedmqtt.core.broker;

import io.checkedmqtt.core.effect.ConnectionId;
import io.checkedmqtt.core.packet.Disconnect;
import io.checkedmqtt.core.packet.Packet;
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
import io.checkedmqtt.core.packet.UnsubAck;
import io.checkedmqtt.core.packet.Unsubscribe;
import io.checkedmqtt.testkit.BrokerHarness;
import io.checkedmqtt.testkit.Packets;
import io.checkedmqtt.testkit.ProtocolVersions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;

import static io.checkedmqtt.testkit.Packets.V3;
import static io.checkedmqtt.testkit.Packets.V5;
import static io.checkedmqtt.testkit.Packets.connect;
import static io.checkedmqtt.testkit.Packets.publish;
import static io.checkedmqtt.testkit.Packets.subscribe;
import static io.checkedmqtt.testkit.Packets.unsubscribe;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SubscribeTest {

    private final BrokerHarness h = new BrokerHarness();

    private ConnectionId client(io.checkedmqtt.core.packet.ProtocolVersion v, String id) {
        ConnectionId c = h.open();
        h.in(c, connect(v, id, false));
        h.out(c);
        return c;
    }

    @Test
    @DisplayName("v3.1.1 [MQTT-3.8.4-1] [MQTT-3.8.4-2] [MQTT-3.8.4-4] [MQTT-3.8.4-5] [MQTT-3.9.3-1] one SUBACK, same id, one code per filter in order")
    void subAckV3() {
        ConnectionId c = client(V3, "a");
        // "$share//c" is a well-formed 3.1.1 filter the broker refuses (no Shared Subscription form)
        h.in(c, subscribe(42, "a/b", QoS.AT_LEAST_ONCE, "$share//c", QoS.EXACTLY_ONCE, "x/+", QoS.AT_MOST_ONCE));
        assertEquals(List.of(new SubAck(42, List.of(ReasonCode.GRANTED_QOS_1, ReasonCode.UNSPECIFIED_ERROR,
                ReasonCode.GRANTED_QOS_0), Properties.EMPTY)), h.out(c));
        assertEquals(2, h.state().session("a").subscriptions().size());
    }

    @Test
    @DisplayName("v3.1.1 [MQTT-3.9.3-2] a 3.1.1 SUBACK uses only 0x00, 0x01, 0x02 and 0x80")
    void subAckCodesV3() {
        ConnectionId c = client(V3, "a");
        h.in(c, subscribe(1, "$share/g/x", QoS.AT_LEAST_ONCE, "$share/g", QoS.AT_LEAST_ONCE, "ok", QoS.EXACTLY_ONCE));
        SubAck ack = assertInstanceOf(SubAck.class, h.out(c).get(0));
        for (ReasonCode code : ack.reasonCodes()) {
            assertTrue(List.of(ReasonCode.GRANTED_QOS_0, ReasonCode.GRANTED_QOS_1, ReasonCode.GRANTED_QOS_2,
                    ReasonCode.UNSPECIFIED_ERROR).contains(code), code.toString());
        }
    }

    @Test
    @DisplayName("v5 [MQTT-3.8.4-1] [MQTT-3.8.4-2] [MQTT-3.8.4-5] [MQTT-3.8.4-6] [MQTT-3.8.4-7] [MQTT-3.9.3-1] SUBACK per filter with the granted QoS")
    void subAckV5() {
        ConnectionId c = client(V5, "a");
        h.in(c, subscribe(7, "a/b", QoS.EXACTLY_ONCE, "a/#", QoS.AT_LEAST_ONCE, "$share/g/+", QoS.AT_MOST_ONCE));
        assertEquals(List.of(new SubAck(7, List.of(ReasonCode.GRANTED_QOS_2, ReasonCode.GRANTED_QOS_1,
                ReasonCode.GRANTED_QOS_0), Properties.EMPTY)), h.out(c));
    }

    @Test
    @DisplayName("v3.1.1 [MQTT-3.8.4-3] v5 [MQTT-3.8.4-3] an identical filter replaces the subscription")
    void replaceSubscription() {
        ConnectionId c = client(V5, "a");
        h.in(c, subscribe(1, "t", QoS.AT_MOST_ONCE), subscribe(2, "t", QoS.EXACTLY_ONCE));
        h.out(c);
        assertEquals(QoS.EXACTLY_ONCE, h.state().session("a").subscriptions().get("t").maxQos());
        ConnectionId p = client(V5, "p");
        h.in(p, publish("t", "x", QoS.EXACTLY_ONCE, 1));
        List<Packet> got = h.out(c);
        assertEquals(1, got.size(), "one copy, not one per subscribe");
        assertEquals(QoS.EXACTLY_ONCE, ((Publish) got.get(0)).qos());
    }

    @Test
    @DisplayName("v3.1.1 [MQTT-3.3.1-6] [MQTT-3.3.1-8] a new subscription gets matching retained messages with RETAIN 1")
    void retainedOnSubscribe() {
        ConnectionId p = client(V3, "p");
        h.in(p, new Publish("r/1", Packets.bytes("kept"), QoS.AT_LEAST_ONCE, true, false, 1, Properties.EMPTY));
        ConnectionId c = client(V3, "a");
        h.in(c, subscribe(3, "r/+", QoS.AT_LEAST_ONCE));
        List<Packet> out = h.out(c);
        assertInstanceOf(SubAck.class, out.get(0));
        Publish retained = assertInstanceOf(Publish.class, out.get(1));
        assertTrue(retained.retain());
        assertEquals("kept", Packets.text(retained));
        h.in(c, new PubAck(retained.packetId()));
        assertTrue(h.state().session("a").inflight().isEmpty());
    }

    @Test
    @DisplayName("v3.1.1 [MQTT-3.10.4-1] [MQTT-3.10.4-2] [MQTT-3.10.4-4] [MQTT-3.10.4-5] [MQTT-3.10.4-6] UNSUBACK with the same id, no payload, even if nothing matched; delivery stops")
    void unsubscribeV3() {
        ConnectionId c = client(V3, "a");
        h.in(c, subscribe(1, "t", QoS.AT_LEAST_ONCE));
        h.out(c);
        h.in(c, unsubscribe(9, "t", "never"));
        assertEquals(List.of(new UnsubAck(9, List.of(), Properties.EMPTY)), h.out(c));
        assertTrue(h.state().session("a").subscriptions().isEmpty());
        ConnectionId p = client(V3, "p");
        h.in(p, publish("t", "x", QoS.AT_LEAST_ONCE, 1));
        assertTrue(h.out(c).isEmpty());
    }

    @Test
    @DisplayName("v5 [MQTT-3.10.4-1] [MQTT-3.10.4-4] [MQTT-3.10.4-5] [MQTT-3.10.4-6] [MQTT-3.11.3-1] [MQTT-3.11.3-2] UNSUBACK: one code per filter, in order")
    void unsubscribeV5() {
        ConnectionId c = client(V5, "a");
        h.in(c, subscribe(1, "t", QoS.AT_LEAST_ONCE));
        h.out(c);
        h.in(c, unsubscribe(4, "never", "t", "$share/g/t"));
        assertEquals(List.of(new UnsubAck(4, List.of(ReasonCode.NO_SUBSCRIPTION_EXISTED, ReasonCode.SUCCESS,
                ReasonCode.NO_SUBSCRIPTION_EXISTED), Properties.EMPTY)), h.out(c));
    }

    @Test
    @DisplayName("v3.1.1 [MQTT-3.10.4-3] v5 [MQTT-3.10.4-3] after UNSUBSCRIBE, QoS 1/2 deliveries already started still complete")
    void unsubscribeKeepsInflight() {
        ConnectionId c = h.open();
        h.in(c, Packets.connect5("a", false, 600), subscribe(1, "t", QoS.AT_LEAST_ONCE));
        h.out(c);
        ConnectionId p = client(V5, "p");
        h.in(p, publish("t", "x", QoS.AT_LEAST_ONCE, 1));
        Publish inflight = (Publish) h.out(c).get(0);
        h.in(c, unsubscribe(2, "t"));
        h.out(c);
        h.in(p, publish("t", "after", QoS.AT_LEAST_ONCE, 2));
        assertTrue(h.out(c).isEmpty(), "no new deliveries");
        h.lose(c);
        ConnectionId back = h.open();
        h.in(back, Packets.connect5("a", false, 600));
        List<Packet> out = h.out(back);
        assertEquals(2, out.size(), "CONNACK and the resent in-flight message");
        Publish resent = (Publish) out.get(1);
        assertEquals(inflight.packetId(), resent.packetId());
        assertTrue(resent.dup());
    }

    @Test
    @DisplayName("v3.1.1 [MQTT-3.8.3-3] [MQTT-3.10.3-2] v5 [MQTT-3.8.3-2] [MQTT-3.10.3-2] SUBSCRIBE or UNSUBSCRIBE without filters is a protocol violation")
    void emptySubscribe() {
        ConnectionId c = client(V5, "a");
        h.in(c, new Subscribe(1, List.of(), Properties.EMPTY));
        assertEquals(List.of(new Disconnect(ReasonCode.PROTOCOL_ERROR)), h.out(c));
        ConnectionId d = client(V3, "b");
        h.in(d, new Unsubscribe(1, List.of(), Properties.EMPTY));
        assertTrue(h.closedByServer(d));
        ConnectionId e = client(V5, "e");
        h.in(e, new Unsubscribe(1, List.of(), Properties.EMPTY));
        assertEquals(List.of(new Disconnect(ReasonCode.PROTOCOL_ERROR)), h.out(e));
    }

    @Test
    @DisplayName("v5 [MQTT-3.8.3-4] No Local on a shared subscription is a Protocol Error: DISCONNECT 0x82")
    void sharedNoLocal() {
        ConnectionId c = client(V5, "a");
        h.in(c, new Subscribe(1, List.of(new Subscription("$share/g/t", new SubscriptionOptions(QoS.AT_LEAST_ONCE,
                true, false, SubscriptionOptions.RetainHandling.SEND_ON_SUBSCRIBE))), Properties.EMPTY));
        assertEquals(List.of(new Disconnect(ReasonCode.PROTOCOL_ERROR)), h.out(c));
        assertTrue(h.closedByServer(c));
    }

    @Test
    @DisplayName("v5 [MQTT-3.8.3-3] No Local: the client does not get its own messages")
    void noLocal() {
        ConnectionId c = client(V5, "a");
        h.in(c, new Subscribe(1, List.of(new Subscription("t", new SubscriptionOptions(QoS.AT_LEAST_ONCE,
                true, false, SubscriptionOptions.RetainHandling.SEND_ON_SUBSCRIBE))), Properties.EMPTY));
        h.out(c);
        h.in(c, publish("t", "own", QoS.AT_LEAST_ONCE, 1));
        // nothing to send to anyone, so the PUBACK says so (0x10)
        assertEquals(List.of(new PubAck(1, ReasonCode.NO_MATCHING_SUBSCRIBERS, Properties.EMPTY)), h.out(c));
    }

    @Test
    @DisplayName("v3.1.1 [MQTT-4.5.0-1] v5 [MQTT-4.5.0-1] a message goes to every matching subscriber's session, online or kept offline")
    void everyMatchingSession() {
        ConnectionId online = client(V3, "on");
        h.in(online, subscribe(1, "a/+", QoS.AT_LEAST_ONCE));
        ConnectionId offline = client(V3, "off");
        h.in(offline, subscribe(1, "a/#", QoS.AT_LEAST_ONCE));
        h.out(online);
        h.lose(offline);
        ConnectionId p = client(V3, "p");
        h.in(p, publish("a/b", "x", QoS.AT_LEAST_ONCE, 1));
        assertEquals(1, h.out(online).size());
        assertEquals(1, h.state().session("off").queue().size());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(ProtocolVersions.BOTH)
    @DisplayName("v3.1.1 [MQTT-2.3.1-7] v5 [MQTT-2.2.1-6] SUBACK and UNSUBACK carry the Packet Identifier of the packet they answer")
    void acknowledgementsEchoPacketId(ProtocolVersion v) {
        ConnectionId c = client(v, "echo" + v.level());
        for (int id : new int[] {1, 2, 255, 256, 4_660, 65_534, 65_535}) {
            h.in(c, subscribe(id, "t/" + id, QoS.AT_LEAST_ONCE));
            assertEquals(id, assertInstanceOf(SubAck.class, h.out(c).get(0)).packetId(), v + " SUBACK");
            h.in(c, unsubscribe(65_536 - id, "t/" + id));
            assertEquals(65_536 - id, assertInstanceOf(UnsubAck.class, h.out(c).get(0))
                    .packetId(), v + " UNSUBACK");
        }
    }
}
