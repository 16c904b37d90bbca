package io.checkedmqtt.core.broker;

import io.checkedmqtt.core.config.BrokerConfig;
import io.checkedmqtt.core.effect.ConnectionId;
import io.checkedmqtt.core.packet.Connack;
import io.checkedmqtt.core.packet.Packet;
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
import io.checkedmqtt.core.packet.SubAck;
import io.checkedmqtt.testkit.BrokerHarness;
import io.checkedmqtt.testkit.Packets;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.checkedmqtt.testkit.Packets.V3;
import static io.checkedmqtt.testkit.Packets.V5;
import static io.checkedmqtt.testkit.Packets.connect;
import static io.checkedmqtt.testkit.Packets.publish;
import static io.checkedmqtt.testkit.Packets.subscribe;
import static io.checkedmqtt.testkit.Packets.will;
import static io.checkedmqtt.testkit.Packets.withKeepAlive;
import static io.checkedmqtt.testkit.Packets.withWill;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Limits an operator of a test broker sets: a cap on topic levels ({@code max_topic_levels}) and
 * on Keep Alive ({@code max_keepalive}), each answered with the code the spec provides.
 */
class OperatorLimitsTest {

    private final BrokerHarness h = new BrokerHarness(BrokerConfig.builder().maxTopicLevels(3).build());

    private ConnectionId watcher() {
        ConnectionId w = h.connected(V5, "watcher");
        h.in(w, subscribe(1, "#", QoS.EXACTLY_ONCE));
        h.out(w);
        return w;
    }

    @Test
    @DisplayName("v5 [MQTT-3.8.4-6] [MQTT-3.9.3-2] a well-formed filter deeper than max_topic_levels gets SUBACK 0x8F Topic Filter invalid, the others are granted; 3.1.1 gets 0x80")
    void deepFilterRefused() {
        ConnectionId c = h.connected(V5, "s");
        h.in(c, Packets.subscribe(1, "a/b/c", QoS.AT_LEAST_ONCE, "a/b/c/d", QoS.AT_LEAST_ONCE,
                "$share/g/a/+/#", QoS.AT_LEAST_ONCE, "$share/g/a/b/c/d", QoS.AT_LEAST_ONCE));
        assertEquals(List.of(new SubAck(1, List.of(ReasonCode.GRANTED_QOS_1, ReasonCode.TOPIC_FILTER_INVALID,
                ReasonCode.GRANTED_QOS_1, ReasonCode.TOPIC_FILTER_INVALID), Properties.EMPTY)), h.out(c),
                "a shared filter counts the levels after its share name");
        assertFalse(h.isClosed(c));
        ConnectionId v3 = h.connected(V3, "s3");
        h.in(v3, subscribe(2, "/a/b/c", QoS.AT_MOST_ONCE));
        assertEquals(List.of(new SubAck(2, List.of(ReasonCode.UNSPECIFIED_ERROR), Properties.EMPTY)), h.out(v3),
                "'/a/b/c' has four levels, the first one empty");
    }

    @Test
    @DisplayName("v5 [MQTT-3.3.4-1] a QoS 1/2 PUBLISH deeper than max_topic_levels gets PUBACK / PUBREC 0x90 Topic Name invalid and is not routed; the QoS 2 id is not kept")
    void deepPublishRefusedV5() {
        ConnectionId w = watcher();
        ConnectionId p = h.connected(V5, "p");
        h.in(p, publish("a/b/c/d", "1", QoS.AT_LEAST_ONCE, 1), publish("a/b/c/d", "2", QoS.EXACTLY_ONCE, 2),
                publish("a/b/c/d", "0", QoS.AT_MOST_ONCE, 0));
        assertEquals(List.of(new PubAck(1, ReasonCode.TOPIC_NAME_INVALID, Properties.EMPTY),
                new PubRec(2, ReasonCode.TOPIC_NAME_INVALID, Properties.EMPTY)), h.out(p));
        assertEquals(List.of(), h.out(w), "nothing of them is routed");
        assertFalse(h.state().session("p").awaitingPubRel().contains(2));
        h.in(p, publish("a/b/c", "ok", QoS.AT_LEAST_ONCE, 3));
        assertEquals(1, h.out(w).size(), "three levels go through");
        assertFalse(h.isClosed(p));
    }

