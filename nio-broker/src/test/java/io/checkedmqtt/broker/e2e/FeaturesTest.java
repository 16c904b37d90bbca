package io.checkedmqtt.broker.e2e;

import io.checkedmqtt.core.config.BrokerConfig;
import io.checkedmqtt.core.packet.Connect;
import io.checkedmqtt.core.packet.Disconnect;
import io.checkedmqtt.core.packet.Packet;
import io.checkedmqtt.core.packet.Properties;
import io.checkedmqtt.core.packet.PropertyId;
import io.checkedmqtt.core.packet.ProtocolVersion;
import io.checkedmqtt.core.packet.PubAck;
import io.checkedmqtt.core.packet.Publish;
import io.checkedmqtt.core.packet.QoS;
import io.checkedmqtt.core.packet.ReasonCode;
import io.checkedmqtt.core.packet.Will;
import io.checkedmqtt.testkit.paho.Received;
import io.checkedmqtt.testkit.paho.TestClient;
import io.checkedmqtt.testkit.paho.V3Client;
import io.checkedmqtt.testkit.paho.V5Client;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Retained messages, wills, take-over, keep-alive, 5.0 session expiry, topic aliases, shared
 * subscriptions and receive maximum, end to end with Paho clients (both versions where the feature
 * exists) and raw sockets where a client must misbehave or be watched byte by byte.
 */
class FeaturesTest {

    private static TestBroker broker;

    @BeforeAll
    static void start() throws Exception {
        // a small in-flight window, so the 3.1.1 in-flight bound is observable
        BrokerConfig core = BrokerConfig.builder().maxInflightMessages(3).topicAliasMaximum(10).build();
        broker = new TestBroker(s -> s.core(core));
    }

    @AfterAll
    static void stop() {
        broker.close();
    }

    private static RawClient raw() throws Exception {
        return broker.track(new RawClient(broker.broker.port()));
    }

    private static String topic(String feature, Versions version) {
        return "features/" + feature + "/" + version;
    }

    // ---- retained ----------------------------------------------------------------------------

    @ParameterizedTest
    @EnumSource(Versions.class)
    @DisplayName("v3.1.1 [MQTT-3.3.1-5] [MQTT-3.3.1-6] [MQTT-3.3.1-8] [MQTT-3.3.1-9] [MQTT-3.3.1-10] v5 [MQTT-3.3.1-5]"
            + " [MQTT-3.3.1-6] [MQTT-3.3.1-9] retained: a new subscriber gets the last one with RETAIN=1, live copies"
            + " have RETAIN=0, an empty retained message clears it")
    void retained(Versions version) throws Exception {
        String topic = topic("retained", version);
        TestClient publisher = version.client(broker, broker.nextId("rpub")).connect(true);
        publisher.publish(topic, "first", 1, true);
        publisher.publish(topic, "last", 1, true);

        TestClient late = version.client(broker, broker.nextId("rsub")).connect(true).subscribe(topic, 1);
        Received retained = late.next();
        assertNotNull(retained);
        assertEquals("last", retained.payload());
        assertTrue(retained.retained(), "sent because of the new subscription: RETAIN=1");
        assertNull(late.poll(200), "only the latest retained message");

        publisher.publish(topic, "live", 1, true);
        Received live = late.next();
        assertEquals("live", live.payload());
        if (version == Versions.V3_1_1) {
            assertFalse(live.retained(), "3.1.1: forwarded to an existing subscription with RETAIN=0");
        }

        publisher.publish(topic, "", 1, true);
        assertEquals("", late.next().payload(), "the empty retained message is forwarded normally");
        TestClient later = version.client(broker, broker.nextId("rsub")).connect(true).subscribe(topic, 1);
        assertNull(later.poll(300), "and it cleared the retained message");
    }

    // ---- will --------------------------------------------------------------------------------

    @ParameterizedTest
    @EnumSource(Versions.class)
    @DisplayName("v3.1.1 [MQTT-3.1.2-8] [MQTT-3.1.2-10] v5 [MQTT-3.1.2-10] [MQTT-3.14.4-3] the will is published on an"
            + " abnormal close and discarded after DISCONNECT")
    void will(Versions version) throws Exception {
        String topic = topic("will", version);
        TestClient watcher = version.client(broker, broker.nextId("watch")).connect(true).subscribe(topic, 1);
        ProtocolVersion wire = version == Versions.V3_1_1 ? ProtocolVersion.MQTT_3_1_1 : ProtocolVersion.MQTT_5;

        RawClient polite = raw();
        polite.send(new Connect(wire, broker.nextId("polite"), true, 0, null, null,
                new Will(topic, "polite died".getBytes(StandardCharsets.UTF_8), QoS.AT_LEAST_ONCE, false,
                        Properties.EMPTY), Properties.EMPTY));
        polite.receive();
        polite.send(Disconnect.NORMAL);
        polite.awaitClose(3_000);
        assertNull(watcher.poll(300), "no will after DISCONNECT");

        RawClient rude = raw();
        rude.send(new Connect(wire, broker.nextId("rude"), true, 0, null, null,
                new Will(topic, "rude died".getBytes(StandardCharsets.UTF_8), QoS.AT_LEAST_ONCE, false,
                        Properties.EMPTY), Properties.EMPTY));
        rude.receive();
        rude.close();   // no DISCONNECT: the network connection just ends
        Received will = watcher.next();
        assertNotNull(will, "the will is published when the connection ends without DISCONNECT");
        assertEquals("rude died", will.payload());
        assertEquals(1, will.qos());
    }

