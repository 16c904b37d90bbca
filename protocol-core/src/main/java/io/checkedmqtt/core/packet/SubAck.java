package io.checkedmqtt.core.packet;

import java.util.List;
import java.util.Objects;

/**
 * SUBACK: one reason code per filter of the SUBSCRIBE, in order [MQTT-3.8.4-6 in 3.1.1,
 * MQTT-3.9.3-1 in 5.0]. 3.1.1 can express only Granted QoS 0..2 and 0x80 failure.
 */
public record SubAck(int packetId, List<ReasonCode> reasonCodes, Properties properties) implements Packet {

    public SubAck {
        reasonCodes = List.copyOf(reasonCodes);
        Objects.requireNonNull(properties, "properties");
    }

    @Override
    public PacketType type() {
        return PacketType.SUBACK;
    }
}
