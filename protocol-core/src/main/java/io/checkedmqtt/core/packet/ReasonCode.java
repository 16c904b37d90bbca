package io.checkedmqtt.core.packet;

import java.util.EnumSet;
import java.util.Set;

/**
 * The MQTT 5.0 reason codes (spec section 2.4, Table 2-6), with their numeric values, their
 * names as the spec prints them, and the packets each may appear in. Several codes share a
 * value (0x00 is Success, Normal disconnection or Granted QoS 0 depending on the packet), so
 * decoding needs the packet type: {@link #of(int, PacketType)}.
 *
 * <p>MQTT 3.1.1 has a smaller vocabulary; the codec maps it onto these constants, so the rest
 * of the core sees one type. CONNACK return codes 1..5 map to {@link #UNSUPPORTED_PROTOCOL_VERSION},
 * {@link #CLIENT_IDENTIFIER_NOT_VALID}, {@link #SERVER_UNAVAILABLE}, {@link #BAD_USER_NAME_OR_PASSWORD}
 * and {@link #NOT_AUTHORIZED}; the SUBACK failure code 0x80 is {@link #UNSPECIFIED_ERROR}.
 */
public enum ReasonCode {
    SUCCESS(0x00, "Success", EnumSet.of(PacketType.CONNACK, PacketType.PUBACK, PacketType.PUBREC, PacketType.PUBREL, PacketType.PUBCOMP, PacketType.UNSUBACK, PacketType.AUTH)),
    NORMAL_DISCONNECTION(0x00, "Normal disconnection", EnumSet.of(PacketType.DISCONNECT)),
    GRANTED_QOS_0(0x00, "Granted QoS 0", EnumSet.of(PacketType.SUBACK)),
    GRANTED_QOS_1(0x01, "Granted QoS 1", EnumSet.of(PacketType.SUBACK)),
    GRANTED_QOS_2(0x02, "Granted QoS 2", EnumSet.of(PacketType.SUBACK)),
    DISCONNECT_WITH_WILL_MESSAGE(0x04, "Disconnect with Will Message", EnumSet.of(PacketType.DISCONNECT)),
    NO_MATCHING_SUBSCRIBERS(0x10, "No matching subscribers", EnumSet.of(PacketType.PUBACK, PacketType.PUBREC)),
    NO_SUBSCRIPTION_EXISTED(0x11, "No subscription existed", EnumSet.of(PacketType.UNSUBACK)),
    CONTINUE_AUTHENTICATION(0x18, "Continue authentication", EnumSet.of(PacketType.AUTH)),
    RE_AUTHENTICATE(0x19, "Re-authenticate", EnumSet.of(PacketType.AUTH)),
    UNSPECIFIED_ERROR(0x80, "Unspecified error", EnumSet.of(PacketType.CONNACK, PacketType.PUBACK, PacketType.PUBREC, PacketType.SUBACK, PacketType.UNSUBACK, PacketType.DISCONNECT)),
    MALFORMED_PACKET(0x81, "Malformed Packet", EnumSet.of(PacketType.CONNACK, PacketType.DISCONNECT)),
    PROTOCOL_ERROR(0x82, "Protocol Error", EnumSet.of(PacketType.CONNACK, PacketType.DISCONNECT)),
    IMPLEMENTATION_SPECIFIC_ERROR(0x83, "Implementation specific error", EnumSet.of(PacketType.CONNACK, PacketType.PUBACK, PacketType.PUBREC, PacketType.SUBACK, PacketType.UNSUBACK, PacketType.DISCONNECT)),
    UNSUPPORTED_PROTOCOL_VERSION(0x84, "Unsupported Protocol Version", EnumSet.of(PacketType.CONNACK)),
    CLIENT_IDENTIFIER_NOT_VALID(0x85, "Client Identifier not valid", EnumSet.of(PacketType.CONNACK)),
    BAD_USER_NAME_OR_PASSWORD(0x86, "Bad User Name or Password", EnumSet.of(PacketType.CONNACK)),
    NOT_AUTHORIZED(0x87, "Not authorized", EnumSet.of(PacketType.CONNACK, PacketType.PUBACK, PacketType.PUBREC, PacketType.SUBACK, PacketType.UNSUBACK, PacketType.DISCONNECT)),
    SERVER_UNAVAILABLE(0x88, "Server unavailable", EnumSet.of(PacketType.CONNACK)),
    SERVER_BUSY(0x89, "Server busy", EnumSet.of(PacketType.CONNACK, PacketType.DISCONNECT)),
    BANNED(0x8A, "Banned", EnumSet.of(PacketType.CONNACK)),
    SERVER_SHUTTING_DOWN(0x8B, "Server shutting down", EnumSet.of(PacketType.DISCONNECT)),
    BAD_AUTHENTICATION_METHOD(0x8C, "Bad authentication method", EnumSet.of(PacketType.CONNACK, PacketType.DISCONNECT)),
    KEEP_ALIVE_TIMEOUT(0x8D, "Keep Alive timeout", EnumSet.of(PacketType.DISCONNECT)),
    SESSION_TAKEN_OVER(0x8E, "Session taken over", EnumSet.of(PacketType.DISCONNECT)),
    TOPIC_FILTER_INVALID(0x8F, "Topic Filter invalid", EnumSet.of(PacketType.SUBACK, PacketType.UNSUBACK, PacketType.DISCONNECT)),
    TOPIC_NAME_INVALID(0x90, "Topic Name invalid", EnumSet.of(PacketType.CONNACK, PacketType.PUBACK, PacketType.PUBREC, PacketType.DISCONNECT)),
    PACKET_IDENTIFIER_IN_USE(0x91, "Packet Identifier in use", EnumSet.of(PacketType.PUBACK, PacketType.PUBREC, PacketType.SUBACK, PacketType.UNSUBACK)),
    PACKET_IDENTIFIER_NOT_FOUND(0x92, "Packet Identifier not found", EnumSet.of(PacketType.PUBREL, PacketType.PUBCOMP)),
    RECEIVE_MAXIMUM_EXCEEDED(0x93, "Receive Maximum exceeded", EnumSet.of(PacketType.DISCONNECT)),
    TOPIC_ALIAS_INVALID(0x94, "Topic Alias invalid", EnumSet.of(PacketType.DISCONNECT)),
    PACKET_TOO_LARGE(0x95, "Packet too large", EnumSet.of(PacketType.CONNACK, PacketType.DISCONNECT)),
    MESSAGE_RATE_TOO_HIGH(0x96, "Message rate too high", EnumSet.of(PacketType.DISCONNECT)),
    QUOTA_EXCEEDED(0x97, "Quota exceeded", EnumSet.of(PacketType.CONNACK, PacketType.PUBACK, PacketType.PUBREC, PacketType.SUBACK, PacketType.DISCONNECT)),
    ADMINISTRATIVE_ACTION(0x98, "Administrative action", EnumSet.of(PacketType.DISCONNECT)),
    PAYLOAD_FORMAT_INVALID(0x99, "Payload format invalid", EnumSet.of(PacketType.CONNACK, PacketType.PUBACK, PacketType.PUBREC, PacketType.DISCONNECT)),
    RETAIN_NOT_SUPPORTED(0x9A, "Retain not supported", EnumSet.of(PacketType.CONNACK, PacketType.DISCONNECT)),
    QOS_NOT_SUPPORTED(0x9B, "QoS not supported", EnumSet.of(PacketType.CONNACK, PacketType.DISCONNECT)),
    USE_ANOTHER_SERVER(0x9C, "Use another server", EnumSet.of(PacketType.CONNACK, PacketType.DISCONNECT)),
    SERVER_MOVED(0x9D, "Server moved", EnumSet.of(PacketType.CONNACK, PacketType.DISCONNECT)),
    SHARED_SUBSCRIPTIONS_NOT_SUPPORTED(0x9E, "Shared Subscriptions not supported", EnumSet.of(PacketType.SUBACK, PacketType.DISCONNECT)),
    CONNECTION_RATE_EXCEEDED(0x9F, "Connection rate exceeded", EnumSet.of(PacketType.CONNACK, PacketType.DISCONNECT)),
    MAXIMUM_CONNECT_TIME(0xA0, "Maximum connect time", EnumSet.of(PacketType.DISCONNECT)),
    SUBSCRIPTION_IDENTIFIERS_NOT_SUPPORTED(0xA1, "Subscription Identifiers not supported", EnumSet.of(PacketType.SUBACK, PacketType.DISCONNECT)),
    WILDCARD_SUBSCRIPTIONS_NOT_SUPPORTED(0xA2, "Wildcard Subscriptions not supported", EnumSet.of(PacketType.SUBACK, PacketType.DISCONNECT));