    @Test
    @DisplayName("v5 [MQTT-3.1.3-9] a Will Delay Interval holds the will back; reconnecting within it suppresses"
            + " the will, letting it run out publishes it")
    void willDelay() throws Exception {
        String topic = topic("will-delay", Versions.V5);
        TestClient watcher = Versions.V5.client(broker, broker.nextId("watch")).connect(true).subscribe(topic, 1);
        Properties keepSession = Properties.EMPTY.withInteger(PropertyId.SESSION_EXPIRY_INTERVAL, 30);
        Will delayed = new Will(topic, "delayed will".getBytes(StandardCharsets.UTF_8), QoS.AT_LEAST_ONCE, false,
                Properties.EMPTY.withInteger(PropertyId.WILL_DELAY_INTERVAL, 1));

        String comesBack = broker.nextId("back");
        RawClient first = raw();
        first.send(new Connect(ProtocolVersion.MQTT_5, comesBack, true, 0, null, null, delayed, keepSession));
        first.receive();
        first.close();
        RawClient again = raw();
        again.send(new Connect(ProtocolVersion.MQTT_5, comesBack, false, 0, null, null, null, keepSession));
        again.receive();
        assertNull(watcher.poll(1_500), "reconnected within the delay: no will");

        RawClient gone = raw();
        gone.send(new Connect(ProtocolVersion.MQTT_5, broker.nextId("gone"), true, 0, null, null, delayed,
                keepSession));
        gone.receive();
        gone.close();
        long closed = System.nanoTime();
        Received will = watcher.next();
        long after = (System.nanoTime() - closed) / 1_000_000;
        assertNotNull(will, "the delay ran out: the will is published");
        assertEquals("delayed will", will.payload());
        assertTrue(after >= 800, "held back for the Will Delay Interval (1 s): " + after + " ms");
    }

    // ---- take-over ---------------------------------------------------------------------------

    @Test
    @DisplayName("v3.1.1 [MQTT-3.1.4-2] a second connection with the same client id takes over; the first is closed")
    void takeOverV3() throws Exception {
        String id = broker.nextId("same3");
        V3Client first = (V3Client) Versions.V3_1_1.client(broker, id).connect(true);
        V3Client second = (V3Client) Versions.V3_1_1.client(broker, id).connect(true);
        assertTrue(first.awaitLost(), "the first connection was closed");
        String topic = topic("takeover", Versions.V3_1_1);
        second.subscribe(topic, 1);
        second.publish(topic, "second works", 1);
        assertEquals("second works", second.next().payload());
    }

    @Test
    @DisplayName("v5 [MQTT-3.1.4-3] a second connection with the same client id takes over; the first gets DISCONNECT 0x8E")
    void takeOverV5() throws Exception {
        String id = broker.nextId("same5");
        V5Client first = (V5Client) Versions.V5.client(broker, id).connect(true);
        V5Client second = (V5Client) Versions.V5.client(broker, id).connect(true);
        MqttDisconnectResponse response = first.awaitDisconnect();
        assertNotNull(response, "the first connection was told");
        assertEquals(0x8E, response.getReturnCode());
        String topic = topic("takeover", Versions.V5);
        second.subscribe(topic, 1);
        second.publish(topic, "second works", 1);
        assertEquals("second works", second.next().payload());
    }

    // ---- keep-alive --------------------------------------------------------------------------

