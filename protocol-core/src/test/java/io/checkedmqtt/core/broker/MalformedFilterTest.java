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
import io.checkedmqtt.testkit.BrokerHarness;
import io.checkedmqtt.testkit.Packets;
import io.checkedmqtt.testkit.ProtocolVersions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.stream.Stream;

import static io.checkedmqtt.testkit.Packets.connect;
import static io.checkedmqtt.testkit.Packets.publish;
import static io.checkedmqtt.testkit.Packets.subscribe;
import static io.checkedmqtt.testkit.Packets.unsubscribe;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A malformed Topic Filter in SUBSCRIBE or UNSUBSCRIBE is a protocol violation that closes the
 * connection, not a filter the server refuses: 5.0 sends DISCONNECT 0x82 Protocol Error first
 * [v5 MQTT-4.13.1-1] (section 1.2: data the protocol does not allow in a packet that parsed),
 * 3.1.1 just closes [v3.1.1 MQTT-4.8.0-1]. 0x8F Topic Filter invalid is for "correctly formed"
 * filters (5.0 section 3.9.3). The packet changes nothing, not even its well-formed filters, and
 * every other client goes on as before.
 */
class MalformedFilterTest {

    /** Empty [MQTT-4.7.3-1], '#' not alone and last, '+' not alone in its level. */
    static final List<String> MALFORMED = List.of("", "#/a", "a/#/b", "a+", "+a", "a#");

    private final BrokerHarness h = new BrokerHarness();

    static Stream<Arguments> cases() {
        return ProtocolVersions.allWith(MALFORMED.toArray());
    }

    @ParameterizedTest(name = "{0} \"{1}\"")
    @MethodSource("cases")
    @DisplayName("v5 [MQTT-4.13.1-1] [MQTT-4.7.1-1] [MQTT-4.7.1-2] [MQTT-4.7.3-1] v3.1.1 [MQTT-4.8.0-1] [MQTT-4.7.1-2] [MQTT-4.7.1-3] [MQTT-4.7.3-1] a malformed filter in SUBSCRIBE closes the connection (5.0: DISCONNECT 0x82); nothing is subscribed; a bystander is unaffected")
    void inSubscribe(ProtocolVersion v, String filter) {
        ConnectionId bystander = bystander();
        ConnectionId c = keptClient(v, "bad");
        h.inWire(c, v, subscribe(1, "fine", QoS.AT_LEAST_ONCE, filter, QoS.AT_LEAST_ONCE));
        assertClosedWithProtocolError(c, v);
        assertNull(h.state().router().index().get("bad", "fine"), "the packet's good filter is not subscribed");
        assertBystanderStillServed(bystander);
    }

    @ParameterizedTest(name = "{0} \"{1}\"")
    @MethodSource("cases")
    @DisplayName("v5 [MQTT-4.13.1-1] [MQTT-4.7.1-1] [MQTT-4.7.1-2] [MQTT-4.7.3-1] v3.1.1 [MQTT-4.8.0-1] [MQTT-4.7.1-2] [MQTT-4.7.1-3] [MQTT-4.7.3-1] a malformed filter in UNSUBSCRIBE closes the connection (5.0: DISCONNECT 0x82); nothing is unsubscribed")
    void inUnsubscribe(ProtocolVersion v, String filter) {
        ConnectionId bystander = bystander();
        ConnectionId c = keptClient(v, "bad");
        h.inWire(c, v, subscribe(1, "kept", QoS.AT_LEAST_ONCE));
        h.out(c);
        h.inWire(c, v, unsubscribe(2, "kept", filter));
        assertClosedWithProtocolError(c, v);
        assertNotNull(h.state().router().index().get("bad", "kept"), "the packet's good filter is not unsubscribed");
        assertBystanderStillServed(bystander);
    }

    @Test
    @DisplayName("v5 [MQTT-4.8.2-1] [MQTT-4.8.2-2] [MQTT-4.13.1-1] a $share/ filter without the Shared Subscription form closes a 5.0 connection with DISCONNECT 0x82")
    void malformedSharedV5() {
        for (String filter : List.of("$share//a", "$share/g", "$share/g+/a", "$share/g/", "$share/g/a/#/b")) {
            ConnectionId c = client(ProtocolVersion.MQTT_5, "s" + filter.length());
            h.inWire(c, ProtocolVersion.MQTT_5, subscribe(1, filter, QoS.AT_MOST_ONCE));
            assertClosedWithProtocolError(c, ProtocolVersion.MQTT_5);
        }
    }

    @Test
    @DisplayName("v3.1.1 [MQTT-3.9.3-2] 3.1.1 has no Shared Subscriptions: $share//a is well formed there, so it is refused with 0x80 and the connection stays")
    void shareFormIn311IsARefusal() {
        ConnectionId c = client(ProtocolVersion.MQTT_3_1_1, "s");
        h.inWire(c, ProtocolVersion.MQTT_3_1_1, subscribe(1, "$share//a", QoS.AT_MOST_ONCE, "a", QoS.AT_MOST_ONCE));
        assertEquals(List.of(new SubAck(1, List.of(ReasonCode.UNSPECIFIED_ERROR, ReasonCode.GRANTED_QOS_0),
                Properties.EMPTY)), h.out(c));
        assertFalse(h.isClosed(c));
    }

    private void assertClosedWithProtocolError(ConnectionId c, ProtocolVersion v) {
        List<Packet> out = h.out(c);
        assertEquals(v.isV5() ? List.of(new Disconnect(ReasonCode.PROTOCOL_ERROR)) : List.of(), out,
                "5.0: DISCONNECT 0x82 and no SUBACK/UNSUBACK; 3.x: nothing");
        assertTrue(h.closedByServer(c));
        assertEquals(ReasonCode.PROTOCOL_ERROR, h.closeReason(c));
    }

    /** A 5.0 client subscribed to "b" at QoS 1, connected before the bad client. */
    private ConnectionId bystander() {
        ConnectionId b = client(ProtocolVersion.MQTT_5, "bystander");
        h.in(b, subscribe(1, "b", QoS.AT_LEAST_ONCE));
        h.out(b);
        return b;
    }

    private void assertBystanderStillServed(ConnectionId bystander) {
        ConnectionId p = client(ProtocolVersion.MQTT_3_1_1, "publisher");
        h.in(p, publish("b", "still here", QoS.AT_LEAST_ONCE, 9));
        assertEquals(List.of(new PubAck(9)), h.out(p));
        Publish got = assertInstanceOf(Publish.class, h.out(bystander).get(0));
        assertEquals("still here", Packets.text(got));
        h.in(bystander, new PubAck(got.packetId()));
        assertFalse(h.isClosed(bystander));
        assertTrue(h.state().session("bystander").inflight().isEmpty(), "its QoS 1 round trip completed");
    }

    /** A client whose session outlives the connection, so the router shows what the bad packet changed. */
    private ConnectionId keptClient(ProtocolVersion v, String clientId) {
        ConnectionId c = h.open();
        h.in(c, v.isV5() ? Packets.connect5(clientId, false, 600) : connect(v, clientId, false));
        h.out(c);
        return c;
    }

    private ConnectionId client(ProtocolVersion v, String clientId) {
        return h.connected(v, clientId);
    }
}
