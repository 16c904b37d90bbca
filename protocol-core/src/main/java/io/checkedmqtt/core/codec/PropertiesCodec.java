package io.checkedmqtt.core.codec;

import io.checkedmqtt.core.packet.Properties;
import io.checkedmqtt.core.packet.Property;
import io.checkedmqtt.core.packet.PropertyId;
import io.checkedmqtt.core.packet.PropertyLocation;
import io.checkedmqtt.core.packet.PropertyType;
import io.checkedmqtt.core.packet.ProtocolVersion;
import io.checkedmqtt.core.packet.ReasonCode;
import io.checkedmqtt.core.packet.UserProperties;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * MQTT 5.0 properties (section 2.2.2): a Variable Byte Integer length, then identifier / value
 * pairs. Decoding enforces Table 2-4: an identifier the spec does not define, or one the packet
 * does not allow, is a Malformed Packet; a second copy of a property is a Protocol Error except
 * for User Property and, in PUBLISH only, Subscription Identifier. Values with a fixed range
 * are checked where the spec calls a wrong value a Protocol Error.
 */
final class PropertiesCodec {

    private static final ProtocolVersion V5 = ProtocolVersion.MQTT_5;

    private PropertiesCodec() {
    }

    // ---------------------------------------------------------------- decoding

    static Properties read(ByteBuffer in, PropertyLocation location) {
        int length = VariableByteInteger.read(in, "Property Length");
        if (length == 0) {
            return Properties.EMPTY;
        }
        if (length > in.remaining()) {
            throw DecodeFailure.truncated("Property list");
        }
        int frameLimit = in.limit();
        int start = in.position();
        in.limit(start + length);
        List<Property> singles = new ArrayList<>(4);
        int[] subscriptionIds = null;
        int idCount = 0;
        // User Properties are copied in their wire form into one array as long as the list (bytes that
        // have arrived, not a length a header states), trimmed at the end
        byte[] users = null;
        int usersLength = 0;
        int userCount = 0;
        long seen = 0; // one bit per identifier; all identifiers are below 64
        while (in.hasRemaining()) {
            int propertyStart = in.position();
            int idValue = VariableByteInteger.read(in, "Property Identifier");
            PropertyId id = PropertyId.of(idValue);
            if (id == null) {
                throw DecodeFailure.malformed("5.0 section 2.2.2.2",
                        "unknown Property Identifier 0x" + Integer.toHexString(idValue));
            }
            if (!id.allowedIn(location)) {
                throw DecodeFailure.malformed("5.0 section 2.2.2.2", id + " is not allowed in " + location);
            }
            long bit = 1L << id.id();
            if ((seen & bit) != 0 && !id.mayRepeatIn(location)) {
                throw DecodeFailure.protocolError("5.0 section 2.2.2.2", id + " appears more than once in " + location);
            }
            seen |= bit;
            if (id == PropertyId.USER_PROPERTY) {
                WireReader.checkUtf8(in, V5, "User Property name");
                WireReader.checkUtf8(in, V5, "User Property value");
                if (users == null) {
                    users = new byte[length];
                }
                int size = in.position() - propertyStart;
                in.get(propertyStart, users, usersLength, size);
                usersLength += size;
                userCount++;
            } else if (id == PropertyId.SUBSCRIPTION_IDENTIFIER) {
                if (subscriptionIds == null || idCount == subscriptionIds.length) {
                    subscriptionIds = subscriptionIds == null ? new int[2] : Arrays.copyOf(subscriptionIds, idCount * 2);
                }
                subscriptionIds[idCount++] = (int) ((Property.IntegerProperty) readValue(in, id)).value();
            } else {
                singles.add(readValue(in, id));
            }
        }
        in.limit(frameLimit);
        Properties properties = Properties.of(singles, subscriptionIds == null ? new int[0]
                : Arrays.copyOf(subscriptionIds, idCount), users == null ? UserProperties.NONE
                : UserProperties.fromWire(usersLength == users.length ? users : Arrays.copyOf(users, usersLength),
                userCount));
        if (properties.contains(PropertyId.AUTHENTICATION_DATA) && !properties.contains(PropertyId.AUTHENTICATION_METHOD)) {
            throw DecodeFailure.protocolError("5.0 section 3.1.2.11.10",
                    "Authentication Data without an Authentication Method");
        }
        return properties;
    }

    private static Property readValue(ByteBuffer in, PropertyId id) {
        String field = id.toString();
        return switch (id.type()) {
            case BYTE -> checked(id, WireReader.unsignedByte(in, field));
            case TWO_BYTE_INTEGER -> checked(id, WireReader.twoByteInteger(in, field));
            case FOUR_BYTE_INTEGER -> checked(id, WireReader.fourByteInteger(in, field));
            case VARIABLE_BYTE_INTEGER -> checked(id, VariableByteInteger.read(in, field));
            case UTF8_STRING -> {
                String value = WireReader.utf8(in, V5, field);
                if (id == PropertyId.RESPONSE_TOPIC) {
                    WireReader.checkTopicName(value, "MQTT-3.3.2-14", "Response Topic");
                }
                yield new Property.StringProperty(id, value);
            }
            case BINARY_DATA -> new Property.BinaryProperty(id, WireReader.binary(in, field));
            case UTF8_STRING_PAIR -> throw new IllegalStateException("User Properties are kept in their wire form");
        };
    }

