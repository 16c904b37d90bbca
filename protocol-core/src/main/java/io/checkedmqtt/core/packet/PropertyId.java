package io.checkedmqtt.core.packet;

import java.util.EnumSet;
import java.util.Set;

/**
 * The MQTT 5.0 properties (spec section 2.2.2.2, Table 2-4): identifier, wire type, and where
 * each may appear. A property in a packet that does not allow it is a malformed packet; so is a
 * second copy of any property except User Property and, in PUBLISH, Subscription Identifier.
 */
public enum PropertyId {
    PAYLOAD_FORMAT_INDICATOR(0x01, PropertyType.BYTE, EnumSet.of(PropertyLocation.PUBLISH, PropertyLocation.WILL)),
    MESSAGE_EXPIRY_INTERVAL(0x02, PropertyType.FOUR_BYTE_INTEGER, EnumSet.of(PropertyLocation.PUBLISH, PropertyLocation.WILL)),
    CONTENT_TYPE(0x03, PropertyType.UTF8_STRING, EnumSet.of(PropertyLocation.PUBLISH, PropertyLocation.WILL)),
    RESPONSE_TOPIC(0x08, PropertyType.UTF8_STRING, EnumSet.of(PropertyLocation.PUBLISH, PropertyLocation.WILL)),
    CORRELATION_DATA(0x09, PropertyType.BINARY_DATA, EnumSet.of(PropertyLocation.PUBLISH, PropertyLocation.WILL)),
    SUBSCRIPTION_IDENTIFIER(0x0B, PropertyType.VARIABLE_BYTE_INTEGER, EnumSet.of(PropertyLocation.PUBLISH, PropertyLocation.SUBSCRIBE)),
    SESSION_EXPIRY_INTERVAL(0x11, PropertyType.FOUR_BYTE_INTEGER, EnumSet.of(PropertyLocation.CONNECT, PropertyLocation.CONNACK, PropertyLocation.DISCONNECT)),
    ASSIGNED_CLIENT_IDENTIFIER(0x12, PropertyType.UTF8_STRING, EnumSet.of(PropertyLocation.CONNACK)),
    SERVER_KEEP_ALIVE(0x13, PropertyType.TWO_BYTE_INTEGER, EnumSet.of(PropertyLocation.CONNACK)),
    AUTHENTICATION_METHOD(0x15, PropertyType.UTF8_STRING, EnumSet.of(PropertyLocation.CONNECT, PropertyLocation.CONNACK, PropertyLocation.AUTH)),
    AUTHENTICATION_DATA(0x16, PropertyType.BINARY_DATA, EnumSet.of(PropertyLocation.CONNECT, PropertyLocation.CONNACK, PropertyLocation.AUTH)),
    REQUEST_PROBLEM_INFORMATION(0x17, PropertyType.BYTE, EnumSet.of(PropertyLocation.CONNECT)),
    WILL_DELAY_INTERVAL(0x18, PropertyType.FOUR_BYTE_INTEGER, EnumSet.of(PropertyLocation.WILL)),
    REQUEST_RESPONSE_INFORMATION(0x19, PropertyType.BYTE, EnumSet.of(PropertyLocation.CONNECT)),
    RESPONSE_INFORMATION(0x1A, PropertyType.UTF8_STRING, EnumSet.of(PropertyLocation.CONNACK)),
    SERVER_REFERENCE(0x1C, PropertyType.UTF8_STRING, EnumSet.of(PropertyLocation.CONNACK, PropertyLocation.DISCONNECT)),
    REASON_STRING(0x1F, PropertyType.UTF8_STRING, EnumSet.of(PropertyLocation.CONNACK, PropertyLocation.PUBACK, PropertyLocation.PUBREC, PropertyLocation.PUBREL, PropertyLocation.PUBCOMP, PropertyLocation.SUBACK, PropertyLocation.UNSUBACK, PropertyLocation.DISCONNECT, PropertyLocation.AUTH)),
    RECEIVE_MAXIMUM(0x21, PropertyType.TWO_BYTE_INTEGER, EnumSet.of(PropertyLocation.CONNECT, PropertyLocation.CONNACK)),
    TOPIC_ALIAS_MAXIMUM(0x22, PropertyType.TWO_BYTE_INTEGER, EnumSet.of(PropertyLocation.CONNECT, PropertyLocation.CONNACK)),
    TOPIC_ALIAS(0x23, PropertyType.TWO_BYTE_INTEGER, EnumSet.of(PropertyLocation.PUBLISH)),
    MAXIMUM_QOS(0x24, PropertyType.BYTE, EnumSet.of(PropertyLocation.CONNACK)),
    RETAIN_AVAILABLE(0x25, PropertyType.BYTE, EnumSet.of(PropertyLocation.CONNACK)),
    USER_PROPERTY(0x26, PropertyType.UTF8_STRING_PAIR, EnumSet.of(PropertyLocation.CONNECT, PropertyLocation.CONNACK, PropertyLocation.PUBLISH, PropertyLocation.WILL, PropertyLocation.PUBACK, PropertyLocation.PUBREC, PropertyLocation.PUBREL, PropertyLocation.PUBCOMP, PropertyLocation.SUBSCRIBE, PropertyLocation.SUBACK, PropertyLocation.UNSUBSCRIBE, PropertyLocation.UNSUBACK, PropertyLocation.DISCONNECT, PropertyLocation.AUTH)),
    MAXIMUM_PACKET_SIZE(0x27, PropertyType.FOUR_BYTE_INTEGER, EnumSet.of(PropertyLocation.CONNECT, PropertyLocation.CONNACK)),
    WILDCARD_SUBSCRIPTION_AVAILABLE(0x28, PropertyType.BYTE, EnumSet.of(PropertyLocation.CONNACK)),
    SUBSCRIPTION_IDENTIFIER_AVAILABLE(0x29, PropertyType.BYTE, EnumSet.of(PropertyLocation.CONNACK)),
    SHARED_SUBSCRIPTION_AVAILABLE(0x2A, PropertyType.BYTE, EnumSet.of(PropertyLocation.CONNACK));

