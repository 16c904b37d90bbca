package io.checkedmqtt.broker.observe;

import io.checkedmqtt.core.packet.Connack;
import io.checkedmqtt.core.packet.Connect;
import io.checkedmqtt.core.packet.Disconnect;
import io.checkedmqtt.core.packet.PacketType;
import io.checkedmqtt.core.packet.Properties;
import io.checkedmqtt.core.packet.ProtocolVersion;
import io.checkedmqtt.core.packet.PubAck;
import io.checkedmqtt.core.packet.PubRel;
import io.checkedmqtt.core.packet.Publish;
import io.checkedmqtt.core.packet.QoS;
import io.checkedmqtt.core.packet.ReasonCode;
import io.checkedmqtt.core.packet.SubAck;
import io.checkedmqtt.core.packet.Subscribe;
import io.checkedmqtt.core.packet.Subscription;
import io.checkedmqtt.core.packet.SubscriptionOptions;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static io.checkedmqtt.broker.observe.JsonReader.at;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A client's last packets, both ways: the ring that keeps them, and the client's page that shows them. */
class LastPacketsTest {

    @Test
    @DisplayName("the trail keeps the last 16 packets newest first, with each type's identifier, QoS, reason code and topic")
    void trailKeepsTheLastPackets() {
        PacketTrail trail = new PacketTrail();
        assertEquals(List.of(), trail.newestFirst());
        trail.record(false, new Connect(ProtocolVersion.MQTT_5, "c1", true, 30, null, null, null, Properties.EMPTY),
                20, 1_000);
        trail.record(true, new Connack(false, ReasonCode.SUCCESS, Properties.EMPTY), 5, 1_001);
        trail.record(false, new Subscribe(7, List.of(new Subscription("a/#", SubscriptionOptions.of(QoS.AT_LEAST_ONCE))),
                Properties.EMPTY), 11, 1_002);
        trail.record(true, new SubAck(7, List.of(ReasonCode.GRANTED_QOS_1), Properties.EMPTY), 6, 1_003);
        trail.record(false, new Publish("a/b", new byte[100], QoS.AT_LEAST_ONCE, true, false, 9, Properties.EMPTY),
                110, 1_004);
        trail.record(true, new PubAck(9, ReasonCode.NO_MATCHING_SUBSCRIBERS, Properties.EMPTY), 5, 1_005);

        List<PacketTrail.Entry> six = trail.newestFirst();
        assertEquals(List.of(PacketType.PUBACK, PacketType.PUBLISH, PacketType.SUBACK, PacketType.SUBSCRIBE,
                PacketType.CONNACK, PacketType.CONNECT), six.stream().map(PacketTrail.Entry::type).toList());
        assertEquals(new PacketTrail.Entry(1_005, true, PacketType.PUBACK, 5, 9, -1, false,
                ReasonCode.NO_MATCHING_SUBSCRIBERS, null), six.get(0));
        assertEquals(new PacketTrail.Entry(1_004, false, PacketType.PUBLISH, 110, 9, 1, true, null, "a/b"), six.get(1));
        assertEquals(new PacketTrail.Entry(1_003, true, PacketType.SUBACK, 6, 7, -1, false, ReasonCode.GRANTED_QOS_1,
                null), six.get(2));
        assertEquals("a/#", six.get(3).topic());
        assertEquals("c1", six.get(5).topic());

        for (int i = 1; i <= 20; i++) {
            trail.record(i % 2 == 0, new Publish("n/" + i, new byte[0], QoS.AT_MOST_ONCE, false, false, 0,
                    Properties.EMPTY), 7, 2_000 + i);
        }
        List<PacketTrail.Entry> last = trail.newestFirst();
        assertEquals(PacketTrail.CAPACITY, last.size());
        assertEquals("n/20", last.get(0).topic());
        assertEquals("n/5", last.get(PacketTrail.CAPACITY - 1).topic());
        assertEquals(0, last.get(0).qos());
        assertFalse(last.get(0).retain());
        // n/16 took the place of the PUBACK: nothing of the PUBACK (identifier, reason code) is left over
        assertEquals(new PacketTrail.Entry(2_016, true, PacketType.PUBLISH, 7, 0, 0, false, null, "n/16"), last.get(4));
    }

