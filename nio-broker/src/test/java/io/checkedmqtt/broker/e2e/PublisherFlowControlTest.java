package io.checkedmqtt.broker.e2e;

import io.checkedmqtt.core.config.BrokerConfig;
import io.checkedmqtt.core.config.ClientLimits;
import io.checkedmqtt.core.config.FlowControl;
import io.checkedmqtt.core.packet.Packet;
import io.checkedmqtt.core.packet.ProtocolVersion;
import io.checkedmqtt.core.packet.PubAck;
import io.checkedmqtt.core.packet.Publish;
import io.checkedmqtt.core.packet.QoS;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Publisher flow control over real sockets: a publisher writes {@value #MESSAGES} QoS 1 PUBLISHes
 * at once, without waiting for PUBACKs, to subscribers that get 5 in flight and may queue 20.
 * On (high water 10, low 5), the broker stops reading the publisher when the slow subscriber
 * falls behind, and nothing is lost; off, a subscriber that never acknowledges slows nobody.
 */
class PublisherFlowControlTest {

    private static final int MESSAGES = 200;

    private static TestBroker broker(FlowControl flow) throws IOException {
        return new TestBroker(s -> s.core(BrokerConfig.builder().maxInflightMessages(5).maxQueuedMessages(20)
                .limits(new ClientLimits(0, 0, 0).withFlowControl(flow)).build()));
    }

    private static RawClient subscriber(TestBroker broker, String clientId) throws IOException {
        RawClient c = broker.track(new RawClient(broker.broker.port()));
        c.handshake(ProtocolVersion.MQTT_3_1_1, clientId);
        c.subscribe(1, "fan", QoS.AT_LEAST_ONCE);   // and its SUBACK
        return c;
    }

    /** Every PUBLISH in one write: the broker reads them as fast as it will. */
    private static RawClient publishAll(TestBroker broker) throws IOException {
        RawClient publisher = broker.track(new RawClient(broker.broker.port()));
        publisher.handshake(ProtocolVersion.MQTT_3_1_1, "publisher");
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (int i = 1; i <= MESSAGES; i++) {
            all.writeBytes(RawClient.encode(new Publish("fan", ("m" + i).getBytes(StandardCharsets.UTF_8),
                    QoS.AT_LEAST_ONCE, false, false, i, io.checkedmqtt.core.packet.Properties.EMPTY),
                    ProtocolVersion.MQTT_3_1_1));
        }
        publisher.write(all.toByteArray());
        return publisher;
    }

    /** PUBACKs that arrive until {@code millis} pass without one. */
    private static int pubAcks(RawClient publisher, int millis) throws IOException {
        int acks = 0;
        Packet p;
        while ((p = publisher.poll(millis)) != null) {
            acks += p instanceof PubAck ? 1 : 0;
        }
        return acks;
    }

    /** Reads (and acknowledges, when asked) until {@code millis} pass without a PUBLISH; the payloads in order. */
    private static List<String> read(RawClient subscriber, boolean acknowledge, int millis) throws IOException {
        List<String> got = new ArrayList<>();
        Packet p;
        while ((p = subscriber.poll(millis)) != null) {
            if (p instanceof Publish publish) {
                got.add(new String(publish.payload(), StandardCharsets.UTF_8));
                if (acknowledge) {
                    subscriber.send(new PubAck(publish.packetId()));
                }
            }
        }
        return got;
    }

    private static List<String> all() {
        List<String> expected = new ArrayList<>();
        for (int i = 1; i <= MESSAGES; i++) {
            expected.add("m" + i);
        }
        return expected;
    }

    @Test
    @DisplayName("on: the broker stops reading a publisher that runs ahead of a slow subscriber; nothing is dropped")
    void publisherSlowedNothingDropped() throws Exception {
        try (TestBroker broker = broker(new FlowControl(10, 5))) {
            RawClient slow = subscriber(broker, "slow");
            RawClient publisher = publishAll(broker);

            // 5 in flight and 10 queued for the slow subscriber: then the publisher is not read
            assertEquals(15, pubAcks(publisher, 700), "PUBLISHes read before the hold");
            assertEquals(1, broker.broker.stats().flowControlHolds());

            // The subscriber reads and acknowledges: the publisher is read again, in steps
            assertEquals(all(), read(slow, true, 3_000), "every message, in order, none dropped");
            assertEquals(MESSAGES - 15, pubAcks(publisher, 1_000));
            assertTrue(broker.broker.stats().flowControlHolds() > 1, "held and released more than once");
        }
    }

    @Test
    @DisplayName("off: a subscriber that never acknowledges slows nobody; what it cannot queue is dropped")
    void slowSubscriberStallsNobody() throws Exception {
        try (TestBroker broker = broker(FlowControl.OFF)) {
            RawClient slow = subscriber(broker, "slow");
            RawClient fast = subscriber(broker, "fast");
            RawClient publisher = broker.track(new RawClient(broker.broker.port()));
            publisher.handshake(ProtocolVersion.MQTT_3_1_1, "publisher");

            // Bursts of 10, each waited for: the fast subscriber keeps up, the slow one never acknowledges
            List<String> fastGot = new ArrayList<>();
            int acks = 0;
            for (int burst = 0; burst < MESSAGES / 10; burst++) {
                for (int i = 1; i <= 10; i++) {
                    publisher.send(new Publish("fan", ("m" + (burst * 10 + i)).getBytes(StandardCharsets.UTF_8),
                            QoS.AT_LEAST_ONCE, false, false, burst * 10 + i, io.checkedmqtt.core.packet.Properties.EMPTY));
                }
                fastGot.addAll(read(fast, true, 300));
                acks += pubAcks(publisher, 100);
            }
            assertEquals(all(), fastGot, "the subscriber that reads gets everything, in order");
            assertEquals(MESSAGES, acks, "the publisher was read throughout");
            assertEquals(5, read(slow, false, 500).size(), "the slow one has its in-flight window, the rest dropped");
            assertEquals(0, broker.broker.stats().flowControlHolds());
        }
    }
}
