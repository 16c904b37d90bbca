package io.checkedmqtt.broker.e2e;

import io.checkedmqtt.testkit.paho.Received;
import io.checkedmqtt.testkit.paho.TestClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
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
 * online/offline; each over every transport: MQTT over TCP, TLS, WebSocket and secure WebSocket.
 */
class DeliveryTablesTest {

    private static TestBroker broker;

    @BeforeAll
    static void start() throws Exception {
        broker = TestBroker.withTransports();
    }

    @AfterAll
    static void stop() {
        broker.close();
    }

    static Stream<Arguments> qosPairs() {
        List<Arguments> pairs = new ArrayList<>();
        for (Transports transport : Transports.values()) {
            for (Versions version : Versions.values()) {
                for (int pub = 0; pub <= 2; pub++) {
                    for (int sub = 0; sub <= 2; sub++) {
                        pairs.add(Arguments.of(transport, version, pub, sub));
                    }
                }
            }
        }
        return pairs.stream();
    }

    /**
     * One subscriber per transport and version holding three subscriptions (QoS 0, 1, 2), shared
     * by the nine cases; its publisher comes over the same transport.
     */
    private static final java.util.Map<String, TestClient> SUBSCRIBERS = new java.util.HashMap<>();
    private static final java.util.Map<String, TestClient> PUBLISHERS = new java.util.HashMap<>();

    private static synchronized TestClient subscriber(Transports transport, Versions version) throws Exception {
        String key = transport + "/" + version;
        TestClient subscriber = SUBSCRIBERS.get(key);
        if (subscriber == null) {
            subscriber = transport.client(broker, version, broker.nextId("sub")).connect(true);
            for (int sub = 0; sub <= 2; sub++) {
                subscriber.subscribe("tables/" + key + "/+/s" + sub, sub);
            }
            SUBSCRIBERS.put(key, subscriber);
            PUBLISHERS.put(key, transport.client(broker, version, broker.nextId("pub")).connect(true));
        }
        return subscriber;
    }

    private static synchronized TestClient publisher(Transports transport, Versions version) {
        return PUBLISHERS.get(transport + "/" + version);
    }

    @ParameterizedTest(name = "{0} {1}: publish QoS {2}, subscription QoS {3}")
    @MethodSource("qosPairs")
    @DisplayName("v3.1.1 [MQTT-3.8.4-6] v5 [MQTT-3.8.4-8] an online subscriber receives min(publish QoS, subscription QoS)")
    void qosIsPerHop(Transports transport, Versions version, int publishQos, int subscriptionQos) throws Exception {
        String topic = "tables/" + transport + "/" + version + "/p" + publishQos + "/s" + subscriptionQos;
        TestClient subscriber = subscriber(transport, version);
        publisher(transport, version).publish(topic, "m", publishQos);
        Received received = subscriber.next();
        assertNotNull(received, "online subscriber gets the message");
        assertEquals(topic, received.topic());
        assertEquals(Math.min(publishQos, subscriptionQos), received.qos());
        assertNull(subscriber.poll(100), "exactly one copy");
    }

    static Stream<Arguments> sessionRows() {
        List<Arguments> rows = new ArrayList<>();
        for (Transports transport : Transports.values()) {
            for (Versions version : Versions.values()) {
                for (int qos = 0; qos <= 2; qos++) {
                    rows.add(Arguments.of(transport, version, qos, true));
                    rows.add(Arguments.of(transport, version, qos, false));
                }
            }
        }
        return rows.stream();
    }

    @ParameterizedTest(name = "{0} {1}: QoS {2}, clean={3}")
    @Execution(ExecutionMode.CONCURRENT)   // each row has clients and topics of its own; most of a row is waiting
    @MethodSource("sessionRows")
    @DisplayName("v3.1.1 [MQTT-3.1.2-4] [MQTT-3.1.2-5] [MQTT-3.1.2-6] v5 [MQTT-3.1.2-4] [MQTT-3.1.2-5] [MQTT-3.1.2-23]"
            + " offline messages: kept for QoS 1/2 in a kept session, never for QoS 0 or a clean session")
    void cleanSessionTable(Transports transport, Versions version, int qos, boolean clean) throws Exception {
        String topic = "session/" + transport + "/" + version + "/q" + qos + "/" + clean;
        String id = broker.nextId("offline");
        TestClient subscriber = transport.client(broker, version, id).connect(clean).subscribe(topic, qos);
        TestClient publisher = transport.client(broker, version, broker.nextId("pub")).connect(true);

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

        TestClient again = transport.client(broker, version, id).connect(clean);
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
