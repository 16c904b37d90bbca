package io.checkedmqtt.core.routing;

import io.checkedmqtt.core.codec.Utf8;
import io.checkedmqtt.core.packet.Properties;
import io.checkedmqtt.core.packet.PropertyId;

/**
 * 5.0 Payload Format Indicator (sections 3.3.2.3.2 and 3.1.3.2.3). Indicator 1 says the payload
 * is UTF-8 Encoded Character Data; the receiver may check that it is, and this broker does, as a
 * reference broker should tell a client that mislabels its payloads. The check costs nothing
 * unless the indicator is 1; it is {@link Utf8#isWellFormed}, the codec's own UTF-8 rules with
 * U+0000 allowed (a payload is character data, not an MQTT string). A PUBLISH that fails it gets
 * PUBACK / PUBREC 0x99 Payload format invalid, or for QoS 0 DISCONNECT 0x99; a Will that fails
 * it gets CONNACK 0x99. The indicator itself is forwarded unchanged [MQTT-3.3.2-4]; the router
 * never touches it.
 */
public final class PayloadFormat {

    private PayloadFormat() {
    }

    /** Whether the payload is what its Payload Format Indicator (in {@code properties}) says it is. */
    public static boolean agrees(Properties properties, byte[] payload) {
        return properties.isEmpty() || properties.integer(PropertyId.PAYLOAD_FORMAT_INDICATOR, 0) != 1
                || Utf8.isWellFormed(payload);
    }
}
