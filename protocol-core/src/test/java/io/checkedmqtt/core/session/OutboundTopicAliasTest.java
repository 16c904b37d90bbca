package io.checkedmqtt.core.session;

import io.checkedmqtt.core.codec.MqttEncoder;
import io.checkedmqtt.core.config.BrokerConfig;
import io.checkedmqtt.core.effect.ConnectionId;
import io.checkedmqtt.core.effect.Effect;
import io.checkedmqtt.core.packet.Connect;
import io.checkedmqtt.core.packet.Properties;
import io.checkedmqtt.core.packet.PropertyId;
import io.checkedmqtt.core.packet.ProtocolVersion;
import io.checkedmqtt.core.packet.Publish;
import io.checkedmqtt.core.packet.QoS;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The server's own Topic Aliases on the PUBLISHes it sends a 5.0 client: first come first served,
 * within the Topic Alias Maximum the client sent in CONNECT and the server's own cap, on one
 * connection only.
 */
class OutboundTopicAliasTest {

    private static final ProtocolVersion V5 = ProtocolVersion.MQTT_5;
    private static final ConnectionId FIRST = new ConnectionId(1);
    private static final ConnectionId SECOND = new ConnectionId(2);

    private final SessionTransitions t = new SessionTransitions(BrokerConfig.defaults());

    /** A kept 5.0 session on {@code conn} whose client takes {@code aliasMaximum} aliases (-1: says nothing). */
    private static SessionStep connect(SessionTransitions t, Session existing, ConnectionId conn, int aliasMaximum,
                                       Properties extra) {
        Properties p = extra.withInteger(PropertyId.SESSION_EXPIRY_INTERVAL, 60);
        if (aliasMaximum >= 0) {
            p = p.withInteger(PropertyId.TOPIC_ALIAS_MAXIMUM, aliasMaximum);
        }
        return t.onConnect(existing, "c", false, new Connect(V5, "c", false, 0, null, null, null, p), conn, 0);
    }

    private static Session online(SessionTransitions t, int aliasMaximum) {
        return connect(t, null, FIRST, aliasMaximum, Properties.EMPTY).session();
    }

    private static Publish message(String topic, QoS q) {
        return new Publish(topic, new byte[] {7}, q, false, false, 0, Properties.EMPTY);
    }

    private static long alias(Publish p) {
        return p.properties().integer(PropertyId.TOPIC_ALIAS, 0);
    }

    /** Delivers each topic in turn (at {@code q}) and returns what went on the wire. */
    private static List<Publish> deliver(SessionTransitions t, Session start, QoS q, String... topics) {
        List<Publish> wire = new ArrayList<>();
        Session s = start;
        for (String topic : topics) {
            SessionStep step = t.onDeliver(s, message(topic, q), 0, 0);
            for (Effect e : step.effects()) {
                if (e instanceof Effect.Send send && send.packet() instanceof Publish p) {
                    wire.add(p);
                }
            }
            s = step.session();
        }
        return wire;
    }

    @Test
    @DisplayName("v5 [MQTT-3.1.2-27] a client whose CONNECT has no Topic Alias Maximum, or 0, gets no Topic Alias")
    void noAliasesUnlessTheClientTakesThem() {
        for (int maximum : new int[] {-1, 0}) {
            for (Publish p : deliver(t, online(t, maximum), QoS.AT_MOST_ONCE, "a", "a", "b", "a")) {
                assertFalse(p.properties().contains(PropertyId.TOPIC_ALIAS), p::toString);
                assertFalse(p.topic().isEmpty());
            }
        }
    }

    @Test
    @DisplayName("v5 [MQTT-3.1.2-26] [MQTT-3.3.2-8] [MQTT-3.3.2-11] the first topics get aliases 1..maximum: the topic and the alias once, then the alias with an empty topic")
    void firstComeFirstServed() {
        for (QoS q : List.of(QoS.AT_MOST_ONCE, QoS.AT_LEAST_ONCE)) {
            List<Publish> wire = deliver(t, online(t, 2), q, "a", "a", "b", "c", "b", "c", "a");
            assertEquals(List.of("a", "", "b", "c", "", "c", ""), wire.stream().map(Publish::topic).toList());
            assertEquals(List.of(1L, 1L, 2L, 0L, 2L, 0L, 1L), wire.stream().map(OutboundTopicAliasTest::alias).toList());
            for (Publish p : wire) {
                assertEquals(7, p.payload()[0]);
                assertEquals(q, p.qos());
            }
        }
    }