    /** The value rules the spec states per property (section 3.x.2.x); breaking them is a Protocol Error. */
    private static Property checked(PropertyId id, long value) {
        switch (id) {
            case PAYLOAD_FORMAT_INDICATOR, REQUEST_PROBLEM_INFORMATION, REQUEST_RESPONSE_INFORMATION, MAXIMUM_QOS,
                 RETAIN_AVAILABLE, WILDCARD_SUBSCRIPTION_AVAILABLE, SUBSCRIPTION_IDENTIFIER_AVAILABLE,
                 SHARED_SUBSCRIPTION_AVAILABLE -> {
                if (value > 1) {
                    throw DecodeFailure.protocolError("5.0 section 3 (" + id + ")", id + " must be 0 or 1, was " + value);
                }
            }
            case RECEIVE_MAXIMUM, MAXIMUM_PACKET_SIZE, SUBSCRIPTION_IDENTIFIER -> {
                if (value == 0) {
                    throw DecodeFailure.protocolError("5.0 section 3 (" + id + ")", id + " must not be 0");
                }
            }
            case TOPIC_ALIAS -> {
                if (value == 0) {
                    throw DecodeFailure.of(ReasonCode.TOPIC_ALIAS_INVALID, "MQTT-3.3.2-8", "Topic Alias is 0");
                }
            }
            default -> {
                // any value of the wire type is allowed
            }
        }
        return new Property.IntegerProperty(id, value);
    }

    // ---------------------------------------------------------------- encoding

    /** The size of the property list including its Property Length prefix. */
    static int size(Properties properties) {
        int body = bodySize(properties);
        return VariableByteInteger.size(body) + body;
    }

    static void write(Properties properties, ByteBuffer out) {
        if (properties.isEmpty()) {
            out.put((byte) 0);
            return;
        }
        VariableByteInteger.write(bodySize(properties), out);
        for (Property p : properties.singles()) {
            out.put((byte) p.id().id());
            writeValue(p, out);
        }
        for (int id : properties.subscriptionIdentifiers()) {
            out.put((byte) PropertyId.SUBSCRIPTION_IDENTIFIER.id());
            VariableByteInteger.write(id, out);
        }
        properties.users().writeTo(out);
    }

    private static int bodySize(Properties properties) {
        if (properties.isEmpty()) {
            return 0;
        }
        int size = 0;
        for (Property p : properties.singles()) {
            size += 1 + valueSize(p); // every identifier is below 128: one byte
        }
        for (int id : properties.subscriptionIdentifiers()) {
            inRange(PropertyId.SUBSCRIPTION_IDENTIFIER, id, VariableByteInteger.MAXIMUM, 0);
            size += 1 + VariableByteInteger.size(id);
        }
        return size + properties.users().wireSize();
    }

    private static int valueSize(Property p) {
        PropertyId id = p.id();
        if (p instanceof Property.StringProperty sp && id.type() == PropertyType.UTF8_STRING) {
            return WireWriter.utf8Size(sp.value());
        }
        if (p instanceof Property.BinaryProperty bp && id.type() == PropertyType.BINARY_DATA) {
            return WireWriter.binarySize(bp.value());
        }
        if (p instanceof Property.IntegerProperty ip) {
            long v = ip.value();
            return switch (id.type()) {
                case BYTE -> inRange(id, v, 0xFF, 1);
                case TWO_BYTE_INTEGER -> inRange(id, v, 0xFFFF, 2);
                case FOUR_BYTE_INTEGER -> inRange(id, v, 0xFFFF_FFFFL, 4);
                case VARIABLE_BYTE_INTEGER -> {
                    inRange(id, v, VariableByteInteger.MAXIMUM, 0);
                    yield VariableByteInteger.size((int) v);
                }
                default -> throw new IllegalArgumentException(id + " does not hold an integer");
            };
        }
        throw new IllegalArgumentException(id + " has a value of the wrong type: " + p);
    }

    private static int inRange(PropertyId id, long value, long maximum, int size) {
        if (value < 0 || value > maximum) {
            throw new IllegalArgumentException(id + " out of range: " + value);
        }
        return size;
    }

    private static void writeValue(Property p, ByteBuffer out) {
        if (p instanceof Property.StringProperty sp) {
            WireWriter.utf8(sp.value(), out);
        } else if (p instanceof Property.BinaryProperty bp) {
            WireWriter.binary(bp.value(), out);
        } else if (p instanceof Property.IntegerProperty ip) {
            long v = ip.value();
            switch (ip.id().type()) {
                case BYTE -> out.put((byte) v);
                case TWO_BYTE_INTEGER -> out.putShort((short) v);
                case FOUR_BYTE_INTEGER -> out.putInt((int) v);
                default -> VariableByteInteger.write((int) v, out);
            }
        }
    }
}
