package io.checkedmqtt.bench.load;

/**
 * MQTT control packet type numbers (the high nibble of the first byte), for the load tool's own
 * client. Kept apart from protocol-core on purpose: this client must not share the broker's code.
 */
final class PacketType {
    static final int CONNECT = 1;
    static final int CONNACK = 2;
    static final int PUBLISH = 3;
    static final int PUBACK = 4;
    static final int PUBREC = 5;
    static final int PUBREL = 6;
    static final int PUBCOMP = 7;
    static final int SUBSCRIBE = 8;
    static final int SUBACK = 9;
    static final int PINGREQ = 12;
    static final int PINGRESP = 13;
    static final int DISCONNECT = 14;

    private PacketType() {
    }
}
