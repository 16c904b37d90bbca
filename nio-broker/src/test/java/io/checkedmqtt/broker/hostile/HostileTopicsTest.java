package io.checkedmqtt.broker.hostile;

import io.checkedmqtt.broker.e2e.RawClient;
import io.checkedmqtt.core.packet.Disconnect;
import io.checkedmqtt.core.packet.Packet;
import io.checkedmqtt.core.packet.Properties;
import io.checkedmqtt.core.packet.ProtocolVersion;
import io.checkedmqtt.core.packet.PubAck;
import io.checkedmqtt.core.packet.Publish;
import io.checkedmqtt.core.packet.QoS;
import io.checkedmqtt.core.packet.ReasonCode;
import io.checkedmqtt.core.packet.SubAck;
import io.checkedmqtt.core.packet.Subscribe;
import io.checkedmqtt.core.packet.Subscription;
import io.checkedmqtt.core.packet.SubscriptionOptions;
import io.checkedmqtt.core.packet.UnsubAck;
import io.checkedmqtt.core.packet.Unsubscribe;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Hostile clients that go deep or wide with topics: the deepest names and filters the spec allows,
 * thousands of filters in one packet, thousands of retained messages. Each case checks the spec's
 * answer, a bystander's QoS 1 round trip, and the broker's heap after a full GC
 * ({@link HostileCheck}); the broker runs in a JVM of its own with a 256 MB heap. The soak profile
 * runs {@link HostileTopicsSoakTest}, the same cases at {@link #scale()} 10.
 */
class HostileTopicsTest {

    static final String HEAP = "256m";
    static final long MB = 1 << 20;
    /** The deepest Topic Name and Filter: 65,535 '/' make 65,536 empty levels in 65,535 bytes [MQTT-4.7.3-3]. */
    static final String DEEPEST = "/".repeat(65_535);
    /** The deepest wildcard filter: '+' on 32,767 levels, then '#', 65,535 bytes. */
    static final String DEEPEST_WILDCARD = "+/".repeat(32_767) + "#";

    /** How many times larger than the default the wide cases are. */
    int scale() {
        return 1;
    }

    static HostileBroker broker(String... config) throws IOException {
        List<String> lines = new ArrayList<>(List.of("connect_timeout_ms 1500"));
        Collections.addAll(lines, config);
        return HostileBroker.childProcess(HEAP, lines);
    }

    static RawClient client(HostileBroker broker, ProtocolVersion v, String id) throws IOException {
        RawClient c = new RawClient(broker.port());
        assertEquals(ReasonCode.SUCCESS, c.handshake(v, id).reasonCode());
        return c;
    }

    static Publish publish(String topic, String text, QoS qos, int id, boolean retain) {
        return new Publish(topic, text.getBytes(StandardCharsets.UTF_8), qos, retain, false, id, Properties.EMPTY);
    }

    private static Subscription sub(String filter, QoS qos) {
        return new Subscription(filter, SubscriptionOptions.of(qos));
    }

    @Test
    @DisplayName("v3.1.1 + v5 [MQTT-4.7.3-3] [MQTT-3.8.4-5] [MQTT-3.3.1-6] filters and topic names of 65,536 levels: subscribed, matched by '#' and by 32,768 wildcard levels, stored retained, unsubscribed")
    void deepestTopics() throws Exception {
        try (HostileBroker broker = broker(); Bystander bystander = Bystander.connect(broker.port(), "deep")) {
            HostileCheck check = HostileCheck.before("65,536-level topics", broker, bystander);
            for (ProtocolVersion v : List.of(ProtocolVersion.MQTT_3_1_1, ProtocolVersion.MQTT_5)) {
                String tag = v.isV5() ? "5" : "3";
                RawClient deep = client(broker, v, "deep-sub-" + tag);
                deep.send(new Subscribe(1, List.of(sub(DEEPEST, QoS.AT_LEAST_ONCE),
                        sub(DEEPEST_WILDCARD, QoS.AT_LEAST_ONCE)), Properties.EMPTY));
                assertEquals(List.of(ReasonCode.GRANTED_QOS_1, ReasonCode.GRANTED_QOS_1),
                        ((SubAck) deep.receive()).reasonCodes());
                RawClient pub = client(broker, v, "deep-pub-" + tag);
                pub.send(publish(DEEPEST, "deep " + tag, QoS.AT_LEAST_ONCE, 7, true));
                assertEquals(7, assertInstanceOf(PubAck.class, pub.receive()).packetId());
                Publish got = assertInstanceOf(Publish.class, deep.receive());
                assertEquals(DEEPEST, got.topic(), "one copy for the two overlapping subscriptions [MQTT-3.3.4-2]");
                deep.send(new PubAck(got.packetId()));

                RawClient all = client(broker, v, "deep-all-" + tag);
                all.subscribe(1, "#", QoS.AT_MOST_ONCE);
                Publish retained = assertInstanceOf(Publish.class, all.receive());
                assertTrue(retained.retain() && retained.topic().equals(DEEPEST), "the retained deep message");
                check.stillServes(v + " holding the deep subscriptions and retained message", 64 * MB);

                deep.send(new Unsubscribe(2, List.of(DEEPEST, DEEPEST_WILDCARD), Properties.EMPTY));
                UnsubAck unsubAck = assertInstanceOf(UnsubAck.class, deep.receive());
                assertEquals(v.isV5() ? List.of(ReasonCode.SUCCESS, ReasonCode.SUCCESS) : List.of(), unsubAck.reasonCodes());
                pub.send(publish(DEEPEST, "", QoS.AT_MOST_ONCE, 0, true));   // clears the retained message [MQTT-3.3.1-6]
                Publish cleared = nextOn(all, DEEPEST);   // the bystander's probe went to '#' as well
                assertEquals(0, cleared.payload().length);
                assertNull(deep.poll(300), "unsubscribed: nothing more");
                check.stillServes(v + " after subscribe, retain, '#' and unsubscribe", 64 * MB);
                deep.close();
                pub.close();
                all.close();
            }
        }
    }

    @Test
    @DisplayName("v3.1.1 + v5 [MQTT-3.8.4-5] [MQTT-3.8.4-6] [MQTT-3.10.4-5] a SUBSCRIBE with 10,000 filters gets one SUBACK with 10,000 codes; an UNSUBSCRIBE of all of them one UNSUBACK")
    void tenThousandFilters() throws Exception {
        int count = 10_000 * scale();
        try (HostileBroker broker = broker(); Bystander bystander = Bystander.connect(broker.port(), "wide")) {
            HostileCheck check = HostileCheck.before(count + " filters in one SUBSCRIBE", broker, bystander);
            for (ProtocolVersion v : List.of(ProtocolVersion.MQTT_3_1_1, ProtocolVersion.MQTT_5)) {
                RawClient wide = client(broker, v, "wide-" + v);
                List<Subscription> filters = new ArrayList<>(count);
                List<String> names = new ArrayList<>(count);
                for (int i = 0; i < count; i++) {
                    names.add("f/" + i);
                    filters.add(sub("f/" + i, QoS.AT_LEAST_ONCE));
                }
                wide.send(new Subscribe(1, filters, Properties.EMPTY));
                SubAck subAck = assertInstanceOf(SubAck.class, wide.receive());
                assertEquals(count, subAck.reasonCodes().size());
                assertTrue(subAck.reasonCodes().stream().allMatch(c -> c == ReasonCode.GRANTED_QOS_1));
                RawClient pub = client(broker, v, "wide-pub-" + v);
                pub.send(publish("f/" + (count - 1), "last", QoS.AT_MOST_ONCE, 0, false));
                assertEquals("f/" + (count - 1), assertInstanceOf(Publish.class, wide.receive()).topic());
                check.stillServes(v + " holding " + count + " subscriptions", 64 * MB);
                wide.send(new Unsubscribe(2, names, Properties.EMPTY));
                UnsubAck unsubAck = assertInstanceOf(UnsubAck.class, wide.receive());
                assertEquals(v.isV5() ? count : 0, unsubAck.reasonCodes().size());
                wide.close();
                pub.close();
            }
        }
    }

    @Test
    @DisplayName("v3.1.1 [MQTT-3.3.1-6] 10,000 retained messages, then SUBSCRIBE '#': every one arrives, with RETAIN set (QoS 0 ones would be dropped beyond max_outbound_bytes, set large enough here)")
    void manyRetainedThenEverything() throws Exception {
        int count = 10_000 * scale();
        try (HostileBroker broker = broker("max_outbound_bytes " + Math.max(1 << 20, 64 * count));
             Bystander bystander = Bystander.connect(broker.port(), "retained")) {
            HostileCheck check = HostileCheck.before(count + " retained messages, then '#'", broker, bystander);
            RawClient pub = client(broker, ProtocolVersion.MQTT_3_1_1, "retainer");
            byte[] batch = batch(count, i -> publish("r/" + i, "value " + i, QoS.AT_MOST_ONCE, 0, true));
            pub.write(batch);
            pub.send(io.checkedmqtt.core.packet.PingReq.INSTANCE);
            assertInstanceOf(io.checkedmqtt.core.packet.PingResp.class, pub.receive());
            check.stillServes("storing " + count + " retained messages", 64 * MB);
            RawClient all = client(broker, ProtocolVersion.MQTT_3_1_1, "everything");
            all.send(new Subscribe(1, List.of(sub("#", QoS.AT_MOST_ONCE)), Properties.EMPTY));
            int retained = 0;
            for (Packet p = all.receive(); ; p = all.receive()) {
                if (p instanceof Publish r && r.retain()) {
                    retained++;
                }
                if (retained == count) {
                    break;
                }
            }
            assertEquals(count, retained);
            check.stillServes("after '#' got them all", 64 * MB);
        }
    }

    @Test
    @DisplayName("v5 [MQTT-3.3.2-2] a Topic Name with a wildcard parses, so it is a Protocol Error: DISCONNECT 0x82; v3.1.1: a close")
    void wildcardTopicName() throws Exception {
        try (HostileBroker broker = broker(); Bystander bystander = Bystander.connect(broker.port(), "wild")) {
            HostileCheck check = HostileCheck.before("a wildcard in a Topic Name", broker, bystander);
            RawClient v5 = client(broker, ProtocolVersion.MQTT_5, "wild5");
            v5.send(publish("a/+", "x", QoS.AT_MOST_ONCE, 0, false));
            assertEquals(List.of(new Disconnect(ReasonCode.PROTOCOL_ERROR)), v5.awaitClose(3_000));
            RawClient v3 = client(broker, ProtocolVersion.MQTT_3_1_1, "wild3");
            v3.send(publish("a/#", "x", QoS.AT_MOST_ONCE, 0, false));
            assertEquals(List.of(), v3.awaitClose(3_000));
            check.stillServes("after both were closed", 16 * MB);
        }
    }

    /** The next PUBLISH on {@code topic} the client gets, passing over others. */
    static Publish nextOn(RawClient client, String topic) throws IOException {
        while (true) {
            if (client.receive() instanceof Publish p && p.topic().equals(topic)) {
                return p;
            }
        }
    }

    /** The wire bytes of {@code count} packets, to be written at once. */
    static byte[] batch(int count, java.util.function.IntFunction<Packet> packet) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (int i = 0; i < count; i++) {
            out.writeBytes(RawClient.encode(packet.apply(i), ProtocolVersion.MQTT_3_1_1));
        }
        return out.toByteArray();
    }
}
