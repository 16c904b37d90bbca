package io.checkedmqtt.core.session;

import io.checkedmqtt.core.config.BrokerConfig;
import io.checkedmqtt.core.effect.ConnectionId;
import io.checkedmqtt.core.effect.Effect;
import io.checkedmqtt.core.effect.Timer;
import io.checkedmqtt.core.packet.Connack;
import io.checkedmqtt.core.packet.Connect;
import io.checkedmqtt.core.packet.Disconnect;
import io.checkedmqtt.core.packet.Properties;
import io.checkedmqtt.core.packet.Property;
import io.checkedmqtt.core.packet.PropertyId;
import io.checkedmqtt.core.packet.ProtocolVersion;
import io.checkedmqtt.core.packet.Publish;
import io.checkedmqtt.core.packet.QoS;
import io.checkedmqtt.core.packet.ReasonCode;
import io.checkedmqtt.core.packet.Will;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A session's life around its connections, input by input and at the edges of every deadline:
 * CONNECT (Keep Alive, Receive Maximum, the CONNACK properties), the end of a connection, the
 * will and its delay, the session's expiry.
 */
class LifecycleTest {

    private static final ConnectionId CONN = new ConnectionId(1);
    private static final ConnectionId CONN2 = new ConnectionId(2);
    private static final ProtocolVersion V5 = ProtocolVersion.MQTT_5;
    private static final ProtocolVersion V311 = ProtocolVersion.MQTT_3_1_1;

    private final SessionTransitions t = new SessionTransitions(BrokerConfig.defaults());

    private static BrokerConfig config(int maxKeepAlive, int receiveMaximum, int maxInflight, int maximumPacketSize,
                                       boolean retainAvailable, int topicAliasMaximum, long maxExpiry) {
        return BrokerConfig.builder().maxKeepAliveSeconds(maxKeepAlive).receiveMaximum(receiveMaximum)
                .maxInflightMessages(maxInflight).maximumPacketSize(maximumPacketSize).retainAvailable(retainAvailable)
                .topicAliasMaximum(topicAliasMaximum).maxSessionExpirySeconds(maxExpiry).build();
    }

    private static BrokerConfig withMaxKeepAlive(int seconds) {
        BrokerConfig d = BrokerConfig.defaults();
        return config(seconds, d.receiveMaximum(), d.maxInflightMessages(), d.maximumPacketSize(),
                d.retainAvailable(), d.topicAliasMaximum(), d.maxSessionExpirySeconds());
    }

    private static Connect connect(ProtocolVersion v, boolean clean, int keepAlive, Will will, Properties props) {
        return new Connect(v, "c", clean, keepAlive, null, null, will, props);
    }

    private static Properties expiry(long seconds) {
        return Properties.EMPTY.withInteger(PropertyId.SESSION_EXPIRY_INTERVAL, seconds);
    }

    private static Will will(long delaySeconds) {
        Properties p = delaySeconds == 0 ? Properties.EMPTY
                : Properties.EMPTY.withInteger(PropertyId.WILL_DELAY_INTERVAL, delaySeconds);
        return new Will("w", new byte[] {9}, QoS.AT_MOST_ONCE, false, p);
    }

    /** The CONNACK: the first packet sent (timer cancels may come before it, they send nothing). */
    private static Connack connack(SessionStep step) {
        return step.effects().stream().filter(e -> e instanceof Effect.Send).map(e -> (Connack) ((Effect.Send) e).packet())
                .findFirst().orElseThrow();
    }

    private SessionStep attach(SessionTransitions tr, Connect c, long now) {
        return tr.onConnect(null, "c", false, c, CONN, now);
    }

    // ---- CONNECT ----

