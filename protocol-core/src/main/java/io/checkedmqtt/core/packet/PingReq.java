package io.checkedmqtt.core.packet;

/** PINGREQ: the client is alive; the server answers PINGRESP [MQTT-3.12.4-1]. */
public record PingReq() implements Packet {

    public static final PingReq INSTANCE = new PingReq();

    @Override
    public PacketType type() {
        return PacketType.PINGREQ;
    }
}
