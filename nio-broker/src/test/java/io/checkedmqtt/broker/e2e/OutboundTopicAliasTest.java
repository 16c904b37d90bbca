package io.checkedmqtt.broker.e2e;

import io.checkedmqtt.core.codec.DecodeResult;
import io.checkedmqtt.core.codec.MqttDecoder;
import io.checkedmqtt.core.packet.PropertyId;
import io.checkedmqtt.core.packet.ProtocolVersion;
import io.checkedmqtt.core.packet.Publish;
import io.checkedmqtt.testkit.paho.Received;
import io.checkedmqtt.testkit.paho.TestClient;
import io.checkedmqtt.testkit.paho.V5Client;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * The broker's own Topic Aliases towards a Paho 5.0 subscriber, seen twice: on the wire, through
 * a proxy that keeps every frame the broker sends the subscriber, and in what Paho hands its
 * application, from which the real topics must follow. The broker's policy: the first topics of
 * a connection get the aliases, up to the Topic Alias Maximum the client sent in CONNECT.
 */
class OutboundTopicAliasTest {

    private TestBroker broker;
    private CutProxy proxy;

    @BeforeEach
    void start() throws Exception {
        broker = new TestBroker();
        proxy = new CutProxy(broker.broker.port());
    }

    @AfterEach
    void stop() throws Exception {
        proxy.close();
        broker.close();
    }

    /** A Paho 5.0 subscriber behind the proxy that takes {@code aliasMaximum} aliases (0: says nothing). */
    private V5Client subscriber(String filter, int aliasMaximum, boolean cleanStart) throws Exception {
        V5Client paho = broker.track(new V5Client(proxy.uri(), "alias-sub"));
        MqttConnectionOptions options = V5Client.options(cleanStart, 300);
        if (aliasMaximum > 0) {
            options.setTopicAliasMaximum(aliasMaximum);
        }
        paho.connect(options).subscribe(filter, 1);
        return paho;
    }

    /** The PUBLISHes the broker wrote to the subscriber, decoded from the proxy's frames, from frame {@code from} on. */
    private List<Publish> publishesOnTheWire(int from) {
        List<Publish> out = new ArrayList<>();
        List<byte[]> frames = proxy.framesToClient();
        for (byte[] frame : frames.subList(from, frames.size())) {
            DecodeResult r = new MqttDecoder(Integer.MAX_VALUE).decode(ByteBuffer.wrap(frame), ProtocolVersion.MQTT_5);
            if (assertInstanceOf(DecodeResult.Decoded.class, r).packet() instanceof Publish p) {
                out.add(p);
            }
        }
        return out;
    }

    private static long alias(Publish p) {
        return p.properties().integer(PropertyId.TOPIC_ALIAS, 0);
    }

    /**
     * Publishes one QoS 1 message per topic, in order, and returns the topics the subscriber
     * received, each resolved from what Paho handed its application (the topic and the message's
     * Topic Alias) the way section 3.3.2.3.4 tells a receiver to: a topic with an alias sets the
     * mapping, an empty topic with an alias uses it. Paho 1.2.5 should do this itself but hands on
     * the empty topic instead (eclipse-paho/paho.mqtt.java issue 866, open), so the test does it,
     * from nothing but what Paho delivered.
     */
    private List<String> send(V5Client subscriber, String... topics) throws Exception {
        TestClient publisher = broker.track(new V5Client(broker.uri, broker.nextId("alias-pub"))).connect(true);
        for (int i = 0; i < topics.length; i++) {
            publisher.publish(topics[i], "m" + i, 1);
        }
        Map<Integer, String> aliases = new HashMap<>();
        List<String> received = new ArrayList<>();
        for (int i = 0; i < topics.length; i++) {
            Received r = subscriber.next();
            MqttMessage message = subscriber.rawMessages.poll(5, TimeUnit.SECONDS);
            assertNotNull(r, "message " + i + " arrived");
            assertEquals("m" + i, r.payload(), "in order");
            Integer alias = message.getProperties().getTopicAlias();
            String topic = r.topic();
            if (alias != null && topic.isEmpty()) {
                topic = aliases.get(alias);
            } else if (alias != null) {
                aliases.put(alias, topic);
            }
            received.add(topic);
        }
        return received;
    }

    @Test
    @DisplayName("v5 [MQTT-3.1.2-26] [MQTT-3.3.2-8] [MQTT-3.3.2-11] Paho with Topic Alias Maximum 2 gets aliases 1 and 2 for its first two topics: topic and alias once, then alias and an empty topic; Paho still sees every topic")
    void aliasesArriveOnTheWire() throws Exception {
        V5Client paho = subscriber("alias/#", 2, true);
        int before = proxy.framesToClient().size();
        String[] topics = {"alias/a", "alias/a", "alias/b", "alias/c", "alias/b", "alias/c", "alias/a"};
        assertEquals(List.of(topics), send(paho, topics));
        List<Publish> wire = publishesOnTheWire(before);
        assertEquals(List.of("alias/a", "", "alias/b", "alias/c", "", "alias/c", ""),
                wire.stream().map(Publish::topic).toList());
        assertEquals(List.of(1L, 1L, 2L, 0L, 2L, 0L, 1L), wire.stream().map(OutboundTopicAliasTest::alias).toList());
    }

    @Test
    @DisplayName("v5 [MQTT-3.1.2-27] a Paho client that sends no Topic Alias Maximum gets every PUBLISH with its full topic and no alias")
    void noAliasesUnlessAsked() throws Exception {
        V5Client paho = subscriber("plain/#", 0, true);
        int before = proxy.framesToClient().size();
        assertEquals(List.of("plain/a", "plain/a"), send(paho, "plain/a", "plain/a"));
        for (Publish p : publishesOnTheWire(before)) {
            assertEquals("plain/a", p.topic());
            assertEquals(0, alias(p));
        }
    }

    @Test
    @DisplayName("v5 [MQTT-3.3.2-7] aliases do not outlive the connection: after a reconnect the broker sets alias 1 again, with the topic")
    void aliasesStartAfreshOnANewConnection() throws Exception {
        V5Client paho = subscriber("again/#", 3, false);
        assertEquals(List.of("again/a", "again/a"), send(paho, "again/a", "again/a"));
        // Paho acknowledges after its callback returns: give the PUBACKs time to leave, or the kept
        // session resends an unacknowledged message first after the reconnect
        Thread.sleep(150);
        paho.paho.disconnect();
        MqttConnectionOptions options = V5Client.options(false, 300);
        options.setTopicAliasMaximum(3);
        paho.connect(options);
        int before = proxy.framesToClient().size();
        assertEquals(List.of("again/b", "again/a"), send(paho, "again/b", "again/a"));
        List<Publish> wire = publishesOnTheWire(before);
        assertEquals(List.of("again/b", "again/a"), wire.stream().map(Publish::topic).toList());
        assertEquals(List.of(1L, 2L), wire.stream().map(OutboundTopicAliasTest::alias).toList());
    }
}
