package io.checkedmqtt.core.session;

import io.checkedmqtt.core.config.BrokerConfig;
import io.checkedmqtt.core.effect.ConnectionId;
import io.checkedmqtt.core.effect.Effect;
import io.checkedmqtt.core.effect.Timer;
import io.checkedmqtt.core.packet.Connack;
import io.checkedmqtt.core.packet.Connect;
import io.checkedmqtt.core.packet.Disconnect;
import io.checkedmqtt.core.packet.Properties;
import io.checkedmqtt.core.packet.ProtocolVersion;
import io.checkedmqtt.core.packet.PubAck;
import io.checkedmqtt.core.packet.PubRec;
import io.checkedmqtt.core.packet.PubRel;
import io.checkedmqtt.core.packet.Publish;
import io.checkedmqtt.core.packet.QoS;
import io.checkedmqtt.core.packet.ReasonCode;
import io.checkedmqtt.core.packet.Will;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The session transitions on their own, without broker or router: values in, values out. */
class SessionTransitionsTest {

    private static final ConnectionId CONN = new ConnectionId(1);
    private final SessionTransitions t = new SessionTransitions(BrokerConfig.defaults());

    private Session online(ProtocolVersion v, boolean clean) {
        Connect c = new Connect(v, "c", clean, 0, null, null, null, Properties.EMPTY);
        return t.onConnect(null, "c", false, c, CONN, 0).session();
    }

    private static Publish message(QoS q) {
        return new Publish("t", new byte[] {1}, q, false, false, 0, Properties.EMPTY);
    }

    private static Publish sent(SessionStep step) {
        return (Publish) ((Effect.Send) step.effects().get(0)).packet();
    }

    @Test
    @DisplayName("onConnect: CONNACK first; a fresh session holds nothing")
    void onConnect() {
        Connect c = new Connect(ProtocolVersion.MQTT_3_1_1, "c", false, 30, null, null, null, Properties.EMPTY);
        SessionStep step = t.onConnect(null, "c", false, c, CONN, 5);
        Effect.Send first = assertInstanceOf(Effect.Send.class, step.effects().get(0));
        assertEquals(new Connack(false, ReasonCode.SUCCESS, Properties.EMPTY), first.packet());
        assertEquals(new Effect.ScheduleTimer(new Timer.KeepAlive(CONN), 5 + 45_000), step.effects().get(1));
        Session s = step.session();
        assertTrue(s.isOnline());
        assertEquals(Session.NEVER_EXPIRES, s.expirySeconds());
        assertTrue(s.inflight().isEmpty() && s.queue().isEmpty() && s.subscriptions().isEmpty());
    }

    @Test
    @DisplayName("onConnect refuses a session that is still online: take it over first")
    void onConnectNeedsTakeOver() {
        Session s = online(ProtocolVersion.MQTT_5, false);
        assertThrows(IllegalArgumentException.class, () -> t.onConnect(s, "c", false,
                new Connect(ProtocolVersion.MQTT_5, "c", false, 0, null, null, null, Properties.EMPTY), CONN, 0));
    }

    @Test
    @DisplayName("transitions never change the session they are given")
    void immutability() {
        Session s = online(ProtocolVersion.MQTT_5, false);
        Session copy = new Session(s.clientId(), s.version(), s.expirySeconds(), s.subscriptions(), s.inflight(),
                s.queue(), s.awaitingPubRel(), s.lastPacketId(), s.will(), s.link(), s.disconnectedAtMillis(),
                s.droppedMessages(), s.resendAtMillis());
        t.onDeliver(s, message(QoS.AT_LEAST_ONCE), 0, 0);
        t.onPublish(s, new Publish("t", new byte[0], QoS.EXACTLY_ONCE, false, false, 3, Properties.EMPTY), 0);
        t.onConnectionLost(s, 0);
        assertEquals(copy, s);
    }

