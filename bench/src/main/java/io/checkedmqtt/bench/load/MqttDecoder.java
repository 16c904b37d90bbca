package io.checkedmqtt.bench.load;

import java.nio.ByteBuffer;

/**
 * Reads the fields the load tool needs out of the packets a broker sends to a client, working on
 * absolute indexes into the read buffer. 5.0 properties are walked and checked (each identifier's
 * wire type is known), and the few that matter here (Receive Maximum) are kept.
 */
final class MqttDecoder {
    /** Property identifier of Receive Maximum (5.0 §3.2.2.3.3). */
    static final int RECEIVE_MAXIMUM = 0x21;

    private MqttDecoder() {
    }

    static int u16(final ByteBuffer buf, final int index, final int end) {
        if (index + 2 > end) {
            throw new MalformedPacketException("truncated two-byte integer");
        }
        return (buf.get(index) & 0xFF) << 8 | buf.get(index + 1) & 0xFF;
    }

    /** Value of the Variable Byte Integer at {@code index} in the low 32 bits, its length in the high 32. */
    static long varInt(final ByteBuffer buf, final int index, final int end) {
        int value = 0;
        for (int i = 0; i < 4; i++) {
            if (index + i >= end) {
                throw new MalformedPacketException("truncated Variable Byte Integer");
            }
            final int digit = buf.get(index + i) & 0xFF;
            value |= (digit & 0x7F) << 7 * i;
            if ((digit & 0x80) == 0) {
                return (long) (i + 1) << 32 | value;
            }
        }
        throw new MalformedPacketException("Variable Byte Integer longer than 4 bytes");
    }

    /**
     * Walks a 5.0 property block starting at {@code index} (its length prefix included).
     *
     * @param found filled with the properties the load tool uses; may be null
     * @return the index just after the block
     */
    static int properties(final ByteBuffer buf, final int index, final int end, final ReceivedProperties found) {
        final long header = varInt(buf, index, end);
        final int start = index + (int) (header >>> 32);
        final int blockEnd = start + (int) header;
        if (blockEnd > end) {
            throw new MalformedPacketException("property length beyond the packet");
        }
        int i = start;
        while (i < blockEnd) {
            final long id = varInt(buf, i, blockEnd);
            final int identifier = (int) id;
            i += (int) (id >>> 32);
            final int valueLength = switch (identifier) {
                case 0x01, 0x17, 0x19, 0x24, 0x25, 0x28, 0x29, 0x2A -> 1;
                case 0x13, 0x21, 0x22, 0x23 -> 2;
                case 0x02, 0x11, 0x18, 0x27 -> 4;
                case 0x0B -> (int) (varInt(buf, i, blockEnd) >>> 32);
                case 0x03, 0x08, 0x12, 0x15, 0x1A, 0x1C, 0x1F, 0x09, 0x16 -> 2 + u16(buf, i, blockEnd);
                case 0x26 -> {
                    final int keyLength = 2 + u16(buf, i, blockEnd);
                    yield keyLength + 2 + u16(buf, i + keyLength, blockEnd);
                }
                default -> throw new MalformedPacketException("unknown property identifier 0x" + Integer.toHexString(identifier));
            };
            if (i + valueLength > blockEnd) {
                throw new MalformedPacketException("property value beyond the property block");
            }
            if (found != null && identifier == RECEIVE_MAXIMUM) {
                found.receiveMaximum = u16(buf, i, blockEnd);
            }
            i += valueLength;
        }
        return blockEnd;
    }

    /** The properties of a CONNACK the load tool acts on. */
    static final class ReceivedProperties {
        /** 5.0 Receive Maximum; 65,535 when absent (5.0 §3.2.2.3.3). */
        int receiveMaximum = 65_535;
    }

    /**
     * Return code (3.1.1) or reason code (5.0) of a CONNACK; 0 means accepted.
     */
    static int connack(final ByteBuffer buf, final Frame frame, final MqttVersion version, final ReceivedProperties found) {
        final int end = frame.bodyEnd();
        if (frame.bodyLength < 2) {
            throw new MalformedPacketException("CONNACK shorter than 2 bytes");
        }
        final int code = buf.get(frame.bodyStart + 1) & 0xFF;
        if (version.isV5() && frame.bodyLength > 2) {
            properties(buf, frame.bodyStart + 2, end, found);
        }
        return code;
    }

    /** Packet identifier of PUBACK, PUBREC, PUBREL, PUBCOMP or SUBACK. */
    static int packetId(final ByteBuffer buf, final Frame frame) {
        return u16(buf, frame.bodyStart, frame.bodyEnd());
    }

    /**
     * Reason code of a 5.0 PUBACK/PUBREC/PUBREL/PUBCOMP (0 when the short form omits it; always 0
     * in 3.1.1). Properties after the reason code are checked.
     */
    static int ackReason(final ByteBuffer buf, final Frame frame, final MqttVersion version) {
        if (!version.isV5() || frame.bodyLength < 3) {
            if (frame.bodyLength < 2) {
                throw new MalformedPacketException("acknowledgement shorter than 2 bytes");
            }
            return 0;
        }
        final int reason = buf.get(frame.bodyStart + 2) & 0xFF;
        if (frame.bodyLength > 3) {
            properties(buf, frame.bodyStart + 3, frame.bodyEnd(), null);
        }
        return reason;
    }

    /** The highest reason code in a SUBACK's payload; 0x80 or above means a refused subscription. */
    static int subackWorstCode(final ByteBuffer buf, final Frame frame, final MqttVersion version) {
        final int end = frame.bodyEnd();
        int i = frame.bodyStart + 2;
        if (version.isV5()) {
            i = properties(buf, i, end, null);
        }
        if (i >= end) {
            throw new MalformedPacketException("SUBACK without a return code");
        }
        int worst = 0;
        for (; i < end; i++) {
            worst = Math.max(worst, buf.get(i) & 0xFF);
        }
        return worst;
    }

    /** Reason code of a 5.0 DISCONNECT from the server (0 when omitted). */
    static int disconnectReason(final ByteBuffer buf, final Frame frame) {
        return frame.bodyLength == 0 ? 0 : buf.get(frame.bodyStart) & 0xFF;
    }

    /** Where a PUBLISH's fields are; reused per connection. */
    static final class PublishView {
        int qos;
        int topicStart;
        int topicLength;
        int packetId;
        int payloadStart;
        int payloadLength;
    }

    static void publish(final ByteBuffer buf, final Frame frame, final MqttVersion version, final PublishView into) {
        final int end = frame.bodyEnd();
        final int qos = frame.flags >>> 1 & 0x03;
        if (qos == 3) {
            throw new MalformedPacketException("PUBLISH with QoS 3");
        }
        int i = frame.bodyStart;
        final int topicLength = u16(buf, i, end);
        i += 2;
        if (i + topicLength > end) {
            throw new MalformedPacketException("topic beyond the packet");
        }
        into.qos = qos;
        into.topicStart = i;
        into.topicLength = topicLength;
        i += topicLength;
        if (qos > 0) {
            into.packetId = u16(buf, i, end);
            i += 2;
        } else {
            into.packetId = 0;
        }
        if (version.isV5()) {
            i = properties(buf, i, end, null);
        }
        into.payloadStart = i;
        into.payloadLength = end - i;
    }
}
