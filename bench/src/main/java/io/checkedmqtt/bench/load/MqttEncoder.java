package io.checkedmqtt.bench.load;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Writes the few client-side packets the load tool sends, straight into a connection's output
 * buffer. Every method writes one complete packet; the caller reserves the space first with the
 * matching {@code ...Length} method, so nothing here allocates on the hot path.
 *
 * <p>5.0 packets carry an empty property set (property length 0), and acknowledgements use the
 * 2-byte short form, which means "Success, no properties" (5.0 §3.4.2.1).
 */
final class MqttEncoder {
    private static final byte[] PROTOCOL_NAME = {0, 4, 'M', 'Q', 'T', 'T'};

    private MqttEncoder() {
    }

    /** Bytes taken by a Variable Byte Integer holding {@code value}. */
    static int varIntLength(final int value) {
        if (value < 0 || value > 268_435_455) {
            throw new IllegalArgumentException("not encodable as a Variable Byte Integer: " + value);
        }
        return value < 128 ? 1 : value < 16_384 ? 2 : value < 2_097_152 ? 3 : 4;
    }

    static void putVarInt(final ByteBuffer out, final int value) {
        int rest = value;
        do {
            int digit = rest & 0x7F;
            rest >>>= 7;
            if (rest > 0) {
                digit |= 0x80;
            }
            out.put((byte) digit);
        } while (rest > 0);
    }

    private static void putString(final ByteBuffer out, final byte[] utf8) {
        out.putShort((short) utf8.length);
        out.put(utf8);
    }

    private static int frameLength(final int remaining) {
        return 1 + varIntLength(remaining) + remaining;
    }

    // ---- CONNECT ----

    private static int connectRemaining(final MqttVersion version, final byte[] clientId, final Credentials credentials,
                                        final long sessionExpiry) {
        // protocol name + level + flags + keep alive (+ properties) + client id (+ user name, password)
        return PROTOCOL_NAME.length + 1 + 1 + 2 + (version.isV5() ? 1 + expiryPropertyLength(sessionExpiry) : 0) + 2
                + clientId.length + credentials.encodedLength();
    }

    /** 5.0: the Session Expiry Interval property (identifier and four bytes), when the session outlives the connection. */
    private static int expiryPropertyLength(final long sessionExpiry) {
        return sessionExpiry == 0 ? 0 : 5;
    }

    static int connectLength(final MqttVersion version, final String clientId, final Credentials credentials,
                             final long sessionExpiry) {
        return frameLength(connectRemaining(version, clientId.getBytes(StandardCharsets.UTF_8), credentials,
                sessionExpiry));
    }

    /**
     * CONNECT with no will and the credentials if any. {@code sessionExpiry} 0: Clean Session /
     * Clean Start set, the session ends with the connection (the default); above 0 the session is
     * kept (3.1.1 CleanSession 0; 5.0 Clean Start 0 and that Session Expiry Interval, seconds).
     */
    static void connect(final ByteBuffer out, final MqttVersion version, final String clientId, final int keepAliveSeconds,
                        final Credentials credentials, final long sessionExpiry) {
        final byte[] id = clientId.getBytes(StandardCharsets.UTF_8);
        out.put((byte) (PacketType.CONNECT << 4));
        putVarInt(out, connectRemaining(version, id, credentials, sessionExpiry));
        out.put(PROTOCOL_NAME);
        out.put((byte) version.level);
        out.put((byte) ((sessionExpiry == 0 ? 0x02 : 0) | credentials.flags())); // Clean Session / Clean Start
        out.putShort((short) keepAliveSeconds);
        if (version.isV5()) {
            out.put((byte) expiryPropertyLength(sessionExpiry));
            if (sessionExpiry != 0) {
                out.put((byte) 0x11).putInt((int) sessionExpiry); // Session Expiry Interval
            }
        }
        putString(out, id);
        if (credentials.username() != null) {
            putString(out, credentials.username());
        }
        if (credentials.password() != null) {
            putString(out, credentials.password());
        }
    }

    // ---- SUBSCRIBE ----

    private static int subscribeRemaining(final MqttVersion version, final byte[] filter) {
        return 2 + (version.isV5() ? 1 : 0) + 2 + filter.length + 1;
    }

    static int subscribeLength(final MqttVersion version, final String filter) {
        return frameLength(subscribeRemaining(version, filter.getBytes(StandardCharsets.UTF_8)));
    }

    static void subscribe(final ByteBuffer out, final MqttVersion version, final int packetId, final String filter, final int qos) {
        final byte[] f = filter.getBytes(StandardCharsets.UTF_8);
        out.put((byte) (PacketType.SUBSCRIBE << 4 | 0x02)); // reserved flags 0010 [MQTT-3.8.1-1]
        putVarInt(out, subscribeRemaining(version, f));
        out.putShort((short) packetId);
        if (version.isV5()) {
            out.put((byte) 0);
        }
        putString(out, f);
        out.put((byte) qos); // 5.0 options: No Local 0, Retain As Published 0, Retain Handling 0
    }

    // ---- PUBLISH ----

    private static int publishRemaining(final MqttVersion version, final int qos, final int topicLength, final int payloadLength) {
        return 2 + topicLength + (qos > 0 ? 2 : 0) + (version.isV5() ? 1 : 0) + payloadLength;
    }

    static int publishLength(final MqttVersion version, final int qos, final int topicLength, final int payloadLength) {
        return frameLength(publishRemaining(version, qos, topicLength, payloadLength));
    }

    /** Fixed and variable header of a PUBLISH; the caller writes exactly {@code payloadLength} bytes next. */
    static void publishHeader(final ByteBuffer out, final MqttVersion version, final int qos, final int packetId,
                              final byte[] topic, final int payloadLength) {
        out.put((byte) (PacketType.PUBLISH << 4 | qos << 1));
        putVarInt(out, publishRemaining(version, qos, topic.length, payloadLength));
        putString(out, topic);
        if (qos > 0) {
            out.putShort((short) packetId);
        }
        if (version.isV5()) {
            out.put((byte) 0);
        }
    }

    // ---- PUBACK / PUBREC / PUBREL / PUBCOMP ----

    static final int ACK_LENGTH = 4;

    /** A 4-byte acknowledgement; PUBREL carries the reserved flags 0010 [MQTT-3.6.1-1]. */
    static void ack(final ByteBuffer out, final int type, final int packetId) {
        out.put((byte) (type << 4 | (type == PacketType.PUBREL ? 0x02 : 0)));
        out.put((byte) 2);
        out.putShort((short) packetId);
    }

    // ---- PINGREQ / DISCONNECT ----

    static final int PINGREQ_LENGTH = 2;

    static void pingReq(final ByteBuffer out) {
        out.put((byte) (PacketType.PINGREQ << 4));
        out.put((byte) 0);
    }

    static final int DISCONNECT_LENGTH = 2;

    /** DISCONNECT; in 5.0 a remaining length of 0 means Normal disconnection (0x00). */
    static void disconnect(final ByteBuffer out) {
        out.put((byte) (PacketType.DISCONNECT << 4));
        out.put((byte) 0);
    }
}
