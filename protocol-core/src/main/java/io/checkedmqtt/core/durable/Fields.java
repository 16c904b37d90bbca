package io.checkedmqtt.core.durable;

import io.checkedmqtt.core.packet.Properties;
import io.checkedmqtt.core.packet.Property;
import io.checkedmqtt.core.packet.PropertyId;
import io.checkedmqtt.core.packet.ProtocolVersion;
import io.checkedmqtt.core.packet.Publish;
import io.checkedmqtt.core.packet.QoS;
import io.checkedmqtt.core.packet.SubscriptionOptions;
import io.checkedmqtt.core.packet.Will;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The fields records are made of, written big-endian: strings and byte arrays with a four-byte
 * length, then Publish, Will, properties and subscription options built from them. Not the MQTT
 * wire format: a stored message keeps what no packet can carry (a retained QoS 2 message without
 * a packet identifier), and a field's length is never limited to 65,535 bytes.
 *
 * <p>Every {@code size} is an upper bound of what the matching {@code write} puts out (a char
 * takes at most three UTF-8 bytes), so the shell can make room before writing.
 */
final class Fields {

    private static final int PROPERTY_INTEGER = 0;
    private static final int PROPERTY_STRING = 1;
    private static final int PROPERTY_BINARY = 2;
    private static final int PROPERTY_USER = 3;

    private Fields() {
    }

    static int stringSize(String s) {
        return 4 + 3 * s.length();
    }

    static void string(String s, ByteBuffer out) {
        bytes(s.getBytes(StandardCharsets.UTF_8), out);
    }

    static String string(ByteBuffer in) {
        return new String(bytes(in), StandardCharsets.UTF_8);
    }

    static int bytesSize(byte[] b) {
        return 4 + b.length;
    }

    static void bytes(byte[] b, ByteBuffer out) {
        out.putInt(b.length);
        out.put(b);
    }

    static byte[] bytes(ByteBuffer in) {
        int length = in.getInt();
        if (length < 0 || length > in.remaining()) {
            throw new RecordFormatException("a field of " + length + " bytes with " + in.remaining() + " left");
        }
        byte[] b = new byte[length];
        in.get(b);
        return b;
    }

    static void version(ProtocolVersion v, ByteBuffer out) {
        out.put((byte) v.level());
    }

    static ProtocolVersion version(ByteBuffer in) {
        int level = in.get();
        ProtocolVersion v = ProtocolVersion.ofLevel(level);
        if (v == null) {
            throw new RecordFormatException("protocol level " + level);
        }
        return v;
    }

    static QoS qos(ByteBuffer in) {
        int value = in.get();
        if (value < 0 || value > 2) {
            throw new RecordFormatException("QoS " + value);
        }
        return QoS.of(value);
    }

    static int publishSize(Publish p) {
        return stringSize(p.topic()) + bytesSize(p.payload()) + 1 + 1 + 2 + propertiesSize(p.properties());
    }

    static void publish(Publish p, ByteBuffer out) {
        string(p.topic(), out);
        bytes(p.payload(), out);
        out.put((byte) p.qos().value());
        out.put((byte) ((p.retain() ? 1 : 0) | (p.dup() ? 2 : 0)));
        out.putShort((short) p.packetId());
        properties(p.properties(), out);
    }

    static Publish publish(ByteBuffer in) {
        String topic = string(in);
        byte[] payload = bytes(in);
        QoS qos = qos(in);
        int flags = in.get();
        int packetId = Short.toUnsignedInt(in.getShort());
        return new Publish(topic, payload, qos, (flags & 1) != 0, (flags & 2) != 0, packetId, properties(in));
    }

    /** A will, or none: one byte says which. */
    static int willSize(Will w) {
        return 1 + (w == null ? 0 : stringSize(w.topic()) + bytesSize(w.payload()) + 2 + propertiesSize(w.properties()));
    }

    static void will(Will w, ByteBuffer out) {
        if (w == null) {
            out.put((byte) 0);
            return;
        }
        out.put((byte) 1);
        string(w.topic(), out);
        bytes(w.payload(), out);
        out.put((byte) w.qos().value());
        out.put((byte) (w.retain() ? 1 : 0));
        properties(w.properties(), out);
    }

    static Will will(ByteBuffer in) {
        if (in.get() == 0) {
            return null;
        }
        String topic = string(in);
        byte[] payload = bytes(in);
        QoS qos = qos(in);
        boolean retain = in.get() != 0;
        return new Will(topic, payload, qos, retain, properties(in));
    }

    static void options(SubscriptionOptions o, ByteBuffer out) {
        out.put((byte) o.maxQos().value());
        out.put((byte) ((o.noLocal() ? 1 : 0) | (o.retainAsPublished() ? 2 : 0)));
        out.put((byte) o.retainHandling().value());
    }

    static SubscriptionOptions options(ByteBuffer in) {
        QoS qos = qos(in);
        int flags = in.get();
        int handling = in.get();
        if (handling < 0 || handling > 2) {
            throw new RecordFormatException("retain handling " + handling);
        }
        return new SubscriptionOptions(qos, (flags & 1) != 0, (flags & 2) != 0,
                SubscriptionOptions.RetainHandling.values()[handling]);
    }

    static int propertiesSize(Properties properties) {
        int size = 4;
        for (Property p : properties.asList()) {
            size += 2;
            if (p instanceof Property.IntegerProperty) {
                size += 8;
            } else if (p instanceof Property.StringProperty s) {
                size += stringSize(s.value());
            } else if (p instanceof Property.BinaryProperty b) {
                size += bytesSize(b.value());
            } else if (p instanceof Property.UserProperty u) {
                size += stringSize(u.name()) + stringSize(u.value());
            }
        }
        return size;
    }

    static void properties(Properties properties, ByteBuffer out) {
        out.putInt(properties.size());
        for (Property p : properties.asList()) {
            out.put((byte) p.id().id());
            if (p instanceof Property.IntegerProperty i) {
                out.put((byte) PROPERTY_INTEGER).putLong(i.value());
            } else if (p instanceof Property.StringProperty s) {
                out.put((byte) PROPERTY_STRING);
                string(s.value(), out);
            } else if (p instanceof Property.BinaryProperty b) {
                out.put((byte) PROPERTY_BINARY);
                bytes(b.value(), out);
            } else if (p instanceof Property.UserProperty u) {
                out.put((byte) PROPERTY_USER);
                string(u.name(), out);
                string(u.value(), out);
            }
        }
    }

    static Properties properties(ByteBuffer in) {
        int count = in.getInt();
        if (count < 0 || count > in.remaining()) {
            throw new RecordFormatException(count + " properties with " + in.remaining() + " bytes left");
        }
        List<Property> list = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int code = in.get() & 0xff;
            PropertyId id = PropertyId.of(code);
            if (id == null) {
                throw new RecordFormatException("property identifier " + code);
            }
            int kind = in.get();
            list.add(switch (kind) {
                case PROPERTY_INTEGER -> new Property.IntegerProperty(id, in.getLong());
                case PROPERTY_STRING -> new Property.StringProperty(id, string(in));
                case PROPERTY_BINARY -> new Property.BinaryProperty(id, bytes(in));
                case PROPERTY_USER -> new Property.UserProperty(string(in), string(in));
                default -> throw new RecordFormatException("property kind " + kind);
            });
        }
        return Properties.of(list);
    }
}