    @Test
    @DisplayName("v5 [MQTT-3.2.2-22] a Keep Alive equal to the server's cap is used as is, without Server Keep Alive")
    void keepAliveAtTheCap() {
        SessionTransitions capped = new SessionTransitions(withMaxKeepAlive(60));
        SessionStep at = attach(capped, connect(V5, true, 60, null, Properties.EMPTY), 0);
        assertFalse(connack(at).properties().contains(PropertyId.SERVER_KEEP_ALIVE));
        assertEquals(60_000, at.session().link().keepAliveMillis());

        SessionStep above = attach(capped, connect(V5, true, 61, null, Properties.EMPTY), 0);
        assertEquals(60, connack(above).properties().integer(PropertyId.SERVER_KEEP_ALIVE, -1));
        assertEquals(60_000, above.session().link().keepAliveMillis());

        SessionStep below = attach(capped, connect(V5, true, 59, null, Properties.EMPTY), 0);
        assertFalse(connack(below).properties().contains(PropertyId.SERVER_KEEP_ALIVE));
        assertEquals(59_000, below.session().link().keepAliveMillis());
    }

    @Test
    @DisplayName("v5 [MQTT-3.2.2-22] with a cap configured, Keep Alive 0 (no timeout) is replaced by the Server Keep Alive")
    void keepAliveZeroIsCapped() {
        SessionTransitions capped = new SessionTransitions(withMaxKeepAlive(30));
        SessionStep step = attach(capped, connect(V5, true, 0, null, Properties.EMPTY), 1_000);
        assertEquals(30, connack(step).properties().integer(PropertyId.SERVER_KEEP_ALIVE, -1));
        assertEquals(new Effect.ScheduleTimer(new Timer.KeepAlive(CONN), 1_000 + 45_000), step.effects().get(1));
    }

    @Test
    @DisplayName("v3.1.1 [MQTT-3.1.2-24] the Keep Alive of a 3.1.1 client is never changed (Server Keep Alive is 5.0 only)")
    void keepAliveCapIsV5Only() {
        SessionTransitions capped = new SessionTransitions(withMaxKeepAlive(30));
        SessionStep step = attach(capped, connect(V311, true, 100, null, Properties.EMPTY), 0);
        assertEquals(new Connack(false, ReasonCode.SUCCESS, Properties.EMPTY), connack(step));
        assertEquals(100_000, step.session().link().keepAliveMillis());
        SessionStep off = attach(capped, connect(V311, true, 0, null, Properties.EMPTY), 0);
        assertEquals(0, off.session().link().keepAliveMillis());
    }

    @Test
    @DisplayName("v3.1.1 [MQTT-3.1.2-24] v5 [MQTT-3.1.2-22] Keep Alive 0: no KeepAlive timer is scheduled or cancelled")
    void keepAliveZeroHasNoTimer() {
        SessionStep step = attach(t, connect(V5, false, 0, null, expiry(60)), 0);
        assertTrue(step.effects().stream().noneMatch(e -> e instanceof Effect.ScheduleTimer),
                step.effects().toString());
        SessionStep lost = t.onConnectionLost(step.session(), 10);
        assertTrue(lost.effects().stream().noneMatch(e -> e instanceof Effect.CancelTimer c
                && c.timer() instanceof Timer.KeepAlive), lost.effects().toString());
        assertSame(step.session(), t.onKeepAliveDeadline(step.session(), 1_000_000_000L).session());
        assertTrue(t.onKeepAliveDeadline(step.session(), 1_000_000_000L).effects().isEmpty());
    }

    @Test
    @DisplayName("v5 [MQTT-3.3.4-9] the send limit is the client's Receive Maximum when below the configured in-flight limit")
    void sendLimitFromReceiveMaximum() {
        SessionStep low = attach(t, connect(V5, true, 0, null,
                Properties.EMPTY.withInteger(PropertyId.RECEIVE_MAXIMUM, 3)), 0);
        assertEquals(3, low.session().link().sendLimit());
        SessionStep high = attach(t, connect(V5, true, 0, null,
                Properties.EMPTY.withInteger(PropertyId.RECEIVE_MAXIMUM, 500)), 0);
        assertEquals(BrokerConfig.defaults().maxInflightMessages(), high.session().link().sendLimit());
        SessionStep absent = attach(t, connect(V5, true, 0, null, Properties.EMPTY), 0);
        assertEquals(BrokerConfig.defaults().maxInflightMessages(), absent.session().link().sendLimit());
    }

