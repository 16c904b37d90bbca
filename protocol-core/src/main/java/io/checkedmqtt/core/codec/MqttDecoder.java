package io.checkedmqtt.core.codec;

import io.checkedmqtt.core.packet.Auth;
import io.checkedmqtt.core.packet.Connack;
import io.checkedmqtt.core.packet.Connect;
import io.checkedmqtt.core.packet.Disconnect;
import io.checkedmqtt.core.packet.PacketType;
import io.checkedmqtt.core.packet.Packet;
import io.checkedmqtt.core.packet.PingReq;
import io.checkedmqtt.core.packet.PingResp;
import io.checkedmqtt.core.packet.Properties;
import io.checkedmqtt.core.packet.ProtocolVersion;
import io.checkedmqtt.core.packet.PubAck;
import io.checkedmqtt.core.packet.PubComp;
import io.checkedmqtt.core.packet.PubRec;
import io.checkedmqtt.core.packet.PubRel;
import io.checkedmqtt.core.packet.Publish;
import io.checkedmqtt.core.packet.ReasonCode;
import io.checkedmqtt.core.packet.SubAck;
import io.checkedmqtt.core.packet.Subscribe;
import io.checkedmqtt.core.packet.UnsubAck;
import io.checkedmqtt.core.packet.Unsubscribe;

import java.nio.ByteBuffer;

/**
 * The incremental MQTT decoder: give it whatever bytes have arrived, and it answers
 * {@link DecodeResult.NeedMoreBytes}, one {@link DecodeResult.Decoded} packet, or a
 * {@link DecodeResult.DecodeError} naming the reason code and the normative statement broken.
 *
 * <p>Driving contract: call {@link #decode} with the connection's read buffer in read mode
 * (position at the first unconsumed byte). On {@code Decoded}, exactly the frame has been
 * consumed; call again, since more frames may follow. On {@code NeedMoreBytes} or
 * {@code DecodeError}, the buffer's position and limit are as they were. Pass the version the
 * CONNECT established, or null before that: then only CONNECT is accepted, and its Protocol
 * Level says how to read it. An unknown level or protocol name comes back as an error carrying
 * Unsupported Protocol Version, so the session can answer CONNACK 0x01 / 0x84 [MQTT-3.1.2-2].
 * A CONNECT after the first is decoded like any packet; refusing it [MQTT-3.1.0-2] is the
 * session's business. So are the rules that need connection state (Topic Alias maximum,
 * Receive Maximum, Subscription Identifier from a client) and Topic Filter syntax.
 *
 * <p>Guarantees, for any input: it never throws, reads only between position and limit, does
 * work linear in one frame, and refuses a frame larger than the configured maximum from its
 * fixed header alone, before the body has arrived (3.1.2.11.4 and 4.13 in 5.0). The decoder holds
 * no state beyond its configuration, so one instance may serve every connection.
 *
 * <p>The shell hands the {@link DecodeResult} on as it is: it moves the bytes, the result says
 * what they were.
 */
public final class MqttDecoder {

    private final int maximumPacketSize;
    private final int maximumUserProperties;

    /** A decoder that takes any number of User Properties in a packet. */
    public MqttDecoder(int maximumPacketSize) {
        this(maximumPacketSize, Integer.MAX_VALUE);
    }

    /**
     * @param maximumPacketSize     the largest whole packet (fixed header included) accepted, in bytes;
     *                              at most 268,435,460, the largest MQTT frame
     * @param maximumUserProperties the most User Properties one packet (a CONNECT with its will
     *                              counted as one) may carry; a packet with more is refused with 0x97
     *                              Quota exceeded, which 5.0 defines for "an implementation or
     *                              administrative imposed limit" (section 2.4, Table 2-6)
     */
    public MqttDecoder(int maximumPacketSize, int maximumUserProperties) {
        if (maximumPacketSize < 2) {
            throw new IllegalArgumentException("maximum packet size must be at least 2: " + maximumPacketSize);
        }
        if (maximumUserProperties < 0) {
            throw new IllegalArgumentException("maximum user properties must not be negative: " + maximumUserProperties);
        }
        this.maximumPacketSize = maximumPacketSize;
        this.maximumUserProperties = maximumUserProperties;
    }

