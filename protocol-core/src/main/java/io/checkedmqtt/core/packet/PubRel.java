package io.checkedmqtt.core.packet;

import java.util.Objects;

/**
 * PUBREL: QoS 2, part 2: publish release. In 3.1.1 the reason code is always {@link ReasonCode#SUCCESS} and there are no
 * properties.
 */
public record PubRel(int packetId, ReasonCode reasonCode, Properties properties) implements Packet {

    public PubRel {
        Objects.requireNonNull(reasonCode, "reasonCode");
        Objects.requireNonNull(properties, "properties");
    }

    /** A successful PUBREL with no properties: all that 3.1.1 has. */
    public PubRel(int packetId) {
        this(packetId, ReasonCode.SUCCESS, Properties.EMPTY);
    }

    @Override
    public PacketType type() {
        return PacketType.PUBREL;
    }
}
