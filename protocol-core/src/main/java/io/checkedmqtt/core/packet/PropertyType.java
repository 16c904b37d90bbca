package io.checkedmqtt.core.packet;

/** The wire encodings of MQTT 5.0 property values (spec section 1.5). */
public enum PropertyType {
    BYTE,
    TWO_BYTE_INTEGER,
    FOUR_BYTE_INTEGER,
    VARIABLE_BYTE_INTEGER,
    UTF8_STRING,
    BINARY_DATA,
    UTF8_STRING_PAIR
}