    @Test
    @DisplayName("v5 [MQTT-3.1.2-24] the client's Maximum Packet Size is kept on the link; 3.1.1 has none")
    void maximumPacketSizeOnTheLink() {
        SessionStep v5 = attach(t, connect(V5, true, 0, null,
                Properties.EMPTY.withInteger(PropertyId.MAXIMUM_PACKET_SIZE, 1_000)), 0);
        assertEquals(1_000, v5.session().link().maximumPacketSize());
        SessionStep v5None = attach(t, connect(V5, true, 0, null, Properties.EMPTY), 0);
        assertEquals(Link.NO_MAXIMUM_PACKET_SIZE, v5None.session().link().maximumPacketSize());
        SessionStep v311 = attach(t, connect(V311, true, 0, null, Properties.EMPTY), 0);
        assertEquals(Link.NO_MAXIMUM_PACKET_SIZE, v311.session().link().maximumPacketSize());
    }

    @Test
    @DisplayName("v5 [MQTT-3.3.2-12] a 5.0 connection accepts the configured number of topic aliases; 3.1.1 none")
    void topicAliasMaximumOnTheLink() {
        assertEquals(BrokerConfig.defaults().topicAliasMaximum(),
                attach(t, connect(V5, true, 0, null, Properties.EMPTY), 0).session().link().inboundAliases().maximum());
        assertEquals(0, attach(t, connect(V311, true, 0, null, Properties.EMPTY), 0)
                .session().link().inboundAliases().maximum());
    }

    @Test
    @DisplayName("v5 [MQTT-3.2.2-16] CONNACK states every server limit that differs from the default, and the assigned id")
    void connackPropertiesOfALimitedServer() {
        SessionTransitions limited = new SessionTransitions(config(0, 100, 20, 4_096, false, 5, 3_600));
        SessionStep step = limited.onConnect(null, "auto-1", true,
                connect(V5, true, 0, null, expiry(7_200)), CONN, 0);
        Properties expected = Properties.of(List.of(
                new Property.IntegerProperty(PropertyId.SESSION_EXPIRY_INTERVAL, 3_600),
                new Property.IntegerProperty(PropertyId.RECEIVE_MAXIMUM, 100),
                new Property.IntegerProperty(PropertyId.RETAIN_AVAILABLE, 0),
                new Property.IntegerProperty(PropertyId.MAXIMUM_PACKET_SIZE, 4_096),
                new Property.StringProperty(PropertyId.ASSIGNED_CLIENT_IDENTIFIER, "auto-1"),
                new Property.IntegerProperty(PropertyId.TOPIC_ALIAS_MAXIMUM, 5),
                new Property.IntegerProperty(PropertyId.WILDCARD_SUBSCRIPTION_AVAILABLE, 1),
                new Property.IntegerProperty(PropertyId.SUBSCRIPTION_IDENTIFIER_AVAILABLE, 1),
                new Property.IntegerProperty(PropertyId.SHARED_SUBSCRIPTION_AVAILABLE, 1)));
        assertEquals(new Connack(false, ReasonCode.SUCCESS, expected), connack(step));
        assertEquals(3_600, step.session().expirySeconds());
    }

    @Test
    @DisplayName("v5 CONNACK of a default server: no limits to state, the requested expiry is granted and not echoed")
    void connackPropertiesOfADefaultServer() {
        SessionStep step = attach(t, connect(V5, false, 0, null, expiry(60)), 0);
        Properties expected = Properties.of(List.of(
                new Property.IntegerProperty(PropertyId.TOPIC_ALIAS_MAXIMUM, BrokerConfig.defaults().topicAliasMaximum()),
                new Property.IntegerProperty(PropertyId.WILDCARD_SUBSCRIPTION_AVAILABLE, 1),
                new Property.IntegerProperty(PropertyId.SUBSCRIPTION_IDENTIFIER_AVAILABLE, 1),
                new Property.IntegerProperty(PropertyId.SHARED_SUBSCRIPTION_AVAILABLE, 1)));
        assertEquals(new Connack(false, ReasonCode.SUCCESS, expected), connack(step));
        assertEquals(60, step.session().expirySeconds());
    }

