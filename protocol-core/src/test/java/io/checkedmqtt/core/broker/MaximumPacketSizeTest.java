package io.checkedmqtt.core.broker;

import io.checkedmqtt.core.codec.MqttEncoder;
import io.checkedmqtt.core.effect.ConnectionId;
import io.checkedmqtt.core.packet.Connack;
import io.checkedmqtt.core.packet.Disconnect;
import io.checkedmqtt.core.packet.Packet;
import io.checkedmqtt.core.packet.Properties;
import io.checkedmqtt.core.packet.Property;
import io.checkedmqtt.core.packet.PropertyId;
import io.checkedmqtt.core.packet.ProtocolVersion;
import io.checkedmqtt.core.packet.Publish;
import io.checkedmqtt.core.packet.QoS;
import io.checkedmqtt.core.packet.ReasonCode;
import io.checkedmqtt.core.packet.SubAck;
import io.checkedmqtt.core.packet.Subscribe;
import io.checkedmqtt.core.packet.Subscription;
import io.checkedmqtt.core.packet.SubscriptionOptions;
import io.checkedmqtt.core.session.Link;
import io.checkedmqtt.core.session.PacketSizeLimit;
import io.checkedmqtt.testkit.BrokerHarness;
import io.checkedmqtt.testkit.Packets;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static io.checkedmqtt.testkit.Packets.V5;
import static io.checkedmqtt.testkit.Packets.connect;
import static io.checkedmqtt.testkit.Packets.publish;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The client's 5.0 Maximum Packet Size holds for every packet the server sends it, not only for
 * PUBLISH [v5 MQTT-3.1.2-24]: diagnostics are left out where the spec allows, and a packet still
 * too large is discarded as if sent [v5 MQTT-3.1.2-25].
 */
class MaximumPacketSizeTest {

    private final BrokerHarness h = new BrokerHarness();

    private ConnectionId client(String id, long maximumPacketSize) {
        ConnectionId c = h.open();
        h.in(c, Packets.withProperty(connect(V5, id, true), PropertyId.MAXIMUM_PACKET_SIZE, maximumPacketSize));
        return c;
    }

    private static Subscribe manyFilters(int count) {
        List<Subscription> filters = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            filters.add(new Subscription("f/" + i, SubscriptionOptions.of(QoS.AT_MOST_ONCE)));
        }
        return new Subscribe(1, filters, Properties.EMPTY);
    }

    @Test
    @DisplayName("v5 [MQTT-3.1.2-24] [MQTT-3.1.2-25] a SUBACK for 2,000 filters to a client that takes 1,000 bytes is discarded unsent; the subscriptions hold and the connection stays open")
    void oversizeSubAckDiscarded() {
        ConnectionId c = client("small", 1_000);
        assertEquals(1, h.out(c).size(), "the CONNACK fits");
        h.in(c, manyFilters(2_000));
        assertEquals(List.of(), h.out(c), "a SUBACK of 2,000 codes is about 2 KB: never sent");
        assertFalse(h.isClosed(c));
        ConnectionId p = h.connected(V5, "p");
        h.in(p, publish("f/1999", "x", QoS.AT_MOST_ONCE, 0));
        assertEquals(1, h.out(c).size(), "as if the SUBACK had gone: the subscriptions are in force");
        h.in(c, manyFilters(900));
        assertEquals(SubAck.class, h.out(c).get(0).getClass(), "900 codes fit in 1,000 bytes");
    }

    @Test
    @DisplayName("v5 [MQTT-3.1.2-24] [MQTT-3.1.2-25] a CONNACK larger than the client's Maximum Packet Size is not sent; the session is attached as if it had been")
    void oversizeConnackDiscarded() {
        Connack usual = (Connack) h.out(client("usual", 1_000)).get(0);
        int size = MqttEncoder.encodedSize(usual, V5);
        ConnectionId tiny = client("tiny", size - 1);
        assertEquals(List.of(), h.out(tiny));
        assertFalse(h.isClosed(tiny));
        assertTrue(h.state().isConnected("tiny"));
        ConnectionId exact = client("exact", size);
        assertEquals(1, h.out(exact).size(), "a CONNACK of exactly the maximum is sent");
    }

    @Test
    @DisplayName("v5 [MQTT-3.1.2-24] a DISCONNECT still goes to a client with a small Maximum Packet Size when it fits")
    void smallDisconnectFits() {
        ConnectionId c = client("c", 20);
        h.out(c);
        h.in(c, new Subscribe(1, List.of(new Subscription("a/#/b", SubscriptionOptions.of(QoS.AT_MOST_ONCE))),
                Properties.EMPTY));
        assertEquals(List.of(new Disconnect(ReasonCode.PROTOCOL_ERROR)), h.out(c));
    }

    @Test
    @DisplayName("v5 [MQTT-3.9.2-1] [MQTT-3.9.2-2] [MQTT-3.14.2-3] [MQTT-3.14.2-4] Reason String and User Properties are left out when they would make the packet too large; the rest of it is kept")
    void diagnosticsLeftOut() {
        Properties diagnostics = Properties.of(new Property.StringProperty(PropertyId.REASON_STRING, "x".repeat(100)),
                new Property.UserProperty("k", "v".repeat(100)));
        SubAck subAck = new SubAck(7, List.of(ReasonCode.GRANTED_QOS_1), diagnostics);
        Disconnect disconnect = new Disconnect(ReasonCode.QUOTA_EXCEEDED, diagnostics);
        assertSame(subAck, PacketSizeLimit.fitted(subAck, V5, 1_000), "it fits: sent as it is");
        assertSame(subAck, PacketSizeLimit.fitted(subAck, V5, Link.NO_MAXIMUM_PACKET_SIZE));
        assertEquals(new SubAck(7, List.of(ReasonCode.GRANTED_QOS_1), Properties.EMPTY),
                PacketSizeLimit.fitted(subAck, V5, 50));
        assertEquals(new Disconnect(ReasonCode.QUOTA_EXCEEDED, Properties.EMPTY),
                PacketSizeLimit.fitted(disconnect, V5, 50));
        assertNull(PacketSizeLimit.fitted(disconnect, V5, 2), "a DISCONNECT with a reason code takes 3 bytes");
        Publish big = new Publish("t", new byte[100], QoS.AT_MOST_ONCE, false, false, 0, Properties.of(
                new Property.UserProperty("k", "v")));
        assertNull(PacketSizeLimit.fitted(big, V5, 50), "a PUBLISH keeps its publisher's properties: too large, not sent");
        Packet ping = io.checkedmqtt.core.packet.PingResp.INSTANCE;
        assertSame(ping, PacketSizeLimit.fitted(ping, ProtocolVersion.MQTT_5, 2));
    }
}
