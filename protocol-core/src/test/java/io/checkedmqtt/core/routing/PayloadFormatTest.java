package io.checkedmqtt.core.routing;

import io.checkedmqtt.core.packet.Properties;
import io.checkedmqtt.core.packet.Property;
import io.checkedmqtt.core.packet.PropertyId;
import io.checkedmqtt.core.packet.Publish;
import io.checkedmqtt.core.packet.QoS;
import io.checkedmqtt.core.packet.ReasonCode;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

class PayloadFormatTest {

    private static Publish withIndicator(byte[] payload, int indicator) {
        return new Publish("t", payload, QoS.AT_MOST_ONCE, false, false, 0, Properties.of(
                new Property.IntegerProperty(PropertyId.PAYLOAD_FORMAT_INDICATOR, indicator)));
    }

    @Test
    @DisplayName("v5 Payload Format Indicator 1 with ill-formed UTF-8: 0x99 Payload format invalid")
    void invalidUtf8() {
        assertEquals(ReasonCode.PAYLOAD_FORMAT_INVALID, PayloadFormat.validate(withIndicator(new byte[] {(byte) 0xC3}, 1)));
        assertEquals(ReasonCode.PAYLOAD_FORMAT_INVALID,
                PayloadFormat.validate(withIndicator(new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, 1)), "surrogate");
        assertEquals(ReasonCode.PAYLOAD_FORMAT_INVALID,
                PayloadFormat.validate(withIndicator(new byte[] {(byte) 0xC0, (byte) 0x80}, 1)), "overlong");
        assertNull(PayloadFormat.validate(withIndicator(new byte[] {(byte) 0xC3}, 0)), "indicator 0: bytes");
        assertNull(PayloadFormat.validate(withIndicator("h\u00e9llo \ud83d\ude00".getBytes(StandardCharsets.UTF_8), 1)));
    }

    @Test
    @DisplayName("isWellFormedUtf8 agrees with the JDK's strict decoder on arbitrary bytes")
    void agreesWithJdk() {
        qt().withExamples(5_000).forAll(lists().of(integers().between(0, 255)).ofSizeBetween(0, 12)).check(ints -> {
            byte[] bytes = new byte[ints.size()];
            for (int i = 0; i < bytes.length; i++) {
                bytes[i] = (byte) (int) ints.get(i);
            }
            boolean jdk;
            try {
                StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes));
                jdk = true;
            } catch (CharacterCodingException e) {
                jdk = false;
            }
            return PayloadFormat.isWellFormedUtf8(bytes) == jdk;
        });
    }

    @Test
    @DisplayName("U+0000 and the 4-byte maximum U+10FFFF are well formed; F4 90 (above U+10FFFF) is not")
    void edges() {
        assertTrue(PayloadFormat.isWellFormedUtf8(new byte[] {0}));
        assertTrue(PayloadFormat.isWellFormedUtf8(new byte[] {(byte) 0xF4, (byte) 0x8F, (byte) 0xBF, (byte) 0xBF}));
        assertFalse(PayloadFormat.isWellFormedUtf8(new byte[] {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80}));
    }
}