    @Test
    @DisplayName("v5 [MQTT-3.1.3-9] [MQTT-3.1.2-5] resuming an offline session cancels its WillDelay and SessionExpiry timers; the will is not sent")
    void resumeCancelsOfflineTimers() {
        Session off = t.onConnectionLost(attach(t, connect(V5, false, 0, will(30), expiry(60)), 0).session(), 1_000)
                .session();
        SessionStep back = t.onConnect(off, "c", false, connect(V5, false, 0, null, expiry(60)), CONN2, 2_000);
        assertTrue(connack(back).sessionPresent());
        assertTrue(back.effects().contains(new Effect.CancelTimer(new Timer.WillDelay("c"))));
        assertTrue(back.effects().contains(new Effect.CancelTimer(new Timer.SessionExpiry("c"))));
        assertTrue(back.requests().stream().noneMatch(s -> s instanceof BrokerRequest.PublishWill), back.requests().toString());
        assertNull(back.session().will());
    }

    @Test
    @DisplayName("v3.1.1 [MQTT-3.1.2-4] resuming a session that never expires and has no will cancels no timer")
    void resumeWithoutTimers() {
        Session off = t.onConnectionLost(attach(t, connect(V311, false, 0, null, Properties.EMPTY), 0).session(), 1)
                .session();
        SessionStep back = t.onConnect(off, "c", false, connect(V311, false, 0, null, Properties.EMPTY), CONN2, 2);
        assertTrue(back.effects().stream().noneMatch(e -> e instanceof Effect.CancelTimer), back.effects().toString());
        // no will is waiting: only the WillDelay cancel depends on it
        Session offWithExpiry = t.onConnectionLost(attach(t, connect(V5, false, 0, null, expiry(60)), 0).session(), 1)
                .session();
        SessionStep back5 = t.onConnect(offWithExpiry, "c", false, connect(V5, false, 0, null, expiry(60)), CONN2, 2);
        assertEquals(List.of(new Effect.CancelTimer(new Timer.SessionExpiry("c"))),
                back5.effects().stream().filter(e -> e instanceof Effect.CancelTimer).toList());
    }

    @Test
    @DisplayName("v5 [MQTT-3.1.2-4] [MQTT-3.1.2-8] Clean Start=1 over an offline session with a waiting will: the will goes out, the old session is discarded")
    void cleanStartEndsTheOldSession() {
        Will w = will(30);
        Session off = t.onConnectionLost(attach(t, connect(V5, false, 0, w, expiry(60)), 0).session(), 1_000)
                .session();
        SessionStep fresh = t.onConnect(off, "c", false, connect(V5, true, 0, null, Properties.EMPTY), CONN2, 2_000);
        assertFalse(connack(fresh).sessionPresent());
        assertEquals(List.of(new BrokerRequest.PublishWill("c", w), new BrokerRequest.DiscardSession("c")),
                fresh.requests());
        Session offNoWill = t.onConnectionLost(attach(t, connect(V5, false, 0, null, expiry(60)), 0).session(), 1)
                .session();
        assertEquals(List.of(new BrokerRequest.DiscardSession("c")),
                t.onConnect(offNoWill, "c", false, connect(V5, true, 0, null, Properties.EMPTY), CONN2, 2).requests());
    }

    @Test
    @DisplayName("v5 [MQTT-3.1.2-5] a resumed session takes the version and Session Expiry Interval of the new CONNECT")
    void resumeTakesNewVersionAndExpiry() {
        Session off = t.onConnectionLost(attach(t, connect(V311, false, 0, null, Properties.EMPTY), 0).session(), 1)
                .session();
        SessionStep back = t.onConnect(off, "c", false, connect(V5, false, 0, null, expiry(90)), CONN2, 2);
        assertTrue(connack(back).sessionPresent());
        assertEquals(V5, back.session().version());
        assertEquals(90, back.session().expirySeconds());
        assertEquals(CONN2, back.session().link().connection());
    }

    // ---- the connection ends ----