    @Test
    @DisplayName("v3.1.1 [MQTT-2.3.1-4] v5 [MQTT-2.2.1-4] packet ids are unique in flight, wrap after 65535 and skip ids still in use")
    void packetIdsWrapAndSkip() {
        Session s = online(ProtocolVersion.MQTT_5, true);
        SessionStep held = t.onDeliver(s, message(QoS.AT_LEAST_ONCE), 0, 0);
        assertEquals(1, sent(held).packetId());
        s = held.session();
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < 65_536; i++) {
            SessionStep step = t.onDeliver(s, message(QoS.AT_LEAST_ONCE), 0, 0);
            int id = sent(step).packetId();
            assertTrue(id >= 2 && id <= 65_535, "id " + id);
            seen.add(id);
            s = t.onPubAck(step.session(), new PubAck(id), 0).session();
        }
        assertEquals(65_534, seen.size(), "every id but the held one was used");
        assertEquals(1, s.inflight().size());
    }

    @Test
    @DisplayName("v3.1.1 [MQTT-4.3.2-1] [MQTT-2.3.1-4] an id sent twice by the timed resend is not reused on that connection: the late second PUBACK cannot acknowledge a new message")
    void timedResendQuarantinesIds() {
        SessionTransitions resending = new SessionTransitions(BrokerConfig.builder()
                .resendIntervalMillis(1_000).resendMaxAttempts(3).build());
        Connect c = new Connect(ProtocolVersion.MQTT_3_1_1, "c", false, 0, null, null, null, Properties.EMPTY);
        Session s = resending.onConnect(null, "c", false, c, CONN, 0).session();
        SessionStep first = resending.onDeliver(s, message(QoS.AT_LEAST_ONCE), 0, 0);
        int resentId = sent(first).packetId();
        SessionStep resend = resending.onResendDeadline(first.session(), 1_000);
        Publish copy = sent(resend);
        assertTrue(copy.dup() && copy.packetId() == resentId, "the timed resend went out");
        // The client answers both copies; the first PUBACK completes the flow.
        s = resending.onPubAck(resend.session(), new PubAck(resentId), 1_001).session();
        assertTrue(s.inflight().isEmpty());
        // Enough traffic to wrap the identifiers once: every other id is used and freed again.
        for (int i = 0; i < 65_534; i++) {
            SessionStep step = resending.onDeliver(s, message(QoS.AT_LEAST_ONCE), 1_001, 1_001);
            int id = sent(step).packetId();
            assertTrue(id != resentId, "id " + id + " reused while a PUBACK for it may be on its way");
            s = resending.onPubAck(step.session(), new PubAck(id), 1_001).session();
        }
        SessionStep fresh = resending.onDeliver(s, message(QoS.AT_LEAST_ONCE), 1_002, 1_002);
        int freshId = sent(fresh).packetId();
        assertTrue(freshId != resentId, "new message got the quarantined id " + freshId);
        // The late PUBACK for the resent copy arrives: the new message stays unacknowledged.
        Session late = resending.onPubAck(fresh.session(), new PubAck(resentId), 1_003).session();
        assertEquals(1, late.inflight().size());
        assertEquals(freshId, late.inflight().get(0).packetId());
        // A new connection has no late answers in transit: the id is free again.
        Session off = resending.onConnectionLost(late, 1_004).session();
        Session back = resending.onConnect(off, "c", false, c, new ConnectionId(2), 1_005).session();
        assertEquals(PacketIdSet.EMPTY, back.link().resentIds());
        assertEquals(1, back.inflight().size(), "the unacknowledged message is kept for the new connection");
    }

    @Test
    @DisplayName("onDeliver: offline QoS 0 is dropped, QoS 1 queued; onPubRec / onPubComp walk the QoS 2 stages")
    void stages() {
        Session s = online(ProtocolVersion.MQTT_3_1_1, false);
        SessionStep d = t.onDeliver(s, message(QoS.EXACTLY_ONCE), 0, 0);
        InflightMessage m = d.session().inflight().get(0);
        assertEquals(DeliveryStage.AWAITING_PUBREC, m.stage());
        SessionStep rec = t.onPubRec(d.session(), new PubRec(m.packetId()), 1);
        assertEquals(List.of(new Effect.Send(CONN, new PubRel(m.packetId()))), rec.effects());
        assertEquals(DeliveryStage.AWAITING_PUBCOMP, rec.session().inflight().get(0).stage());
        SessionStep comp = t.onPubComp(rec.session(), new io.checkedmqtt.core.packet.PubComp(m.packetId()), 2);
        assertTrue(comp.session().inflight().isEmpty());

        Session off = t.onConnectionLost(comp.session(), 3).session();
        assertFalse(off.isOnline());
        assertSame(off, t.onDeliver(off, message(QoS.AT_MOST_ONCE), 3, 3).session());
        assertEquals(1, t.onDeliver(off, message(QoS.AT_LEAST_ONCE), 3, 3).session().queue().size());
    }

    @Test
    @DisplayName("onConnectionLost / onDisconnect: a clean session ends (DiscardSession), a kept one goes offline")
    void endOfConnection() {
        SessionStep clean = t.onConnectionLost(online(ProtocolVersion.MQTT_3_1_1, true), 0);
        assertNull(clean.session());
        assertEquals(List.of(new BrokerRequest.DiscardSession("c")), clean.requests());
        SessionStep kept = t.onDisconnect(online(ProtocolVersion.MQTT_3_1_1, false), Disconnect.NORMAL, 7);
        assertFalse(kept.session().isOnline());
        assertEquals(7, kept.session().disconnectedAtMillis());
        assertEquals(new Effect.Close(CONN, ReasonCode.NORMAL_DISCONNECTION, "DISCONNECT from client"),
                kept.effects().get(0));
    }

    @Test
    @DisplayName("onWillDelayElapsed / onSessionExpiry ignore stale timers")
    void staleTimers() {
        Session s = online(ProtocolVersion.MQTT_5, false);
        assertSame(s, t.onWillDelayElapsed(s, 1_000_000).session());
        assertSame(s, t.onSessionExpiry(s, 1_000_000).session());
        assertSame(s, t.onResendDeadline(s, 1_000_000).session());
    }

    @Test
    @DisplayName("v5 [MQTT-3.1.2-8] onWillDelayElapsed publishes the waiting will once")
    void willDelayElapsed() {
        Will will = new Will("w", new byte[0], QoS.AT_MOST_ONCE, false,
                Properties.EMPTY.withInteger(io.checkedmqtt.core.packet.PropertyId.WILL_DELAY_INTERVAL, 5));
        Connect c = new Connect(ProtocolVersion.MQTT_5, "c", false, 0, null, null, will,
                Properties.EMPTY.withInteger(io.checkedmqtt.core.packet.PropertyId.SESSION_EXPIRY_INTERVAL, 60));
        Session s = t.onConnect(null, "c", false, c, CONN, 0).session();
        SessionStep lost = t.onConnectionLost(s, 1_000);
        assertTrue(lost.effects().contains(new Effect.ScheduleTimer(new Timer.WillDelay("c"), 6_000)));
        assertTrue(lost.effects().contains(new Effect.ScheduleTimer(new Timer.SessionExpiry("c"), 61_000)));
        assertTrue(t.onWillDelayElapsed(lost.session(), 5_999).requests().isEmpty());
        SessionStep fired = t.onWillDelayElapsed(lost.session(), 6_000);
        assertEquals(List.of(new BrokerRequest.PublishWill("c", will)), fired.requests());
        assertTrue(t.onWillDelayElapsed(fired.session(), 7_000).requests().isEmpty());
    }
}
