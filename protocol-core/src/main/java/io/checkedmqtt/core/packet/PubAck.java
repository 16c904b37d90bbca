package io.checkedmqtt.core.packet;

import java.util.Objects;

/**
 * PUBACK: QoS 1 acknowledgement. In 3.1.1 the reason code is always {@link ReasonCode#SUCCESS} and there are no
 * properties.
 */
public record PubAck(int packetId, ReasonCode reasonCode, Properties properties) implements Packet {

    public PubAck {
        Objects.requireNonNull(reasonCode, "reasonCode");
        Objects.requireNonNull(properties, "properties");
    }

    /** A successful PUBACK with no properties: all that 3.1.1 has. */
    public PubAck(int packetId) {
        this(packetId, ReasonCode.SUCCESS, Properties.EMPTY);
    }

    @Override
    public PacketType type() {
        return PacketType.PUBACK;
    }
}
