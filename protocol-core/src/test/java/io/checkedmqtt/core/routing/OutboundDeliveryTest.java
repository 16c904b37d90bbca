package io.checkedmqtt.core.routing;

import io.checkedmqtt.core.codec.MqttEncoder;
import io.checkedmqtt.core.packet.Properties;
import io.checkedmqtt.core.packet.ProtocolVersion;
import io.checkedmqtt.core.packet.Property;
import io.checkedmqtt.core.packet.PropertyId;
import io.checkedmqtt.core.packet.Publish;
import io.checkedmqtt.core.packet.QoS;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.function.ToIntFunction;

import static io.checkedmqtt.core.routing.Fixtures.publish;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

class OutboundDeliveryTest {

    /** A stand-in for the codec's size: topic length + payload length + 10 per property. */
    private static final ToIntFunction<Publish> SIZE =
            p -> p.topic().length() + p.payload().length + 10 * p.properties().size();

    @Test
    @DisplayName("v5 [MQTT-3.1.2-24] [MQTT-3.1.2-25] a PUBLISH above the client's Maximum Packet Size is dropped, aliases untouched")
    void tooLarge() {
        OutboundTopicAliases aliases = OutboundTopicAliases.forConnection(5);
        OutboundDelivery.Prepared p = OutboundDelivery.prepare(publish("topic", "0123456789", QoS.AT_LEAST_ONCE),
                0, 0, aliases, 14, SIZE);
        assertEquals(OutboundDelivery.Outcome.TOO_LARGE, p.outcome());
        assertNull(p.publish());
        assertSame(aliases, p.aliases());
    }

    @Test
    @DisplayName("v5 a PUBLISH that fits is sent aliased, and the alias state moves on")
    void fits() {
        OutboundDelivery.Prepared p = OutboundDelivery.prepare(publish("topic", "x", QoS.AT_LEAST_ONCE),
                0, 0, OutboundTopicAliases.forConnection(5), Long.MAX_VALUE, SIZE);
        assertEquals(OutboundDelivery.Outcome.SEND, p.outcome());
        assertEquals(1, p.publish().properties().integer(PropertyId.TOPIC_ALIAS, 0));
        assertEquals(1, p.aliases().aliasOf("topic"));
    }

    @Test
    @DisplayName("v5 [MQTT-3.1.2-24] if only the form without the new alias fits, it is sent without one")
    void plainFallback() {
        // plain: 5 + 1 = 6 bytes; with the alias property: 16
        OutboundDelivery.Prepared p = OutboundDelivery.prepare(publish("topic", "x", QoS.AT_LEAST_ONCE),
                0, 0, OutboundTopicAliases.forConnection(5), 6, SIZE);
        assertEquals(OutboundDelivery.Outcome.SEND, p.outcome());
        assertEquals("topic", p.publish().topic());
        assertEquals(0, p.aliases().aliasOf("topic"));
    }

    @Test
    @DisplayName("v5 [MQTT-3.3.2-5] [MQTT-3.3.2-6] expiry is checked first and the interval rewritten before sizing")
    void expiryFirst() {
        Publish p = publish("t", "x", QoS.AT_LEAST_ONCE).withProperties(Properties.of(
                new Property.IntegerProperty(PropertyId.MESSAGE_EXPIRY_INTERVAL, 5)));
        assertEquals(OutboundDelivery.Outcome.EXPIRED,
                OutboundDelivery.prepare(p, 0, 5_001, OutboundTopicAliases.forConnection(0), Long.MAX_VALUE, SIZE).outcome());
        OutboundDelivery.Prepared sent = OutboundDelivery.prepare(p, 0, 2_000, OutboundTopicAliases.forConnection(0),
                Long.MAX_VALUE, SIZE);
        assertEquals(3, MessageExpiry.intervalSeconds(sent.publish()));
    }

    @Test
    @DisplayName("v5 [MQTT-3.1.2-24] with the codec's size: a PUBLISH of exactly the maximum is sent, one byte over is dropped")
    void codecSizeBoundary() {
        Publish p = publish("sensors/t", "0123456789", QoS.AT_LEAST_ONCE);
        int size = MqttEncoder.encodedSize(p, ProtocolVersion.MQTT_5);
        OutboundTopicAliases none = OutboundTopicAliases.forConnection(0);
        assertEquals(OutboundDelivery.Outcome.SEND,
                OutboundDelivery.prepare(p, 0, 0, none, size, ProtocolVersion.MQTT_5).outcome());
        assertEquals(OutboundDelivery.Outcome.TOO_LARGE,
                OutboundDelivery.prepare(p, 0, 0, none, size - 1, ProtocolVersion.MQTT_5).outcome());
    }
}