    @Test
    @DisplayName("v3.1.1 [MQTT-3.3.5-2] a PUBLISH deeper than max_topic_levels is acknowledged as usual (3.1.1 has no code to refuse it) and dropped; its QoS 2 flow completes")
    void deepPublishDroppedV311() {
        ConnectionId w = watcher();
        ConnectionId p = h.connected(V3, "p");
        h.in(p, publish("a/b/c/d", "1", QoS.AT_LEAST_ONCE, 1), publish("a/b/c/d", "2", QoS.EXACTLY_ONCE, 2));
        assertEquals(List.of(new PubAck(1), new PubRec(2)), h.out(p));
        h.in(p, publish("a/b/c/d", "2", QoS.EXACTLY_ONCE, 2).asDuplicate(), new PubRel(2));
        assertEquals(List.of(new PubRec(2), new PubComp(2)), h.out(p));
        assertEquals(List.of(), h.out(w));
    }

    @Test
    @DisplayName("v5 section 3.2.2.2: a Will Topic deeper than max_topic_levels gets CONNACK 0x90; v3.1.1 [MQTT-3.2.2-6] no return code fits, so a close without CONNACK")
    void deepWillRefused() {
        ConnectionId c5 = h.open();
        h.in(c5, withWill(connect(V5, "w5", true), will("a/b/c/d", "bye", QoS.AT_MOST_ONCE, false, 0)));
        List<Packet> out = h.out(c5);
        assertEquals(ReasonCode.TOPIC_NAME_INVALID, ((Connack) out.get(0)).reasonCode());
        assertTrue(h.closedByServer(c5));
        ConnectionId c3 = h.open();
        h.in(c3, withWill(connect(V3, "w3", true), will("a/b/c/d", "bye", QoS.AT_MOST_ONCE, false, 0)));
        assertEquals(List.of(), h.out(c3));
        assertTrue(h.closedByServer(c3));
        assertEquals(null, h.state().session("w3"));
    }

    @Test
    @DisplayName("no cap by default: a topic of 65,536 levels (65,535 '/') is routed")
    void noCapByDefault() {
        BrokerHarness plain = new BrokerHarness();
        ConnectionId w = plain.connected(V5, "w");
        plain.in(w, subscribe(1, "#", QoS.AT_MOST_ONCE));
        plain.out(w);
        ConnectionId p = plain.connected(V5, "p");
        plain.in(p, new Publish("/".repeat(65_535), Packets.bytes("deep"), QoS.AT_MOST_ONCE, false, false, 0,
                Properties.EMPTY));
        assertEquals(1, plain.out(w).size());
    }

    @Test
    @DisplayName("v5 [MQTT-3.2.2-21] [MQTT-3.2.2-22] max_keepalive: Keep Alive 0 or above the cap gets Server Keep Alive; v3.1.1 section 3.1.2.10 has no way to say so, and the client's own Keep Alive stays in force")
    void maxKeepAlive() {
        BrokerHarness capped = new BrokerHarness(BrokerConfig.builder().maxKeepAliveSeconds(10).build());
        ConnectionId zero = capped.open();
        capped.in(zero, withKeepAlive(connect(V5, "zero", true), 0));
        assertEquals(10, ((Connack) capped.out(zero).get(0)).properties().integer(PropertyId.SERVER_KEEP_ALIVE, -1),
                "no keep-alive at all is more than the cap");
        ConnectionId old = capped.open();
        capped.in(old, withKeepAlive(connect(V3, "old", true), 60));
        assertTrue(((Connack) capped.out(old).get(0)).properties().isEmpty());
        ConnectionId never = capped.open();
        capped.in(never, withKeepAlive(connect(ProtocolVersion.MQTT_3_1, "never", true), 0));
        capped.advance(15_000);
        assertTrue(capped.isClosed(zero), "held to 1.5 x 10 s");
        assertFalse(capped.isClosed(old), "a 3.1.1 client keeps its 60 s");
        capped.advance(75_000);
        assertTrue(capped.isClosed(old), "and is held to 1.5 x 60 s");
        capped.advance(10_000_000);
        assertFalse(capped.isClosed(never), "a 3.1 client with Keep Alive 0 is never timed out");
    }
}
