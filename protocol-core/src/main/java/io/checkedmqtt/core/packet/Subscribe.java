package io.checkedmqtt.core.packet;

import java.util.List;
import java.util.Objects;

/** SUBSCRIBE: at least one filter [MQTT-3.8.3-3 in 3.1.1, MQTT-3.8.3-2 in 5.0]. */
public record Subscribe(int packetId, List<Subscription> subscriptions, Properties properties) implements Packet {

    public Subscribe {
        subscriptions = List.copyOf(subscriptions);
        Objects.requireNonNull(properties, "properties");
    }

    @Override
    public PacketType type() {
        return PacketType.SUBSCRIBE;
    }
}