    @Test
    @DisplayName("the trail's packing holds every field at its edges: packet id 65,535, the largest frame, QoS 2 retained, the last reason code")
    void trailAtTheEdges() {
        PacketTrail trail = new PacketTrail();
        trail.record(true, new Publish("t", new byte[0], QoS.EXACTLY_ONCE, true, false, 65_535, Properties.EMPTY),
                268_435_460, Long.MAX_VALUE);
        trail.record(false, new Disconnect(ReasonCode.WILDCARD_SUBSCRIPTIONS_NOT_SUPPORTED, Properties.EMPTY), 4, 7);
        trail.record(false, new PubRel(65_534, ReasonCode.PACKET_IDENTIFIER_NOT_FOUND, Properties.EMPTY, false), 6, 8);
        assertEquals(List.of(
                new PacketTrail.Entry(8, false, PacketType.PUBREL, 6, 65_534, -1, false,
                        ReasonCode.PACKET_IDENTIFIER_NOT_FOUND, null),
                new PacketTrail.Entry(7, false, PacketType.DISCONNECT, 4, 0, -1, false,
                        ReasonCode.WILDCARD_SUBSCRIPTIONS_NOT_SUPPORTED, null),
                new PacketTrail.Entry(Long.MAX_VALUE, true, PacketType.PUBLISH, 268_435_460, 65_535, 2, true, null, "t")),
                trail.newestFirst());
    }

    @Test
    @DisplayName("a client's page lists its last packets both ways: CONNECT to the PUBACK a QoS 1 PUBLISH got, and the subscriber's PUBLISH out and PUBACK in")
    void clientPageShowsLastPackets() throws Exception {
        try (ObservedBroker b = new ObservedBroker()) {
            var sub = b.v3("watcher", true);
            sub.subscribe("s/#", 1, (topic, m) -> { });   // Paho acknowledges only what it hands to a listener
            var pub = b.v3("sender", true);
            MqttMessage message = new MqttMessage("21.5".getBytes(StandardCharsets.UTF_8));
            message.setQos(1);
            pub.publish("s/kitchen", message);   // returns once the PUBACK arrived

            List<?> sent = (List<?>) at(b.json("/api/v1/clients/sender"), "lastPackets");
            assertEquals(List.of("PUBACK", "PUBLISH", "CONNACK", "CONNECT"), field(sent, "type"));
            assertEquals(List.of("out", "in", "out", "in"), field(sent, "direction"));
            assertEquals("s/kitchen", at(sent, 1, "topic"));
            assertEquals(1L, at(sent, 1, "qos"));
            assertEquals(at(sent, 0, "packetId"), at(sent, 1, "packetId"));
            assertEquals(0L, at(sent, 2, "reasonCode"));
            assertEquals("sender", at(sent, 3, "clientId"));
            assertEquals(2L + 2 + 9 + 2 + 4, at(sent, 1, "bytes"));   // fixed header, topic length, topic, packet id, payload
            assertTrue(((String) at(sent, 0, "at")).endsWith("Z"));

            List<?> watched = List.of();
            for (int i = 0; i < 100 && watched.size() < 6; i++) {   // Paho acknowledges after its callback
                watched = (List<?>) at(b.json("/api/v1/clients/watcher"), "lastPackets");
                Thread.sleep(20);
            }
            assertEquals(List.of("PUBACK", "PUBLISH", "SUBACK", "SUBSCRIBE", "CONNACK", "CONNECT"), field(watched, "type"));
            assertEquals(List.of("in", "out", "out", "in", "out", "in"), field(watched, "direction"));
            assertEquals("s/#", at(watched, 3, "filter"));
            assertEquals(1L, at(watched, 2, "reasonCode"));

            pub.disconnect();
            sub.disconnect();
        }
    }

    private static List<Object> field(List<?> entries, String name) {
        return entries.stream().map(e -> at(e, name)).toList();
    }
}
