package io.checkedmqtt.core.broker;

import io.checkedmqtt.core.packet.Connack;
import io.checkedmqtt.core.packet.Connect;
import io.checkedmqtt.core.packet.Disconnect;
import io.checkedmqtt.core.packet.Packet;
import io.checkedmqtt.core.packet.PingReq;
import io.checkedmqtt.core.packet.PingResp;
import io.checkedmqtt.core.packet.Properties;
import io.checkedmqtt.core.packet.PropertyId;
import io.checkedmqtt.core.packet.ProtocolVersion;
import io.checkedmqtt.core.packet.Publish;
import io.checkedmqtt.core.packet.QoS;
import io.checkedmqtt.core.packet.ReasonCode;
import io.checkedmqtt.core.packet.SubAck;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.checkedmqtt.core.broker.Packets.V3;
import static io.checkedmqtt.core.broker.Packets.V5;
import static io.checkedmqtt.core.broker.Packets.connect;
import static io.checkedmqtt.core.broker.Packets.connect5;
import static io.checkedmqtt.core.broker.Packets.publish;
import static io.checkedmqtt.core.broker.Packets.subscribe;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConnectTest {

    private final BrokerHarness h = new BrokerHarness();

    private Connack connack(ConnectionId c) {
        List<Packet> out = h.out(c);
        assertFalse(out.isEmpty(), "no CONNACK");
        return assertInstanceOf(Connack.class, out.get(0));
    }

    @Test
    @DisplayName("v3.1.1 [MQTT-3.1.4-4] v5 [MQTT-3.1.4-5] an accepted CONNECT is answered with CONNACK 0x00")
    void acceptedConnect() {
        for (var v : List.of(V3, V5)) {
            ConnectionId c = h.open();
            h.in(c, connect(v, "a-" + v, true));
            Connack ack = connack(c);
            assertEquals(ReasonCode.SUCCESS, ack.reasonCode());
            assertFalse(h.isClosed(c));
            assertTrue(h.state.isConnected("a-" + v));
        }
    }

    @Test
    @DisplayName("v3.1.1 [MQTT-3.1.0-1] v5 [MQTT-3.1.0-1] a first packet other than CONNECT closes the connection")
    void firstPacketMustBeConnect() {
        ConnectionId c = h.open();
        h.in(c, PingReq.INSTANCE);
        assertTrue(h.closedByServer(c));
        assertTrue(h.out(c).isEmpty());
    }

    @Test
    @DisplayName("v3.1.1 [MQTT-3.1.0-2] a second CONNECT closes the connection")
    void secondConnectV3() {
        ConnectionId c = h.open();
        h.in(c, connect(V3, "a", true));
        h.out(c);
        h.in(c, connect(V3, "a", true));
        assertTrue(h.closedByServer(c));
        assertTrue(h.out(c).isEmpty(), "3.1.1 has no server DISCONNECT");
    }

    @Test
    @DisplayName("v5 [MQTT-3.1.0-2] [MQTT-4.13.1-1] a second CONNECT is a Protocol Error: DISCONNECT 0x82, close")
    void secondConnectV5() {
        ConnectionId c = h.open();
        h.in(c, connect5("a", true, 0));
        h.out(c);
        h.in(c, connect5("a", true, 0));
        assertEquals(List.of(new Disconnect(ReasonCode.PROTOCOL_ERROR)), h.out(c));
        assertEquals(ReasonCode.PROTOCOL_ERROR, h.closeReason(c));
    }

    @Test
    @DisplayName("v3.1.1 [MQTT-3.1.2-2] v5 [MQTT-3.1.2-2] an unsupported protocol level gets CONNACK 0x01 / 0x84, then close")
    void unsupportedProtocolLevel() {
        ConnectionId c = h.open();
        h.malformed(c, ReasonCode.UNSUPPORTED_PROTOCOL_VERSION);
        assertEquals(List.of(new Connack(false, ReasonCode.UNSUPPORTED_PROTOCOL_VERSION, Properties.EMPTY)), h.out(c));
        assertTrue(h.closedByServer(c));
    }

    @Test
    @DisplayName("v3.1.1 [MQTT-3.1.4-1] v5 [MQTT-3.1.4-1] a malformed CONNECT closes without CONNACK")
    void malformedConnect() {
        ConnectionId c = h.open();
        h.malformed(c, ReasonCode.MALFORMED_PACKET);
        assertTrue(h.out(c).isEmpty());
        assertTrue(h.closedByServer(c));
    }

    @Test
    @DisplayName("v5 [MQTT-4.13.1-1] [MQTT-3.1.4-1] a malformed 5.0 CONNECT gets CONNACK 0x81 / 0x82 before the close; 3.1.1 only the close")
    void malformedConnectV5GetsConnack() {
        for (ReasonCode reason : List.of(ReasonCode.MALFORMED_PACKET, ReasonCode.PROTOCOL_ERROR)) {
            ConnectionId c = h.open();
            h.malformed(c, reason, ProtocolVersion.MQTT_5);
            assertEquals(List.of(new Connack(false, reason, Properties.EMPTY)), h.out(c));
            assertTrue(h.closedByServer(c));
            assertEquals(reason, h.closeReason(c));
        }
        ConnectionId v3 = h.open();
        h.malformed(v3, ReasonCode.MALFORMED_PACKET, ProtocolVersion.MQTT_3_1_1);
        assertTrue(h.out(v3).isEmpty());
        assertTrue(h.closedByServer(v3));
        ConnectionId unknown = h.open();
        h.malformed(unknown, ReasonCode.MALFORMED_PACKET, null);
        assertTrue(h.out(unknown).isEmpty());
        assertTrue(h.closedByServer(unknown));
    }

    @Test
    @DisplayName("v3.1.1 [MQTT-3.2.0-1] v5 [MQTT-3.2.0-1] CONNACK is the first packet, before retransmissions")
    void connackFirst() {
        ConnectionId sub = h.open();
        h.in(sub, connect(V3, "s", false), subscribe(1, "t", QoS.AT_LEAST_ONCE));
        h.out(sub);
        ConnectionId pub = h.open();
        h.in(pub, connect(V3, "p", true), publish("t", "m", QoS.AT_LEAST_ONCE, 1));
        h.lose(sub);
        h.in(pub, publish("t", "m2", QoS.AT_LEAST_ONCE, 2));
        ConnectionId again = h.open();
        h.in(again, connect(V3, "s", false));
        List<Packet> out = h.out(again);
        assertInstanceOf(Connack.class, out.get(0));
        assertEquals(3, out.size(), "CONNACK, resent m, queued m2");
    }

    @Test
    @DisplayName("v3.1.1 [MQTT-3.2.2-1] CleanSession=1: Session Present 0 even when a session was stored")
    void sessionPresentCleanV3() {
        ConnectionId c = h.open();
        h.in(c, connect(V3, "a", false));
        h.out(c);
        h.lose(c);
        ConnectionId d = h.open();
        h.in(d, connect(V3, "a", true));
        assertFalse(connack(d).sessionPresent());
    }

    @Test
    @DisplayName("v3.1.1 [MQTT-3.2.2-2] [MQTT-3.1.2-4] [MQTT-3.1.3-2] CleanSession=0 with a stored session: Session Present 1")
    void sessionPresentResumedV3() {
        ConnectionId c = h.open();
        h.in(c, connect(V3, "a", false));
        h.out(c);
        h.lose(c);
        ConnectionId d = h.open();
        h.in(d, connect(V3, "a", false));
        assertTrue(connack(d).sessionPresent());
    }

    @Test
    @DisplayName("v3.1.1 [MQTT-3.2.2-3] CleanSession=0 without a stored session: Session Present 0")
    void sessionPresentNewV3() {
        ConnectionId c = h.open();
        h.in(c, connect(V3, "a", false));
        assertFalse(connack(c).sessionPresent());
    }

    @Test
    @DisplayName("v5 [MQTT-3.2.2-2] [MQTT-3.1.2-4] Clean Start=1: Session Present 0, the old session is discarded")
    void sessionPresentCleanV5() {
        ConnectionId c = h.open();
        h.in(c, connect5("a", false, 100), subscribe(1, "t", QoS.AT_LEAST_ONCE));
        h.out(c);
        h.lose(c);
        ConnectionId d = h.open();
        h.in(d, connect5("a", true, 100));
        assertFalse(connack(d).sessionPresent());
        assertTrue(h.state.session("a").subscriptions().isEmpty());
        assertTrue(h.state.router().index().match("t").isEmpty(), "router forgot the old subscription");
    }

    @Test
    @DisplayName("v5 [MQTT-3.2.2-3] [MQTT-3.1.2-5] [MQTT-3.1.2-6] [MQTT-3.1.3-2] Clean Start=0: Session Present 1 if a session was kept, else 0")
    void sessionPresentResumeV5() {
        ConnectionId c = h.open();
        h.in(c, connect5("a", false, 100));
        assertFalse(connack(c).sessionPresent());
        h.in(c, subscribe(1, "t", QoS.AT_LEAST_ONCE));
        h.lose(c);
        ConnectionId d = h.open();
        h.in(d, connect5("a", false, 100));
        assertTrue(connack(d).sessionPresent());
        assertEquals(1, h.state.session("a").subscriptions().size());
    }

    @Test
    @DisplayName("v3.1.1 [MQTT-3.1.2-6] CleanSession=1: the session ends with the connection")
    void cleanSessionEndsV3() {
        ConnectionId c = h.open();
        h.in(c, connect(V3, "a", true), subscribe(1, "t", QoS.AT_LEAST_ONCE));
        h.lose(c);
        assertNull(h.state.session("a"));
        assertTrue(h.state.router().index().match("t").isEmpty());
    }

    @Test
    @DisplayName("v3.1.1 [MQTT-3.1.3-8] zero-byte ClientId with CleanSession=0: CONNACK 0x02, close")
    void emptyClientIdNotCleanV3() {
        ConnectionId c = h.open();
        h.in(c, connect(V3, "", false));
        Connack ack = connack(c);
        assertEquals(ReasonCode.CLIENT_IDENTIFIER_NOT_VALID, ack.reasonCode());
        assertTrue(h.closedByServer(c));
    }

    @Test
    @DisplayName("v3.1.1 [MQTT-3.2.2-4] [MQTT-3.2.2-5] a refused CONNECT has Session Present 0 and closes")
    void refusedHasSessionPresentZeroV3() {
        ConnectionId c = h.open();
        h.in(c, connect(V3, "", false));
        assertFalse(connack(c).sessionPresent());
        assertTrue(h.closedByServer(c));
    }

    @Test
    @DisplayName("v3.1.1 [MQTT-3.1.3-6] zero-byte ClientId with CleanSession=1: the server assigns a unique one")
    void emptyClientIdCleanV3() {
        ConnectionId c = h.open();
        h.in(c, connect(V3, "", true));
        ConnectionId d = h.open();
        h.in(d, connect(V3, "", true));
        assertEquals(ReasonCode.SUCCESS, connack(c).reasonCode());
        assertEquals(Properties.EMPTY, connack(d).properties());
        assertEquals(2, h.state.sessions().size(), "two distinct assigned identifiers");
    }

    @Test
    @DisplayName("v5 [MQTT-3.1.3-6] [MQTT-3.1.3-7] [MQTT-3.2.2-16] zero-length ClientID: assigned, unique, returned in CONNACK")
    void assignedClientIdV5() {
        ConnectionId c = h.open();
        h.in(c, connect5("", true, 0));
        String first = connack(c).properties().string(PropertyId.ASSIGNED_CLIENT_IDENTIFIER);
        ConnectionId d = h.open();
        h.in(d, connect5("", true, 0));
        String second = connack(d).properties().string(PropertyId.ASSIGNED_CLIENT_IDENTIFIER);
        assertNotNull(first);
        assertNotNull(second);
        assertFalse(first.equals(second));
        assertTrue(h.state.isConnected(first));
        assertTrue(h.state.isConnected(second));
    }

    @Test
    @DisplayName("v5 server-assigned identifiers skip ones a client already uses")
    void assignedIdSkipsUsed() {
        ConnectionId taken = h.open();
        h.in(taken, connect5("auto-1", true, 0));
        ConnectionId c = h.open();
        h.in(c, connect5("", true, 0));
        h.out(taken);
        assertEquals("auto-2", connack(c).properties().string(PropertyId.ASSIGNED_CLIENT_IDENTIFIER));
    }

    @Test
    @DisplayName("v3.1.1 [MQTT-3.1.4-2] the same ClientId connecting again closes the existing connection")
    void takeOverV3() {
        ConnectionId c = h.open();
        h.in(c, connect(V3, "a", false));
        h.out(c);
        ConnectionId d = h.open();
        h.in(d, connect(V3, "a", false));
        assertTrue(h.closedByServer(c));
        assertTrue(h.out(c).isEmpty());
        assertTrue(connack(d).sessionPresent());
        h.in(d, PingReq.INSTANCE);
        assertEquals(List.of(PingResp.INSTANCE), h.out(d));
    }

    @Test
    @DisplayName("v5 [MQTT-3.1.4-3] take-over: the old connection gets DISCONNECT 0x8E and is closed")
    void takeOverV5() {
        ConnectionId c = h.open();
        h.in(c, connect5("a", false, 60));
        h.out(c);
        ConnectionId d = h.open();
        h.in(d, connect5("a", false, 60));
        assertEquals(List.of(new Disconnect(ReasonCode.SESSION_TAKEN_OVER)), h.out(c));
        assertEquals(ReasonCode.SESSION_TAKEN_OVER, h.closeReason(c));
        assertTrue(connack(d).sessionPresent());
        // packets still in flight from the old connection are ignored
        h.run(h.core.packetReceived(h.state, c, PingReq.INSTANCE, h.now));
        assertTrue(h.out(c).isEmpty());
    }

    @Test
    @DisplayName("v3.1.1 [MQTT-3.1.4-5] v5 [MQTT-3.1.4-6] after a refused CONNECT nothing more from the client is processed")
    void nothingAfterRefusal() {
        ConnectionId c = h.open();
        h.in(c, connect(V3, "", false));
        h.out(c);
        h.run(h.core.packetReceived(h.state, c, publish("t", "x", QoS.AT_MOST_ONCE, 0), h.now));
        assertTrue(h.out(c).isEmpty());
        assertTrue(h.state.sessions().isEmpty());
    }

    @Test
    @DisplayName("v5 [MQTT-4.12.0-1] [MQTT-3.2.2-6] [MQTT-3.2.2-7] an unsupported Authentication Method gets CONNACK 0x8C and close")
    void authenticationMethodRefused() {
        ConnectionId c = h.open();
        Connect connect = new Connect(V5, "a", true, 0, null, null, null,
                Properties.EMPTY.withString(PropertyId.AUTHENTICATION_METHOD, "SCRAM-SHA-1"));
        h.in(c, connect);
        Connack ack = connack(c);
        assertEquals(ReasonCode.BAD_AUTHENTICATION_METHOD, ack.reasonCode());
        assertFalse(ack.sessionPresent());
        assertTrue(h.closedByServer(c));
    }

    @Test
    @DisplayName("v5 [MQTT-3.2.2-13] a retained Will when retain is not available: CONNACK 0x9A and close")
    void retainedWillRefused() {
        BrokerConfig d = BrokerConfig.defaults();
        BrokerHarness noRetain = new BrokerHarness(new BrokerConfig(d.maximumPacketSize(), d.receiveMaximum(),
                d.maxInflightMessages(), d.maxQueuedMessages(), d.maxQueuedBytes(), d.queueQos0WhileOffline(),
                d.resendIntervalMillis(), d.resendMaxAttempts(), d.connectTimeoutMillis(), d.maxKeepAliveSeconds(),
                d.topicAliasMaximum(), d.maxSessionExpirySeconds(), false, d.assignedClientIdPrefix()));
        ConnectionId c = noRetain.open();
        noRetain.in(c, Packets.withWill(connect5("a", true, 0), Packets.will("w", "x", QoS.AT_MOST_ONCE, true, 0)));
        Connack ack = (Connack) noRetain.out(c).get(0);
        assertEquals(ReasonCode.RETAIN_NOT_SUPPORTED, ack.reasonCode());
        assertTrue(noRetain.closedByServer(c));
    }

    @Test
    @DisplayName("v5 CONNACK advertises Receive Maximum, Topic Alias Maximum and the available features")
    void connackPropertiesV5() {
        ConnectionId c = h.open();
        h.in(c, connect5("a", true, 0));
        Properties p = connack(c).properties();
        assertEquals(10, p.integer(PropertyId.TOPIC_ALIAS_MAXIMUM, -1));
        assertEquals(1, p.integer(PropertyId.WILDCARD_SUBSCRIPTION_AVAILABLE, -1));
        assertEquals(1, p.integer(PropertyId.SHARED_SUBSCRIPTION_AVAILABLE, -1));
        assertEquals(1, p.integer(PropertyId.SUBSCRIPTION_IDENTIFIER_AVAILABLE, -1));
        assertFalse(p.contains(PropertyId.ASSIGNED_CLIENT_IDENTIFIER));
        assertFalse(p.contains(PropertyId.SERVER_KEEP_ALIVE));
    }

    @Test
    @DisplayName("v3.1.1 CONNACK carries no properties")
    void connackPropertiesV3() {
        ConnectionId c = h.open();
        h.in(c, connect(V3, "a", true));
        assertEquals(Properties.EMPTY, connack(c).properties());
    }

    @Test
    @DisplayName("a connection that sends no CONNECT in time is closed")
    void connectTimeout() {
        ConnectionId c = h.open();
        h.advance(BrokerConfig.defaults().connectTimeoutMillis() - 1);
        assertFalse(h.isClosed(c));
        h.advance(1);
        assertTrue(h.closedByServer(c));
        assertTrue(h.state.connections().isEmpty());
    }

    @Test
    @DisplayName("v3.1.1 [MQTT-3.12.4-1] v5 [MQTT-3.12.4-1] PINGREQ is answered with PINGRESP")
    void ping() {
        for (var v : List.of(V3, V5)) {
            ConnectionId c = h.open();
            h.in(c, connect(v, "p" + v, true));
            h.out(c);
            h.in(c, PingReq.INSTANCE);
            assertEquals(List.of(PingResp.INSTANCE), h.out(c));
        }
    }

    @Test
    @DisplayName("v5 [MQTT-3.14.0-1] shutdown: 5.0 clients get DISCONNECT 0x8B, every connection closes")
    void shutdown() {
        ConnectionId a = h.open();
        h.in(a, connect5("a", false, 100));
        ConnectionId b = h.open();
        h.in(b, connect(V3, "b", true));
        ConnectionId pending = h.open();
        h.out(a);
        h.out(b);
        h.shutdown();
        assertEquals(List.of(new Disconnect(ReasonCode.SERVER_SHUTTING_DOWN)), h.out(a));
        assertTrue(h.out(b).isEmpty());
        assertTrue(h.out(pending).isEmpty(), "no DISCONNECT before a CONNACK");
        assertTrue(h.closedByServer(a) && h.closedByServer(b) && h.closedByServer(pending));
        assertNotNull(h.state.session("a"));
        assertNull(h.state.session("b"));
    }

    @Test
    @DisplayName("server-to-client packets from a client are protocol errors")
    void serverPacketsFromClient() {
        ConnectionId c = h.open();
        h.in(c, connect5("a", true, 0));
        h.out(c);
        h.in(c, new SubAck(1, List.of(ReasonCode.GRANTED_QOS_0), Properties.EMPTY));
        assertEquals(List.of(new Disconnect(ReasonCode.PROTOCOL_ERROR)), h.out(c));
        assertTrue(h.closedByServer(c));
    }

    @Test
    @DisplayName("v5 [MQTT-4.13.1-1] a malformed packet after CONNECT: DISCONNECT with its reason, close")
    void malformedAfterConnectV5() {
        ConnectionId c = h.open();
        h.in(c, connect5("a", true, 0));
        h.out(c);
        h.malformed(c, ReasonCode.MALFORMED_PACKET);
        assertEquals(List.of(new Disconnect(ReasonCode.MALFORMED_PACKET)), h.out(c));
        assertTrue(h.closedByServer(c));
    }

    @Test
    @DisplayName("v3.1.1 [MQTT-4.8.0-1] a malformed packet after CONNECT closes the connection, no DISCONNECT")
    void malformedAfterConnectV3() {
        ConnectionId c = h.open();
        h.in(c, connect(V3, "a", true));
        h.out(c);
        h.malformed(c, ReasonCode.MALFORMED_PACKET);
        assertTrue(h.out(c).isEmpty());
        assertTrue(h.closedByServer(c));
        assertNull(h.state.session("a"));
    }

    @Test
    @DisplayName("inputs for a closed connection are ignored")
    void closedConnectionIgnored() {
        ConnectionId c = h.open();
        h.in(c, connect(V3, "a", true));
        h.lose(c);
        BrokerState before = h.state;
        Step s = h.core.packetReceived(before, c, new Publish("t", new byte[0], QoS.AT_MOST_ONCE, false, false, 0,
                Properties.EMPTY), h.now);
        assertTrue(s.effects().isEmpty());
        assertTrue(h.core.connectionLost(before, c, h.now).effects().isEmpty());
    }
}
