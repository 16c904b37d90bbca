package io.checkedmqtt.core.packet;

import java.util.List;
import java.util.Objects;

/** UNSUBSCRIBE: at least one filter [MQTT-3.10.3-2]. */
public record Unsubscribe(int packetId, List<String> topicFilters, Properties properties) implements Packet {

    public Unsubscribe {
        topicFilters = List.copyOf(topicFilters);
        Objects.requireNonNull(properties, "properties");
    }

    @Override
    public PacketType type() {
        return PacketType.UNSUBSCRIBE;
    }
}
