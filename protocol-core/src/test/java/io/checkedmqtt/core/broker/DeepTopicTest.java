package io.checkedmqtt.core.broker;

import io.checkedmqtt.core.SmallStack;
import io.checkedmqtt.core.effect.ConnectionId;
import io.checkedmqtt.core.packet.Packet;
import io.checkedmqtt.core.packet.Properties;
import io.checkedmqtt.core.packet.ProtocolVersion;
import io.checkedmqtt.core.packet.PubAck;
import io.checkedmqtt.core.packet.Publish;
import io.checkedmqtt.core.packet.QoS;
import io.checkedmqtt.core.packet.ReasonCode;
import io.checkedmqtt.core.packet.SubAck;
import io.checkedmqtt.core.packet.UnsubAck;
import io.checkedmqtt.testkit.BrokerHarness;
import io.checkedmqtt.testkit.ProtocolVersions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static io.checkedmqtt.testkit.Packets.bytes;
import static io.checkedmqtt.testkit.Packets.publish;
import static io.checkedmqtt.testkit.Packets.subscribe;
import static io.checkedmqtt.testkit.Packets.text;
import static io.checkedmqtt.testkit.Packets.unsubscribe;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The broker core at the edges of topic size: a Topic Name or Filter may encode to 65,535 bytes
 * [MQTT-4.7.3-3], so 65,535 {@code /} are a valid name and filter of 65,536 (empty) levels, the
 * deepest there is; 32,768 levels is the most a {@code +/+/.../+} filter can have. Every packet
 * goes through the encoder and decoder first, and every test runs on a {@link SmallStack} (half
 * a default thread stack), where the recursive trie walks this replaced overflowed.
 */
class DeepTopicTest {

    static final String DEEPEST = "/".repeat(65_535);
    static final String DEEPEST_PLUS = "+/".repeat(32_767) + "+";
    static final String DEEP_NAME = "a/".repeat(32_767) + "a";

    private BrokerHarness h;

