package io.checkedmqtt.broker;

import io.checkedmqtt.core.codec.MqttEncoder;
import io.checkedmqtt.core.packet.Connack;
import io.checkedmqtt.core.packet.Connect;
import io.checkedmqtt.core.packet.Packet;
import io.checkedmqtt.core.packet.Properties;
import io.checkedmqtt.core.packet.ProtocolVersion;
import io.checkedmqtt.core.packet.Publish;
import io.checkedmqtt.core.packet.QoS;
import io.checkedmqtt.core.packet.Subscribe;
import io.checkedmqtt.core.packet.Subscription;
import io.checkedmqtt.core.packet.SubscriptionOptions;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;

/**
 * Brokers with persistence for the shell's tests, started through the {@link Storage} seam with
 * their log lines kept, and 3.1.1 clients that speak raw packets, so a test sees exactly which
 * packet arrives when.
 */
final class DurableFixture {

    static final ProtocolVersion V311 = ProtocolVersion.MQTT_3_1_1;

    /** The broker's log lines. */
    final ByteArrayOutputStream logLines = new ByteArrayOutputStream();
    final Path directory;

    DurableFixture(Path directory) {
        this.directory = directory;
    }

    PersistenceSettings persistence() {
        return PersistenceSettings.at(directory);
    }

    BrokerSettings settings(PersistenceSettings persistence) {
        return BrokerSettings.builder().port(0).logConnections(false).shutdownGraceMillis(200)
                .persistence(persistence).build();
    }

    MqttBroker start() throws IOException {
        return start(persistence(), Storage.FILES);
    }

    MqttBroker start(PersistenceSettings persistence, Storage storage) throws IOException {
        return MqttBroker.start(settings(persistence), Clock.system(), storage,
                new PrintStream(logLines, true, StandardCharsets.UTF_8));
    }

    String log() {
        return logLines.toString(StandardCharsets.UTF_8);
    }

    static byte[] bytes(Packet packet) {
        ByteBuffer out = ByteBuffer.allocate(MqttEncoder.encodedSize(packet, V311));
        MqttEncoder.encode(packet, V311, out);
        return out.array();
    }

    /** A 3.1.1 client connected with CleanSession {@code clean}; the CONNACK is read. */
    static TextClient connect(MqttBroker broker, String clientId, boolean clean) throws IOException {
        TextClient client = new TextClient(broker.port());
        client.write(bytes(new Connect(V311, clientId, clean, 0, null, null, null, Properties.EMPTY)));
        assertInstanceOf(Connack.class, client.receivePacket(V311));
        return client;
    }

    static Connack connack(MqttBroker broker, TextClient client, String clientId) throws IOException {
        client.write(bytes(new Connect(V311, clientId, false, 0, null, null, null, Properties.EMPTY)));
        return assertInstanceOf(Connack.class, client.receivePacket(V311));
    }

    static void subscribe(TextClient client, String filter, QoS qos) throws IOException {
        client.write(bytes(new Subscribe(1, List.of(new Subscription(filter, SubscriptionOptions.of(qos))),
                Properties.EMPTY)));
        client.receivePacket(V311);   // SUBACK
    }

    static Publish publish(String topic, String payload, QoS qos, int packetId) {
        return new Publish(topic, payload.getBytes(StandardCharsets.UTF_8), qos, false, false, packetId,
                Properties.EMPTY);
    }

    static String text(Publish p) {
        return new String(p.payload(), StandardCharsets.UTF_8);
    }

    /** A kept subscriber to {@code filter} at QoS 1 that goes away, so what is published for it is queued. */
    static void offlineSubscriber(MqttBroker broker, String clientId, String filter) throws IOException {
        try (TextClient subscriber = connect(broker, clientId, false)) {
            subscribe(subscriber, filter, QoS.AT_LEAST_ONCE);
        }
    }
}
