package io.checkedmqtt.broker;

import io.checkedmqtt.core.packet.Packet;
import io.checkedmqtt.core.packet.ProtocolVersion;
import io.checkedmqtt.core.packet.ReasonCode;

import java.nio.ByteBuffer;

/**
 * Bytes to packets and back, as the loop needs it. {@link CoreWireCodec} adapts the core's codec;
 * the loop never looks inside a frame itself.
 */
interface WireCodec {

    /** What the bytes at the front of the read buffer hold. */
    sealed interface Decoding {
    }

    /** The bytes end inside a frame: read more. */
    record NeedMoreBytes() implements Decoding {
    }

    /** One complete packet, {@code frameLength} bytes long. */
    record Frame(Packet packet, int frameLength) implements Decoding {
    }

    /**
     * The input breaks the protocol; nothing after it is read. {@code version}: the protocol
     * version the bytes were read as (for a first CONNECT, the one it states), or null if unknown.
     */
    record Malformed(ReasonCode reason, String statement, String message, ProtocolVersion version)
            implements Decoding {
        Malformed(ReasonCode reason, String statement, String message) {
            this(reason, statement, message, null);
        }
    }

    NeedMoreBytes NEED_MORE_BYTES = new NeedMoreBytes();

    /**
     * Decodes the frame that starts at {@code input.position()}, leaving the buffer's position
     * where it was. {@code version} is null until the connection's CONNECT has been decoded.
     */
    Decoding decode(ByteBuffer input, ProtocolVersion version, int maximumPacketSize);

    /** The packet as it goes on the wire for {@code version}, ready to write (position 0). */
    ByteBuffer encode(Packet packet, ProtocolVersion version);
}
