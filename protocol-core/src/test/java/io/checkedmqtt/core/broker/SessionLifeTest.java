package io.checkedmqtt.core.broker;

import io.checkedmqtt.core.config.BrokerConfig;
import io.checkedmqtt.core.effect.ConnectionId;
import io.checkedmqtt.core.effect.Timer;
import io.checkedmqtt.core.packet.Connack;
import io.checkedmqtt.core.packet.Disconnect;
import io.checkedmqtt.core.packet.Packet;
import io.checkedmqtt.core.packet.PingReq;
import io.checkedmqtt.core.packet.Properties;
import io.checkedmqtt.core.packet.Property;
import io.checkedmqtt.core.packet.PropertyId;
import io.checkedmqtt.core.packet.ProtocolVersion;
import io.checkedmqtt.core.packet.PubAck;
import io.checkedmqtt.core.packet.PubComp;
import io.checkedmqtt.core.packet.PubRec;
import io.checkedmqtt.core.packet.PubRel;
import io.checkedmqtt.core.packet.Publish;
import io.checkedmqtt.core.packet.QoS;
import io.checkedmqtt.core.packet.ReasonCode;
import io.checkedmqtt.core.packet.Will;
import io.checkedmqtt.testkit.BrokerHarness;
import io.checkedmqtt.testkit.Packets;
import io.checkedmqtt.testkit.ProtocolVersions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;

import static io.checkedmqtt.testkit.Packets.V3;
import static io.checkedmqtt.testkit.Packets.V5;
import static io.checkedmqtt.testkit.Packets.connect5;
import static io.checkedmqtt.testkit.Packets.connect;
import static io.checkedmqtt.testkit.Packets.kept;
import static io.checkedmqtt.testkit.Packets.publish;
import static io.checkedmqtt.testkit.Packets.publishes;
import static io.checkedmqtt.testkit.Packets.subscribe;
import static io.checkedmqtt.testkit.Packets.will;
import static io.checkedmqtt.testkit.Packets.withKeepAlive;
import static io.checkedmqtt.testkit.Packets.withWill;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Retransmission, offline queue, keep-alive, will, session expiry. */
class SessionLifeTest {

    private BrokerHarness h = new BrokerHarness();

    private static List<String> texts(List<Packet> packets) {
        return publishes(packets).stream().map(Packets::text).toList();
    }

    private ConnectionId connected(io.checkedmqtt.core.packet.Connect c) {
        ConnectionId id = h.open();
        h.in(id, c);
        h.out(id);
        return id;
    }

    private ConnectionId watcher(String filter) {
        ConnectionId w = connected(connect(V5, "watcher-" + filter, true));
        h.in(w, subscribe(1, filter, QoS.EXACTLY_ONCE));
        h.out(w);
        return w;
    }

    private static BrokerConfig config(int maxQueued, long maxBytes, boolean qos0Offline, long resendMillis) {
        return BrokerConfig.builder().maxQueuedMessages(maxQueued).maxQueuedBytes(maxBytes)
                .queueQos0WhileOffline(qos0Offline).resendIntervalMillis(resendMillis).resendMaxAttempts(3)
                .maxKeepAliveSeconds(0).retainAvailable(true).build();
    }

    // ---- retransmission ----

    @ParameterizedTest(name = "{0}")
    @MethodSource(ProtocolVersions.BOTH)
    @DisplayName("v3.1.1 + v5 [MQTT-4.4.0-1] [MQTT-3.3.1-1] reconnect with CleanSession=0 (5.0: Clean Start=0): unacknowledged PUBLISH again with DUP 1 and the same id, and PUBREL, in original order")
    void resendOnReconnect(ProtocolVersion v) {
        io.checkedmqtt.core.packet.Connect c = kept(v, "s");
        ConnectionId sub = subscribedAtQos2(c);
        h.out(sub);
        ConnectionId pub = connected(connect(v, "p", true));
        h.in(pub, publish("t", "a", QoS.EXACTLY_ONCE, 1), publish("t", "b", QoS.AT_LEAST_ONCE, 2),
                publish("t", "c", QoS.EXACTLY_ONCE, 3));
        List<Publish> first = publishes(h.out(sub));
        assertEquals(3, first.size());
        h.in(sub, new PubRec(first.get(1 - 1).packetId()));  // a: PUBREL sent
        h.out(sub);
        h.lose(sub);
        ConnectionId back = connected0(c);
        List<Packet> out = h.out(back);
        assertTrue(assertInstanceOf(Connack.class, out.get(0)).sessionPresent());
        assertEquals(new PubRel(first.get(0).packetId()), out.get(1));
        Publish b = assertInstanceOf(Publish.class, out.get(2));
        Publish cc = assertInstanceOf(Publish.class, out.get(3));
        assertEquals(first.get(1).packetId(), b.packetId());
        assertEquals(first.get(2).packetId(), cc.packetId());
        assertTrue(b.dup() && cc.dup());
        assertEquals(List.of("b", "c"), List.of(Packets.text(b), Packets.text(cc)));
        assertEquals(4, out.size());
    }

