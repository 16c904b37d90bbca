package io.checkedmqtt.core.packet;

import java.util.Objects;

/**
 * PUBCOMP: QoS 2, part 3: publish complete. In 3.1.1 the reason code is always {@link ReasonCode#SUCCESS} and there are no
 * properties.
 */
public record PubComp(int packetId, ReasonCode reasonCode, Properties properties) implements Packet {

    public PubComp {
        Objects.requireNonNull(reasonCode, "reasonCode");
        Objects.requireNonNull(properties, "properties");
    }

    /** A successful PUBCOMP with no properties: all that 3.1.1 has. */
    public PubComp(int packetId) {
        this(packetId, ReasonCode.SUCCESS, Properties.EMPTY);
    }

    @Override
    public PacketType type() {
        return PacketType.PUBCOMP;
    }
}