    @Test
    @DisplayName("v5 [MQTT-3.1.2-8] [MQTT-3.1.2-23] connection lost: KeepAlive cancelled, WillDelay and SessionExpiry scheduled from now")
    void connectionLostSchedulesDeadlines() {
        Will w = will(5);
        SessionStep lost = t.onConnectionLost(attach(t, connect(V5, false, 10, w, expiry(60)), 0).session(), 1_000);
        Session off = lost.session();
        assertEquals(List.of(
                new Effect.CancelTimer(new Timer.KeepAlive(CONN)),
                new Effect.ScheduleTimer(new Timer.WillDelay("c"), 6_000),
                new Effect.ScheduleTimer(new Timer.SessionExpiry("c"), 61_000)), lost.effects());
        assertTrue(lost.requests().isEmpty());
        assertFalse(off.isOnline());
        assertEquals(w, off.will());
        assertEquals(1_000, off.disconnectedAtMillis());
    }

    @Test
    @DisplayName("v5 [MQTT-3.1.2-8] a Will Delay equal to the Session Expiry: no WillDelay timer, the expiry publishes the will")
    void willDelayNotShorterThanExpiry() {
        Will w = will(60);
        SessionStep lost = t.onConnectionLost(attach(t, connect(V5, false, 0, w, expiry(60)), 0).session(), 1_000);
        assertEquals(List.of(new Effect.ScheduleTimer(new Timer.SessionExpiry("c"), 61_000)), lost.effects());
        assertEquals(w, lost.session().will());
        SessionStep end = t.onSessionExpiry(lost.session(), 61_000);
        assertNull(end.session());
        assertEquals(List.of(new BrokerRequest.PublishWill("c", w), new BrokerRequest.DiscardSession("c")),
                end.requests());
    }

    @Test
    @DisplayName("v5 [MQTT-3.1.2-8] Will Delay 0: the will goes out at once and is not kept in the offline session")
    void willWithoutDelay() {
        Will w = will(0);
        SessionStep lost = t.onConnectionLost(attach(t, connect(V5, false, 0, w, expiry(60)), 0).session(), 1_000);
        assertEquals(List.of(new BrokerRequest.PublishWill("c", w)), lost.requests());
        assertNull(lost.session().will());
        assertEquals(List.of(new Effect.ScheduleTimer(new Timer.SessionExpiry("c"), 61_000)), lost.effects());
    }

    @Test
    @DisplayName("v3.1.1 [MQTT-3.1.2-4] a CleanSession=0 session schedules no expiry when its connection ends")
    void neverExpiringSessionSchedulesNothing() {
        SessionStep lost = t.onConnectionLost(attach(t, connect(V311, false, 0, null, Properties.EMPTY), 0).session(), 5);
        assertTrue(lost.effects().isEmpty(), lost.effects().toString());
        assertEquals(Session.NEVER_EXPIRES, lost.session().expirySeconds());
    }

    @Test
    @DisplayName("v3.1.1 timed resend: the Resend timer is cancelled when the connection ends")
    void detachCancelsResend() {
        SessionTransitions resending = new SessionTransitions(BrokerConfig.builder()
                .resendIntervalMillis(5_000).resendMaxAttempts(3).maxKeepAliveSeconds(0).build());
        Session s = attach(resending, connect(V311, false, 0, null, Properties.EMPTY), 0).session();
        s = resending.onDeliver(s, new Publish("t", new byte[0], QoS.AT_LEAST_ONCE, false, false, 0,
                Properties.EMPTY), 0, 0).session();
        assertEquals(5_000, s.resendAtMillis());
        SessionStep lost = resending.onConnectionLost(s, 100);
        assertEquals(List.of(new Effect.CancelTimer(new Timer.Resend("c"))), lost.effects());
        assertEquals(Session.NO_DEADLINE, lost.session().resendAtMillis());
        assertEquals(1, lost.session().inflight().size());
    }

    @Test
    @DisplayName("v3.1.1 [MQTT-3.14.4-3] a 3.1.1 DISCONNECT discards the will whatever its reason code")
    void v311DisconnectDiscardsWill() {
        Session s = attach(t, connect(V311, false, 0, will(0), Properties.EMPTY), 0).session();
        SessionStep d = t.onDisconnect(s, new Disconnect(ReasonCode.DISCONNECT_WITH_WILL_MESSAGE), 1);
        assertTrue(d.requests().stream().noneMatch(x -> x instanceof BrokerRequest.PublishWill), d.requests().toString());
        assertNull(d.session().will());
    }

