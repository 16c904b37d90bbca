package io.checkedmqtt.broker.e2e;

import io.checkedmqtt.testkit.paho.Received;
import io.checkedmqtt.testkit.paho.TestClient;
import io.checkedmqtt.testkit.paho.V3Client;
import io.checkedmqtt.testkit.paho.V5Client;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * QoS 1/2 redelivery after the subscriber's connection is cut in the middle of a handshake (the
 * socket is closed under the client by a proxy) and the client reconnects to its kept session:
 * no message is lost, and QoS 2 hands no message to the application twice.
 */
class RedeliveryTest {

    private static final int MESSAGES = 10;
    private static final int PUBLISH = 3;
    private static final int PUBACK = 4;
    private static final int PUBREC = 5;
    private static final int PUBREL = 6;
    private static final int PUBCOMP = 7;

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

    static Stream<Arguments> cuts() {
        List<Arguments> cases = new ArrayList<>();
        for (Versions version : Versions.values()) {
            cases.add(Arguments.of(version, 1, CutProxy.Direction.BROKER_TO_CLIENT, PUBLISH, "QoS 1 PUBLISH lost"));
            cases.add(Arguments.of(version, 1, CutProxy.Direction.CLIENT_TO_BROKER, PUBACK, "QoS 1 PUBACK lost"));
            cases.add(Arguments.of(version, 2, CutProxy.Direction.BROKER_TO_CLIENT, PUBLISH, "QoS 2 PUBLISH lost"));
            cases.add(Arguments.of(version, 2, CutProxy.Direction.BROKER_TO_CLIENT, PUBREL, "QoS 2 PUBREL lost"));
            cases.add(Arguments.of(version, 2, CutProxy.Direction.CLIENT_TO_BROKER, PUBCOMP, "QoS 2 PUBCOMP lost"));
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}: {4}")
    @MethodSource("cuts")
    @DisplayName("v3.1.1 [MQTT-4.4.0-1] [MQTT-4.3.3-1] v5 [MQTT-4.4.0-1] [MQTT-4.3.3-6] cut mid-handshake, reconnect"
            + " with the kept session: no loss, no QoS 2 duplicate")
    void redeliveryAfterCut(Versions version, int qos, CutProxy.Direction direction, int packetType, String what)
            throws Exception {
        String topic = "redeliver/" + version + "/" + qos + "/" + packetType + "/" + direction;
        String id = broker.nextId("cut");
        proxy.speaks(version == Versions.V5);
        TestClient subscriber = connectThroughProxy(version, id);
        subscriber.subscribe(topic, qos);
        proxy.armCut(direction, packetType, 3);

        TestClient publisher = version.client(broker, broker.nextId("pub")).connect(true);
        for (int i = 0; i < MESSAGES; i++) {
            publisher.publish(topic, "m" + i, qos);
        }
        assertTrue(proxy.cut.await(5, TimeUnit.SECONDS), "the proxy cut the connection");
        awaitDisconnected(subscriber);

        reconnect(subscriber);   // through the proxy again, now disarmed
        List<Received> delivered = new ArrayList<>();
        Set<String> distinct = new TreeSet<>();
        long end = System.nanoTime() + 10_000_000_000L;
        while (distinct.size() < MESSAGES && System.nanoTime() < end) {
            Received r = subscriber.poll(200);
            if (r != null) {
                delivered.add(r);
                distinct.add(r.payload());
            }
        }
        Received extra;
        while ((extra = subscriber.poll(300)) != null) {
            delivered.add(extra);
        }
        Set<String> expected = new TreeSet<>();
        for (int i = 0; i < MESSAGES; i++) {
            expected.add("m" + i);
        }
        Set<String> missing = new TreeSet<>(expected);
        missing.removeAll(distinct);
        if (qos == 2) {
            assertTrue(proxy.pubrecedPayloads().contains("m0"), "the proxy saw the client PUBREC m0");
        }
        if (version == Versions.V5 && qos == 2) {
            // The Paho 5.0 client 1.2.5 can lose these by itself: it sends PUBREC as soon as it has
            // queued an arrived PUBLISH for its callback thread, and on connecting again it clears
            // that queue (CommsCallback.start) and forgets the packet ids it stored, so the broker's
            // resent PUBREL delivers nothing. Once PUBREC'd, a message is the client's [MQTT-4.3.3]
            // and its PUBLISH must not be sent again (resendAfterReconnect checks that byte by byte).
            // A message the client never PUBREC'd still counts as lost.
            missing.removeAll(proxy.pubrecedPayloads());
        }
        assertEquals(Set.of(), missing, "no message lost: " + delivered);
        if (qos == 2) {
            List<Received> handedOn = version == Versions.V3_1_1 ? delivered : conformingReceiver(delivered);
            assertEquals(distinct.size(), handedOn.size(), "exactly once: " + delivered);
        }
    }

    /**
     * What a receiver that honours [MQTT-4.3.3-10] (v5) hands on. Paho's 5.0 client 1.2.5 forgets, across
     * a reconnect, the QoS 2 packet ids it has received but not yet seen released, so it delivers the
     * broker's required re-sends again (and does not show their DUP flag). The broker's side is checked
     * instead: every extra copy must carry the packet identifier of the copy already delivered, i.e. be a
     * re-send of an unacknowledged PUBLISH [MQTT-4.4.0-1]; {@link #resendAfterReconnect} checks the DUP
     * flag and the PUBREL-only rule byte by byte.
     */
    private static List<Received> conformingReceiver(List<Received> delivered) {
        java.util.Map<String, Received> first = new java.util.LinkedHashMap<>();
        for (Received r : delivered) {
            Received earlier = first.putIfAbsent(r.payload(), r);
            if (earlier != null) {
                assertEquals(earlier.packetId(), r.packetId(), "a re-send keeps its packet identifier: " + r);
            }
        }
        return new ArrayList<>(first.values());
    }

    @org.junit.jupiter.params.ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.EnumSource(value = io.checkedmqtt.core.packet.ProtocolVersion.class,
            names = {"MQTT_3_1_1", "MQTT_5"})
    @DisplayName("v3.1.1 [MQTT-4.4.0-1] [MQTT-4.3.3-1] v5 [MQTT-4.4.0-1] [MQTT-4.3.3-6] on reconnect the broker resends"
            + " PUBREL for a PUBREC'd message and PUBLISH with DUP=1 and the same id for the others, never the"
            + " PUBLISH of a PUBREC'd message")
    void resendAfterReconnect(io.checkedmqtt.core.packet.ProtocolVersion version) throws Exception {
        String topic = "resend/" + version;
        String id = broker.nextId("raw");
        io.checkedmqtt.core.packet.Properties keep = version.isV5()
                ? io.checkedmqtt.core.packet.Properties.EMPTY
                        .withInteger(io.checkedmqtt.core.packet.PropertyId.SESSION_EXPIRY_INTERVAL, 300)
                : io.checkedmqtt.core.packet.Properties.EMPTY;
        RawClient receiver = broker.track(new RawClient(broker.broker.port()));
        receiver.send(new io.checkedmqtt.core.packet.Connect(version, id, false, 0, null, null, null, keep));
        receiver.receive();
        receiver.subscribe(1, topic, io.checkedmqtt.core.packet.QoS.EXACTLY_ONCE);
        TestClient publisher = Versions.V3_1_1.client(broker, broker.nextId("pub")).connect(true);
        for (int i = 0; i < 3; i++) {
            publisher.publish(topic, "r" + i, 2);
        }
        io.checkedmqtt.core.packet.Publish a = (io.checkedmqtt.core.packet.Publish) receiver.receive();
        io.checkedmqtt.core.packet.Publish b = (io.checkedmqtt.core.packet.Publish) receiver.receive();
        io.checkedmqtt.core.packet.Publish c = (io.checkedmqtt.core.packet.Publish) receiver.receive();
        receiver.send(new io.checkedmqtt.core.packet.PubRec(a.packetId(),
                io.checkedmqtt.core.packet.ReasonCode.SUCCESS, io.checkedmqtt.core.packet.Properties.EMPTY));
        io.checkedmqtt.core.packet.PubRel rel = (io.checkedmqtt.core.packet.PubRel) receiver.receive();
        assertEquals(a.packetId(), rel.packetId());
        receiver.close();   // cut: PUBCOMP for a, PUBREC for b and c never sent

        RawClient again = broker.track(new RawClient(broker.broker.port()));
        again.send(new io.checkedmqtt.core.packet.Connect(version, id, false, 0, null, null, null, keep));
        io.checkedmqtt.core.packet.Connack connack = (io.checkedmqtt.core.packet.Connack) again.receive();
        assertTrue(connack.sessionPresent());
        List<io.checkedmqtt.core.packet.Packet> resent = new ArrayList<>();
        io.checkedmqtt.core.packet.Packet p;
        while ((p = again.poll(500)) != null) {
            resent.add(p);
        }
        assertEquals(3, resent.size(), resent.toString());
        io.checkedmqtt.core.packet.PubRel relAgain = (io.checkedmqtt.core.packet.PubRel) resent.get(0);
        assertEquals(a.packetId(), relAgain.packetId());
        for (int i = 1; i < 3; i++) {
            io.checkedmqtt.core.packet.Publish original = i == 1 ? b : c;
            io.checkedmqtt.core.packet.Publish copy = (io.checkedmqtt.core.packet.Publish) resent.get(i);
            assertEquals(original.packetId(), copy.packetId(), "same packet identifier");
            assertTrue(copy.dup(), "DUP=1 on a re-send");
            assertEquals(new String(original.payload()), new String(copy.payload()));
        }
    }

    private TestClient connectThroughProxy(Versions version, String id) throws Exception {
        if (version == Versions.V3_1_1) {
            return broker.track(new V3Client(proxy.uri(), id)).connect(false);
        }
        return broker.track(new V5Client(proxy.uri(), id)).connect(false);
    }

    private static void awaitDisconnected(TestClient client) throws InterruptedException {
        long end = System.nanoTime() + 5_000_000_000L;
        while (client.isConnected() && System.nanoTime() < end) {
            Thread.sleep(10);
        }
        assertTrue(!client.isConnected(), "the client saw its connection drop");
    }

    /**
     * Paho sometimes still tears the old connection down when asked to connect again, and now and
     * then never completes that connect (its time to wait ends it): reset the client and retry.
     */
    private static void reconnect(TestClient client) throws Exception {
        for (int attempt = 1; ; attempt++) {
            try {
                reconnectOnce(client);
                return;
            } catch (Exception e) {
                if (attempt == 3) {
                    throw e;
                }
                forceDisconnected(client);
                Thread.sleep(200);
            }
        }
    }

    private static void forceDisconnected(TestClient client) {
        try {
            if (client instanceof V3Client v3) {
                v3.paho.disconnectForcibly(0, 100, false);
            } else if (client instanceof V5Client v5) {
                v5.paho.disconnectForcibly(0, 100, false);
            }
        } catch (Exception notConnected) {
            // nothing to tear down
        }
    }

    private static void reconnectOnce(TestClient client) throws Exception {
        if (client instanceof V3Client v3) {
            MqttConnectOptions options = V3Client.options(false);
            v3.paho.connect(options);
        } else if (client instanceof V5Client v5) {
            MqttConnectionOptions options = V5Client.options(false, 300);
            v5.paho.connect(options);
        }
    }
}
