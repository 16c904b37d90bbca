package io.checkedmqtt.core.codec;

import io.checkedmqtt.core.packet.ProtocolVersion;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Reads the MQTT data types (5.0 section 1.5, 3.1.1 section 1.5) from a buffer whose limit is
 * the end of the frame being decoded. Every read checks that its bytes lie inside the frame,
 * so a field that claims more bytes than the Remaining Length left is a Malformed Packet, and
 * nothing past the frame is ever touched.
 */
final class WireReader {

    private WireReader() {
    }

    static int unsignedByte(ByteBuffer in, String field) {
        if (!in.hasRemaining()) {
            throw DecodeFailure.truncated(field);
        }
        return in.get() & 0xFF;
    }

    static int twoByteInteger(ByteBuffer in, String field) {
        if (in.remaining() < 2) {
            throw DecodeFailure.truncated(field);
        }
        return in.getShort() & 0xFFFF;
    }

    static long fourByteInteger(ByteBuffer in, String field) {
        if (in.remaining() < 4) {
            throw DecodeFailure.truncated(field);
        }
        return in.getInt() & 0xFFFF_FFFFL;
    }

    /** The two-byte length in front of a string or binary field; the error text is made only on error. */
    private static int lengthPrefix(ByteBuffer in, String field) {
        if (in.remaining() < 2) {
            throw DecodeFailure.truncated(field + " length");
        }
        return in.getShort() & 0xFFFF;
    }

    /**
     * A Packet Identifier that must be non-zero [MQTT-2.3.1-1 in 3.1.1, MQTT-2.2.1-3 in 5.0]; the
     * acknowledgements echo one, so theirs cannot be zero either.
     */
    static int packetId(ByteBuffer in, ProtocolVersion version) {
        int id = twoByteInteger(in, "Packet Identifier");
        if (id == 0) {
            throw DecodeFailure.protocolError(DecodeFailure.id(version, "MQTT-2.3.1-1", "MQTT-2.2.1-3"),
                    "Packet Identifier is 0");
        }
        return id;
    }

    /**
     * A UTF-8 Encoded String: two-byte length, then bytes that are well-formed UTF-8 without
     * surrogates [MQTT-1.5.3-1, MQTT-1.5.4-1] and without U+0000 [MQTT-1.5.3-2, MQTT-1.5.4-2].
     * A U+FEFF is kept [MQTT-1.5.3-3, MQTT-1.5.4-3].
     */
    static String utf8(ByteBuffer in, ProtocolVersion version, String field) {
        int from = in.position() + 2;
        int length = checkUtf8(in, version, field);
        if (in.hasArray()) {
            return new String(in.array(), in.arrayOffset() + from, length, StandardCharsets.UTF_8);
        }
        byte[] copy = new byte[length];
        in.get(from, copy);
        return new String(copy, StandardCharsets.UTF_8);
    }

    /**
     * Checks a UTF-8 Encoded String as {@link #utf8} does, and moves past it without making a
     * String of it.
     *
     * @return the length of its bytes
     */
    static int checkUtf8(ByteBuffer in, ProtocolVersion version, String field) {
        int length = lengthPrefix(in, field);
        if (in.remaining() < length) {
            throw DecodeFailure.truncated(field);
        }
        int from = in.position();
        switch (Utf8.check(in, from, length)) {
            case Utf8.ILL_FORMED -> throw DecodeFailure.malformed(
                    DecodeFailure.id(version, "MQTT-1.5.3-1", "MQTT-1.5.4-1"), field + " is not well-formed UTF-8");
            case Utf8.NULL_CHARACTER -> throw DecodeFailure.malformed(
                    DecodeFailure.id(version, "MQTT-1.5.3-2", "MQTT-1.5.4-2"), field + " contains U+0000");
            default -> {
                // valid
            }
        }
        in.position(from + length);
        return length;
    }

    /** Binary Data: two-byte length, then that many bytes, copied once into the packet value. */
    static byte[] binary(ByteBuffer in, String field) {
        int length = lengthPrefix(in, field);
        if (in.remaining() < length) {
            throw DecodeFailure.truncated(field);
        }
        byte[] bytes = new byte[length];
        in.get(bytes);
        return bytes;
    }

    /** Everything left in the frame, copied once: the PUBLISH payload. */
    static byte[] rest(ByteBuffer in) {
        byte[] bytes = new byte[in.remaining()];
        in.get(bytes);
        return bytes;
    }

    /**
     * The broker's one Topic Name check, made as the name arrives (in PUBLISH, as a Will Topic or
     * as a Response Topic): at least one character [MQTT-4.7.3-1] and no wildcard [MQTT-3.3.2-2,
     * MQTT-4.7.1-1 in 3.1.1, MQTT-4.7.0-1 in 5.0]. The rest of what makes a valid name, no U+0000
     * [MQTT-4.7.3-2], well-formed UTF-8 and at most 65,535 bytes [MQTT-4.7.3-3], {@link #utf8}
     * has checked already. '+' and '#' are ASCII, so they cannot hide inside a multi-byte
     * character and a check of the String is exact.
     *
     * <p>Valid: {@code sport/tennis/player1}, {@code /}, {@code a//b} (three levels, the middle
     * one empty), {@code $SYS/broker/load} (a leading {@code $} keeps it from filters that start
     * with a wildcard [MQTT-4.7.2-1]). Invalid: {@code ""}, {@code sport/+}, {@code sport/#},
     * {@code a+b}.
     *
     * <p>Both failures are Protocol Errors (0x82), not Malformed Packets (0x81): 5.0 section 1.2
     * calls a packet malformed when it "cannot be parsed according to this specification", and a
     * Protocol Error an error "detected after the packet has been parsed and found to contain data
     * that is not allowed by the protocol". An empty name or one with a wildcard parses as a
     * well-formed UTF-8 string; only the topic rules of section 4.7 forbid it. (3.1.1 closes the
     * connection either way and has no code to tell the two apart.)
     */
    static void checkTopicName(String topic, String wildcardStatement, String field) {
        if (topic.isEmpty()) {
            throw DecodeFailure.protocolError("MQTT-4.7.3-1", field + " is empty");
        }
        if (topic.indexOf('+') >= 0 || topic.indexOf('#') >= 0) {
            throw DecodeFailure.protocolError(wildcardStatement, field + " contains a wildcard: " + topic);
        }
    }

    /** The frame must end exactly where the last field ends. */
    static void expectEnd(ByteBuffer in, String packet) {
        if (in.hasRemaining()) {
            throw DecodeFailure.malformed(DecodeFailure.REMAINING_LENGTH,
                    packet + " has " + in.remaining() + " bytes after its last field");
        }
    }
}
