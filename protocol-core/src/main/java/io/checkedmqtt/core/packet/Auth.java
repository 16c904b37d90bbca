package io.checkedmqtt.core.packet;

import java.util.Objects;

/** AUTH (5.0 only): one step of an extended authentication exchange. */
public record Auth(ReasonCode reasonCode, Properties properties) implements Packet {

    public Auth {
        Objects.requireNonNull(reasonCode, "reasonCode");
        Objects.requireNonNull(properties, "properties");
    }

    @Override
    public PacketType type() {
        return PacketType.AUTH;
    }
}
