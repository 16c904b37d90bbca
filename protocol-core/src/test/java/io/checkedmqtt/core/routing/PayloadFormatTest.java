package io.checkedmqtt.core.routing;

import io.checkedmqtt.core.packet.Properties;
import io.checkedmqtt.core.packet.Property;
import io.checkedmqtt.core.packet.PropertyId;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PayloadFormatTest {

    private static Properties indicator(int value) {
        return Properties.of(new Property.UserProperty("k", "v"),
                new Property.IntegerProperty(PropertyId.PAYLOAD_FORMAT_INDICATOR, value));
    }

    @Test
    @DisplayName("v5 section 3.3.2.3.2 Payload Format Indicator 1 with ill-formed UTF-8 disagrees with its payload")
    void indicatorOneNeedsUtf8() {
        assertFalse(PayloadFormat.agrees(indicator(1), new byte[] {(byte) 0xC3}), "truncated");
        assertFalse(PayloadFormat.agrees(indicator(1), new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80}), "surrogate");
        assertFalse(PayloadFormat.agrees(indicator(1), new byte[] {(byte) 0xC0, (byte) 0x80}), "overlong");
        assertTrue(PayloadFormat.agrees(indicator(1), "h\u00e9llo \ud83d\ude00".getBytes(StandardCharsets.UTF_8)));
        assertTrue(PayloadFormat.agrees(indicator(1), new byte[] {0}), "U+0000 is character data too");
        assertTrue(PayloadFormat.agrees(indicator(1), new byte[0]));
    }

    @Test
    @DisplayName("v5 indicator 0, or none at all, says nothing about the bytes")
    void otherwiseAnyBytes() {
        byte[] bytes = {(byte) 0xC3, (byte) 0xFF};
        assertTrue(PayloadFormat.agrees(indicator(0), bytes));
        assertTrue(PayloadFormat.agrees(Properties.EMPTY, bytes));
        assertTrue(PayloadFormat.agrees(Properties.of(new Property.UserProperty("k", "v")), bytes));
    }
}
