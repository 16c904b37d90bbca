package io.checkedmqtt.core.session;

import io.checkedmqtt.core.config.BrokerConfig;
import io.checkedmqtt.core.effect.ConnectionId;
import io.checkedmqtt.core.effect.Effect;
import io.checkedmqtt.core.packet.Connect;
import io.checkedmqtt.core.packet.Disconnect;
import io.checkedmqtt.core.packet.Properties;
import io.checkedmqtt.core.packet.PropertyId;
import io.checkedmqtt.core.packet.ProtocolVersion;
import io.checkedmqtt.core.packet.PubAck;
import io.checkedmqtt.core.packet.PubComp;
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
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The server as receiver, straight on the session transitions: what a PUBLISH or PUBREL from the
 * client leaves behind in the session (online, link touched, identifiers held) and at the edges of
 * the server's Receive Maximum and Retain Available.
 */
class InboundTest {

    private static final ConnectionId CONN = new ConnectionId(1);
    private static final ProtocolVersion V5 = ProtocolVersion.MQTT_5;
    private static final ProtocolVersion V311 = ProtocolVersion.MQTT_3_1_1;

    private static BrokerConfig config(int receiveMaximum, boolean retainAvailable) {
        return BrokerConfig.builder().receiveMaximum(receiveMaximum).retainAvailable(retainAvailable).build();
    }

    /** A kept session (it outlives its connection), so an ended connection leaves an offline session. */
    private static Session kept(SessionTransitions t, ProtocolVersion v) {
        Properties p = v.isV5() ? Properties.EMPTY.withInteger(PropertyId.SESSION_EXPIRY_INTERVAL, 60)
                : Properties.EMPTY;
        return t.onConnect(null, "c", false, new Connect(v, "c", false, 10, null, null, null, p), CONN, 0).session();
    }

    private static Publish publish(String topic, QoS q, boolean retain, int id, Properties props) {
        return new Publish(topic, new byte[] {1}, q, retain, false, id, props);
    }

    private static Publish publish(QoS q, int id) {
        return publish("t", q, false, id, Properties.EMPTY);
    }

