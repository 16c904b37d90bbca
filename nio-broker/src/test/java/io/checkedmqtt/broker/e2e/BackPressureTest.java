package io.checkedmqtt.broker.e2e;

import io.checkedmqtt.core.packet.Packet;
import io.checkedmqtt.core.packet.ProtocolVersion;
import io.checkedmqtt.core.packet.Publish;
import io.checkedmqtt.core.packet.QoS;
import io.checkedmqtt.testkit.paho.TestClient;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A subscriber whose socket does not drain, with the real core: bounded memory, every message
 * accounted for; over plain TCP, and over TLS, whose transport must leave what a slow client owes
 * in its queue (where {@code max_outbound_bytes} counts it) and resume on OP_WRITE.
 */
class BackPressureTest {

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = Transports.class, names = {"TCP", "TLS"})
    @DisplayName("a subscriber that does not read: QoS 0 beyond max_outbound_bytes is dropped and counted,"
            + " the rest arrives once it reads, other clients (one over WebSocket) carry on")
    void slowSubscriberQos0(Transports transport) throws Exception {
        long limit = 32 * 1024;
        try (TestBroker broker = TestBroker.withTransports(s -> s.maxOutboundBytes(limit))) {
            RawClient slow = broker.track(new RawClient(transport.port(broker), 4_096,
                    transport.secure() ? broker.pki().clientContext(false) : null));
            slow.handshake(ProtocolVersion.MQTT_3_1_1, "slow");
            slow.subscribe(1, "flood", QoS.AT_MOST_ONCE);
            TestClient publisher = Transports.TCP.client(broker, Versions.V3_1_1, "flooder").connect(true);
            TestClient bystander = Transports.WS.client(broker, Versions.V5, "bystander").connect(true).subscribe("calm", 1);

            String kilobyte = "x".repeat(1_000);
            int sent = 5_000;   // 5 MB towards a client that reads nothing for now
            for (int i = 0; i < sent; i++) {
                publisher.publish("flood", kilobyte, 0);
            }
            publisher.publish("calm", "unharmed", 1);
            assertEquals("unharmed", bystander.next().payload());
            long dropped = broker.broker.stats().droppedQos0();
            assertTrue(dropped > 0, "QoS 0 beyond the limit is dropped: " + broker.broker.stats());

            int received = 0;
            Packet p;
            while ((p = slow.poll(1_000)) != null) {
                if (p instanceof Publish) {
                    received++;
                }
            }
            assertEquals(sent, received + broker.broker.stats().droppedQos0(),
                    "every message delivered or counted as dropped");
            assertTrue(received < sent, "the broker did not buffer the whole flood");
            assertTrue(received > 0, "what was queued arrived once the client read");
        }
    }
}