    @ParameterizedTest(name = "{0}")
    @MethodSource(ProtocolVersions.BOTH)
    @DisplayName("v3.1.1 + v5 [MQTT-4.7.3-3] [MQTT-3.8.4-1] [MQTT-3.10.4-4] a filter of 65,535 '/' is granted, gets the message, and is unsubscribed")
    void deepestFilter(ProtocolVersion v) throws Exception {
        SmallStack.run(() -> {
            h = new BrokerHarness();
            ConnectionId subscriber = client(v, "s");
            ConnectionId publisher = client(v, "p");
            send(subscriber, v, subscribe(1, DEEPEST, QoS.AT_LEAST_ONCE));
            assertEquals(List.of(new SubAck(1, List.of(ReasonCode.GRANTED_QOS_1), Properties.EMPTY)), h.out(subscriber));

            send(publisher, v, publish(DEEPEST, "deep", QoS.AT_LEAST_ONCE, 7));
            assertEquals(List.of(new PubAck(7)), h.out(publisher));
            Publish delivered = onlyPublish(subscriber);
            assertEquals(DEEPEST, delivered.topic());
            assertEquals("deep", text(delivered));
            send(subscriber, v, new PubAck(delivered.packetId()));

            send(subscriber, v, unsubscribe(2, DEEPEST));
            List<ReasonCode> codes = v.isV5() ? List.of(ReasonCode.SUCCESS) : List.of();
            assertEquals(List.of(new UnsubAck(2, codes, Properties.EMPTY)), h.out(subscriber));
            send(publisher, v, publish(DEEPEST, "after", QoS.AT_LEAST_ONCE, 8));
            ReasonCode none = v.isV5() ? ReasonCode.NO_MATCHING_SUBSCRIBERS : ReasonCode.SUCCESS;
            assertEquals(List.of(new PubAck(8, none, Properties.EMPTY)), h.out(publisher));
            assertEquals(List.of(), h.out(subscriber));
        });
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(ProtocolVersions.BOTH)
    @DisplayName("v3.1.1 + v5 [MQTT-4.7.1-3 v3.1.1] [MQTT-4.7.1-2 v5] a filter of 32,768 '+' levels gets a message on a topic of as many levels")
    void deepestPlusFilter(ProtocolVersion v) throws Exception {
        SmallStack.run(() -> {
            h = new BrokerHarness();
            ConnectionId subscriber = client(v, "s");
            ConnectionId publisher = client(v, "p");
            send(subscriber, v, subscribe(1, DEEPEST_PLUS, QoS.AT_MOST_ONCE));
            assertEquals(List.of(new SubAck(1, List.of(ReasonCode.GRANTED_QOS_0), Properties.EMPTY)), h.out(subscriber));
            send(publisher, v, publish(DEEP_NAME, "plus", QoS.AT_MOST_ONCE, 0));
            send(publisher, v, publish("/".repeat(32_768), "one level too many", QoS.AT_MOST_ONCE, 0));
            assertEquals("plus", text(onlyPublish(subscriber)));
        });
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(ProtocolVersions.BOTH)
    @DisplayName("v3.1.1 [MQTT-3.3.1-5] [MQTT-3.3.1-6] [MQTT-3.3.1-10] v5 [MQTT-3.3.1-5] [MQTT-3.3.1-6] [MQTT-3.3.1-9] a retained message on 65,536 levels is stored, replaced, sent for '#', '+/+/...' and itself, and deleted")
    void deepestRetained(ProtocolVersion v) throws Exception {
        SmallStack.run(() -> {
            h = new BrokerHarness();
            ConnectionId publisher = client(v, "p");
            send(publisher, v, retained(DEEPEST, "one", 1));
            send(publisher, v, retained(DEEP_NAME, "plus", 2));
            send(publisher, v, retained(DEEPEST, "two", 3));
            assertEquals(3, h.out(publisher).size(), "three PUBACKs");

            assertEquals(Set.of(DEEPEST + "=two", DEEP_NAME + "=plus"), retainedOnSubscribe(v, "all", "#"));
            assertEquals(Set.of(DEEP_NAME + "=plus"), retainedOnSubscribe(v, "plus", DEEPEST_PLUS));
            assertEquals(Set.of(DEEPEST + "=two"), retainedOnSubscribe(v, "exact", DEEPEST));

            send(publisher, v, retained(DEEPEST, "", 4)); // an empty retained message deletes [MQTT-3.3.1-10 v3.1.1, -6 v5]
            assertEquals(Set.of(DEEP_NAME + "=plus"), retainedOnSubscribe(v, "later", "#"));
        });
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(ProtocolVersions.BOTH)
    @DisplayName("v3.1.1 [MQTT-3.3.1-6] v5 [MQTT-3.3.1-9] 10,000 retained messages, then SUBSCRIBE '#': all 10,000 are sent with RETAIN=1")
    void tenThousandRetained(ProtocolVersion v) throws Exception {
        SmallStack.run(() -> {
            h = new BrokerHarness();
            ConnectionId publisher = client(v, "p");
            Set<String> expected = new HashSet<>();
            for (int i = 0; i < 10_000; i++) {
                String topic = "r/" + (i % 100) + "/" + i;
                h.in(publisher, publish(topic, "m" + i, QoS.AT_MOST_ONCE, 0).withRetain(true));
                expected.add(topic + "=m" + i);
            }
            assertEquals(expected, retainedOnSubscribe(v, "all", "#"));
        });
    }

    /** A new client subscribes to {@code filter} at QoS 0 and reads what comes: "topic=payload" per retained message. */
    private Set<String> retainedOnSubscribe(ProtocolVersion v, String clientId, String filter) {
        ConnectionId c = client(v, clientId);
        send(c, v, subscribe(1, filter, QoS.AT_MOST_ONCE));
        List<Packet> out = h.out(c);
        assertEquals(new SubAck(1, List.of(ReasonCode.GRANTED_QOS_0), Properties.EMPTY), out.get(0));
        Set<String> got = new HashSet<>();
        for (Packet p : out.subList(1, out.size())) {
            Publish publish = assertInstanceOf(Publish.class, p);
            assertTrue(publish.retain(), "RETAIN=1 on a retained message sent for a new subscription");
            assertTrue(got.add(publish.topic() + "=" + text(publish)), "sent twice: " + publish.topic().length());
        }
        return got;
    }

    private static Publish retained(String topic, String payload, int packetId) {
        return new Publish(topic, bytes(payload), QoS.AT_LEAST_ONCE, true, false, packetId, Properties.EMPTY);
    }

    private ConnectionId client(ProtocolVersion v, String clientId) {
        return h.connected(v, clientId);
    }

    private Publish onlyPublish(ConnectionId c) {
        List<Packet> out = h.out(c);
        assertEquals(1, out.size(), "one packet");
        return assertInstanceOf(Publish.class, out.get(0));
    }

    private void send(ConnectionId c, ProtocolVersion v, Packet packet) {
        h.inWire(c, v, packet);
    }
}