    @Test
    @DisplayName("v5 [MQTT-3.1.2-10] DISCONNECT 0x04 keeps the will for publication; the Close carries the client's reason")
    void disconnectWithWill() {
        Will w = will(0);
        Session s = attach(t, connect(V5, false, 0, w, expiry(60)), 0).session();
        SessionStep d = t.onDisconnect(s, new Disconnect(ReasonCode.DISCONNECT_WITH_WILL_MESSAGE), 1);
        assertEquals(new Effect.Close(CONN, ReasonCode.DISCONNECT_WITH_WILL_MESSAGE, "DISCONNECT from client"),
                d.effects().get(0));
        assertEquals(new BrokerRequest.PublishWill("c", w), d.requests().get(0));
    }

    @Test
    @DisplayName("v5 [MQTT-3.1.2-23] DISCONNECT with Session Expiry Interval 0 ends a kept session with its connection")
    void disconnectSetsExpiryZero() {
        Session s = attach(t, connect(V5, false, 0, null, expiry(60)), 0).session();
        SessionStep d = t.onDisconnect(s, new Disconnect(ReasonCode.NORMAL_DISCONNECTION, expiry(0)), 1);
        assertNull(d.session());
        assertEquals(List.of(new BrokerRequest.DiscardSession("c")), d.requests());
    }

    @Test
    @DisplayName("v5 DISCONNECT with Session Expiry Interval 0 after CONNECT set 0 is no Protocol Error")
    void disconnectRepeatsExpiryZero() {
        Session s = attach(t, connect(V5, false, 0, null, Properties.EMPTY), 0).session();
        SessionStep d = t.onDisconnect(s, new Disconnect(ReasonCode.NORMAL_DISCONNECTION, expiry(0)), 1);
        assertEquals(List.of(new Effect.Close(CONN, ReasonCode.NORMAL_DISCONNECTION, "DISCONNECT from client")),
                d.effects());
        assertNull(d.session());
    }

    @Test
    @DisplayName("v5 a Session Expiry Interval set by DISCONNECT is capped by configuration")
    void disconnectExpiryIsCapped() {
        SessionTransitions capped = new SessionTransitions(config(0, 65_535, 20, 268_435_455, true, 10, 100));
        Session s = attach(capped, connect(V5, false, 0, null, expiry(50)), 0).session();
        SessionStep d = capped.onDisconnect(s, new Disconnect(ReasonCode.NORMAL_DISCONNECTION, expiry(1_000)), 1_000);
        assertEquals(100, d.session().expirySeconds());
        assertTrue(d.effects().contains(new Effect.ScheduleTimer(new Timer.SessionExpiry("c"), 101_000)));
    }

    @Test
    @DisplayName("v3.1.1 [MQTT-4.8.0-1] a protocol violation by a 3.1.1 client closes the connection without a DISCONNECT")
    void v311ViolationClosesOnly() {
        Session s = attach(t, connect(V311, true, 0, null, Properties.EMPTY), 0).session();
        SessionStep v = t.onProtocolViolation(s, ReasonCode.PROTOCOL_ERROR, "x", 1);
        assertEquals(List.of(new Effect.Close(CONN, ReasonCode.PROTOCOL_ERROR, "x")), v.effects());
    }

    @Test
    @DisplayName("v5 [MQTT-4.13.1-1] a protocol violation by a 5.0 client: DISCONNECT with the reason, then close")
    void v5ViolationDisconnectsFirst() {
        Session s = attach(t, connect(V5, true, 0, null, Properties.EMPTY), 0).session();
        SessionStep v = t.onProtocolViolation(s, ReasonCode.PROTOCOL_ERROR, "x", 1);
        assertEquals(List.of(new Effect.Send(CONN, new Disconnect(ReasonCode.PROTOCOL_ERROR)),
                new Effect.Close(CONN, ReasonCode.PROTOCOL_ERROR, "x")), v.effects());
    }

