package io.checkedmqtt.core.session;

import io.checkedmqtt.core.codec.MqttEncoder;
import io.checkedmqtt.core.config.BrokerConfig;
import io.checkedmqtt.core.effect.ConnectionId;
import io.checkedmqtt.core.effect.Effect;
import io.checkedmqtt.core.effect.Timer;
import io.checkedmqtt.core.packet.Connect;
import io.checkedmqtt.core.packet.Properties;
import io.checkedmqtt.core.packet.PropertyId;
import io.checkedmqtt.core.packet.ProtocolVersion;
import io.checkedmqtt.core.packet.PubRec;
import io.checkedmqtt.core.packet.PubRel;
import io.checkedmqtt.core.packet.Publish;
import io.checkedmqtt.core.packet.QoS;
import io.checkedmqtt.core.packet.ReasonCode;
import io.checkedmqtt.testkit.ProtocolVersions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The server as sender, straight on the session transitions: the QoS 0 hop, the Maximum Packet
 * Size edge, stray PUBRECs, and the 3.1.1 Resend timer at the edges of its interval.
 */
class OutboundTest {

    private static final ConnectionId CONN = new ConnectionId(1);
    private static final ProtocolVersion V5 = ProtocolVersion.MQTT_5;
    private static final ProtocolVersion V311 = ProtocolVersion.MQTT_3_1_1;
    private static final long INTERVAL = 1_000;

    private static BrokerConfig resending(long intervalMillis) {
        return BrokerConfig.builder().resendIntervalMillis(intervalMillis).resendMaxAttempts(3).build();
    }

    private static Session online(SessionTransitions t, ProtocolVersion v, Properties props) {
        return t.onConnect(null, "c", false, new Connect(v, "c", true, 0, null, null, null, props), CONN, 0)
                .session();
    }

    private static Publish message(QoS q, boolean dup, int id) {
        return new Publish("t", new byte[] {1, 2, 3}, q, false, dup, id, Properties.EMPTY);
    }

    private static Publish sent(SessionStep step) {
        return (Publish) ((Effect.Send) step.effects().get(0)).packet();
    }

