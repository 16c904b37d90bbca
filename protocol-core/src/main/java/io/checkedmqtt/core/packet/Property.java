package io.checkedmqtt.core.packet;

import java.util.Arrays;

/** One MQTT 5.0 property: its identifier and a value of the matching wire type. */
public sealed interface Property {

    PropertyId id();

    /** Byte, Two Byte Integer, Four Byte Integer or Variable Byte Integer properties. */
    record IntegerProperty(PropertyId id, long value) implements Property {
    }

    /** UTF-8 Encoded String properties. */
    record StringProperty(PropertyId id, String value) implements Property {
    }

    /** Binary Data properties. The array is never written after construction. */
    record BinaryProperty(PropertyId id, byte[] value) implements Property {
        @Override
        public boolean equals(Object o) {
            return o instanceof BinaryProperty other && id == other.id && Arrays.equals(value, other.value);
        }

        @Override
        public int hashCode() {
            return 31 * id.hashCode() + Arrays.hashCode(value);
        }

        @Override
        public String toString() {
            return "BinaryProperty[" + id + ", " + value.length + " bytes]";
        }
    }

    /** A User Property: a name/value pair; may repeat, and its order is kept [MQTT-3.3.2-18]. */
    record UserProperty(String name, String value) implements Property {
        @Override
        public PropertyId id() {
            return PropertyId.USER_PROPERTY;
        }
    }
}
