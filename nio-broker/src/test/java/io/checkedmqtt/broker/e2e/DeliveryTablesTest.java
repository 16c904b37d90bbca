package io.checkedmqtt.broker.e2e;

import io.checkedmqtt.testkit.paho.Received;
import io.checkedmqtt.testkit.paho.TestClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The two tables of DESIGN.md, end to end with Paho 3.1.1 and 5.0 clients over 127.0.0.1:
 * publish QoS x subscription QoS (all nine pairs), and QoS x clean/kept session x subscriber
 * online/offline.
 */
class DeliveryTablesTest {

    private static TestBroker broker;

    @BeforeAll
    static void start() throws Exception {
        broker = new TestBroker();
    }

    @AfterAll
    static void stop() {
        broker.close();
    }

    static Stream<Arguments> qosPairs() {
        List<Arguments> pairs = new ArrayList<>();
        for (Versions version : Versions.values()) {
            for (int pub = 0; pub <= 2; pub++) {
                for (int sub = 0; sub <= 2; sub++) {
                    pairs.add(Arguments.of(version, pub, sub));
                }
            }
        }
        return pairs.stream();
    }

    /** One subscriber per version holding three subscriptions (QoS 0, 1, 2), shared by the nine cases. */
    private static final java.util.Map<Versions, TestClient> SUBSCRIBERS = new java.util.EnumMap<>(Versions.class);
    private static final java.util.Map<Versions, TestClient> PUBLISHERS = new java.util.EnumMap<>(Versions.class);

    private static synchronized TestClient subscriber(Versions version) throws Exception {
        TestClient subscriber = SUBSCRIBERS.get(version);
        if (subscriber == null) {
            subscriber = version.client(broker, broker.nextId("sub")).connect(true);
            for (int sub = 0; sub <= 2; sub++) {
                subscriber.subscribe("tables/" + version + "/+/s" + sub, sub);
            }
            SUBSCRIBERS.put(version, subscriber);
            PUBLISHERS.put(version, version.client(broker, broker.nextId("pub")).connect(true));
        }
        return subscriber;
    }

    @ParameterizedTest(name = "{0}: publish QoS {1}, subscription QoS {2}")
    @MethodSource("qosPairs")
    @DisplayName("v3.1.1 [MQTT-3.8.4-6] v5 [MQTT-3.8.4-8] an online subscriber receives min(publish QoS, subscription QoS)")
    void qosIsPerHop(Versions version, int publishQos, int subscriptionQos) throws Exception {
        String topic = "tables/" + version + "/p" + publishQos + "/s" + subscriptionQos;
        TestClient subscriber = subscriber(version);
        PUBLISHERS.get(version).publish(topic, "m", publishQos);
        Received received = subscriber.next();
        assertNotNull(received, "online subscriber gets the message");
        assertEquals(topic, received.topic());
        assertEquals(Math.min(publishQos, subscriptionQos), received.qos());
        assertNull(subscriber.poll(100), "exactly one copy");
    }

    static Stream<Arguments> sessionRows() {
        List<Arguments> rows = new ArrayList<>();
        for (Versions version : Versions.values()) {
            for (int qos = 0; qos <= 2; qos++) {
                rows.add(Arguments.of(version, qos, true));
                rows.add(Arguments.of(version, qos, false));
            }
        }
        return rows.stream();
    }

    @ParameterizedTest(name = "{0}: QoS {1}, clean={2}")
    @MethodSource("sessionRows")
    @DisplayName("v3.1.1 [MQTT-3.1.2-4] [MQTT-3.1.2-5] [MQTT-3.1.2-6] v5 [MQTT-3.1.2-4] [MQTT-3.1.2-5] [MQTT-3.1.2-23]"
            + " offline messages: kept for QoS 1/2 in a kept session, never for QoS 0 or a clean session")
    void cleanSessionTable(Versions version, int qos, boolean clean) throws Exception {
        String topic = "session/" + version + "/q" + qos + "/" + clean;
        String id = broker.nextId("offline");
        TestClient subscriber = version.client(broker, id).connect(clean).subscribe(topic, qos);
        TestClient publisher = version.client(broker, broker.nextId("pub")).connect(true);

        publisher.publish(topic, "online-1", qos);
        Received online = subscriber.next();
        assertNotNull(online, "online: delivered");
        assertEquals("online-1", online.payload());
        // Paho acknowledges after its callback returns: give the PUBACK / PUBREC time to leave
        Thread.sleep(150);
        subscriber.close();

        // the subscriber is offline; the publish call returns once the broker has acknowledged it
        publisher.publish(topic, "offline-1", qos);
        publisher.publish(topic, "offline-2", qos);

        TestClient again = version.client(broker, id).connect(clean);
        List<String> afterReconnect = new ArrayList<>();
        Received r;
        while ((r = again.poll(300)) != null) {
            afterReconnect.add(r.payload());
        }
        boolean keptForOffline = !clean && qos > 0;
        if (keptForOffline && qos == 1) {
            // at least once: a re-send of online-1 is allowed if its PUBACK was still on the way
            afterReconnect.removeIf("online-1"::equals);
        }
        if (keptForOffline) {
            assertEquals(List.of("offline-1", "offline-2"), afterReconnect,
                    "kept session: every offline message arrives, in order, once");
        } else {
            assertTrue(afterReconnect.isEmpty(), "no offline messages: " + afterReconnect);
        }

        publisher.publish(topic, "online-2", qos);
        Received second = again.poll(clean ? 300 : 5_000);
        if (clean) {
            assertNull(second, "a clean session keeps no subscription");
        } else {
            assertNotNull(second, "a kept session keeps its subscription");
            assertEquals("online-2", second.payload());
        }
        again.close();
        publisher.close();
    }
}
