package io.checkedmqtt.core.packet;

import java.util.Objects;

/**
 * PUBREC: QoS 2, part 1: publish received. In 3.1.1 the reason code is always {@link ReasonCode#SUCCESS} and there are no
 * properties.
 */
public record PubRec(int packetId, ReasonCode reasonCode, Properties properties) implements Packet {

    public PubRec {
        Objects.requireNonNull(reasonCode, "reasonCode");
        Objects.requireNonNull(properties, "properties");
    }

    /** A successful PUBREC with no properties: all that 3.1.1 has. */
    public PubRec(int packetId) {
        this(packetId, ReasonCode.SUCCESS, Properties.EMPTY);
    }

    @Override
    public PacketType type() {
        return PacketType.PUBREC;
    }
}
