package io.checkedmqtt.core.packet;

import java.util.List;
import java.util.Objects;

/** UNSUBACK: in 5.0 one reason code per filter; in 3.1.1 no payload (the list is empty). */
public record UnsubAck(int packetId, List<ReasonCode> reasonCodes, Properties properties) implements Packet {

    public UnsubAck {
        reasonCodes = List.copyOf(reasonCodes);
        Objects.requireNonNull(properties, "properties");
    }

    @Override
    public PacketType type() {
        return PacketType.UNSUBACK;
    }
}