    /** The one RouteMessage a step asks for, and the answer it gives its publisher after routing. */
    private static Effect acknowledgementAfterRouting(SessionStep step, boolean matched) {
        assertEquals(1, step.requests().size(), step::toString);
        return assertInstanceOf(BrokerRequest.RouteMessage.class, step.requests().get(0)).acknowledgement(matched);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(ProtocolVersions.BOTH)
    @DisplayName("v3.1.1 [MQTT-3.1.2-24] v5 [MQTT-3.1.2-22] every PUBLISH and PUBREL counts as activity: the Keep Alive deadline moves")
    void inboundPacketsTouchTheLink(ProtocolVersion v) {
        SessionTransitions t = new SessionTransitions(BrokerConfig.defaults());
        Session s = kept(t, v);
        SessionStep q0 = t.onPublish(s, publish(QoS.AT_MOST_ONCE, 0), 1_000);
        assertEquals(1_000, q0.session().link().lastPacketAtMillis());
        assertEquals(List.of(new BrokerRequest.RouteMessage("c", publish(QoS.AT_MOST_ONCE, 0), CONN, v)),
                q0.requests());
        assertTrue(q0.effects().isEmpty());
        SessionStep q1 = t.onPublish(q0.session(), publish(QoS.AT_LEAST_ONCE, 5), 2_000);
        assertEquals(2_000, q1.session().link().lastPacketAtMillis());
        assertTrue(q1.effects().isEmpty(), "the PUBACK waits for routing");
        assertEquals(new Effect.Send(CONN, new PubAck(5)), acknowledgementAfterRouting(q1, true));
        SessionStep q2 = t.onPublish(q1.session(), publish(QoS.EXACTLY_ONCE, 6), 3_000);
        assertEquals(3_000, q2.session().link().lastPacketAtMillis());
        SessionStep dup = t.onPublish(q2.session(), publish(QoS.EXACTLY_ONCE, 6), 4_000);
        assertEquals(4_000, dup.session().link().lastPacketAtMillis());
        assertTrue(dup.requests().isEmpty());
        SessionStep rel = t.onPubRel(dup.session(), new PubRel(6), 5_000);
        assertEquals(5_000, rel.session().link().lastPacketAtMillis());
        assertFalse(rel.session().awaitingPubRel().contains(6));
        SessionStep unknown = t.onPubRel(rel.session(), new PubRel(6), 6_000);
        assertEquals(6_000, unknown.session().link().lastPacketAtMillis());
    }

    @Test
    @DisplayName("v3.1.1 [MQTT-4.3.3-2] PUBREL for an unknown id: plain PUBCOMP, the session stays as it was")
    void v311UnknownPubRel() {
        SessionTransitions t = new SessionTransitions(BrokerConfig.defaults());
        SessionStep step = t.onPubRel(kept(t, V311), new PubRel(9), 0);
        assertEquals(List.of(new Effect.Send(CONN, new PubComp(9))), step.effects());
        assertTrue(step.session().isOnline());
    }

    @Test
    @DisplayName("v5 [MQTT-4.3.3-10] QoS 2 at the Receive Maximum: the last allowed PUBLISH is taken, the next one gets 0x93")
    void qos2ReceiveMaximumEdge() {
        SessionTransitions t = new SessionTransitions(config(2, true));
        Session s = kept(t, V5);
        s = t.onPublish(s, publish(QoS.EXACTLY_ONCE, 1), 0).session();
        SessionStep second = t.onPublish(s, publish(QoS.EXACTLY_ONCE, 2), 0);
        assertEquals(new Effect.Send(CONN, new PubRec(2)), acknowledgementAfterRouting(second, true));
        assertEquals(2, second.session().awaitingPubRel().size());
        // a duplicate of a held id is no new message, even at the limit
        SessionStep dup = t.onPublish(second.session(), publish(QoS.EXACTLY_ONCE, 2), 0);
        assertEquals(List.of(new Effect.Send(CONN, new PubRec(2))), dup.effects());
        SessionStep third = t.onPublish(second.session(), publish(QoS.EXACTLY_ONCE, 3), 0);
        assertEquals(new Effect.Send(CONN, new Disconnect(ReasonCode.RECEIVE_MAXIMUM_EXCEEDED)), third.effects().get(0));
        assertTrue(third.requests().stream().noneMatch(x -> x instanceof BrokerRequest.RouteMessage));
        assertFalse(third.session().isOnline(), "the kept session lives on offline");
    }

    @Test
    @DisplayName("v5 QoS 1 below the Receive Maximum is taken; at the limit of held QoS 2 ids it gets 0x93 and the session goes offline")
    void qos1ReceiveMaximumEdge() {
        SessionTransitions t = new SessionTransitions(config(2, true));
        Session s = t.onPublish(kept(t, V5), publish(QoS.EXACTLY_ONCE, 1), 0).session();
        SessionStep ok = t.onPublish(s, publish(QoS.AT_LEAST_ONCE, 7), 0);
        assertEquals(new Effect.Send(CONN, new PubAck(7)), acknowledgementAfterRouting(ok, true));
        s = t.onPublish(s, publish(QoS.EXACTLY_ONCE, 2), 0).session();
        SessionStep over = t.onPublish(s, publish(QoS.AT_LEAST_ONCE, 8), 0);
        assertEquals(new Effect.Send(CONN, new Disconnect(ReasonCode.RECEIVE_MAXIMUM_EXCEEDED)), over.effects().get(0));
        assertFalse(over.session().isOnline());
    }

    @Test
    @DisplayName("v5 [MQTT-3.2.2-14] on a server without retain (Retain Available 0), a retained PUBLISH gets DISCONNECT 0x9A; a non-retained one is routed")
    void retainNotAvailable() {
        SessionTransitions t = new SessionTransitions(config(65_535, false));
        Session s = kept(t, V5);
        SessionStep plain = t.onPublish(s, publish(QoS.AT_MOST_ONCE, 0), 0);
        assertEquals(1, plain.requests().size());
        assertTrue(plain.session().isOnline());
        SessionStep retained = t.onPublish(s, publish("t", QoS.AT_MOST_ONCE, true, 0, Properties.EMPTY), 0);
        assertEquals(new Effect.Send(CONN, new Disconnect(ReasonCode.RETAIN_NOT_SUPPORTED)), retained.effects().get(0));
        assertTrue(retained.requests().stream().noneMatch(x -> x instanceof BrokerRequest.RouteMessage));
        assertFalse(retained.session().isOnline());
    }

    @Test
    @DisplayName("v3.1.1 [MQTT-4.8.0-1] a PUBLISH without a topic closes the connection (no DISCONNECT in 3.1.1); the kept session goes offline")
    void v311PublishWithoutTopic() {
        SessionTransitions t = new SessionTransitions(BrokerConfig.defaults());
        SessionStep step = t.onPublish(kept(t, V311), publish("", QoS.AT_MOST_ONCE, false, 0, Properties.EMPTY), 0);
        assertEquals(new Effect.Close(CONN, ReasonCode.PROTOCOL_ERROR, "PUBLISH without a topic"),
                step.effects().get(0));
        assertTrue(step.effects().stream().noneMatch(e -> e instanceof Effect.Send), step.effects().toString());
        assertTrue(step.requests().stream().noneMatch(x -> x instanceof BrokerRequest.RouteMessage));
        assertFalse(step.session().isOnline());
    }

    @Test
    @DisplayName("v5 a Topic Alias of 0 gets DISCONNECT 0x94; the kept session goes offline")
    void invalidAliasLeavesOfflineSession() {
        SessionTransitions t = new SessionTransitions(BrokerConfig.defaults());
        SessionStep step = t.onPublish(kept(t, V5), publish("t", QoS.AT_MOST_ONCE, false, 0,
                Properties.EMPTY.withInteger(PropertyId.TOPIC_ALIAS, 0)), 0);
        assertEquals(new Effect.Send(CONN, new Disconnect(ReasonCode.TOPIC_ALIAS_INVALID)), step.effects().get(0));
        assertFalse(step.session().isOnline());
        assertNull(step.session().link());
    }
}