    /** A client connected with {@code c} and subscribed to "t" at QoS 2. */
    private ConnectionId subscribedAtQos2(io.checkedmqtt.core.packet.Connect c) {
        ConnectionId sub = connected(c);
        h.in(sub, subscribe(1, "t", QoS.EXACTLY_ONCE));
        return sub;
    }

    private ConnectionId connected0(io.checkedmqtt.core.packet.Connect c) {
        ConnectionId id = h.open();
        h.in(id, c);
        return id;
    }

    @Test
    @DisplayName("v3.1.1 timed resend inside a connection: after the interval, DUP 1 and the same id, at most the configured attempts")
    void timedResendV3() {
        h = new BrokerHarness(config(1000, 0, false, 3000));
        ConnectionId sub = connected(connect(V3, "s", false));
        h.in(sub, subscribe(1, "t", QoS.AT_LEAST_ONCE));
        h.out(sub);
        ConnectionId pub = connected(connect(V3, "p", true));
        h.in(pub, publish("t", "a", QoS.AT_LEAST_ONCE, 1));
        Publish first = publishes(h.out(sub)).get(0);
        h.advance(2_999);
        assertTrue(h.out(sub).isEmpty());
        int resends = 0;
        for (int i = 0; i < 6; i++) {
            h.advance(3_000);
            for (Publish p : publishes(h.out(sub))) {
                assertTrue(p.dup());
                assertEquals(first.packetId(), p.packetId());
                resends++;
            }
        }
        assertEquals(3, resends);
        h.in(sub, new PubAck(first.packetId()));
        assertTrue(h.state().session("s").inflight().isEmpty());
    }

    @Test
    @DisplayName("v3.1.1 timed resend of PUBREL while PUBCOMP is missing")
    void timedResendPubRelV3() {
        h = new BrokerHarness(config(1000, 0, false, 3000));
        ConnectionId sub = connected(connect(V3, "s", false));
        h.in(sub, subscribe(1, "t", QoS.EXACTLY_ONCE));
        h.out(sub);
        ConnectionId pub = connected(connect(V3, "p", true));
        h.in(pub, publish("t", "a", QoS.EXACTLY_ONCE, 1));
        int id = publishes(h.out(sub)).get(0).packetId();
        h.in(sub, new PubRec(id));
        assertEquals(List.of(new PubRel(id)), h.out(sub));
        h.advance(3_000);
        assertEquals(List.of(new PubRel(id)), h.out(sub));
    }

    @Test
    @DisplayName("v5 [MQTT-4.4.0-1] no timed resend inside a connection, whatever the configuration")
    void noTimedResendV5() {
        h = new BrokerHarness(config(1000, 0, false, 3000));
        ConnectionId sub = connected(connect5("s", false, 600));
        h.in(sub, subscribe(1, "t", QoS.AT_LEAST_ONCE));
        h.out(sub);
        ConnectionId pub = connected(connect(V5, "p", true));
        h.in(pub, publish("t", "a", QoS.AT_LEAST_ONCE, 1));
        assertEquals(1, publishes(h.out(sub)).size());
        h.advance(60_000);
        assertTrue(h.out(sub).isEmpty());
        assertTrue(h.timers().keySet().stream().noneMatch(t -> t instanceof Timer.Resend));
    }

    // ---- offline queue ----