    /**
     * Decodes the frame at the buffer's position.
     *
     * @param in      bytes received, in read mode
     * @param version the connection's protocol version, or null while no CONNECT has been accepted
     */
    public DecodeResult decode(ByteBuffer in, ProtocolVersion version) {
        int start = in.position();
        Object outcome = decodeFrame(in, version);
        if (outcome instanceof Packet packet) {
            return new DecodeResult.Decoded(packet, in.position() - start);
        } else if (outcome instanceof DecodeResult.DecodeError error) {
            return version == null ? error : error.withVersion(version);
        }
        return DecodeResult.NeedMoreBytes.INSTANCE;
    }

    /**
     * Answers the {@link Packet} itself (the buffer then sits just past the frame), a
     * {@link DecodeResult.DecodeError}, or {@link DecodeResult.NeedMoreBytes#INSTANCE}. The
     * {@code Decoded} wrapper is made in {@link #decode}, which is small enough for the JIT to
     * inline into the caller, rather than here.
     */
    private Object decodeFrame(ByteBuffer in, ProtocolVersion version) {
        int start = in.position();
        int available = in.remaining();
        if (available < 1) {
            return DecodeResult.NeedMoreBytes.INSTANCE;
        }
        int first = in.get(start) & 0xFF;
        PacketType type = PacketType.of(first >>> 4);
        int flags = first & 0x0F;
        DecodeResult.DecodeError headerError = FixedHeader.check(type, flags, first >>> 4, version);
        if (headerError != null) {
            return headerError;
        }
        long header = remainingLength(in, start, available);
        if (header == HEADER_INCOMPLETE) {
            return DecodeResult.NeedMoreBytes.INSTANCE;
        } else if (header == NOT_MINIMAL) {
            return VariableByteInteger.nonMinimal("Remaining Length").toResult();
        } else if (header == TOO_LONG) {
            return VariableByteInteger.tooLong("Remaining Length").toResult();
        }
        int headerLength = (int) (header >>> 32);
        int value = (int) header;
        int frameLength = headerLength + value;
        if (frameLength > maximumPacketSize) {
            return new DecodeResult.DecodeError(ReasonCode.PACKET_TOO_LARGE,
                    DecodeFailure.id(version, "3.1.1 section 2.2.3 (server limit)", "MQTT-3.2.2-15"),
                    type + " of " + frameLength + " bytes exceeds the maximum packet size " + maximumPacketSize);
        }
        if (available < frameLength) {
            return DecodeResult.NeedMoreBytes.INSTANCE;
        }
        int limit = in.limit();
        int end = start + frameLength;
        in.limit(end).position(start + headerLength);
        try {
            Packet packet = body(type, flags, in, version);
            WireReader.expectEnd(in, type.toString());
            if (maximumUserProperties < Integer.MAX_VALUE && userProperties(packet) > maximumUserProperties) {
                throw DecodeFailure.of(ReasonCode.QUOTA_EXCEEDED, "5.0 section 2.4 (0x97, server limit)", type
                        + " carries " + userProperties(packet) + " User Properties, more than " + maximumUserProperties);
            }
            in.limit(limit).position(end);
            return packet;
        } catch (DecodeFailure failure) {
            in.limit(limit).position(start);
            DecodeResult.DecodeError error = failure.toResult();
            return type == PacketType.CONNECT && version == null
                    ? error.withVersion(connectVersion(in, start + headerLength, end))
                    : error;
        }
    }

    /** What {@link #frameLength} answers while the fixed header has not fully arrived. */
    public static final int HEADER_INCOMPLETE_LENGTH = 0;
    /** What {@link #frameLength} answers for a fixed header {@link #decode} refuses from its bytes alone. */
    public static final int REFUSED_LENGTH = -1;

    private static final long HEADER_INCOMPLETE = -1;
    private static final long NOT_MINIMAL = -2;
    private static final long TOO_LONG = -3;

    /**
     * The length of the frame at the buffer's position, fixed header included, read from its fixed
     * header without consuming anything: what a reader needs to know when to put a frame that
     * arrives in pieces together, without allocating anything before its bytes are there.
     *
     * @return the length, {@link #HEADER_INCOMPLETE_LENGTH} while the fixed header has not fully
     *         arrived, or {@link #REFUSED_LENGTH} when {@link #decode} refuses the frame from its
     *         fixed header (a bad type or flags, a bad Remaining Length, larger than the maximum)
     */
    public int frameLength(ByteBuffer in, ProtocolVersion version) {
        int start = in.position();
        int available = in.remaining();
        if (available < 1) {
            return HEADER_INCOMPLETE_LENGTH;
        }
        int first = in.get(start) & 0xFF;
        if (FixedHeader.check(PacketType.of(first >>> 4), first & 0x0F, first >>> 4, version) != null) {
            return REFUSED_LENGTH;
        }
        long header = remainingLength(in, start, available);
        if (header == HEADER_INCOMPLETE) {
            return HEADER_INCOMPLETE_LENGTH;
        }
        long length = header < 0 ? Long.MAX_VALUE : (header >>> 32) + (int) header;
        return length > maximumPacketSize ? REFUSED_LENGTH : (int) length;
    }

