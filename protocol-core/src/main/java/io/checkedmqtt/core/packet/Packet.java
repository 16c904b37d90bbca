package io.checkedmqtt.core.packet;

/**
 * An MQTT control packet as an immutable value. One type serves every protocol version: fields
 * that only MQTT 5.0 has (properties, most reason codes) hold {@link Properties#EMPTY} and
 * {@link ReasonCode#SUCCESS} (or the version's equivalent) for 3.1 and 3.1.1.
 *
 * <p>Byte arrays inside packets (payloads, passwords, binary properties) are shared, never
 * copied, and never written after the packet is built: treat them as read-only.
 */
public sealed interface Packet
        permits Connect, Connack, Publish, PubAck, PubRec, PubRel, PubComp, Subscribe, SubAck,
                Unsubscribe, UnsubAck, PingReq, PingResp, Disconnect, Auth {

    PacketType type();
}
