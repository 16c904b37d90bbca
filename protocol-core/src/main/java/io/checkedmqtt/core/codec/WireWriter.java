package io.checkedmqtt.core.codec;

import java.nio.ByteBuffer;

/** Writes and sizes the MQTT data types (5.0 section 1.5, 3.1.1 section 1.5). */
final class WireWriter {

    /** The largest string or binary field: the two-byte length prefix caps it [MQTT-4.7.3-3]. */
    static final int MAXIMUM_FIELD_LENGTH = 65_535;

    private WireWriter() {
    }

    /** The size of a UTF-8 Encoded String with its length prefix. */
    static int utf8Size(String s) {
        int length = Utf8.encodedLength(s);
        if (length > MAXIMUM_FIELD_LENGTH) {
            throw new IllegalArgumentException("string longer than 65,535 bytes");
        }
        return 2 + length;
    }

    /** Writes a string whose size {@link #utf8Size} has checked; the length prefix is filled in afterwards. */
    static void utf8(String s, ByteBuffer out) {
        int start = out.position();
        out.position(start + 2);
        Utf8.write(s, out);
        out.putShort(start, (short) (out.position() - start - 2));
    }

    /** The size of Binary Data with its length prefix. */
    static int binarySize(byte[] bytes) {
        if (bytes.length > MAXIMUM_FIELD_LENGTH) {
            throw new IllegalArgumentException("binary field longer than 65,535 bytes");
        }
        return 2 + bytes.length;
    }

    static void binary(byte[] bytes, ByteBuffer out) {
        out.putShort((short) bytes.length);
        out.put(bytes);
    }

    /** A Packet Identifier: 1..65535 where one is sent. */
    static void packetId(int packetId, ByteBuffer out) {
        if (packetId < 1 || packetId > 65_535) {
            throw new IllegalArgumentException("Packet Identifier must be 1..65535: " + packetId);
        }
        out.putShort((short) packetId);
    }
}
