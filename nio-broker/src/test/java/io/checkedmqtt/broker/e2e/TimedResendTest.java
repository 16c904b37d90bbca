package io.checkedmqtt.broker.e2e;

import io.checkedmqtt.core.packet.Packet;
import io.checkedmqtt.core.packet.ProtocolVersion;
import io.checkedmqtt.core.packet.PubAck;
import io.checkedmqtt.core.packet.Publish;
import io.checkedmqtt.core.packet.QoS;
import io.checkedmqtt.testkit.paho.TestClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The 3.1.1 timed-resend policy (resend_interval_ms) driven by the shell's timer queue. */
class TimedResendTest {

    private static TestBroker broker;

    @BeforeAll
    static void start() throws Exception {
        broker = new TestBroker(s -> s.core(TestBroker.core(20, 300)));
    }

    @AfterAll
    static void stop() {
        broker.close();
    }

    @Test
    @DisplayName("v3.1.1 [MQTT-4.4.0-1] with resend_interval_ms, an unacknowledged QoS 1 PUBLISH is resent with DUP=1"
            + " and the same packet identifier, and no more once acknowledged")
    void resendsUnacknowledgedV3() throws Exception {
        RawClient slow = broker.track(new RawClient(broker.broker.port()));
        slow.handshake(ProtocolVersion.MQTT_3_1_1, "resend3");
        slow.subscribe(1, "resend/v3", QoS.AT_LEAST_ONCE);
        TestClient publisher = Versions.V3_1_1.client(broker, "resend-pub3").connect(true);
        publisher.publish("resend/v3", "again", 1);
        Publish first = assertInstanceOf(Publish.class, slow.receive());
        long sent = System.nanoTime();
        Publish resent = assertInstanceOf(Publish.class, slow.receive());
        long after = (System.nanoTime() - sent) / 1_000_000;
        assertTrue(after >= 200, "not before the interval: " + after + " ms");
        assertTrue(resent.dup(), "DUP=1");
        assertEquals(first.packetId(), resent.packetId());
        slow.send(new PubAck(first.packetId()));
        Packet more = slow.poll(700);
        assertNull(more, "acknowledged: no more resends");
    }

    @Test
    @DisplayName("v5 [MQTT-4.4.0-1] no timed resend inside a connection, whatever resend_interval_ms says")
    void neverResendsInsideAV5Connection() throws Exception {
        RawClient slow = broker.track(new RawClient(broker.broker.port()));
        slow.handshake(ProtocolVersion.MQTT_5, "resend5");
        slow.subscribe(1, "resend/v5", QoS.AT_LEAST_ONCE);
        TestClient publisher = Versions.V5.client(broker, "resend-pub5").connect(true);
        publisher.publish("resend/v5", "once", 1);
        assertInstanceOf(Publish.class, slow.receive());
        assertNull(slow.poll(900), "5.0 resends only on reconnect");
    }
}