    private final int value;
    private final String specName;
    private final Set<PacketType> packets;

    ReasonCode(int value, String specName, Set<PacketType> packets) {
        this.value = value;
        this.specName = specName;
        this.packets = packets;
    }

    /** The one-byte wire value. */
    public int value() {
        return value;
    }

    /** The name the spec gives this code, for log lines and Reason Strings. */
    public String specName() {
        return specName;
    }

    /** True for 0x80 and above: the operation failed [MQTT 5.0 section 2.4]. */
    public boolean isError() {
        return value >= 0x80;
    }

    /** Whether the spec allows this code in a packet of the given type. */
    public boolean allowedIn(PacketType type) {
        return packets.contains(type);
    }

    /** The code with this value that may appear in a packet of this type, or null if none. */
    public static ReasonCode of(int value, PacketType type) {
        // a switch rather than a scan of values(), which copies the array on every call
        ReasonCode code = switch (value) {
            case 0x00 -> type == PacketType.DISCONNECT ? NORMAL_DISCONNECTION
                    : type == PacketType.SUBACK ? GRANTED_QOS_0 : SUCCESS;
            case 0x01 -> GRANTED_QOS_1;
            case 0x02 -> GRANTED_QOS_2;
            case 0x04 -> DISCONNECT_WITH_WILL_MESSAGE;
            case 0x10 -> NO_MATCHING_SUBSCRIBERS;
            case 0x11 -> NO_SUBSCRIPTION_EXISTED;
            case 0x18 -> CONTINUE_AUTHENTICATION;
            case 0x19 -> RE_AUTHENTICATE;
            case 0x80 -> UNSPECIFIED_ERROR;
            case 0x81 -> MALFORMED_PACKET;
            case 0x82 -> PROTOCOL_ERROR;
            case 0x83 -> IMPLEMENTATION_SPECIFIC_ERROR;
            case 0x84 -> UNSUPPORTED_PROTOCOL_VERSION;
            case 0x85 -> CLIENT_IDENTIFIER_NOT_VALID;
            case 0x86 -> BAD_USER_NAME_OR_PASSWORD;
            case 0x87 -> NOT_AUTHORIZED;
            case 0x88 -> SERVER_UNAVAILABLE;
            case 0x89 -> SERVER_BUSY;
            case 0x8A -> BANNED;
            case 0x8B -> SERVER_SHUTTING_DOWN;
            case 0x8C -> BAD_AUTHENTICATION_METHOD;
            case 0x8D -> KEEP_ALIVE_TIMEOUT;
            case 0x8E -> SESSION_TAKEN_OVER;
            case 0x8F -> TOPIC_FILTER_INVALID;
            case 0x90 -> TOPIC_NAME_INVALID;
            case 0x91 -> PACKET_IDENTIFIER_IN_USE;
            case 0x92 -> PACKET_IDENTIFIER_NOT_FOUND;
            case 0x93 -> RECEIVE_MAXIMUM_EXCEEDED;
            case 0x94 -> TOPIC_ALIAS_INVALID;
            case 0x95 -> PACKET_TOO_LARGE;
            case 0x96 -> MESSAGE_RATE_TOO_HIGH;
            case 0x97 -> QUOTA_EXCEEDED;
            case 0x98 -> ADMINISTRATIVE_ACTION;
            case 0x99 -> PAYLOAD_FORMAT_INVALID;
            case 0x9A -> RETAIN_NOT_SUPPORTED;
            case 0x9B -> QOS_NOT_SUPPORTED;
            case 0x9C -> USE_ANOTHER_SERVER;
            case 0x9D -> SERVER_MOVED;
            case 0x9E -> SHARED_SUBSCRIPTIONS_NOT_SUPPORTED;
            case 0x9F -> CONNECTION_RATE_EXCEEDED;
            case 0xA0 -> MAXIMUM_CONNECT_TIME;
            case 0xA1 -> SUBSCRIPTION_IDENTIFIERS_NOT_SUPPORTED;
            case 0xA2 -> WILDCARD_SUBSCRIPTIONS_NOT_SUPPORTED;
            default -> null;
        };
        return code != null && code.packets.contains(type) ? code : null;
    }

    /** The SUBACK code that grants the given QoS. */
    public static ReasonCode granted(QoS qos) {
        return switch (qos) {
            case AT_MOST_ONCE -> GRANTED_QOS_0;
            case AT_LEAST_ONCE -> GRANTED_QOS_1;
            case EXACTLY_ONCE -> GRANTED_QOS_2;
        };
    }

    private static final String HEX = "0123456789ABCDEF";

    @Override
    public String toString() {
        // spelled out rather than String.format: a disconnect line names one, for every client
        return "0x" + HEX.charAt((value >> 4) & 0xF) + HEX.charAt(value & 0xF) + " " + specName;
    }
}
