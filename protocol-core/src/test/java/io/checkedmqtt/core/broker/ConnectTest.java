package io.checkedmqtt.core.broker;

import io.checkedmqtt.core.config.BrokerConfig;
import io.checkedmqtt.core.effect.ConnectionId;
import io.checkedmqtt.core.effect.Effect;
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
import static io.checkedmqtt.testkit.Packets.connect5;
import static io.checkedmqtt.testkit.Packets.connect;
import static io.checkedmqtt.testkit.Packets.publish;
import static io.checkedmqtt.testkit.Packets.subscribe;
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

    @ParameterizedTest(name = "{0}")
    @MethodSource(ProtocolVersions.BOTH)
    @DisplayName("v3.1.1 [MQTT-3.1.4-4] v5 [MQTT-3.1.4-5] an accepted CONNECT is answered with CONNACK 0x00")
    void acceptedConnect(ProtocolVersion v) {
        ConnectionId c = h.open();
        h.in(c, connect(v, "a-" + v, true));
        Connack ack = connack(c);
        assertEquals(ReasonCode.SUCCESS, ack.reasonCode());
        assertFalse(h.isClosed(c));
        assertTrue(h.state().isConnected("a-" + v));
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
        assertTrue(h.state().session("a").subscriptions().isEmpty());
        assertTrue(h.state().router().index().match("t").isEmpty(), "router forgot the old subscription");
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
        assertEquals(1, h.state().session("a").subscriptions().size());
    }

    @Test
    @DisplayName("v3.1.1 [MQTT-3.1.2-6] CleanSession=1: the session ends with the connection")
    void cleanSessionEndsV3() {
        ConnectionId c = h.open();
        h.in(c, connect(V3, "a", true), subscribe(1, "t", QoS.AT_LEAST_ONCE));
        h.lose(c);
        assertNull(h.state().session("a"));
        assertTrue(h.state().router().index().match("t").isEmpty());
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
        assertEquals(2, h.state().sessions().size(), "two distinct assigned identifiers");
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
        assertTrue(h.state().isConnected(first));
        assertTrue(h.state().isConnected(second));
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
        h.run(h.core().packetReceived(h.state(), c, PingReq.INSTANCE, h.now()));
        assertTrue(h.out(c).isEmpty());
    }

    @Test
    @DisplayName("v3.1.1 [MQTT-3.1.4-5] v5 [MQTT-3.1.4-6] after a refused CONNECT nothing more from the client is processed")
    void nothingAfterRefusal() {
        ConnectionId c = h.open();
        h.in(c, connect(V3, "", false));
        h.out(c);
        h.run(h.core().packetReceived(h.state(), c, publish("t", "x", QoS.AT_MOST_ONCE, 0), h.now()));
        assertTrue(h.out(c).isEmpty());
        assertTrue(h.state().sessions().isEmpty());
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
        BrokerHarness noRetain = new BrokerHarness(BrokerConfig.builder().retainAvailable(false).build());
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
        assertEquals(0, h.state().openConnections());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(ProtocolVersions.BOTH)
    @DisplayName("v3.1.1 [MQTT-3.12.4-1] v5 [MQTT-3.12.4-1] PINGREQ is answered with PINGRESP")
    void ping(ProtocolVersion v) {
        ConnectionId c = h.open();
        h.in(c, connect(v, "p" + v, true));
        h.out(c);
        h.in(c, PingReq.INSTANCE);
        assertEquals(List.of(PingResp.INSTANCE), h.out(c));
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
        assertNotNull(h.state().session("a"));
        assertNull(h.state().session("b"));
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
        assertNull(h.state().session("a"));
    }

    @Test
    @DisplayName("inputs for a closed connection are ignored")
    void closedConnectionIgnored() {
        ConnectionId c = h.open();
        h.in(c, connect(V3, "a", true));
        h.lose(c);
        BrokerState before = h.state();
        Step s = h.core().packetReceived(before, c, new Publish("t", new byte[0], QoS.AT_MOST_ONCE, false, false, 0,
                Properties.EMPTY), h.now());
        assertTrue(s.effects().isEmpty());
        assertTrue(h.core().connectionLost(before, c, h.now()).effects().isEmpty());
    }

    // ---- client identifiers, Clean Start, one CONNACK ----

    @ParameterizedTest(name = "{0}")
    @MethodSource(ProtocolVersions.BOTH)
    @DisplayName("v3.1.1 [MQTT-3.1.3-5] v5 [MQTT-3.1.3-5] every ClientId of 1 to 23 ASCII letters and digits is accepted as given")
    void shortAlphanumericClientIdsAccepted(ProtocolVersion v) {
        String alphabet = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
        int k = 0;
        for (boolean clean : List.of(true, false)) {
            for (int length = 1; length <= 23; length++) {
                StringBuilder id = new StringBuilder();
                for (int i = 0; i < length; i++) {
                    id.append(alphabet.charAt(k++ % alphabet.length())); // every character comes round
                }
                ConnectionId c = h.open();
                h.in(c, connect(v, id.toString(), clean));
                Connack ack = connack(c);
                assertEquals(ReasonCode.SUCCESS, ack.reasonCode(), v + " " + id);
                assertFalse(ack.properties().contains(PropertyId.ASSIGNED_CLIENT_IDENTIFIER), "kept as given");
                assertFalse(h.isClosed(c));
                assertTrue(h.state().isConnected(id.toString()), v + " " + id);
                h.in(c, Packets.disconnect(ReasonCode.NORMAL_DISCONNECTION));
            }
        }
    }

    @Test
    @DisplayName("v3.1.1 [MQTT-3.1.3-9] a rejected ClientId is answered with CONNACK 0x02, and then the connection is closed")
    void rejectedClientIdAnsweredThenClosed() {
        ConnectionId c = h.open();
        int from = h.allEffects().size();
        h.in(c, connect(V3, "", false));
        List<Effect> effects = h.allEffects().subList(from, h.allEffects().size());
        List<Effect> onConnection = effects.stream()
                .filter(e -> e instanceof Effect.Send || e instanceof Effect.Close).toList();
        assertEquals(2, onConnection.size(), onConnection.toString());
        Effect.Send send = assertInstanceOf(Effect.Send.class, onConnection.get(0));
        assertEquals(new Connack(false, ReasonCode.CLIENT_IDENTIFIER_NOT_VALID, Properties.EMPTY), send.packet());
        byte[] wire = io.checkedmqtt.core.codec.MqttCodec.encodeToBytes(send.packet(), V3);
        assertEquals(List.of((byte) 0x20, (byte) 0x02, (byte) 0x00, (byte) 0x02),
                List.of(wire[0], wire[1], wire[2], wire[3]), "on the wire: return code 0x02");
        assertInstanceOf(Effect.Close.class, onConnection.get(1));
        assertTrue(h.state().sessions().isEmpty());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(ProtocolVersions.BOTH)
    @DisplayName("v3.1.1 [MQTT-3.1.4-3] v5 [MQTT-3.1.4-4] an accepted CONNECT applies its Clean Session / Clean Start: discard or resume")
    void cleanStartAppliedAfterValidation(ProtocolVersion v) {
        String id = "c" + v.level();
        ConnectionId c = h.open();
        h.in(c, v.isV5() ? connect5(id, false, 100) : connect(v, id, false), subscribe(1, "t/" + id, QoS.AT_LEAST_ONCE));
        h.lose(c);
        ConnectionId resume = h.open();
        h.in(resume, v.isV5() ? connect5(id, false, 100) : connect(v, id, false));
        assertTrue(connack(resume).sessionPresent());
        assertEquals(1, h.state().session(id).subscriptions().size(), v + ": resumed with its subscription");
        h.lose(resume);
        ConnectionId clean = h.open();
        h.in(clean, v.isV5() ? connect5(id, true, 100) : connect(v, id, true));
        assertFalse(connack(clean).sessionPresent());
        assertTrue(h.state().session(id).subscriptions().isEmpty(), v + ": discarded");
        assertTrue(h.state().router().index().match("t/" + id).isEmpty());
    }

    @Test
    @DisplayName("v5 [MQTT-3.1.4-4] [MQTT-3.1.4-2] a CONNECT that fails a further check is closed before Clean Start touches the stored session")
    void refusedConnectLeavesSessionAlone() {
        ConnectionId c = h.open();
        h.in(c, connect5("a", false, 100), subscribe(1, "t", QoS.AT_LEAST_ONCE));
        h.lose(c);
        ConnectionId refused = h.open();
        h.in(refused, new Connect(V5, "a", true, 0, null, null, null,
                Properties.EMPTY.withString(PropertyId.AUTHENTICATION_METHOD, "SCRAM-SHA-1")));
        assertEquals(ReasonCode.BAD_AUTHENTICATION_METHOD, connack(refused).reasonCode());
        assertTrue(h.closedByServer(refused));
        assertEquals(1, h.state().session("a").subscriptions().size(), "Clean Start=1 of a refused CONNECT is not applied");
        assertFalse(h.state().router().index().match("t").isEmpty());
    }

    @Test
    @DisplayName("v5 [MQTT-3.1.4-2] every further check this broker makes closes the connection when it fails")
    void furtherChecksClose() {
        BrokerHarness noRetain = new BrokerHarness(BrokerConfig.builder().retainAvailable(false).build());
        List<Connect> failing = List.of(
                new Connect(V5, "a", true, 0, null, null, null,
                        Properties.EMPTY.withString(PropertyId.AUTHENTICATION_METHOD, "SCRAM-SHA-1")),
                Packets.withWill(connect5("b", true, 0), Packets.will("w", "x", QoS.AT_MOST_ONCE, true, 0)));
        for (Connect connect : failing) {
            ConnectionId c = noRetain.open();
            noRetain.in(c, connect);
            Connack ack = (Connack) noRetain.out(c).get(0);
            assertTrue(ack.reasonCode().isError(), ack.toString());
            assertTrue(noRetain.closedByServer(c), connect.clientId());
            assertFalse(noRetain.state().isConnected(connect.clientId()));
        }
    }

    @Test
    @DisplayName("v5 [MQTT-3.2.0-2] at most one CONNACK per connection: a second CONNECT gets none")
    void oneConnackPerConnection() {
        ConnectionId c = h.open();
        h.in(c, connect5("a", false, 100), subscribe(1, "t", QoS.AT_LEAST_ONCE), PingReq.INSTANCE);
        h.in(c, connect5("a", false, 100));
        long connacks = h.allEffects().stream()
                .filter(e -> e instanceof Effect.Send s && s.connection().equals(c) && s.packet() instanceof Connack)
                .count();
        assertEquals(1, connacks);
        assertTrue(h.closedByServer(c));
    }

    @Test
    @DisplayName("v5 [MQTT-3.1.2-7] the Will Message is stored with the session and published from there after the connection is gone")
    void willStoredWithSession() {
        ConnectionId watcher = h.open();
        h.in(watcher, connect5("w", true, 0), subscribe(1, "will/#", QoS.AT_LEAST_ONCE));
        h.out(watcher);
        ConnectionId c = h.open();
        h.in(c, Packets.withWill(connect5("a", false, 100), Packets.will("will/a", "gone", QoS.AT_LEAST_ONCE, false, 5)));
        io.checkedmqtt.core.packet.Will stored = h.state().session("a").will();
        assertNotNull(stored, "stored with the session while connected");
        assertEquals("will/a", stored.topic());
        h.lose(c);
        assertNotNull(h.state().session("a").will(), "still stored while the session waits offline");
        assertTrue(h.out(watcher).isEmpty(), "held back by the Will Delay");
        h.advance(5_000);
        List<Packet> got = h.out(watcher);
        assertEquals(1, got.size());
        assertEquals("gone", Packets.text((Publish) got.get(0)));
        assertNull(h.state().session("a").will(), "removed once published");
    }

    @Test
    @DisplayName("v5 [MQTT-3.1.2-28] Request Response Information 0 or absent: CONNACK carries no Response Information")
    void noResponseInformation() {
        List<Connect> requests = List.of(connect5("a", true, 0),
                Packets.withProperty(connect5("b", true, 0), PropertyId.REQUEST_RESPONSE_INFORMATION, 0));
        for (Connect connect : requests) {
            ConnectionId c = h.open();
            h.in(c, connect);
            Connack ack = connack(c);
            assertEquals(ReasonCode.SUCCESS, ack.reasonCode());
            assertFalse(ack.properties().contains(PropertyId.RESPONSE_INFORMATION), connect.clientId());
        }
    }

    @Test
    @DisplayName("v5 [MQTT-4.12.0-6] no Authentication Method in CONNECT: no AUTH is ever sent, no method in CONNACK")
    void noAuthWithoutMethod() {
        ConnectionId c = h.open();
        h.in(c, connect5("a", true, 0));
        Connack ack = connack(c);
        assertFalse(ack.properties().contains(PropertyId.AUTHENTICATION_METHOD));
        assertFalse(ack.properties().contains(PropertyId.AUTHENTICATION_DATA));
        h.in(c, subscribe(1, "t", QoS.EXACTLY_ONCE), publish("t", "x", QoS.EXACTLY_ONCE, 2), PingReq.INSTANCE);
        h.in(c, new io.checkedmqtt.core.packet.Auth(ReasonCode.RE_AUTHENTICATE, Properties.EMPTY));
        assertTrue(h.closedByServer(c));
        assertTrue(h.allEffects().stream().noneMatch(e -> e instanceof Effect.Send s
                && s.packet() instanceof io.checkedmqtt.core.packet.Auth), "no AUTH sent");
    }

    @Test
    @DisplayName("v5 [MQTT-3.2.2-9] the Maximum QoS the CONNACK advertises (absent: 2) is the QoS the broker grants and delivers")
    void maximumQosAdvertisedMatchesRouting() {
        ConnectionId c = h.open();
        h.in(c, connect5("a", true, 0));
        long advertised = connack(c).properties().integer(PropertyId.MAXIMUM_QOS, 2);
        assertEquals(h.state().router().config().maximumQos().value(), advertised);
        h.in(c, subscribe(1, "t", QoS.EXACTLY_ONCE));
        assertEquals(List.of(ReasonCode.GRANTED_QOS_2), ((SubAck) h.out(c).get(0)).reasonCodes());
        h.in(c, publish("t", "x", QoS.EXACTLY_ONCE, 2));
        Publish back = h.out(c).stream().filter(Publish.class::isInstance).map(Publish.class::cast).findFirst().orElseThrow();
        assertEquals(advertised, back.qos().value());
    }
}
