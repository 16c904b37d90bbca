package io.checkedmqtt.core.codec;

import io.checkedmqtt.core.packet.Auth;
import io.checkedmqtt.core.packet.Connack;
import io.checkedmqtt.core.packet.Connect;
import io.checkedmqtt.core.packet.Disconnect;
import io.checkedmqtt.core.packet.Packet;
import io.checkedmqtt.core.packet.PacketType;
import io.checkedmqtt.core.packet.ProtocolVersion;
import io.checkedmqtt.core.packet.PubAck;
import io.checkedmqtt.core.packet.PubComp;
import io.checkedmqtt.core.packet.PubRec;
import io.checkedmqtt.core.packet.PubRel;
import io.checkedmqtt.core.packet.Publish;
import io.checkedmqtt.core.packet.SubAck;
import io.checkedmqtt.core.packet.Subscribe;
import io.checkedmqtt.core.packet.UnsubAck;
import io.checkedmqtt.core.packet.Unsubscribe;

import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;

/**
 * Writes packets in the wire format of a protocol version. Size first ({@link #encodedSize}),
 * then {@link #encode} into a buffer the caller provides; nothing is allocated.
 *
 * <p>For 3.1 / 3.1.1, what the version cannot carry is left out: properties, and the reason
 * codes of PUBACK, PUBREC, PUBREL, PUBCOMP, UNSUBACK and DISCONNECT. SUBACK failures become
 * 0x80; CONNACK reason codes map as {@link ConnackReturnCodes#returnCode} says, and one without
 * a 3.1.1 return code is refused. CONNECT is written in the version it names itself.
 *
 * <p>A packet the spec forbids sending (a string with U+0000, a Packet Identifier of 0 where one
 * is needed, an empty SUBSCRIBE, a field over 65,535 bytes, a frame over 268,435,460 bytes) is a
 * programming error: {@link IllegalArgumentException}, before anything is written.
 */
public final class MqttEncoder {

    /** The DUP bit of the fixed header, which MQTT 3.1 also sets on a retried PUBREL. */
    private static final int DUP_31 = 0x08;

    private MqttEncoder() {
    }

    /** The exact number of bytes {@link #encode} writes for this packet. */
    public static int encodedSize(Packet packet, ProtocolVersion version) {
        int remainingLength = remainingLength(packet, version);
        return FixedHeader.size(remainingLength) + remainingLength;
    }

    /**
     * Writes the packet at the buffer's position and advances it by {@link #encodedSize}.
     *
     * @throws BufferOverflowException  if the buffer has less room than that; nothing is written then
     * @throws IllegalArgumentException if the packet cannot be sent as it is (see the class comment)
     */
    public static void encode(Packet packet, ProtocolVersion version, ByteBuffer out) {
        int remainingLength = remainingLength(packet, version);
        if (out.remaining() < FixedHeader.size(remainingLength) + remainingLength) {
            throw new BufferOverflowException();
        }
        if (packet instanceof Connect c && !c.version().isV5() && c.password() != null && c.userName() == null) {
            throw new IllegalArgumentException("3.1.1 CONNECT with a password needs a user name [MQTT-3.1.2-22]");
        }
        int flags = packet instanceof Publish p ? PublishCodec.flags(p) : packet.type().requiredFlags();
        if (packet instanceof PubRel r && r.duplicate() && version == ProtocolVersion.MQTT_3_1) {
            flags |= DUP_31;   // a 3.1 retry is marked, as a PUBLISH retry is (3.1 sections 2.1, 3.6)
        }
        FixedHeader.write(packet.type(), flags, remainingLength, out);
        writeBody(packet, version, out);
    }

    /**
     * The bytes of a PUBLISH in front of its payload: fixed header, Topic Name, Packet Identifier
     * and properties. The payload follows them unchanged on the wire, so a sender can write
     * {@link #encodePublishHeader} followed by the payload array itself, and many subscribers'
     * copies of one message can share one payload (each with its own header: packet identifier,
     * topic alias, subscription identifiers).
     */
    public static int publishHeaderSize(Publish publish, ProtocolVersion version) {
        return encodedSize(publish, version) - publish.payload().length;
    }

