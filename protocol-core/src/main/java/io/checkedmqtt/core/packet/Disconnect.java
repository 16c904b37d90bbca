package io.checkedmqtt.core.packet;

import java.util.Objects;

/**
 * DISCONNECT. In 3.1.1 only the client sends it and it has no body: the reason code is then
 * {@link ReasonCode#NORMAL_DISCONNECTION}. In 5.0 either side sends it, with a reason code.
 */
public record Disconnect(ReasonCode reasonCode, Properties properties) implements Packet {

    public static final Disconnect NORMAL = new Disconnect(ReasonCode.NORMAL_DISCONNECTION, Properties.EMPTY);

    public Disconnect {
        Objects.requireNonNull(reasonCode, "reasonCode");
        Objects.requireNonNull(properties, "properties");
    }

    public Disconnect(ReasonCode reasonCode) {
        this(reasonCode, Properties.EMPTY);
    }

    @Override
    public PacketType type() {
        return PacketType.DISCONNECT;
    }
}
