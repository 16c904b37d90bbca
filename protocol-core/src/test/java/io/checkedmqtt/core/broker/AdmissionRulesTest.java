package io.checkedmqtt.core.broker;

import io.checkedmqtt.core.auth.Authorizer;
import io.checkedmqtt.core.config.BrokerConfig;
import io.checkedmqtt.core.config.ClientLimits;
import io.checkedmqtt.core.effect.ConnectionId;
import io.checkedmqtt.core.packet.Connack;
import io.checkedmqtt.core.packet.Disconnect;
import io.checkedmqtt.core.packet.Packet;
import io.checkedmqtt.core.packet.PropertyId;
import io.checkedmqtt.core.packet.ProtocolVersion;
import io.checkedmqtt.core.packet.QoS;
import io.checkedmqtt.core.packet.ReasonCode;
import io.checkedmqtt.core.packet.SubAck;
import io.checkedmqtt.testkit.BrokerHarness;
import io.checkedmqtt.testkit.Packets;
import io.checkedmqtt.testkit.ProtocolVersions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Who may connect by client identifier, and what a server with a lower Maximum QoS refuses. */
class AdmissionRulesTest {

    private static BrokerHarness devicesOnly() {
        return new BrokerHarness(BrokerConfig.builder()
                .authorizer(new Authorizer(true, null, null, null, "dev-")).build());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(ProtocolVersions.BOTH)
    @DisplayName("v5 [MQTT-3.1.3-8] v3.1.1 [MQTT-3.1.3-9] a client id without the configured prefix gets CONNACK 0x85 (3.1.1: 0x02) and a close; one with it connects")
    void clientIdPrefix(ProtocolVersion v) {
        BrokerHarness h = devicesOnly();
        ConnectionId bad = h.open();
        h.in(bad, Packets.connect(v, "laptop-1", true));
        Connack refused = (Connack) h.out(bad).get(0);
        assertEquals(ReasonCode.CLIENT_IDENTIFIER_NOT_VALID, refused.reasonCode());
        assertFalse(refused.sessionPresent());
        assertTrue(h.closedByServer(bad));
        ConnectionId good = h.open();
        h.in(good, Packets.connect(v, "dev-" + v.isV5(), true));
        assertEquals(ReasonCode.SUCCESS, ((Connack) h.out(good).get(0)).reasonCode());
    }

    @Test
    @DisplayName("v5 [MQTT-3.1.3-6] an id the server assigns is not held to the client id prefix")
    void assignedIdNotAskedAbout() {
        BrokerHarness h = devicesOnly();
        ConnectionId empty = h.open();
        h.in(empty, Packets.connect(ProtocolVersion.MQTT_5, "", true));
        assertEquals(ReasonCode.SUCCESS, ((Connack) h.out(empty).get(0)).reasonCode());
    }

    private static BrokerHarness qos1Broker() {
        return new BrokerHarness(BrokerConfig.builder()
                .limits(new ClientLimits(0, 0, 0, QoS.AT_LEAST_ONCE)).build());
    }

    @Test
    @DisplayName("v5 [MQTT-3.2.2-12] a will QoS above max_qos gets CONNACK 0x9B and a close; v3.1.1 [MQTT-3.2.2-6] has no code for it: closed without CONNACK")
    void willQosAboveMaximum() {
        BrokerHarness h = qos1Broker();
        ConnectionId c5 = h.open();
        h.in(c5, Packets.withWill(Packets.connect(ProtocolVersion.MQTT_5, "w5", true),
                Packets.will("w", "x", QoS.EXACTLY_ONCE, false, 0)));
        assertEquals(ReasonCode.QOS_NOT_SUPPORTED, ((Connack) h.out(c5).get(0)).reasonCode());
        assertTrue(h.closedByServer(c5));
        ConnectionId c3 = h.open();
        h.in(c3, Packets.withWill(Packets.connect(ProtocolVersion.MQTT_3_1_1, "w3", true),
                Packets.will("w", "x", QoS.EXACTLY_ONCE, false, 0)));
        assertEquals(List.of(), h.out(c3));
        assertTrue(h.closedByServer(c3));
    }

    @Test
    @DisplayName("v5 [MQTT-3.2.2-9] [MQTT-3.2.2-10] max_qos 1: CONNACK says Maximum QoS 1, SUBSCRIBE asking QoS 2 is granted QoS 1, and a QoS 2 PUBLISH gets DISCONNECT 0x9B")
    void maximumQos() {
        BrokerHarness h = qos1Broker();
        ConnectionId c = h.open();
        h.in(c, Packets.connect(ProtocolVersion.MQTT_5, "q", true));
        Connack ack = (Connack) h.out(c).get(0);
        assertEquals(1, ack.properties().integer(PropertyId.MAXIMUM_QOS, -1));
        h.in(c, Packets.subscribe(1, "t", QoS.EXACTLY_ONCE));
        assertEquals(List.of(ReasonCode.GRANTED_QOS_1), ((SubAck) h.out(c).get(0)).reasonCodes());
        h.in(c, Packets.publish("t", "x", QoS.EXACTLY_ONCE, 3));
        List<Packet> got = h.out(c);
        assertEquals(ReasonCode.QOS_NOT_SUPPORTED, ((Disconnect) got.get(got.size() - 1)).reasonCode());
        assertTrue(h.closedByServer(c));
    }

    @Test
    @DisplayName("v5 [MQTT-3.2.2-9] with every QoS supported the CONNACK carries no Maximum QoS")
    void noMaximumQosByDefault() {
        BrokerHarness h = new BrokerHarness();
        ConnectionId c = h.open();
        h.in(c, Packets.connect(ProtocolVersion.MQTT_5, "q", true));
        assertFalse(((Connack) h.out(c).get(0)).properties().contains(PropertyId.MAXIMUM_QOS));
    }
}