    @ParameterizedTest(name = "{0}")
    @MethodSource(ProtocolVersions.BOTH)
    @DisplayName("v3.1.1 [MQTT-3.1.2-5] [MQTT-4.6.0-6] v5 [MQTT-4.6.0-5] offline kept session: QoS 1/2 queued and delivered in order, QoS 0 not")
    void offlineQueue(ProtocolVersion v) {
        io.checkedmqtt.core.packet.Connect c = kept(v, "s");
        ConnectionId sub = subscribedAtQos2(c);
        h.lose(sub);
        ConnectionId pub = connected(connect(v, "p", true));
        h.in(pub, publish("t", "1", QoS.AT_LEAST_ONCE, 1), publish("t", "zero", QoS.AT_MOST_ONCE, 0),
                publish("t", "2", QoS.EXACTLY_ONCE, 2), publish("t", "3", QoS.AT_LEAST_ONCE, 3));
        ConnectionId back = connected0(c);
        assertEquals(List.of("1", "2", "3"), texts(h.out(back)));
    }

    @Test
    @DisplayName("queueing QoS 0 for offline sessions is a switch, off by default")
    void offlineQos0Switch() {
        h = new BrokerHarness(config(1000, 0, true, 0));
        ConnectionId sub = connected(connect(V3, "s", false));
        h.in(sub, subscribe(1, "t", QoS.AT_LEAST_ONCE));
        h.lose(sub);
        ConnectionId pub = connected(connect(V3, "p", true));
        h.in(pub, publish("t", "zero", QoS.AT_MOST_ONCE, 0), publish("t", "one", QoS.AT_LEAST_ONCE, 1));
        ConnectionId back = connected0(connect(V3, "s", false));
        List<Publish> got = publishes(h.out(back));
        assertEquals(List.of("zero", "one"), got.stream().map(Packets::text).toList());
        assertEquals(QoS.AT_MOST_ONCE, got.get(0).qos());
    }

    @Test
    @DisplayName("the queue is bounded by count: the newest message is dropped and counted")
    void queueBoundCount() {
        h = new BrokerHarness(config(2, 0, false, 0));
        ConnectionId sub = connected(connect(V3, "s", false));
        h.in(sub, subscribe(1, "t", QoS.AT_LEAST_ONCE));
        h.lose(sub);
        ConnectionId pub = connected(connect(V3, "p", true));
        for (int i = 1; i <= 4; i++) {
            h.in(pub, publish("t", "m" + i, QoS.AT_LEAST_ONCE, i));
        }
        assertEquals(2, h.state().session("s").droppedMessages());
        ConnectionId back = connected0(connect(V3, "s", false));
        assertEquals(List.of("m1", "m2"), texts(h.out(back)));
    }

    @Test
    @DisplayName("the queue is bounded by message bytes: payload, topic and properties")
    void queueBoundBytes() {
        h = new BrokerHarness(config(1000, 12, false, 0));
        ConnectionId sub = connected(connect(V3, "s", false));
        h.in(sub, subscribe(1, "t", QoS.AT_LEAST_ONCE));
        h.lose(sub);
        ConnectionId pub = connected(connect(V3, "p", true));
        h.in(pub, publish("t", "123456", QoS.AT_LEAST_ONCE, 1), publish("t", "123456", QoS.AT_LEAST_ONCE, 2),
                publish("t", "1234", QoS.AT_LEAST_ONCE, 3));
        assertEquals(1, h.state().session("s").droppedMessages());
        assertEquals(12, h.state().session("s").queue().bytes());   // "123456" on "t", then "1234" on "t"
    }

    // ---- keep alive ----

    @Test
    @DisplayName("v3.1.1 [MQTT-3.1.2-24] silent for 1.5 x Keep Alive: the server closes the connection")
    void keepAliveV3() {
        ConnectionId c = connected(withKeepAlive(connect(V3, "a", true), 10));
        h.advance(14_000);
        h.in(c, PingReq.INSTANCE);
        h.advance(14_999);
        assertFalse(h.isClosed(c), "each packet restarts the count");
        h.advance(1);
        assertTrue(h.closedByServer(c));
        assertEquals(ReasonCode.KEEP_ALIVE_TIMEOUT, h.closeReason(c));
        assertNull(h.state().session("a"));
    }

