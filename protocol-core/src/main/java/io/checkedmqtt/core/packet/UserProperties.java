package io.checkedmqtt.core.packet;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The User Properties of one property list, in order [v5 MQTT-3.3.2-17], kept in their wire form:
 * one array holding, per property, the identifier byte 0x26, then the name and the value, each a
 * two-byte length and its UTF-8 bytes (5.0 section 1.5.7). However many there are, they take the
 * bytes they took on the wire and one object: a list of name/value objects would take about fifteen
 * times that for short strings (two strings and a pair object each). They are read back as
 * {@link Property.UserProperty} objects only when asked ({@link #toList()}); passing a message on
 * writes the array as it is [v5 MQTT-3.3.2-18].
 */
public final class UserProperties {

    public static final UserProperties NONE = new UserProperties(new byte[0], 0);

    private static final int IDENTIFIER = 0x26;
    private static final int MAXIMUM_STRING_BYTES = 65_535;

    private final byte[] wire;
    private final int count;

    private UserProperties(byte[] wire, int count) {
        this.wire = wire;
        this.count = count;
    }

    /**
     * User Properties as the decoder read them: {@code wire} holds {@code count} of them in the
     * form above, each string already checked to be a valid MQTT string. The array is kept, not
     * copied: the caller never writes it again.
     */
    public static UserProperties fromWire(byte[] wire, int count) {
        return count == 0 ? NONE : new UserProperties(wire, count);
    }

    /**
     * These name/value pairs in their wire form.
     *
     * @throws IllegalArgumentException if a name or value holds U+0000 or an unpaired surrogate,
     *                                  or takes more than 65,535 bytes: no MQTT string may
     */
    public static UserProperties of(List<Property.UserProperty> properties) {
        if (properties.isEmpty()) {
            return NONE;
        }
        byte[][] strings = new byte[properties.size() * 2][];
        int size = 0;
        for (int i = 0; i < properties.size(); i++) {
            strings[2 * i] = utf8(properties.get(i).name());
            strings[2 * i + 1] = utf8(properties.get(i).value());
            size += 1 + 2 + strings[2 * i].length + 2 + strings[2 * i + 1].length;
        }
        ByteBuffer out = ByteBuffer.allocate(size);
        for (int i = 0; i < strings.length; i += 2) {
            out.put((byte) IDENTIFIER);
            out.putShort((short) strings[i].length).put(strings[i]);
            out.putShort((short) strings[i + 1].length).put(strings[i + 1]);
        }
        return new UserProperties(out.array(), properties.size());
    }

    private static byte[] utf8(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == 0) {
                throw new IllegalArgumentException("U+0000 is not allowed in an MQTT string [MQTT-1.5.4-2]");
            }
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw new IllegalArgumentException("unpaired surrogate in an MQTT string [MQTT-1.5.4-1]");
            }
        }
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        if (bytes.length > MAXIMUM_STRING_BYTES) {
            throw new IllegalArgumentException("string longer than 65,535 bytes");
        }
        return bytes;
    }

    public int count() {
        return count;
    }

    public boolean isEmpty() {
        return count == 0;
    }

    /** The bytes they take on the wire, identifier bytes included. */
    public int wireSize() {
        return wire.length;
    }

    /** Writes them as they came, identifier bytes included. */
    public void writeTo(ByteBuffer out) {
        out.put(wire);
    }

    /** This list followed by {@code more}. */
    public UserProperties followedBy(UserProperties more) {
        if (more.count == 0) {
            return this;
        }
        if (count == 0) {
            return more;
        }
        byte[] joined = Arrays.copyOf(wire, wire.length + more.wire.length);
        System.arraycopy(more.wire, 0, joined, wire.length, more.wire.length);
        return new UserProperties(joined, count + more.count);
    }

    /** Every pair as an object, in order: made on each call. */
    public List<Property.UserProperty> toList() {
        List<Property.UserProperty> list = new ArrayList<>(count);
        int at = 0;
        while (at < wire.length) {
            at++;   // the identifier byte
            int nameLength = ((wire[at] & 0xFF) << 8) | (wire[at + 1] & 0xFF);
            String name = new String(wire, at + 2, nameLength, StandardCharsets.UTF_8);
            at += 2 + nameLength;
            int valueLength = ((wire[at] & 0xFF) << 8) | (wire[at + 1] & 0xFF);
            String value = new String(wire, at + 2, valueLength, StandardCharsets.UTF_8);
            at += 2 + valueLength;
            list.add(new Property.UserProperty(name, value));
        }
        return list;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof UserProperties other && count == other.count && Arrays.equals(wire, other.wire);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(wire);
    }

    @Override
    public String toString() {
        return count + " user properties (" + wire.length + " bytes)";
    }
}