    @Test
    @DisplayName("the transitions answer with the configuration they were made with")
    void config() {
        BrokerConfig c = resending(5);
        assertSame(c, new SessionTransitions(c).config());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(ProtocolVersions.BOTH)
    @DisplayName("v3.1.1 [MQTT-3.3.1-2] [MQTT-2.3.1-5] v5 [MQTT-3.3.1-2] [MQTT-2.2.1-2] a QoS 0 hop has DUP 0 and no packet id, whatever the message carried")
    void qos0NeverDup(ProtocolVersion v) {
        SessionTransitions t = new SessionTransitions(BrokerConfig.defaults());
        Session s = online(t, v, Properties.EMPTY);
        Publish out = sent(t.onDeliver(s, message(QoS.AT_MOST_ONCE, true, 0), 0, 0));
        assertFalse(out.dup());
        assertEquals(message(QoS.AT_MOST_ONCE, false, 0), out);
        assertEquals(message(QoS.AT_MOST_ONCE, false, 0), sent(t.onDeliver(s, message(QoS.AT_MOST_ONCE, false, 0), 0, 0)));
        assertEquals(message(QoS.AT_MOST_ONCE, false, 0), sent(t.onDeliver(s, message(QoS.AT_MOST_ONCE, false, 5), 0, 0)));
    }

    @Test
    @DisplayName("v5 [MQTT-3.1.2-24] a PUBLISH exactly as large as the client's Maximum Packet Size is sent")
    void maximumPacketSizeEdge() {
        SessionTransitions t = new SessionTransitions(BrokerConfig.defaults());
        int size = MqttEncoder.encodedSize(message(QoS.AT_LEAST_ONCE, false, 1), V5);
        Session fits = online(t, V5, Properties.EMPTY.withInteger(PropertyId.MAXIMUM_PACKET_SIZE, size));
        SessionStep step = t.onDeliver(fits, message(QoS.AT_LEAST_ONCE, false, 0), 0, 0);
        assertEquals(message(QoS.AT_LEAST_ONCE, false, 1), sent(step));
        assertEquals(1, step.session().inflight().size());
        Session tooSmall = online(t, V5, Properties.EMPTY.withInteger(PropertyId.MAXIMUM_PACKET_SIZE, size - 1));
        SessionStep dropped = t.onDeliver(tooSmall, message(QoS.AT_LEAST_ONCE, false, 0), 0, 0);
        assertTrue(dropped.effects().isEmpty());
        assertTrue(dropped.session().inflight().isEmpty());
    }

    @Test
    @DisplayName("v5 a PUBREC for an id not in flight: PUBREL 0x92, the session stays online and unchanged")
    void pubRecUnknownKeepsSession() {
        SessionTransitions t = new SessionTransitions(BrokerConfig.defaults());
        Session s = online(t, V5, Properties.EMPTY);
        SessionStep step = t.onPubRec(s, new PubRec(77), 0);
        assertEquals(List.of(new Effect.Send(CONN, new PubRel(77, ReasonCode.PACKET_IDENTIFIER_NOT_FOUND,
                Properties.EMPTY))), step.effects());
        assertSame(s, step.session());
    }

    @Test
    @DisplayName("v3.1.1 [MQTT-4.3.2-1] a PUBREC for a QoS 1 message is ignored: no PUBREL, the message still awaits PUBACK")
    void pubRecForQos1() {
        SessionTransitions t = new SessionTransitions(BrokerConfig.defaults());
        Session s = t.onDeliver(online(t, V311, Properties.EMPTY), message(QoS.AT_LEAST_ONCE, false, 0), 0, 0)
                .session();
        SessionStep step = t.onPubRec(s, new PubRec(1), 5);
        assertTrue(step.effects().isEmpty());
        assertEquals(DeliveryStage.AWAITING_PUBACK, step.session().inflight().find(1).stage());
        assertEquals(5, step.session().link().lastPacketAtMillis());
    }

    @Test
    @DisplayName("v3.1.1 with timed resend off (interval 0) no Resend timer is ever scheduled")
    void noResendTimerWhenOff() {
        SessionTransitions t = new SessionTransitions(resending(0));
        SessionStep step = t.onDeliver(online(t, V311, Properties.EMPTY), message(QoS.AT_LEAST_ONCE, false, 0), 0, 0);
        assertEquals(1, step.effects().size());
        assertEquals(Session.NO_DEADLINE, step.session().resendAtMillis());
    }

    @Test
    @DisplayName("v3.1.1 timed resend: the Resend timer is due one interval after the send; the PUBLISH goes again exactly then, with DUP 1")
    void resendEdge() {
        SessionTransitions t = new SessionTransitions(resending(INTERVAL));
        SessionStep first = t.onDeliver(online(t, V311, Properties.EMPTY), message(QoS.AT_LEAST_ONCE, false, 0),
                100, 100);
        assertEquals(new Effect.ScheduleTimer(new Timer.Resend("c"), 100 + INTERVAL), first.effects().get(1));
        Session s = first.session();

        SessionStep early = t.onResendDeadline(s, 100 + INTERVAL - 1);
        assertEquals(List.of(new Effect.ScheduleTimer(new Timer.Resend("c"), 100 + INTERVAL)), early.effects());
        assertEquals(0, early.session().inflight().get(0).resends());

        SessionStep due = t.onResendDeadline(s, 100 + INTERVAL);
        assertEquals(List.of(new Effect.Send(CONN, message(QoS.AT_LEAST_ONCE, true, 1)),
                new Effect.ScheduleTimer(new Timer.Resend("c"), 100 + 2 * INTERVAL)), due.effects());
        assertEquals(1, due.session().inflight().get(0).resends());
        assertEquals(100 + 2 * INTERVAL, due.session().resendAtMillis());
    }

    @Test
    @DisplayName("v3.1.1 timed resend: a message that used up its attempts is not sent again by a late Resend timer; it waits for a reconnect")
    void resendAttemptsAreABound() {
        SessionTransitions t = new SessionTransitions(resending(INTERVAL));
        Session s = t.onDeliver(online(t, V311, Properties.EMPTY), message(QoS.AT_LEAST_ONCE, false, 0), 0, 0)
                .session();
        long now = 0;
        for (int attempt = 1; attempt <= 3; attempt++) {
            now += INTERVAL;
            SessionStep step = t.onResendDeadline(s, now);
            assertEquals(new Effect.Send(CONN, message(QoS.AT_LEAST_ONCE, true, 1)), step.effects().get(0));
            s = step.session();
        }
        assertEquals(Session.NO_DEADLINE, s.resendAtMillis(), "no further deadline once the attempts are used up");
        SessionStep late = t.onResendDeadline(s, now + 10 * INTERVAL);
        assertTrue(late.effects().isEmpty(), late.effects().toString());
        assertEquals(3, late.session().inflight().get(0).resends());
    }
}
