package io.checkedmqtt.broker.e2e;

import io.checkedmqtt.core.packet.Packet;
import io.checkedmqtt.core.packet.ProtocolVersion;
import io.checkedmqtt.core.packet.Publish;
import io.checkedmqtt.core.packet.QoS;
import io.checkedmqtt.testkit.paho.TestClient;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A subscriber whose socket does not drain, with the real core: bounded memory, every message accounted for. */
class BackPressureTest {

    @Test
    @DisplayName("a subscriber that does not read: QoS 0 beyond max_outbound_bytes is dropped and counted,"
            + " the rest arrives once it reads, other clients carry on")
    void slowSubscriberQos0() throws Exception {
        long limit = 32 * 1024;
        try (TestBroker broker = new TestBroker(s -> s.maxOutboundBytes(limit))) {
            RawClient slow = broker.track(new RawClient(broker.broker.port(), 4_096));
            slow.handshake(ProtocolVersion.MQTT_3_1_1, "slow");
            slow.subscribe(1, "flood", QoS.AT_MOST_ONCE);
            TestClient publisher = Versions.V3_1_1.client(broker, "flooder").connect(true);
            TestClient bystander = Versions.V5.client(broker, "bystander").connect(true).subscribe("calm", 1);

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
        }
    }
}