    @Test
    @DisplayName("v5 [MQTT-3.1.2-22] silent for 1.5 x Keep Alive: DISCONNECT 0x8D and close")
    void keepAliveV5() {
        ConnectionId c = connected(withKeepAlive(connect(V5, "a", true), 2));
        h.advance(3_000);
        assertEquals(List.of(new Disconnect(ReasonCode.KEEP_ALIVE_TIMEOUT)), h.out(c));
        assertTrue(h.closedByServer(c));
    }

    @Test
    @DisplayName("Keep Alive 0 turns the timeout off")
    void keepAliveOff() {
        ConnectionId c = connected(connect(V3, "a", true));
        h.advance(10_000_000);
        assertFalse(h.isClosed(c));
    }

    @Test
    @DisplayName("v5 [MQTT-3.2.2-22] Server Keep Alive: a capped Keep Alive is announced in CONNACK and enforced")
    void serverKeepAlive() {
        h = new BrokerHarness(BrokerConfig.builder().maxKeepAliveSeconds(30).build());
        ConnectionId c = h.open();
        h.in(c, withKeepAlive(connect(V5, "a", true), 100));
        Connack ack = (Connack) h.out(c).get(0);
        assertEquals(30, ack.properties().integer(PropertyId.SERVER_KEEP_ALIVE, -1));
        h.advance(45_000);
        assertTrue(h.closedByServer(c));
        ConnectionId d2 = h.open();
        h.in(d2, withKeepAlive(connect(V5, "b", true), 20));
        assertFalse(((Connack) h.out(d2).get(0)).properties().contains(PropertyId.SERVER_KEEP_ALIVE),
                "a Keep Alive within the cap is used as the client asked");
        h.advance(29_999);
        assertFalse(h.isClosed(d2));
        h.advance(1);
        assertTrue(h.isClosed(d2));
    }

    // ---- will ----

