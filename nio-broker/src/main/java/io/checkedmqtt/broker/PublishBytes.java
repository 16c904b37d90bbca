package io.checkedmqtt.broker;

import io.checkedmqtt.core.packet.Publish;
import io.checkedmqtt.core.packet.QoS;

import java.nio.ByteBuffer;

/**
 * The encoding of a QoS 1 or 2 PUBLISH made from the encoding of another that differs from it in
 * its packet identifier alone: what a fan-out sends, one copy of one message per subscriber, each
 * with the identifier its session chose. The bytes are copied and two of them changed, instead of
 * sizing and encoding the topic, properties and payload again for every subscriber.
 *
 * <p>Both versions put the packet identifier right after the Topic Name [MQTT-2.3.1 in 3.1.1,
 * section 3.3.2 in 5.0]: fixed header byte, Remaining Length (1 to 4 bytes), the topic's two-byte
 * length and its bytes, then the identifier. The 5.0 properties and the payload come after it and
 * are the same for both packets, because they are the same objects.
 */
final class PublishBytes {

    private PublishBytes() {
    }

    /**
     * True when {@code next} encodes, in one protocol version, to the bytes of {@code encoded} with
     * another packet identifier: both carry one (QoS 1 or 2), with the same flags, the same topic,
     * and the same payload array and properties object (so nothing else can differ).
     */
    static boolean differOnlyInPacketId(Publish next, Publish encoded) {
        return next.qos() != QoS.AT_MOST_ONCE && next.qos() == encoded.qos()
                && next.retain() == encoded.retain() && next.dup() == encoded.dup()
                && next.payload() == encoded.payload() && next.properties() == encoded.properties()
                && next.topic().equals(encoded.topic());
    }

    /**
     * A copy of an encoded QoS 1 or 2 PUBLISH (or of its header, when the payload goes separately)
     * with another packet identifier; {@code encoded} is read from its position to its limit and
     * left as it was.
     */
    static ByteBuffer withPacketId(ByteBuffer encoded, int packetId) {
        byte[] bytes = new byte[encoded.remaining()];
        encoded.duplicate().get(bytes);
        int at = packetIdOffset(bytes);
        bytes[at] = (byte) (packetId >>> 8);
        bytes[at + 1] = (byte) packetId;
        return ByteBuffer.wrap(bytes);
    }

    /** Where the packet identifier starts in the bytes of an encoded PUBLISH. */
    static int packetIdOffset(byte[] publish) {
        int at = 1;
        while ((publish[at] & 0x80) != 0) {   // a Remaining Length byte with its continuation bit
            at++;
        }
        at++;   // the Topic Name's length
        int topicLength = ((publish[at] & 0xFF) << 8) | (publish[at + 1] & 0xFF);
        return at + 2 + topicLength;
    }
}
