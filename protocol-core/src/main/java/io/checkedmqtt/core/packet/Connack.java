package io.checkedmqtt.core.packet;

import java.util.Objects;

/**
 * CONNACK. For 3.1 / 3.1.1 the reason code is mapped to a return code 0..5 by the codec (see
 * {@link ReasonCode}); properties must then be empty.
 */
public record Connack(boolean sessionPresent, ReasonCode reasonCode, Properties properties) implements Packet {

    public Connack {
        Objects.requireNonNull(reasonCode, "reasonCode");
        Objects.requireNonNull(properties, "properties");
    }

    @Override
    public PacketType type() {
        return PacketType.CONNACK;
    }
}