    @Test
    @DisplayName("v3.1.1 [MQTT-3.1.4-2] take-over with CleanSession=1 ends the old session and publishes its will; CleanSession=0 keeps both")
    void takeOverOfAKeptSession() {
        Will w = will(0);
        Session s = attach(t, connect(V311, false, 0, w, Properties.EMPTY), 0).session();
        SessionStep ending = t.onTakeOver(s, false, 1);
        assertEquals(List.of(new Effect.Close(CONN, ReasonCode.SESSION_TAKEN_OVER, "client identifier connected again")),
                ending.effects());
        assertTrue(ending.requests().contains(new BrokerRequest.PublishWill("c", w)));
        SessionStep continuing = t.onTakeOver(s, true, 1);
        assertTrue(continuing.requests().stream().noneMatch(x -> x instanceof BrokerRequest.PublishWill),
                continuing.requests().toString());
        assertFalse(continuing.session().isOnline());
    }

    // ---- deadlines ----

    @Test
    @DisplayName("v3.1.1 [MQTT-3.1.2-24] the connection is dropped at exactly 1.5 x Keep Alive of silence, not a millisecond before")
    void keepAliveEdge() {
        Session s = attach(t, connect(V311, false, 10, null, Properties.EMPTY), 0).session();
        SessionStep early = t.onKeepAliveDeadline(s, 14_999);
        assertSame(s, early.session());
        assertEquals(List.of(new Effect.ScheduleTimer(new Timer.KeepAlive(CONN), 15_000)), early.effects());
        SessionStep due = t.onKeepAliveDeadline(s, 15_000);
        assertEquals(new Effect.Close(CONN, ReasonCode.KEEP_ALIVE_TIMEOUT, "no packet for 1.5 x Keep Alive"),
                due.effects().get(0));
        assertFalse(due.session().isOnline());
    }

    @Test
    @DisplayName("v5 [MQTT-3.1.2-8] the will waits exactly its Will Delay Interval, counted from the disconnect")
    void willDelayEdge() {
        Will w = will(5);
        Session off = t.onConnectionLost(attach(t, connect(V5, false, 0, w, expiry(60)), 0).session(), 2_000)
                .session();
        SessionStep early = t.onWillDelayElapsed(off, 6_999);
        assertSame(off, early.session());
        assertTrue(early.requests().isEmpty());
        SessionStep due = t.onWillDelayElapsed(off, 7_000);
        assertEquals(List.of(new BrokerRequest.PublishWill("c", w)), due.requests());
        assertNull(due.session().will());
        assertFalse(due.session().isOnline());
    }

    @Test
    @DisplayName("v5 [MQTT-3.1.3-9] a WillDelay timer firing after the client reconnected publishes nothing")
    void willDelayAfterReconnect() {
        Will w = will(5);
        // Online, the session holds the will of its current connection: a stale timer must not publish it.
        Session online = attach(t, connect(V5, false, 0, w, expiry(60)), 0).session();
        assertEquals(w, online.will());
        SessionStep stale = t.onWillDelayElapsed(online, 1_000_000);
        assertSame(online, stale.session());
        assertTrue(stale.requests().isEmpty());
    }

    @Test
    @DisplayName("v5 [MQTT-4.1.0-2] the session ends exactly when its Session Expiry Interval has passed since the disconnect")
    void expiryEdge() {
        Session off = t.onConnectionLost(attach(t, connect(V5, false, 0, null, expiry(60)), 0).session(), 3_000)
                .session();
        SessionStep early = t.onSessionExpiry(off, 62_999);
        assertSame(off, early.session());
        assertTrue(early.requests().isEmpty());
        SessionStep due = t.onSessionExpiry(off, 63_000);
        assertNull(due.session());
        assertEquals(List.of(new BrokerRequest.DiscardSession("c")), due.requests());
    }

    @Test
    @DisplayName("v3.1.1 [MQTT-3.1.2-4] a SessionExpiry timer never ends a session that does not expire")
    void neverExpires() {
        Session off = t.onConnectionLost(attach(t, connect(V311, false, 0, null, Properties.EMPTY), 0).session(), 0)
                .session();
        SessionStep step = t.onSessionExpiry(off, Long.MAX_VALUE / 2);
        assertSame(off, step.session());
        assertTrue(step.requests().isEmpty());
    }
}
