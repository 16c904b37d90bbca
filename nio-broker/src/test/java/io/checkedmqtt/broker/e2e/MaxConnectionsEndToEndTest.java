package io.checkedmqtt.broker.e2e;

import io.checkedmqtt.core.config.BrokerConfig;
import io.checkedmqtt.core.config.ClientLimits;
import io.checkedmqtt.core.packet.Connack;
import io.checkedmqtt.core.packet.ProtocolVersion;
import io.checkedmqtt.core.packet.ReasonCode;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class MaxConnectionsEndToEndTest {

    @Test
    @DisplayName("v5 [MQTT-3.2.2-7] v3.1.1 [MQTT-3.2.2-5] max_connections 2: a third client gets CONNACK 0x97 (3.1.1: 0x03) and is closed; when one leaves, the next gets in")
    void cap() throws Exception {
        try (TestBroker b = new TestBroker(s -> s.core(BrokerConfig.builder().limits(new ClientLimits(2, 0, 0)).build()));
             RawClient one = new RawClient(b.broker.port()); RawClient two = new RawClient(b.broker.port());
             RawClient three = new RawClient(b.broker.port()); RawClient four = new RawClient(b.broker.port())) {
            assertEquals(ReasonCode.SUCCESS, one.handshake(ProtocolVersion.MQTT_5, "one").reasonCode());
            assertEquals(ReasonCode.SUCCESS, two.handshake(ProtocolVersion.MQTT_3_1_1, "two").reasonCode());
            assertEquals(ReasonCode.QUOTA_EXCEEDED, three.handshake(ProtocolVersion.MQTT_5, "three").reasonCode());
            three.awaitClose(2_000);
            assertEquals(ReasonCode.SERVER_UNAVAILABLE, four.handshake(ProtocolVersion.MQTT_3_1_1, "four").reasonCode());
            four.awaitClose(2_000);
            one.send(new io.checkedmqtt.core.packet.Disconnect(ReasonCode.NORMAL_DISCONNECTION));
            one.awaitClose(2_000);
            try (RawClient five = new RawClient(b.broker.port())) {
                Connack ack = five.handshake(ProtocolVersion.MQTT_5, "five");
                assertEquals(ReasonCode.SUCCESS, ack.reasonCode());
            }
        }
    }
}