    @Test
    @DisplayName("v5 [MQTT-3.3.2-11] the server uses no more aliases than its own outbound_topic_alias_maximum, whatever the client takes")
    void serverCap() {
        SessionTransitions capped = new SessionTransitions(BrokerConfig.builder().outboundTopicAliasMaximum(1).build());
        List<Publish> wire = deliver(capped, online(capped, 100), QoS.AT_MOST_ONCE, "a", "b", "b", "a");
        assertEquals(List.of(1L, 0L, 0L, 1L), wire.stream().map(OutboundTopicAliasTest::alias).toList());
        SessionTransitions off = new SessionTransitions(BrokerConfig.builder().outboundTopicAliasMaximum(0).build());
        assertTrue(deliver(off, online(off, 100), QoS.AT_MOST_ONCE, "a", "a").stream().allMatch(p -> alias(p) == 0));
    }

    @Test
    @DisplayName("v5 [MQTT-3.3.2-7] aliases belong to one connection: a message in flight keeps its full topic, is resent with it on reconnect, and the new connection sets its aliases afresh")
    void notCarriedOverToTheNextConnection() {
        Session s = online(t, 5);
        SessionStep first = t.onDeliver(s, message("a", QoS.AT_LEAST_ONCE), 0, 0);
        SessionStep second = t.onDeliver(first.session(), message("a", QoS.AT_LEAST_ONCE), 0, 0);
        Publish aliased = (Publish) ((Effect.Send) second.effects().get(0)).packet();
        assertEquals("", aliased.topic());
        for (InflightMessage m : second.session().inflight()) {
            assertEquals("a", m.publish().topic(), "stored without the alias, ready for another connection");
            assertFalse(m.publish().properties().contains(PropertyId.TOPIC_ALIAS));
        }
        Session offline = t.onConnectionLost(second.session(), 1).session();
        SessionStep back = connect(t, offline, SECOND, 5, Properties.EMPTY);
        List<Publish> resent = new ArrayList<>();
        for (Effect e : back.effects()) {
            if (e instanceof Effect.Send send && send.packet() instanceof Publish p) {
                resent.add(p);
            }
        }
        assertEquals(2, resent.size());
        for (Publish p : resent) {
            assertTrue(p.dup());
            assertEquals("a", p.topic());
            assertFalse(p.properties().contains(PropertyId.TOPIC_ALIAS));
        }
        Publish fresh = deliver(t, back.session(), QoS.AT_MOST_ONCE, "a").get(0);
        assertEquals("a", fresh.topic(), "the new connection has no mapping for alias 1 yet");
        assertEquals(1, alias(fresh));
    }

    @Test
    @DisplayName("v5 [MQTT-3.1.2-24] when only the PUBLISH that sets a new alias is too large, it goes without one; exactly the maximum is sent")
    void maximumPacketSize() {
        Publish plain = message("sensors/t", QoS.AT_MOST_ONCE);
        int size = MqttEncoder.encodedSize(plain, V5);
        Session s = connect(t, null, FIRST, 5, Properties.EMPTY.withInteger(PropertyId.MAXIMUM_PACKET_SIZE, size))
                .session();
        List<Publish> wire = deliver(t, s, QoS.AT_MOST_ONCE, "sensors/t", "sensors/t");
        assertEquals(List.of(plain, plain), wire, "setting alias 1 would add 3 bytes: sent plain, no alias taken");
        Session smaller = connect(t, null, FIRST, 5,
                Properties.EMPTY.withInteger(PropertyId.MAXIMUM_PACKET_SIZE, size - 1)).session();
        assertTrue(deliver(t, smaller, QoS.AT_MOST_ONCE, "sensors/t").isEmpty(), "too large either way: not sent");
    }
}