    @Test
    @DisplayName("v3.1.1 [MQTT-3.1.2-8] [MQTT-3.1.2-16] the Will is published on an unclean close, not retained when Will Retain is 0")
    void willOnLossV3() {
        ConnectionId w = watcher("will");
        ConnectionId c = connected(withWill(connect(V3, "a", true), will("will", "gone", QoS.AT_LEAST_ONCE, false, 0)));
        h.lose(c);
        List<Publish> got = publishes(h.out(w));
        assertEquals(List.of("gone"), got.stream().map(Packets::text).toList());
        assertFalse(got.get(0).retain());
        assertTrue(h.state().router().retained().matching("will").isEmpty());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(ProtocolVersions.BOTH)
    @DisplayName("v3.1.1 [MQTT-3.1.2-17] v5 [MQTT-3.1.2-15] Will Retain 1: the Will is published as a retained message")
    void willRetained(ProtocolVersion v) {
        ConnectionId c = connected(withWill(connect(v, "a", true), will("will", "gone", QoS.AT_MOST_ONCE, true, 0)));
        h.lose(c);
        assertEquals(1, h.state().router().retained().matching("will").size());
    }

    @Test
    @DisplayName("v3.1.1 [MQTT-3.1.2-10] [MQTT-3.14.4-3] DISCONNECT discards the Will without publishing it")
    void noWillOnDisconnectV3() {
        ConnectionId w = watcher("will");
        ConnectionId c = connected(withWill(connect(V3, "a", true), will("will", "gone", QoS.AT_MOST_ONCE, false, 0)));
        h.in(c, Disconnect.NORMAL);
        assertTrue(h.closedByServer(c));
        assertTrue(h.out(w).isEmpty());
    }

    @Test
    @DisplayName("v3.1.1 [MQTT-3.1.2-12] without a Will nothing is published on loss")
    void noWillNoPublish() {
        ConnectionId w = watcher("#");
        ConnectionId c = connected(connect(V3, "a", true));
        h.lose(c);
        assertTrue(h.out(w).isEmpty());
    }

    @Test
    @DisplayName("v5 [MQTT-3.1.2-10] [MQTT-3.14.4-3] DISCONNECT 0x00 discards the Will; 0x04 publishes it")
    void willOnDisconnectV5() {
        ConnectionId w = watcher("will");
        ConnectionId c = connected(withWill(connect(V5, "a", true), will("will", "normal", QoS.AT_MOST_ONCE, false, 0)));
        h.in(c, new Disconnect(ReasonCode.NORMAL_DISCONNECTION));
        assertTrue(h.out(w).isEmpty());
        ConnectionId d = connected(withWill(connect(V5, "b", true), will("will", "with-will", QoS.AT_MOST_ONCE, false, 0)));
        h.in(d, new Disconnect(ReasonCode.DISCONNECT_WITH_WILL_MESSAGE));
        assertEquals(List.of("with-will"), texts(h.out(w)));
    }

    @Test
    @DisplayName("v5 [MQTT-3.1.2-8] [MQTT-3.1.2-14] the Will waits for its Will Delay Interval, then goes out non-retained")
    void willDelay() {
        ConnectionId w = watcher("will");
        ConnectionId c = connected(withWill(connect5("a", false, 600), will("will", "late", QoS.AT_MOST_ONCE, false, 10)));
        h.lose(c);
        h.advance(9_999);
        assertTrue(h.out(w).isEmpty());
        h.advance(1);
        List<Publish> got = publishes(h.out(w));
        assertEquals(List.of("late"), got.stream().map(Packets::text).toList());
        assertFalse(got.get(0).retain());
        assertFalse(got.get(0).properties().contains(PropertyId.WILL_DELAY_INTERVAL));
        assertNotNull(h.state().session("a"));
    }

    @Test
    @DisplayName("v5 [MQTT-3.1.3-9] reconnecting within the Will Delay Interval: the Will is not sent")
    void willDelayReconnect() {
        ConnectionId w = watcher("will");
        ConnectionId c = connected(withWill(connect5("a", false, 600), will("will", "late", QoS.AT_MOST_ONCE, false, 10)));
        h.lose(c);
        h.advance(5_000);
        connected(connect5("a", false, 600));
        h.advance(60_000);
        assertTrue(h.out(w).isEmpty());
    }

    @Test
    @DisplayName("v5 [MQTT-3.1.2-8] the Will goes out when the session ends before its delay")
    void willAtSessionEnd() {
        ConnectionId w = watcher("will");
        ConnectionId c = connected(withWill(connect5("a", false, 5), will("will", "end", QoS.AT_MOST_ONCE, false, 100)));
        h.lose(c);
        h.advance(4_999);
        assertTrue(h.out(w).isEmpty());
        h.advance(1);
        assertEquals(List.of("end"), texts(h.out(w)));
        assertNull(h.state().session("a"));
    }

    @Test
    @DisplayName("v5 [MQTT-3.1.2-8] session expiry 0: the delayed Will goes out at once, the session ends with the connection")
    void willExpiryZero() {
        ConnectionId w = watcher("will");
        ConnectionId c = connected(withWill(connect5("a", false, 0), will("will", "now", QoS.AT_MOST_ONCE, false, 100)));
        h.lose(c);
        assertEquals(List.of("now"), texts(h.out(w)));
        assertNull(h.state().session("a"));
    }

    @Test
    @DisplayName("v5 [MQTT-3.1.2-8] a new connection with Clean Start=1 ends the old session: its delayed Will goes out")
    void willCleanStartEndsSession() {
        ConnectionId w = watcher("will");
        ConnectionId c = connected(withWill(connect5("a", false, 600), will("will", "w", QoS.AT_MOST_ONCE, false, 100)));
        h.lose(c);
        assertTrue(h.out(w).isEmpty());
        connected(connect5("a", true, 600));
        assertEquals(List.of("w"), texts(h.out(w)));
    }

    @Test
    @DisplayName("v5 [MQTT-3.1.3-10] Will User Properties keep their order")
    void willUserProperties() {
        ConnectionId w = watcher("will");
        Properties props = Properties.of(new Property.UserProperty("b", "1"), new Property.UserProperty("a", "2"),
                new Property.UserProperty("b", "3"));
        Will will = new Will("will", Packets.bytes("x"), QoS.AT_MOST_ONCE, false, props);
        ConnectionId c = connected(withWill(connect(V5, "a", true), will));
        h.lose(c);
        assertEquals(props.userProperties(), publishes(h.out(w)).get(0).properties().userProperties());
    }

    @Test
    @DisplayName("v3.1.1 [MQTT-3.1.2-8] a protocol violation closes the connection and publishes the Will")
    void willOnViolation() {
        ConnectionId w = watcher("will");
        ConnectionId c = connected(withWill(connect(V3, "a", true), will("will", "bad", QoS.AT_MOST_ONCE, false, 0)));
        h.in(c, connect(V3, "a", true));
        assertEquals(List.of("bad"), texts(h.out(w)));
    }

    @Test
    @DisplayName("v3.1.1 take-over ending the session (new CleanSession=1) publishes the old connection's Will")
    void willOnTakeOverEndingSession() {
        ConnectionId w = watcher("will");
        connected(withWill(connect(V3, "a", false), will("will", "old", QoS.AT_MOST_ONCE, false, 0)));
        connected(connect(V3, "a", true));
        assertEquals(List.of("old"), texts(h.out(w)));
    }

    @Test
    @DisplayName("v5 [MQTT-3.1.3-9] take-over continuing the session: the new connection came before the Will Delay passed, no Will")
    void noWillOnTakeOverContinuing() {
        ConnectionId w = watcher("will");
        connected(withWill(connect5("a", false, 600), will("will", "old", QoS.AT_MOST_ONCE, false, 0)));
        connected(connect5("a", false, 600));
        h.advance(10_000);
        assertTrue(h.out(w).isEmpty());
        connected(withWill(connect(V3, "b", false), will("will", "old-b", QoS.AT_MOST_ONCE, false, 0)));
        connected(connect(V3, "b", false));
        assertTrue(h.out(w).isEmpty(), "3.1.1 likewise (as Mosquitto)");
    }

    @Test
    @DisplayName("v5 [MQTT-3.1.2-8] take-over of a session with expiry 0 ends it: the Will goes out")
    void willOnTakeOverExpiryZero() {
        ConnectionId w = watcher("will");
        connected(withWill(connect5("a", false, 0), will("will", "old", QoS.AT_MOST_ONCE, false, 0)));
        connected(connect5("a", false, 600));
        assertEquals(List.of("old"), texts(h.out(w)));
    }

    // ---- session expiry ----

    @Test
    @DisplayName("v5 [MQTT-3.1.2-23] [MQTT-4.1.0-2] a session with expiry > 0 outlives its connection, then is discarded")
    void sessionExpiry() {
        ConnectionId c = connected(connect5("a", false, 10));
        h.in(c, subscribe(1, "t", QoS.AT_LEAST_ONCE));
        h.lose(c);
        h.advance(9_999);
        assertNotNull(h.state().session("a"));
        h.advance(1);
        assertNull(h.state().session("a"));
        assertTrue(h.state().router().index().match("t").isEmpty());
    }

    @Test
    @DisplayName("v3.1.1 [MQTT-4.1.0-2] v5 [MQTT-4.1.0-1] the session is never discarded while its connection is open")
    void noExpiryWhileConnected() {
        ConnectionId c = connected(connect5("a", false, 1));
        ConnectionId d = connected(connect(V3, "b", true));
        h.advance(100_000);
        assertNotNull(h.state().session("a"));
        assertNotNull(h.state().session("b"));
        assertFalse(h.isClosed(c) || h.isClosed(d));
    }

    @Test
    @DisplayName("v5 a reconnect cancels the expiry; a later disconnect starts it again")
    void expiryRestarts() {
        ConnectionId c = connected(connect5("a", false, 10));
        h.lose(c);
        h.advance(8_000);
        ConnectionId d = connected(connect5("a", false, 10));
        h.advance(8_000);
        h.lose(d);
        h.advance(9_000);
        assertNotNull(h.state().session("a"));
        h.advance(1_000);
        assertNull(h.state().session("a"));
    }

    @Test
    @DisplayName("v5 DISCONNECT may change the Session Expiry Interval")
    void disconnectChangesExpiry() {
        ConnectionId c = connected(connect5("a", false, 10));
        h.in(c, new Disconnect(ReasonCode.NORMAL_DISCONNECTION, Packets.expiry(100)));
        h.advance(50_000);
        assertNotNull(h.state().session("a"));
        ConnectionId d = connected(connect5("a", false, 10));
        h.in(d, new Disconnect(ReasonCode.NORMAL_DISCONNECTION,
                Properties.of(new Property.IntegerProperty(PropertyId.SESSION_EXPIRY_INTERVAL, 0))));
        assertNull(h.state().session("a"), "expiry 0 ends the session with the connection");
    }

    @Test
    @DisplayName("v5 DISCONNECT setting a non-zero expiry after CONNECT set 0 is a Protocol Error, and the Will goes out")
    void disconnectExpiryFromZero() {
        ConnectionId w = watcher("will");
        ConnectionId c = connected(withWill(connect5("a", false, 0), will("will", "x", QoS.AT_MOST_ONCE, false, 0)));
        h.in(c, new Disconnect(ReasonCode.NORMAL_DISCONNECTION, Packets.expiry(100)));
        assertEquals(List.of(new Disconnect(ReasonCode.PROTOCOL_ERROR)), h.out(c));
        assertNull(h.state().session("a"));
        assertEquals(List.of("x"), texts(h.out(w)));
    }

    @Test
    @DisplayName("v5 the Session Expiry Interval is capped by configuration and the cap is returned in CONNACK")
    void expiryCap() {
        h = new BrokerHarness(BrokerConfig.builder().maxSessionExpirySeconds(60).build());
        ConnectionId c = h.open();
        h.in(c, connect5("a", false, 3600));
        Connack ack = (Connack) h.out(c).get(0);
        assertEquals(60, ack.properties().integer(PropertyId.SESSION_EXPIRY_INTERVAL, -1));
        h.lose(c);
        h.advance(60_000);
        assertNull(h.state().session("a"));
    }

    @Test
    @DisplayName("v3.1.1 [MQTT-3.1.2-4] a CleanSession=0 session never expires")
    void v3KeptForever() {
        ConnectionId c = connected(connect(V3, "a", false));
        h.lose(c);
        h.advance(365L * 24 * 3600 * 1000);
        assertNotNull(h.state().session("a"));
        assertTrue(h.timers().isEmpty());
    }

    @Test
    @DisplayName("v5 [MQTT-4.8.2-4] [MQTT-4.8.2-5] an in-flight QoS 2 message to a shared subscriber is completed on its reconnect, not moved")
    void sharedInflightStays() {
        ConnectionId m1 = connected(connect5("m1", false, 600));
        h.in(m1, subscribe(1, "$share/g/t", QoS.EXACTLY_ONCE));
        ConnectionId m2 = connected(connect5("m2", false, 600));
        h.in(m2, subscribe(1, "$share/g/t", QoS.EXACTLY_ONCE));
        h.out(m1);
        h.out(m2);
        ConnectionId pub = connected(connect(V5, "p", true));
        h.in(pub, publish("t", "x", QoS.EXACTLY_ONCE, 1));
        List<Publish> a = publishes(h.out(m1));
        List<Publish> b = publishes(h.out(m2));
        assertEquals(1, a.size() + b.size());
        String owner = a.isEmpty() ? "m2" : "m1";
        ConnectionId ownerConn = a.isEmpty() ? m2 : m1;
        ConnectionId other = a.isEmpty() ? m1 : m2;
        h.lose(ownerConn);
        assertTrue(h.out(other).isEmpty());
        ConnectionId back = connected0(connect5(owner, false, 600));
        List<Publish> again = publishes(h.out(back));
        assertEquals(1, again.size());
        assertTrue(again.get(0).dup());
        h.in(back, new PubAck(0)); // harmless unknown ack
    }

    // ---- what session state is, and how long it lasts ----

    @Test
    @DisplayName("v3.1.1 [MQTT-3.1.2.7] retained messages are not session state: they outlive the sessions that published or received them")
    void retainedOutlivesSessions() {
        ConnectionId pub = connected(connect(V3, "p", true));
        h.in(pub, new Publish("r/t", Packets.bytes("kept"), QoS.AT_LEAST_ONCE, true, false,
                1, Properties.EMPTY));
        ConnectionId sub = connected(connect(V3, "s", false));
        h.in(sub, subscribe(1, "r/#", QoS.AT_LEAST_ONCE));
        assertEquals(List.of("kept"), texts(h.out(sub)));
        h.in(pub, Packets.disconnect(ReasonCode.NORMAL_DISCONNECTION));
        assertNull(h.state().session("p"), "the publisher's session ended");
        h.lose(sub);
        ConnectionId cleared = connected(connect(V3, "s", true)); // ends the subscriber's kept session
        h.in(cleared, Packets.disconnect(ReasonCode.NORMAL_DISCONNECTION));
        assertNull(h.state().session("s"));
        ConnectionId late = connected(connect(V3, "late", true));
        h.in(late, subscribe(1, "r/t", QoS.AT_MOST_ONCE));
        List<Publish> got = publishes(h.out(late));
        assertEquals(List.of("kept"), got.stream().map(Packets::text).toList());
        assertTrue(got.get(0).retain());
    }

    @Test
    @DisplayName("v3.1.1 [MQTT-4.1.0-1] the server keeps all session state while the session lasts: subscriptions, in-flight, QoS 2 ids, queue")
    void sessionStateKeptWhileSessionLasts() {
        ConnectionId sub = connected(connect(V3, "s", false));
        h.in(sub, subscribe(1, "t", QoS.AT_LEAST_ONCE), publish("x", "own", QoS.EXACTLY_ONCE, 7));
        h.out(sub);
        ConnectionId pub = connected(connect(V3, "p", true));
        h.in(pub, publish("t", "unacked", QoS.AT_LEAST_ONCE, 1));
        int inflightId = publishes(h.out(sub)).get(0).packetId();
        h.lose(sub);
        h.in(pub, publish("t", "queued", QoS.AT_LEAST_ONCE, 2));
        h.advance(3_600_000); // an hour offline: 3.1.1 sessions have no expiry
        ConnectionId back = connected0(connect(V3, "s", false));
        List<Packet> out = h.out(back);
        assertTrue(((Connack) out.get(0)).sessionPresent());
        List<Publish> resent = publishes(out);
        assertEquals(List.of("unacked", "queued"), resent.stream().map(Packets::text).toList());
        assertEquals(inflightId, resent.get(0).packetId(), "in-flight message kept with its id");
        assertTrue(resent.get(0).dup());
        assertTrue(h.state().session("s").awaitingPubRel().contains(7), "QoS 2 id awaiting PUBREL kept");
        h.in(back, new PubRel(7));
        assertEquals(List.of(new PubComp(7)), h.out(back));
        h.in(pub, publish("t", "new", QoS.AT_LEAST_ONCE, 3));
        assertEquals(List.of("new"), texts(h.out(back)), "subscription kept");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(ProtocolVersions.BOTH)
    @DisplayName("v3.1.1 [MQTT-4.6.0-5] v5 [MQTT-4.6.0-6] without configuration every topic is ordered: each publisher's messages, on any topics, arrive in order")
    void everyTopicOrderedByDefault(ProtocolVersion v) {
        io.checkedmqtt.core.packet.Connect sc = kept(v, "s");
        ConnectionId sub = connected(sc);
        h.in(sub, subscribe(1, "#", QoS.EXACTLY_ONCE));
        ConnectionId pub = connected(connect(v, "p", true));
        List<String> sent = new ArrayList<>();
        int id = 1;
        for (String topic : List.of("a", "b/c", "a", "z/z/z", "b/c", "x", "a")) {
            for (QoS qos : List.of(QoS.AT_LEAST_ONCE, QoS.EXACTLY_ONCE)) {
                String text = topic + "#" + id;
                h.in(pub, publish(topic, text, qos, id++));
                sent.add(text);
            }
        }
        assertEquals(sent, texts(h.out(sub)), v + " online");
        h.lose(sub);
        List<String> offline = new ArrayList<>();
        for (String topic : List.of("q", "r", "q", "s/t")) {
            String text = topic + "#" + id;
            h.in(pub, publish(topic, text, id % 2 == 0 ? QoS.AT_LEAST_ONCE : QoS.EXACTLY_ONCE, id++));
            offline.add(text);
        }
        ConnectionId back = connected0(sc);
        List<String> got = texts(h.out(back));
        assertEquals(offline, got.subList(got.size() - offline.size(), got.size()), v + " from the queue");
    }
}