    private final int id;
    private final PropertyType type;
    private final Set<PropertyLocation> locations;

    PropertyId(int id, PropertyType type, Set<PropertyLocation> locations) {
        this.id = id;
        this.type = type;
        this.locations = locations;
    }

    /** The identifier byte (encoded on the wire as a Variable Byte Integer). */
    public int id() {
        return id;
    }

    /** How the value is encoded. */
    public PropertyType type() {
        return type;
    }

    /** Whether the spec allows this property in the given place. */
    public boolean allowedIn(PropertyLocation location) {
        return locations.contains(location);
    }

    /** Whether some property list may hold this property more than once (see {@link #mayRepeatIn}). */
    public boolean mayRepeat() {
        return this == USER_PROPERTY || this == SUBSCRIPTION_IDENTIFIER;
    }

    /**
     * Whether the property list at this location may hold this property more than once: User
     * Property anywhere, Subscription Identifier only in PUBLISH (a SUBSCRIBE carries at most one,
     * 5.0 section 3.8.2.1.2).
     */
    public boolean mayRepeatIn(PropertyLocation location) {
        return this == USER_PROPERTY || (this == SUBSCRIPTION_IDENTIFIER && location == PropertyLocation.PUBLISH);
    }

    /** The property with this identifier, or null when there is none. */
    public static PropertyId of(int id) {
        return switch (id) {
            case 0x01 -> PAYLOAD_FORMAT_INDICATOR;
            case 0x02 -> MESSAGE_EXPIRY_INTERVAL;
            case 0x03 -> CONTENT_TYPE;
            case 0x08 -> RESPONSE_TOPIC;
            case 0x09 -> CORRELATION_DATA;
            case 0x0B -> SUBSCRIPTION_IDENTIFIER;
            case 0x11 -> SESSION_EXPIRY_INTERVAL;
            case 0x12 -> ASSIGNED_CLIENT_IDENTIFIER;
            case 0x13 -> SERVER_KEEP_ALIVE;
            case 0x15 -> AUTHENTICATION_METHOD;
            case 0x16 -> AUTHENTICATION_DATA;
            case 0x17 -> REQUEST_PROBLEM_INFORMATION;
            case 0x18 -> WILL_DELAY_INTERVAL;
            case 0x19 -> REQUEST_RESPONSE_INFORMATION;
            case 0x1A -> RESPONSE_INFORMATION;
            case 0x1C -> SERVER_REFERENCE;
            case 0x1F -> REASON_STRING;
            case 0x21 -> RECEIVE_MAXIMUM;
            case 0x22 -> TOPIC_ALIAS_MAXIMUM;
            case 0x23 -> TOPIC_ALIAS;
            case 0x24 -> MAXIMUM_QOS;
            case 0x25 -> RETAIN_AVAILABLE;
            case 0x26 -> USER_PROPERTY;
            case 0x27 -> MAXIMUM_PACKET_SIZE;
            case 0x28 -> WILDCARD_SUBSCRIPTION_AVAILABLE;
            case 0x29 -> SUBSCRIPTION_IDENTIFIER_AVAILABLE;
            case 0x2A -> SHARED_SUBSCRIPTION_AVAILABLE;
            default -> null;
        };
    }
}
