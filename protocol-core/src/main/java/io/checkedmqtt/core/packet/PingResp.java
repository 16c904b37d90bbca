package io.checkedmqtt.core.packet;

/** PINGRESP: the answer to PINGREQ. */
public record PingResp() implements Packet {

    public static final PingResp INSTANCE = new PingResp();

    @Override
    public PacketType type() {
        return PacketType.PINGRESP;
    }
}