    @ParameterizedTest
    @EnumSource(Versions.class)
    @DisplayName("v3.1.1 [MQTT-3.1.2-24] v5 [MQTT-3.1.2-22] a client silent for 1.5 x Keep Alive is disconnected;"
            + " one that pings stays")
    void keepAlive(Versions version) throws Exception {
        ProtocolVersion wire = version == Versions.V3_1_1 ? ProtocolVersion.MQTT_3_1_1 : ProtocolVersion.MQTT_5;
        // Paho pings by itself, so its connection must survive the same keep-alive
        TestClient pinger = version.client(broker, broker.nextId("pinger"));
        if (pinger instanceof V3Client v3) {
            org.eclipse.paho.client.mqttv3.MqttConnectOptions options = V3Client.options(true);
            options.setKeepAliveInterval(1);
            v3.connect(options);
        } else if (pinger instanceof V5Client v5) {
            MqttConnectionOptions options = V5Client.options(true, 0);
            options.setKeepAliveInterval(1);
            v5.connect(options);
        }
        long pingerSince = System.nanoTime();

        RawClient silent = raw();
        silent.handshake(wire, broker.nextId("silent"), 1, Properties.EMPTY);
        long start = System.nanoTime();
        List<Packet> before = silent.awaitClose(5_000);
        long took = (System.nanoTime() - start) / 1_000_000;
        assertTrue(took >= 1_000 && took < 4_000, "closed after about 1.5 s: " + took + " ms");
        assertTrue(before.size() <= 1, before.toString());
        if (!before.isEmpty()) {
            assertEquals(ReasonCode.KEEP_ALIVE_TIMEOUT, ((Disconnect) before.get(0)).reasonCode());
        }
        while (System.nanoTime() - pingerSince < 2_000_000_000L) {
            Thread.sleep(50);
        }
        assertTrue(pinger.isConnected(), "a client that sends PINGREQ within its keep-alive is kept");
    }

    // ---- 5.0 session expiry ------------------------------------------------------------------

    @Test
    @DisplayName("v5 [MQTT-4.1.0-2] [MQTT-3.1.2-23] a session is kept for its Session Expiry Interval after disconnect,"
            + " then discarded")
    void sessionExpiry() throws Exception {
        String topic = topic("expiry", Versions.V5);
        String id = broker.nextId("expiring");
        V5Client client = ((V5Client) Versions.V5.client(broker, id)).connect(false, 1);
        client.subscribe(topic, 1);
        client.paho.disconnect();

        V5Client back = (V5Client) Versions.V5.client(broker, id);
        IMqttToken token = back.paho.connectWithResult(V5Client.options(false, 1));
        assertTrue(token.getSessionPresent(), "within the interval the session is still there");
        back.paho.disconnect();

        Thread.sleep(2_200);
        TestClient publisher = Versions.V5.client(broker, broker.nextId("pub")).connect(true);
        publisher.publish(topic, "after expiry", 1);
        V5Client late = (V5Client) Versions.V5.client(broker, id);
        IMqttToken lateToken = late.paho.connectWithResult(V5Client.options(false, 1));
        assertFalse(lateToken.getSessionPresent(), "after the interval the session is gone");
        assertNull(late.poll(300), "and nothing was queued for it");
    }

    // ---- topic aliases -----------------------------------------------------------------------

    @Test
    @DisplayName("v5 [MQTT-3.3.2-12] the broker accepts a client's topic alias and resolves it for subscribers")
    void inboundTopicAlias() throws Exception {
        String topic = topic("alias-in", Versions.V5);
        TestClient subscriber = Versions.V5.client(broker, broker.nextId("asub")).connect(true).subscribe(topic, 1);
        RawClient publisher = raw();
        publisher.handshake(ProtocolVersion.MQTT_5, broker.nextId("apub"));
        Properties alias = Properties.EMPTY.withInteger(PropertyId.TOPIC_ALIAS, 1);
        publisher.send(new Publish(topic, "with name".getBytes(StandardCharsets.UTF_8), QoS.AT_LEAST_ONCE, false,
                false, 1, alias));
        assertInstanceOf(PubAck.class, publisher.receive());
        publisher.send(new Publish("", "alias only".getBytes(StandardCharsets.UTF_8), QoS.AT_LEAST_ONCE, false,
                false, 2, alias));
        assertInstanceOf(PubAck.class, publisher.receive());
        Received first = subscriber.next();
        Received second = subscriber.next();
        assertEquals(topic, first.topic());
        assertEquals(topic, second.topic(), "the alias stood for the topic name");
        assertEquals("alias only", second.payload());
    }

    @Test
    @DisplayName("v5 [MQTT-3.1.2-27] the broker never sends a Topic Alias to a client that allowed none"
            + " (aliases towards clients that allow them: OutboundTopicAliasTest)")
    void outboundTopicAlias() throws Exception {
        String topic = topic("alias-out", Versions.V5);
        RawClient noAliases = raw();
        noAliases.handshake(ProtocolVersion.MQTT_5, broker.nextId("noalias"));
        noAliases.subscribe(1, topic, QoS.AT_MOST_ONCE);
        TestClient publisher = Versions.V5.client(broker, broker.nextId("pub")).connect(true);
        for (int i = 0; i < 3; i++) {
            publisher.publish(topic, "m" + i, 0);
        }
        for (int i = 0; i < 3; i++) {
            Publish p = assertInstanceOf(Publish.class, noAliases.receive());
            assertEquals(topic, p.topic());
            assertFalse(p.properties().contains(PropertyId.TOPIC_ALIAS));
        }
    }

