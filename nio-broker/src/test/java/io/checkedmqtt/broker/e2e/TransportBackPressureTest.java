package io.checkedmqtt.broker.e2e;

import io.checkedmqtt.core.packet.Packet;
import io.checkedmqtt.core.packet.ProtocolVersion;
import io.checkedmqtt.core.packet.Publish;
import io.checkedmqtt.core.packet.QoS;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Back-pressure through the TLS transport: the bytes a slow client owes stay in its queue, where
 * {@code max_outbound_bytes} counts them, not in the transport; writes resume on OP_WRITE.
 */
class TransportBackPressureTest {

    @Test
    @DisplayName("a TLS subscriber that does not read: QoS 0 beyond max_outbound_bytes is dropped and counted,"
            + " the rest arrives once it reads, a WebSocket bystander carries on")
    void slowTlsSubscriber() throws Exception {
        long limit = 32 * 1024;
        try (TestBroker broker = TestBroker.withTransports(s -> s.maxOutboundBytes(limit))) {
            RawClient slow = broker.track(new RawClient(Transports.TLS.port(broker), 4_096,
                    broker.pki().clientContext(false)));
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
            assertTrue(broker.broker.stats().droppedQos0() > 0, "QoS 0 beyond the limit is dropped: " + broker.broker.stats());

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
            assertTrue(received > 0, "what was queued arrived through TLS once the client read");
        }
    }
}
