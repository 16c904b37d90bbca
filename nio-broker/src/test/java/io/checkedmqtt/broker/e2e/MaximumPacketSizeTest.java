package io.checkedmqtt.broker.e2e;

import io.checkedmqtt.core.packet.Connack;
import io.checkedmqtt.core.packet.Connect;
import io.checkedmqtt.core.packet.Packet;
import io.checkedmqtt.core.packet.Properties;
import io.checkedmqtt.core.packet.PropertyId;
import io.checkedmqtt.core.packet.ProtocolVersion;
import io.checkedmqtt.core.packet.Publish;
import io.checkedmqtt.core.packet.QoS;
import io.checkedmqtt.testkit.paho.V5Client;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The client's 5.0 Maximum Packet Size, end to end. Only the core applies it (the shell writes
 * what the core sends): a PUBLISH that does not fit is never sent and counts as delivered, so
 * it neither blocks the in-flight window nor comes back on reconnect [v5 MQTT-3.1.2-24, -25].
 */
class MaximumPacketSizeTest {

    private static final long LIMIT = 200;
    private static final String BIG = "b".repeat(500);

    private static TestBroker broker;

    @BeforeAll
    static void start() throws Exception {
        broker = new TestBroker();
    }

    @AfterAll
    static void stop() {
        broker.close();
    }

    private static RawClient raw() throws Exception {
        return broker.track(new RawClient(broker.broker.port()));
    }

    /** A 5.0 CONNECT that keeps its session for 300 s, with {@code maximum} as Maximum Packet Size (0: none). */
    private static Connect connect(String clientId, boolean cleanStart, long maximum) {
        Properties p = Properties.EMPTY.withInteger(PropertyId.SESSION_EXPIRY_INTERVAL, 300);
        return new Connect(ProtocolVersion.MQTT_5, clientId, cleanStart, 0, null, null, null,
                maximum == 0 ? p : p.withInteger(PropertyId.MAXIMUM_PACKET_SIZE, maximum));
    }

    private static void publish(String topic, String payload) throws Exception {
        try (RawClient publisher = raw()) {
            publisher.handshake(ProtocolVersion.MQTT_5, broker.nextId("pub"));
            publisher.send(new Publish(topic, payload.getBytes(StandardCharsets.UTF_8), QoS.AT_LEAST_ONCE, false,
                    false, 1, Properties.EMPTY));
            publisher.receive();   // PUBACK: the message has been routed
        }
    }

    /** A fresh kept session of {@code clientId}, subscribed to {@code topic} at QoS 1. */
    private static RawClient subscribed(String clientId, long maximum, String topic) throws Exception {
        RawClient client = raw();
        client.send(connect(clientId, true, maximum));
        client.receive();
        client.subscribe(1, topic, QoS.AT_LEAST_ONCE);
        return client;
    }

    /** The same session back on a new connection, with {@code maximum}; checks the session was kept. */
    private static RawClient resumed(String clientId, long maximum) throws Exception {
        RawClient client = raw();
        client.send(connect(clientId, false, maximum));
        assertTrue(assertInstanceOf(Connack.class, client.receive()).sessionPresent());
        return client;
    }

    private static String text(Packet packet) {
        return new String(assertInstanceOf(Publish.class, packet).payload(), StandardCharsets.UTF_8);
    }

    @Test
    @DisplayName("v5 [MQTT-3.1.2-24] [MQTT-3.1.2-25] a Paho 5.0 subscriber with Maximum Packet Size 200 gets the message"
            + " that fits and not the one that does not; a subscriber without a limit gets both")
    void pahoSubscriberGetsWhatFits() throws Exception {
        String topic = "max-packet/paho";
        MqttConnectionOptions options = V5Client.options(true, 0);
        options.setMaximumPacketSize(LIMIT);
        V5Client small = broker.track(new V5Client(broker.uri, broker.nextId("small"))).connect(options);
        small.subscribe(topic, 1);
        V5Client unlimited = broker.track(new V5Client(broker.uri, broker.nextId("unlimited"))).connect(true);
        unlimited.subscribe(topic, 1);
        publish(topic, BIG);
        publish(topic, "fits");
        assertEquals("fits", small.next().payload());
        assertNull(small.poll(300), "nothing else arrives");
        assertTrue(small.isConnected());
        assertEquals(BIG, unlimited.next().payload());
        assertEquals("fits", unlimited.next().payload());
    }

    @Test
    @DisplayName("v5 [MQTT-3.1.2-25] a PUBLISH too large for the client counts as delivered: it is not resent when the"
            + " session resumes")
    void tooLargeCountsAsDelivered() throws Exception {
        String topic = "max-packet/kept";
        String id = broker.nextId("kept");
        RawClient first = subscribed(id, LIMIT, topic);
        publish(topic, BIG);
        assertNull(first.poll(300), "not sent");
        first.close();   // nothing acknowledged
        RawClient back = resumed(id, LIMIT);
        assertNull(back.poll(300), "nothing in flight to resend");
    }

    @Test
    @DisplayName("v5 [MQTT-3.1.2-24] [MQTT-3.1.2-25] an unacknowledged PUBLISH larger than the Maximum Packet Size the client"
            + " reconnects with is not resent; the next message goes out")
    void notResentAboveTheNewLimit() throws Exception {
        String topic = "max-packet/resend";
        String id = broker.nextId("resend");
        RawClient first = subscribed(id, 0, topic);
        publish(topic, BIG);
        assertEquals(BIG, text(first.receive()), "sent while the client set no limit");
        first.close();   // without PUBACK
        RawClient back = resumed(id, LIMIT);
        assertNull(back.poll(300), "the large message is not resent");
        publish(topic, "fits");
        Packet next = back.receive();
        assertNotNull(next);
        assertEquals("fits", text(next));
        assertFalse(((Publish) next).dup(), "a new message, not a resend");
    }
}
