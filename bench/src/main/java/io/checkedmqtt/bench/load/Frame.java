package io.checkedmqtt.bench.load;

import java.nio.ByteBuffer;

/**
 * One complete packet found in a read buffer: reused for every packet of a connection, so that
 * reading allocates nothing. {@link #read} only reports complete frames; a partial frame leaves
 * the buffer untouched until more bytes arrive.
 */
final class Frame {
    /** Packet type, the high nibble of byte 1. */
    int type;
    /** The low nibble of byte 1 (PUBLISH: DUP, QoS, RETAIN). */
    int flags;
    /** Absolute index of the first byte after the fixed header. */
    int bodyStart;
    /** The Remaining Length. */
    int bodyLength;

    int bodyEnd() {
        return bodyStart + bodyLength;
    }

    /**
     * Looks for a complete frame in {@code buf} between its position and limit. When one is there,
     * fills this frame, moves the position past it and returns true; otherwise returns false and
     * leaves the position alone.
     *
     * @param maxLength largest frame accepted; a longer one is treated as malformed
     * @throws MalformedPacketException when the Remaining Length is not a valid Variable Byte Integer
     */
    boolean read(final ByteBuffer buf, final int maxLength) {
        final int start = buf.position();
        final int limit = buf.limit();
        if (limit - start < 2) {
            return false;
        }
        int value = 0;
        int shift = 0;
        int index = start + 1;
        while (true) {
            if (index >= limit) {
                return false;
            }
            final int digit = buf.get(index++) & 0xFF;
            value |= (digit & 0x7F) << shift;
            if ((digit & 0x80) == 0) {
                break;
            }
            shift += 7;
            if (shift > 21) {
                throw new MalformedPacketException("Remaining Length longer than 4 bytes");
            }
        }
        final int total = index - start + value;
        if (total > maxLength) {
            throw new MalformedPacketException("packet of " + total + " bytes exceeds " + maxLength);
        }
        if (limit - start < total) {
            return false;
        }
        final int first = buf.get(start) & 0xFF;
        type = first >>> 4;
        flags = first & 0x0F;
        bodyStart = index;
        bodyLength = value;
        buf.position(start + total);
        return true;
    }

    /**
     * Bytes needed to hold the frame that starts at the buffer's position, or -1 when even the
     * fixed header is incomplete. Lets the reader grow its buffer for large payloads.
     */
    static int pendingFrameLength(final ByteBuffer buf) {
        final int start = buf.position();
        final int limit = buf.limit();
        int value = 0;
        int shift = 0;
        for (int index = start + 1; index < limit && shift <= 21; index++) {
            final int digit = buf.get(index) & 0xFF;
            value |= (digit & 0x7F) << shift;
            if ((digit & 0x80) == 0) {
                return index + 1 - start + value;
            }
            shift += 7;
        }
        return -1;
    }
}