    // ---- shared subscriptions ----------------------------------------------------------------

    @ParameterizedTest
    @EnumSource(Versions.class)
    @DisplayName("v5 [MQTT-4.8.2-1] [MQTT-4.8.2-3] a shared subscription hands each message to exactly one member")
    void sharedSubscription(Versions version) throws Exception {
        String topic = topic("shared", version);
        TestClient a = version.client(broker, broker.nextId("shareA")).connect(true).subscribe("$share/g/" + topic, 1);
        TestClient b = version.client(broker, broker.nextId("shareB")).connect(true).subscribe("$share/g/" + topic, 1);
        TestClient publisher = version.client(broker, broker.nextId("pub")).connect(true);
        int count = 20;
        for (int i = 0; i < count; i++) {
            publisher.publish(topic, "s" + i, 1);
        }
        List<String> gotA = drain(a);
        List<String> gotB = drain(b);
        List<String> all = new ArrayList<>(gotA);
        all.addAll(gotB);
        Set<String> distinct = new HashSet<>(all);
        assertEquals(count, all.size(), "each message once: A=" + gotA + " B=" + gotB);
        assertEquals(count, distinct.size());
        assertFalse(gotA.isEmpty() || gotB.isEmpty(), "both members took a share: A=" + gotA + " B=" + gotB);
    }

    private static List<String> drain(TestClient client) throws InterruptedException {
        List<String> got = new ArrayList<>();
        Received r;
        while ((r = client.poll(300)) != null) {
            got.add(r.payload());
        }
        return got;
    }

    // ---- flow control ------------------------------------------------------------------------

    @Test
    @DisplayName("v5 [MQTT-3.3.4-9] [MQTT-4.9.0-2] the broker keeps unacknowledged QoS 1 PUBLISHes within the"
            + " client's Receive Maximum")
    void receiveMaximum() throws Exception {
        String topic = topic("receive-max", Versions.V5);
        RawClient slow = raw();
        slow.handshake(ProtocolVersion.MQTT_5, broker.nextId("rmax"), 0,
                Properties.EMPTY.withInteger(PropertyId.RECEIVE_MAXIMUM, 2));
        slow.subscribe(1, topic, QoS.AT_LEAST_ONCE);
        TestClient publisher = Versions.V5.client(broker, broker.nextId("pub")).connect(true);
        for (int i = 0; i < 5; i++) {
            publisher.publish(topic, "q" + i, 1);
        }
        Publish first = assertInstanceOf(Publish.class, slow.receive());
        Publish second = assertInstanceOf(Publish.class, slow.receive());
        assertNull(slow.poll(400), "no third PUBLISH while two are unacknowledged");
        slow.send(new PubAck(first.packetId()));
        Publish third = assertInstanceOf(Publish.class, slow.receive());
        assertEquals("q2", new String(third.payload(), StandardCharsets.UTF_8));
        assertNull(slow.poll(300), "again two in flight");
        slow.send(new PubAck(second.packetId()));
        slow.send(new PubAck(third.packetId()));
        assertEquals("q3", new String(((Publish) slow.receive()).payload(), StandardCharsets.UTF_8));
        assertEquals("q4", new String(((Publish) slow.receive()).payload(), StandardCharsets.UTF_8));
    }

    @Test
    @DisplayName("v3.1.1 max_inflight_messages bounds unacknowledged QoS 1 PUBLISHes; the rest wait in the session queue")
    void inflightWindowV3() throws Exception {
        String topic = topic("inflight", Versions.V3_1_1);
        RawClient slow = raw();
        slow.handshake(ProtocolVersion.MQTT_3_1_1, broker.nextId("inflight"));
        slow.subscribe(1, topic, QoS.AT_LEAST_ONCE);
        TestClient publisher = Versions.V3_1_1.client(broker, broker.nextId("pub")).connect(true);
        for (int i = 0; i < 5; i++) {
            publisher.publish(topic, "w" + i, 1);
        }
        List<Publish> window = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            window.add(assertInstanceOf(Publish.class, slow.receive()));
        }
        assertNull(slow.poll(400), "the window (3) is full");
        for (Publish p : window) {
            slow.send(new PubAck(p.packetId()));
        }
        assertEquals("w3", new String(((Publish) slow.receive()).payload(), StandardCharsets.UTF_8));
        assertEquals("w4", new String(((Publish) slow.receive()).payload(), StandardCharsets.UTF_8));
    }
}
