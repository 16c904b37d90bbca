package io.checkedmqtt.broker.hostile;

import io.checkedmqtt.broker.e2e.RawClient;
import io.checkedmqtt.core.packet.Packet;
import io.checkedmqtt.core.packet.Properties;
import io.checkedmqtt.core.packet.ProtocolVersion;
import io.checkedmqtt.core.packet.PubAck;
import io.checkedmqtt.core.packet.Publish;
import io.checkedmqtt.core.packet.QoS;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A well-behaved pair of clients that stays connected while a test attacks the broker: a 5.0
 * subscriber and a 3.1.1 publisher on a topic of their own. {@link #roundTripMillis()} is the
 * probe: one QoS 1 message from the publisher to the subscriber, the subscriber's PUBACK, and the
 * broker's PUBACK to the publisher, within a time limit.
 */
public final class Bystander implements AutoCloseable {

    /** How long a round trip may take before the broker counts as no longer serving. */
    public static final int TIMEOUT_MILLIS = 5_000;

    private final RawClient subscriber;
    private final RawClient publisher;
    private final String topic;
    private int sent;

    private Bystander(RawClient subscriber, RawClient publisher, String topic) {
        this.subscriber = subscriber;
        this.publisher = publisher;
        this.topic = topic;
    }

    /** Connects both clients and subscribes; {@code name} keeps client identifiers and topic apart. */
    public static Bystander connect(int port, String name) throws IOException {
        RawClient subscriber = new RawClient(port);
        subscriber.handshake(ProtocolVersion.MQTT_5, "bystander-sub-" + name);
        String topic = "bystander/" + name;
        subscriber.subscribe(1, topic, QoS.AT_LEAST_ONCE);
        RawClient publisher = new RawClient(port);
        publisher.handshake(ProtocolVersion.MQTT_3_1_1, "bystander-pub-" + name);
        return new Bystander(subscriber, publisher, topic);
    }

    /**
     * One QoS 1 round trip; returns how long it took. Fails (AssertionError) when the message or
     * an acknowledgement does not come within {@link #TIMEOUT_MILLIS}, or comes wrong.
     */
    public long roundTripMillis() throws IOException {
        int id = sent % 65_535 + 1;
        byte[] payload = ("probe " + (++sent)).getBytes(StandardCharsets.UTF_8);
        long start = System.nanoTime();
        publisher.send(new Publish(topic, payload, QoS.AT_LEAST_ONCE, false, false, id, Properties.EMPTY));
        Publish got = (Publish) expect(subscriber, Publish.class, "the probe message");
        if (!Arrays.equals(payload, got.payload())) {
            throw new AssertionError("the bystander got " + new String(got.payload(), StandardCharsets.UTF_8));
        }
        subscriber.send(new PubAck(got.packetId()));
        PubAck ack = (PubAck) expect(publisher, PubAck.class, "the PUBACK");
        if (ack.packetId() != id) {
            throw new AssertionError("PUBACK for " + ack.packetId() + ", not " + id);
        }
        return (System.nanoTime() - start) / 1_000_000;
    }

    private static Packet expect(RawClient client, Class<? extends Packet> type, String what) throws IOException {
        Packet p;
        try {
            p = client.poll(TIMEOUT_MILLIS);
        } catch (SocketTimeoutException e) {
            p = null;
        }
        if (p == null) {
            throw new AssertionError("the bystander got no " + what + " within " + TIMEOUT_MILLIS + " ms");
        }
        if (!type.isInstance(p)) {
            throw new AssertionError("the bystander expected " + what + ", got " + p);
        }
        return p;
    }

    @Override
    public void close() throws IOException {
        subscriber.close();
        publisher.close();
    }
}