    /**
     * The Remaining Length of the frame at {@code start}, a Variable Byte Integer of at most four
     * bytes, as {@code headerLength << 32 | remainingLength}; or {@link #HEADER_INCOMPLETE},
     * {@link #NOT_MINIMAL} or {@link #TOO_LONG}.
     */
    private static long remainingLength(ByteBuffer in, int start, int available) {
        int value = 0;
        int headerLength = 1;
        while (true) {
            if (headerLength >= available) {
                return HEADER_INCOMPLETE;
            }
            int b = in.get(start + headerLength) & 0xFF;
            value |= (b & 0x7F) << (7 * (headerLength - 1));
            headerLength++;
            if ((b & 0x80) == 0) {
                if (b == 0 && headerLength > 2) {
                    return NOT_MINIMAL;
                }
                return ((long) headerLength << 32) | value;
            }
            if (headerLength == 5) {
                return TOO_LONG;
            }
        }
    }

    /**
     * The version a CONNECT body starting at {@code from} states by its Protocol Name and Protocol
     * Level, read without moving the buffer; null when the frame ends before the level or the two
     * do not name a known version.
     */
    private static ProtocolVersion connectVersion(ByteBuffer in, int from, int end) {
        if (end - from < 2) {
            return null;
        }
        int nameLength = ((in.get(from) & 0xFF) << 8) | (in.get(from + 1) & 0xFF);
        int levelAt = from + 2 + nameLength;
        if (levelAt >= end) {
            return null;
        }
        ProtocolVersion v = ProtocolVersion.ofLevel(in.get(levelAt) & 0xFF);
        if (v == null || v.protocolName().length() != nameLength) {
            return null;
        }
        for (int i = 0; i < nameLength; i++) {
            if (in.get(from + 2 + i) != v.protocolName().charAt(i)) {
                return null;
            }
        }
        return v;
    }

    /** How many User Properties a packet carries: a CONNECT's and its will's together. */
    private static int userProperties(Packet packet) {
        Properties properties = switch (packet.type()) {
            case CONNECT -> ((Connect) packet).properties();
            case CONNACK -> ((Connack) packet).properties();
            case PUBLISH -> ((Publish) packet).properties();
            case PUBACK -> ((PubAck) packet).properties();
            case PUBREC -> ((PubRec) packet).properties();
            case PUBREL -> ((PubRel) packet).properties();
            case PUBCOMP -> ((PubComp) packet).properties();
            case SUBSCRIBE -> ((Subscribe) packet).properties();
            case SUBACK -> ((SubAck) packet).properties();
            case UNSUBSCRIBE -> ((Unsubscribe) packet).properties();
            case UNSUBACK -> ((UnsubAck) packet).properties();
            case DISCONNECT -> ((Disconnect) packet).properties();
            case AUTH -> ((Auth) packet).properties();
            case PINGREQ, PINGRESP -> Properties.EMPTY;
        };
        int count = properties.users().count();
        if (packet instanceof Connect connect && connect.will() != null) {
            count += connect.will().properties().users().count();
        }
        return count;
    }

    private static Packet body(PacketType type, int flags, ByteBuffer in, ProtocolVersion version) {
        return switch (type) {
            case CONNECT -> ConnectCodec.decode(in, flags);
            case CONNACK -> ConnackCodec.decode(in, version);
            case PUBLISH -> PublishCodec.decode(flags, in, version);
            case PUBACK, PUBREC, PUBREL, PUBCOMP -> PublishAckCodec.decode(type, in, version);
            case SUBSCRIBE -> SubscribeCodec.decode(in, version);
            case SUBACK -> SubAckCodec.decode(in, version);
            case UNSUBSCRIBE -> UnsubscribeCodec.decode(in, version);
            case UNSUBACK -> UnsubAckCodec.decode(in, version);
            case PINGREQ -> PingReq.INSTANCE;
            case PINGRESP -> PingResp.INSTANCE;
            case DISCONNECT -> DisconnectCodec.decode(in, version);
            case AUTH -> AuthCodec.decode(in);
        };
    }
}
