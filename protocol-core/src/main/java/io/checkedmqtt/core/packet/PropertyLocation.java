package io.checkedmqtt.core.packet;

/**
 * Where a property list can stand: the packet types that carry properties, plus the Will
 * Properties inside CONNECT, which have their own allowed set.
 */
public enum PropertyLocation {
    CONNECT,
    CONNACK,
    PUBLISH,
    WILL,
    PUBACK,
    PUBREC,
    PUBREL,
    PUBCOMP,
    SUBSCRIBE,
    SUBACK,
    UNSUBSCRIBE,
    UNSUBACK,
    DISCONNECT,
    AUTH
}