    /**
     * Writes the {@link #publishHeaderSize} bytes of a PUBLISH in front of its payload, and
     * advances the buffer by that much.
     *
     * @throws BufferOverflowException  if the buffer has less room than that; nothing is written then
     * @throws IllegalArgumentException if the PUBLISH cannot be sent as it is
     */
    public static void encodePublishHeader(Publish publish, ProtocolVersion version, ByteBuffer out) {
        int remainingLength = remainingLength(publish, version);
        if (out.remaining() < FixedHeader.size(remainingLength) + remainingLength - publish.payload().length) {
            throw new BufferOverflowException();
        }
        FixedHeader.write(PacketType.PUBLISH, PublishCodec.flags(publish), remainingLength, out);
        PublishCodec.writeHeader(publish, version, out);
    }

    /** The Remaining Length of the packet: the size of everything after the fixed header. */
    static int remainingLength(Packet packet, ProtocolVersion version) {
        int length = switch (packet.type()) {
            case CONNECT -> ConnectCodec.remainingLength((Connect) packet);
            case CONNACK -> ConnackCodec.remainingLength((Connack) packet, version);
            case PUBLISH -> PublishCodec.remainingLength((Publish) packet, version);
            case PUBACK -> {
                PubAck a = (PubAck) packet;
                yield PublishAckCodec.remainingLength(a.packetId(), a.reasonCode(), a.properties(), version);
            }
            case PUBREC -> {
                PubRec a = (PubRec) packet;
                yield PublishAckCodec.remainingLength(a.packetId(), a.reasonCode(), a.properties(), version);
            }
            case PUBREL -> {
                PubRel a = (PubRel) packet;
                yield PublishAckCodec.remainingLength(a.packetId(), a.reasonCode(), a.properties(), version);
            }
            case PUBCOMP -> {
                PubComp a = (PubComp) packet;
                yield PublishAckCodec.remainingLength(a.packetId(), a.reasonCode(), a.properties(), version);
            }
            case SUBSCRIBE -> SubscribeCodec.remainingLength((Subscribe) packet, version);
            case SUBACK -> SubAckCodec.remainingLength((SubAck) packet, version);
            case UNSUBSCRIBE -> UnsubscribeCodec.remainingLength((Unsubscribe) packet, version);
            case UNSUBACK -> UnsubAckCodec.remainingLength((UnsubAck) packet, version);
            case PINGREQ, PINGRESP -> 0;
            case DISCONNECT -> DisconnectCodec.remainingLength((Disconnect) packet, version);
            case AUTH -> {
                if (!version.isV5()) {
                    throw new IllegalArgumentException("AUTH exists only in MQTT 5.0");
                }
                yield AuthCodec.remainingLength((Auth) packet);
            }
        };
        if (length > VariableByteInteger.MAXIMUM) {
            throw new IllegalArgumentException(packet.type() + " too large for MQTT: " + length + " bytes after the fixed header");
        }
        return length;
    }

    private static void writeBody(Packet packet, ProtocolVersion version, ByteBuffer out) {
        switch (packet.type()) {
            case CONNECT -> ConnectCodec.write((Connect) packet, out);
            case CONNACK -> ConnackCodec.write((Connack) packet, version, out);
            case PUBLISH -> PublishCodec.write((Publish) packet, version, out);
            case PUBACK -> {
                PubAck a = (PubAck) packet;
                PublishAckCodec.write(a.packetId(), a.reasonCode(), a.properties(), version, out);
            }
            case PUBREC -> {
                PubRec a = (PubRec) packet;
                PublishAckCodec.write(a.packetId(), a.reasonCode(), a.properties(), version, out);
            }
            case PUBREL -> {
                PubRel a = (PubRel) packet;
                PublishAckCodec.write(a.packetId(), a.reasonCode(), a.properties(), version, out);
            }
            case PUBCOMP -> {
                PubComp a = (PubComp) packet;
                PublishAckCodec.write(a.packetId(), a.reasonCode(), a.properties(), version, out);
            }
            case SUBSCRIBE -> SubscribeCodec.write((Subscribe) packet, version, out);
            case SUBACK -> SubAckCodec.write((SubAck) packet, version, out);
            case UNSUBSCRIBE -> UnsubscribeCodec.write((Unsubscribe) packet, version, out);
            case UNSUBACK -> UnsubAckCodec.write((UnsubAck) packet, version, out);
            case PINGREQ, PINGRESP -> {
                // no body
            }
            case DISCONNECT -> DisconnectCodec.write((Disconnect) packet, version, out);
            case AUTH -> AuthCodec.write((Auth) packet, out);
        }
    }
}
